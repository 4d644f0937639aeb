"""Tables of the PDF: column widths from their content, headers never broken inside a word and repeated on
every page, capaian cells coloured by band with a legend."""
from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal
from itertools import accumulate

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from kinerja_xl.domain.definition import Definition
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_ink import Ink
from kinerja_xl.export.texts import cell_text, number_text

CAP = 220  # widest a column asks for before its text wraps
CELL_MAX = 300  # points: the tallest a body cell may grow; a ReportLab table row never runs over a page
HEAD_MAX = 80   # points: the tallest a header cell may grow (it repeats on every page)
LEADING = 1.25  # line height of a cell's text, in font sizes (as `pdf_style.style`)
TOP = 3         # points above and below a cell's text (ReportLab's default cell padding)
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
    least, wish, seen = [], [], {}
    for c, title in enumerate(header):
        texts = set(r[c] for r in rows if c < len(r) and r[c])  # a long table repeats most of its texts
        words = set(w for t in texts for w in (t.split() if " " in t or "\n" in t else (t,)))
        head_word = max((S.width(w, size, True) for w in title.split()), default=0) + pad
        body_word = min(max((_width(w, size, seen) for w in words), default=0) + pad, 90)
        least.append(max(head_word, body_word))
        natural = max([S.width(title, size, True) + pad] + [_width(t, size, seen) + pad for t in texts])
        wish.append(max(least[-1], min(natural, CAP)))
    if sum(wish) <= avail:
        spare = avail - sum(wish)
        return [w + spare * w / sum(wish) for w in wish]
    if sum(least) >= avail:
        return [w * avail / sum(least) for w in least]
    share = (avail - sum(least)) / (sum(wish) - sum(least))
    return [lo + (hi - lo) * share for lo, hi in zip(least, wish)]


def _width(text: str, size: float, seen: dict) -> float:
    if text not in seen:
        seen[text] = S.width(text, size)
    return seen[text]


def clip_lines(text, size: float, room: float, max_height: float = CELL_MAX, bold: bool = False,
               note: str = CUT_NOTE) -> tuple[str, ...]:
    """`text` as lines `room` wide, cut like `clipped` where they would stand taller than `max_height`."""
    lines = S.wrap(text, size, room, bold)
    most = int(max_height / (size * LEADING) + 1e-9)
    if len(lines) <= most:
        return tuple(lines)
    text = str(text)

    def cut(n: int) -> list[str]:
        head = text[:n]
        if n < len(text) and " " in head[-40:]:
            head = head[:head.rindex(" ")]
        return S.wrap(head.rstrip() + note, size, room, bold)

    low, high = 0, min(len(text), sum(len(line) + 1 for line in lines[:most]) + 200)
    while low < high:
        middle = (low + high + 1) // 2
        if len(cut(middle)) <= most:
            low = middle
        else:
            high = middle - 1
    return tuple(cut(low))


def grid_table(header: list[str], rows: list[list], avail: float, size: float = 7.5,
               numeric: set[int] = frozenset(), fills: dict[tuple[int, int], colors.Color] | None = None) -> Grid:
    """`rows` of display text; `numeric` columns right-aligned; `fills` (row, col) -> background, body rows from 0."""
    texts = [[cell_text(v) for v in r] for r in rows]
    widths = fit_widths(header, texts, avail, size)
    return Grid(_Layout(header, texts, widths, size, numeric, fills or {}))


