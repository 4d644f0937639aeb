"""Tables of the PDF: column widths from their content, headers never broken inside a word and repeated on
every page, capaian cells coloured by band with a legend."""
from __future__ import annotations

from decimal import Decimal

from reportlab.lib import colors
from reportlab.platypus import Paragraph, Table, TableStyle

from kinerja_xl.domain.definition import Definition
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.texts import cell_text, number_text

CAP = 220  # widest a column asks for before its text wraps
CELL_MAX = 300  # points: the tallest a body cell may grow; a ReportLab table row never runs over a page
HEAD_MAX = 80   # points: the tallest a header cell may grow (it repeats on every page)
CUT_NOTE = " … [teks dipotong; teks lengkap ada di berkas xlsx/CSV]"


def clipped(text, size: float, width: float, max_height: float = CELL_MAX, bold: bool = False, align=0,
            colour=colors.black, note: str = CUT_NOTE) -> Paragraph:
    """`text` as a paragraph `width` wide; where it would grow taller than `max_height` (a 32,767-character note,
    a very long cell) it is cut at a word with `note` appended, so no row or drawing outgrows the page. Headers
    (labels from the definition, short of room) end in a bare "…"."""
    whole = S.para(text, size, bold, align, colour)
    height = whole.wrap(width, 1e9)[1]
    if height <= max_height:
        return whole
    text = str(text)

    def cut(n: int) -> Paragraph:
        head = text[:n]
        if n < len(text) and " " in head[-40:]:
            head = head[:head.rindex(" ")]
        return S.para(head.rstrip() + note, size, bold, align, colour)

    low, high = 0, min(len(text), int(len(text) * max_height / height) + 200)
    while low < high:
        middle = (low + high + 1) // 2
        if cut(middle).wrap(width, 1e9)[1] <= max_height:
            low = middle
        else:
            high = middle - 1
    return cut(low)


def fit_widths(header: list[str], rows: list[list[str]], avail: float, size: float) -> list[float]:
    """Each column at least as wide as its longest header word (so no header word is cut), then the room left
    shared out in proportion to what each column's content would take on one line."""
    pad = 2 * S.PAD + 1
    least, wish = [], []
    for c, title in enumerate(header):
        texts = [r[c] for r in rows if c < len(r) and r[c]]
        words = [w for t in texts for w in t.split()]
        head_word = max((S.width(w, size, True) for w in title.split()), default=0) + pad
        body_word = min(max((S.width(w, size) for w in words), default=0) + pad, 90)
        least.append(max(head_word, body_word))
        natural = max([S.width(title, size, True) + pad] + [S.width(t, size) + pad for t in texts])
        wish.append(max(least[-1], min(natural, CAP)))
    if sum(wish) <= avail:
        spare = avail - sum(wish)
        return [w + spare * w / sum(wish) for w in wish]
    if sum(least) >= avail:
        return [w * avail / sum(least) for w in least]
    share = (avail - sum(least)) / (sum(wish) - sum(least))
    return [lo + (hi - lo) * share for lo, hi in zip(least, wish)]


def grid_table(header: list[str], rows: list[list], avail: float, size: float = 7.5,
               numeric: set[int] = frozenset(), fills: dict[tuple[int, int], colors.Color] | None = None) -> Table:
    """`rows` of display text; `numeric` columns right-aligned; `fills` (row, col) -> background, body rows from 0."""
    texts = [[cell_text(v) for v in r] for r in rows]
    widths = fit_widths(header, texts, avail, size)
    room = [w - 2 * S.PAD for w in widths]
    head = [clipped(h, size, room[c], HEAD_MAX, bold=True, align=S.CENTER, colour=colors.white, note=" …")
            for c, h in enumerate(header)]
    body = [[clipped(t, size, room[c], align=2 if c in numeric else 0) for c, t in enumerate(r)] for r in texts]
    table = Table([head] + body, colWidths=widths, repeatRows=1)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, S.GRID), ("BACKGROUND", (0, 0), (-1, 0), S.HEADER_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]
    commands += [(side, (0, 0), (-1, -1), S.PAD) for side in ("LEFTPADDING", "RIGHTPADDING")]
    commands += [("BACKGROUND", (c, r + 1), (c, r + 1), fill) for (r, c), fill in (fills or {}).items()]
    table.setStyle(TableStyle(commands))
    return table


def band(d: Definition, value) -> str | None:
    """merah below the red threshold, kuning up to the green one, hijau above it; None for a reason text."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    value = float(value)
    return "merah" if value < d.red_below else "hijau" if value > d.green_above else "kuning"


def data_table(d: Definition, columns, rows: list[list], avail: float) -> Table:
    """A step's table as typed, with capaian cells coloured by band."""
    numeric = {i for i, c in enumerate(columns) if c.type in ("angka", "rupiah", "bulat", "capaian")}
    fills = {}
    for r, values in enumerate(rows):
        for c, column in enumerate(columns):
            if column.type == "capaian" and c < len(values) and band(d, values[c]):
                fills[(r, c)] = S.BANDS[band(d, values[c])]
    return grid_table([c.label for c in columns], rows, avail, numeric=numeric, fills=fills)


def legend(d: Definition) -> Table:
    low, high = number_text(d.red_below), number_text(d.green_above)
    items = [("merah", f"Merah: capaian di bawah {low} %"), ("kuning", f"Kuning: {low}–{high} %"),
             ("hijau", f"Hijau: di atas {high} %")]
    cells = []
    for name, text in items:
        cells += ["", S.para(text, 7.5)]
    title = "Keterangan warna capaian:"
    texts = [S.width(text, 7.5) + 2 * S.PAD + 8 for _, text in items]
    table = Table([[S.para(title, 7.5, bold=True)] + cells],
                  colWidths=[S.width(title, 7.5, True) + 2 * S.PAD + 8] + [w for t in texts for w in (14, t)],
                  hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    style += [("BACKGROUND", (1 + 2 * i, 0), (1 + 2 * i, 0), S.BANDS[n]) for i, (n, _) in enumerate(items)]
    style += [("BOX", (1 + 2 * i, 0), (1 + 2 * i, 0), 0.5, S.GRID) for i in range(3)]
    table.setStyle(TableStyle(style))
    return table


def key_values(pairs: list[tuple[str, object]], avail: float, size: float = 8.5) -> Table:
    """Label: value lines (a step's fields, the document's identity)."""
    label_w = min(max((S.width(k, size, True) for k, _ in pairs), default=60) + 2 * S.PAD + 6, avail * 0.4)
    rows = [[clipped(k, size, label_w - 2 * S.PAD, HEAD_MAX, bold=True, note=" …"),
             clipped(cell_text(v), size, avail - label_w - 2 * S.PAD)] for k, v in pairs]
    table = Table(rows, colWidths=[label_w, avail - label_w], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), S.PAD),
                               ("RIGHTPADDING", (0, 0), (-1, -1), S.PAD)]))
    return table