class _Layout:
    """What every page's part of one table shares: the columns, each cell's lines, the rows' heights."""

    def __init__(self, header, texts, widths, size, numeric, fills):
        self.widths, self.size, self.leading = widths, size, size * LEADING
        self.xs = [0.0, *accumulate(widths)]
        room = [w - 2 * S.PAD for w in widths]
        self.head = [clip_lines(h, size, room[c], HEAD_MAX, bold=True, note=" …") for c, h in enumerate(header)]
        self.head_height = max(map(len, self.head), default=0) * self.leading + 2 * TOP
        self.cells = [tuple(clip_lines(t, size, room[c]) for c, t in enumerate(r)) for r in texts]
        self.tops = [0.0, *accumulate(max(map(len, row), default=0) * self.leading + 2 * TOP for row in self.cells)]
        self.right = [c in numeric for c in range(len(widths))]
        self.fills: dict[int, list] = {}
        for (r, c), colour in sorted(fills.items()):
            self.fills.setdefault(r, []).append((c, colour))

    def height(self, first: int, stop: int) -> float:
        return self.head_height + self.tops[stop] - self.tops[first]

    def draw(self, canv, first: int, stop: int) -> None:
        """Rows first..stop-1 under the header, as ReportLab draws a Table: backgrounds, text, then the grid."""
        ink, total = Ink(canv), self.height(first, stop)
        body_top = total - self.head_height
        rows = [body_top - (self.tops[r] - self.tops[first]) for r in range(first, stop + 1)]  # each row's top
        ink.rect(0, body_top, self.xs[-1], self.head_height, S.HEADER_BG)
        for r in range(first, stop):
            for c, colour in self.fills.get(r, ()):
                ink.rect(self.xs[c], rows[r + 1 - first], self.widths[c], rows[r - first] - rows[r + 1 - first], colour)
        self._header(ink, body_top)
        for r in range(first, stop):
            self._row(ink, self.cells[r], rows[r - first] - TOP - self.size)
        rules = [(0, y, self.xs[-1], y) for y in [total, *rows]] + [(x, 0, x, total) for x in self.xs]
        ink.lines(rules, S.GRID, 0.5, ends=1)
        ink.done()

    def _header(self, ink: Ink, bottom: float) -> None:
        """Each label centred, its lines in the middle of the header row."""
        for c, lines in enumerate(self.head):
            baseline = bottom + (self.head_height + len(lines) * self.leading) / 2 - self.size
            for k, line in enumerate(lines):
                x = self.xs[c] + (self.widths[c] - S.width(line, self.size, True)) / 2
                ink.text(x, baseline - k * self.leading, line, S.BOLD, self.size, colors.white)

    def _row(self, ink: Ink, cells: tuple, baseline: float) -> None:
        """One body row, its first line's baseline at `baseline`: text from the top, numbers to the right."""
        size, leading, xs, text, black = self.size, self.leading, self.xs, ink.text, colors.black
        for c, lines in enumerate(cells):
            for k, line in enumerate(lines):
                x = xs[c + 1] - S.PAD - S.width(line, size) if self.right[c] else xs[c] + S.PAD
                text(x, baseline - k * leading, line, S.FONT, size, black)


class Grid(Flowable):
    """A table with its header row repeated on every page, drawn straight onto the canvas (`pdf_ink`). It splits
    between rows in time independent of its length, so a table of any length costs what its rows cost; a
    ReportLab `Table` measures every remaining row again at each page break."""

    def __init__(self, layout: _Layout, first: int = 0, stop: int | None = None):
        super().__init__()
        self.layout, self.first = layout, first
        self.stop = len(layout.cells) if stop is None else stop
        self.hAlign = "CENTER"

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.layout.xs[-1], self.layout.height(self.first, self.stop)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """As many whole rows as fit under the header, the rest (with the header again) for the next page."""
        tops = self.layout.tops
        stop = bisect_right(tops, avail_height - self.layout.head_height + tops[self.first], self.first, self.stop + 1) - 1
        if stop <= self.first:
            return []
        return [Grid(self.layout, self.first, stop), Grid(self.layout, stop, self.stop)]

    def draw(self) -> None:
        self.layout.draw(self.canv, self.first, self.stop)


def band(d: Definition, value) -> str | None:
    """merah below the red threshold, kuning up to the green one, hijau above it; None for a reason text."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    value = float(value)
    return "merah" if value < d.red_below else "hijau" if value > d.green_above else "kuning"


def data_table(d: Definition, columns, rows: list[list], avail: float) -> Grid:
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
