"""Tables of the PDF: column widths from their content, headers never broken inside a word and repeated on
every page, capaian cells coloured by band with a legend. All are drawn straight onto the page (`pdf_ink`) where
ReportLab's Table put them, without platypus."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal
from itertools import accumulate, chain, repeat
from typing import TYPE_CHECKING

from reportlab.lib import colors

from kinerja_xl.domain.definition import Definition
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_ink import Ink
from kinerja_xl.export.pdf_layout import Flowable, put_lines
from kinerja_xl.export.texts import cell_text, number_text

if TYPE_CHECKING:
    from reportlab.platypus import Paragraph

CAP = 220  # widest a column asks for before its text wraps
CELL_MAX = 300  # points: the tallest a body cell may grow; a ReportLab table row never runs over a page
HEAD_MAX = 80   # points: the tallest a header cell may grow (it repeats on every page)
LEADING = 1.25  # line height of a cell's text, in font sizes (as `pdf_style.style`)
TOP = 3         # points above and below a cell's text (ReportLab's default cell padding)
CUT_NOTE = " … [teks dipotong; teks lengkap ada di berkas xlsx/CSV]"


def clipped(text, size: float, width: float, max_height: float = CELL_MAX, bold: bool = False, align=0,
            colour=colors.black, note: str = CUT_NOTE) -> Paragraph:
    """`text` as a ReportLab paragraph `width` wide; where it would grow taller than `max_height` (a 32,767-character
    note, a very long cell) it is cut at a word with `note` appended, so no row or drawing outgrows the page. Headers
    (labels from the definition, short of room) end in a bare "…". The document draws `clip_lines` instead; this
    is what those lines are checked against."""
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
    columns = _columns(rows, len(header))
    return _fit(header, [_measured(column, size) for column in columns], avail, size)


def _measured(column: list, size: float) -> dict[str, float]:
    """Each distinct text of a column (a long table repeats most of its texts) and its width, measured once for
    the column's width, its line breaks and its right alignment."""
    texts = dict.fromkeys(column)
    texts.pop("", None)
    texts.pop(None, None)
    return {t: S.width(t, size) for t in texts}


def _fit(header: list[str], measured: list[dict[str, float]], avail: float, size: float) -> list[float]:
    """`fit_widths` of a table given by its columns' distinct texts and their widths (`_measured`)."""
    pad = 2 * S.PAD + 1
    least, wish = [], []
    for title, wide in zip(header, measured):
        texts = wide.keys()
        words = {w for t in texts if " " in t or "\n" in t for w in t.split()}  # a text of one word is one
        head_word = max((S.width(w, size, True) for w in title.split()), default=0) + pad
        body_word = min(max([wide[t] for t in texts if " " not in t and "\n" not in t]
                            + [S.width(w, size) for w in words], default=0) + pad, 90)
        least.append(max(head_word, body_word))
        natural = max([S.width(title, size, True) + pad] + [w + pad for w in wide.values()])
        wish.append(max(least[-1], min(natural, CAP)))
    if sum(wish) <= avail:
        spare = avail - sum(wish)
        return [w + spare * w / sum(wish) for w in wish]
    if sum(least) >= avail:
        return [w * avail / sum(least) for w in least]
    share = (avail - sum(least)) / (sum(wish) - sum(least))
    return [lo + (hi - lo) * share for lo, hi in zip(least, wish)]


def _columns(rows: list[list], width: int) -> list[list]:
    """The rows' cells column by column, `width` columns (a short row's missing cells are None)."""
    if not rows:
        return [[] for _ in range(width)]
    if any(len(r) != width for r in rows):
        rows = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
    return [list(column) for column in zip(*rows)]


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
    columns = [_texts(column) for column in _columns(rows, len(header))]
    measured = [_measured(column, size) for column in columns]
    widths = _fit(header, measured, avail, size)
    return Grid(_Layout(header, columns, widths, size, numeric, fills or {}, measured))


def _texts(column: list) -> list[str]:
    """Each value's display text; a long table repeats most of its values, each written once."""
    kinds = set(map(type, column))
    if kinds <= {str}:
        return column
    if kinds <= {str, int, type(None)}:  # no two such values are equal unless their texts are
        texts = {v: cell_text(v) for v in dict.fromkeys(column)}
        return list(map(texts.__getitem__, column))
    seen: dict = {}
    out = []
    for v in column:
        key = (type(v), v)
        text = seen.get(key)
        if text is None:
            text = seen[key] = cell_text(v)
        out.append(text)
    return out


class _Layout:
    """What every page's part of one table shares: the columns, each cell's lines, the rows' heights."""

    def __init__(self, header, columns, widths, size, numeric, fills, measured):
        self.widths, self.size, self.leading = widths, size, size * LEADING
        self.xs = [0.0, *accumulate(widths)]
        room = [w - 2 * S.PAD for w in widths]
        self.head = [clip_lines(h, size, room[c], HEAD_MAX, bold=True, note=" …") for c, h in enumerate(header)]
        self.head_height = max(map(len, self.head), default=0) * self.leading + 2 * TOP
        cells = []
        for c, column in enumerate(columns):  # each distinct text of a column broken once
            wide, fits = measured[c], room[c]
            lines = {t: (t,) if t in wide and wide[t] <= fits and " " not in t and t.isprintable()
                     else clip_lines(t, size, fits) for t in dict.fromkeys(column)}
            cells.append(list(map(lines.__getitem__, column)))
        self.measured = measured
        self.cells, self.by_column = list(zip(*cells)), cells
        counts = list(map(max, zip(*[list(map(len, column)) for column in cells]))) if cells else []
        self.tops = [0.0, *accumulate(n * self.leading + 2 * TOP for n in counts)]
        self.right = [c in numeric for c in range(len(widths))]
        self.fills: dict[int, list] = {}
        for (r, c), colour in sorted(fills.items()):
            self.fills.setdefault(r, []).append((c, colour))
        self.placed: list[dict] = []  # per column: line -> its Tm/Tj text around its y (in the font's first subset)
        self.placed_in = self.texts_in = None  # the document those strings are encoded for
        self.texts: list[list[str]] = []  # per column, each row's first line as its text operator, y left as \0
        self.others: list[tuple[int, int, int]] = []  # (row, column, line) of the lines written one by one

    def _encode(self, ink: Ink) -> None:
        """Each column's first lines as text operators for this document, each distinct line encoded once: a
        page's body is then joined in C (its rows' y put in), not written cell by cell. Further lines of a
        wrapped cell, and lines with characters beyond the font's first subset, are written one by one."""
        encoding, size, pad = ink.encoding(S.FONT), self.size, S.PAD
        self.texts, others = [], []
        for c, column in enumerate(self.by_column):
            firsts = [cell[0] if cell else "" for cell in column]
            distinct = dict.fromkeys(firsts)
            encoding.learn("".join(distinct))  # codes handed out in the table's column order: the same every run
            written = {}
            for line in distinct:
                if not line or encoding.beyond and not encoding.beyond.isdisjoint(line):
                    written[line] = ""
                    continue
                if self.right[c]:
                    wide = self.measured[c].get(line)
                    x = self.xs[c + 1] - pad - (S.width(line, size) if wide is None else wide)
                else:
                    x = self.xs[c] + pad
                written[line] = f"\n1 0 0 1 {x:.2f} \0 Tm ({line.translate(encoding.codes)}) Tj"
            self.texts.append(list(map(written.__getitem__, firsts)))
            others += [(r, c, 0) for r, line in enumerate(firsts) if line and not written[line]]
            others += [(r, c, k) for r, cell in enumerate(column) if len(cell) > 1 for k in range(1, len(cell))]
        self.others = sorted(others)

    def height(self, first: int, stop: int) -> float:
        return self.head_height + self.tops[stop] - self.tops[first]

    def draw(self, canv, first: int, stop: int) -> None:
        """Rows first..stop-1 under the header, as ReportLab draws a Table: backgrounds, text, then the grid. Each
        row's y is formatted once and joined to text made once per column (x, width, encoded cell text)."""
        ink, total = Ink(canv), self.height(first, stop)
        if self.placed_in is not ink.encodings:
            self.placed, self.placed_in = [{} for _ in self.widths], ink.encodings
        body_top = total - self.head_height
        rows = [body_top - (self.tops[r] - self.tops[first]) for r in range(first, stop + 1)]  # each row's top
        tops = [f"{y:.2f}" for y in rows]
        ink.rect(0, body_top, self.xs[-1], self.head_height, S.HEADER_BG)
        columns = [(f"{x:.2f} ", f" {w:.2f} ") for x, w in zip(self.xs, self.widths)]
        ops = ink.ops
        for r in range(first, stop):
            fills = self.fills.get(r)
            if fills:
                i = r - first
                y, h = tops[i + 1], f"{rows[i] - rows[i + 1]:.2f}"
                for c, colour in fills:
                    if colour is not ink.colour:
                        ink._fill(colour)
                    x, w = columns[c]
                    ops.append(f"{x}{y}{w}{h} re f")
        self._header(ink, body_top)
        if self.texts_in is not ink.encodings:
            self._encode(ink)
            self.texts_in = ink.encodings
        size, lead = self.size, self.leading
        baselines = [rows[r - first] - TOP - size for r in range(first, stop)]
        ys = [f"{y:.2f}" for y in baselines]
        body = "".join(chain.from_iterable(zip(*[map(str.replace, column[first:stop], repeat("\0"), ys)
                                                  for column in self.texts])))
        if body:
            ink.use(S.FONT, size, colors.black)
            ops.append(body[1:])
        for r, c, k in self.others[bisect_left(self.others, (first,)):bisect_left(self.others, (stop,))]:
            line = self.cells[r][c][k]
            if line:
                self._put(ink, c, line, S.FONT, colors.black, baselines[r - first] - k * lead)
        right, bottom, height = f"{self.xs[-1]:.2f}", "0.00", f"{total:.2f}"
        ink.path([f"0.00 {y} m {right} {y} l" for y in [height, *tops]]
                 + [f"{x}{bottom} m {x}{height} l" for x, _ in columns] + [f"{right} {bottom} m {right} {height} l"],
                 S.GRID, 0.5, ends=1)
        ink.done()

    def _header(self, ink: Ink, bottom: float) -> None:
        """Each label centred, its lines in the middle of the header row."""
        for c, lines in enumerate(self.head):
            baseline = bottom + (self.head_height + len(lines) * self.leading) / 2 - self.size
            for k, line in enumerate(lines):
                self._put(ink, c, line, S.BOLD, colors.white, baseline - k * self.leading)

    def _put(self, ink: Ink, c: int, line: str, font: str, colour, y: float) -> None:
        """One line of column `c` with its baseline at `y`: centred (bold, a header's) or as a body cell; what is
        written is kept for the next time this column shows this line in this text state."""
        placed = self.placed[c]
        known = placed.get(line) if font == S.FONT else placed.get((line,))
        encoding = ink.encodings.get(font)
        if (known is not None and ink.in_text and ink.colour is colour
                and ink.font == (encoding.first, self.size)):
            ink.ops.append(f"{known[0]}{y:.2f}{known[1]}")
            return
        if font == S.BOLD:
            x = self.xs[c] + (self.widths[c] - S.width(line, self.size, True)) / 2
        else:
            x = self.xs[c + 1] - S.PAD - S.width(line, self.size) if self.right[c] else self.xs[c] + S.PAD
        code = ink.encoded(line, font, self.size, colour)
        if code is None:  # the text state changes first (font, colour) or a character is new: Ink writes it all
            ink.text(x, y, line, font, self.size, colour)
            code = ink.encoded(line, font, self.size, colour)
            if code is None:
                return
        else:  # as `Ink.text` writes it in this state
            ink.ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({code}) Tj")
        placed[line if font == S.FONT else (line,)] = (f"1 0 0 1 {x:.2f} ", f" Tm ({code}) Tj")


class Grid(Flowable):
    """A table with its header row repeated on every page, drawn straight onto the canvas (`pdf_ink`). It splits
    between rows in time independent of its length, so a table of any length costs what its rows cost; a
    ReportLab `Table` measures every remaining row again at each page break."""

    def __init__(self, layout: _Layout, first: int = 0, stop: int | None = None):
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
    for c in [c for c, column in enumerate(columns) if column.type == "capaian"]:
        for r, values in enumerate(rows):
            name = band(d, values[c]) if c < len(values) else None
            if name:
                fills[(r, c)] = S.BANDS[name]
    return grid_table([c.label for c in columns], rows, avail, numeric=numeric, fills=fills)


def legend(d: Definition) -> Legend:
    low, high = number_text(d.red_below), number_text(d.green_above)
    return Legend([(S.BANDS["merah"], f"Merah: capaian di bawah {low} %"), (S.BANDS["kuning"], f"Kuning: {low}–{high} %"),
                   (S.BANDS["hijau"], f"Hijau: di atas {high} %")])


class Legend(Flowable):
    """"Keterangan warna capaian:" then a framed swatch before each band's text, in one row, where a ReportLab
    Table of those cells (padding 6 and 3, middle aligned, the swatches' cells empty text) put them."""

    SIZE, SWATCH, EMPTY = 7.5, 14, 12 + 2 * 3  # an empty text cell: one line of the Table's 12-point leading

    def __init__(self, items: list[tuple[colors.Color, str]]):
        title = "Keterangan warna capaian:"
        self.cells = [(title, True, S.width(title, self.SIZE, True) + 2 * S.PAD + 8)]
        for colour, text in items:
            self.cells += [(colour, None, self.SWATCH), (text, False, S.width(text, self.SIZE) + 2 * S.PAD + 8)]
        self.width = sum(w for _, _, w in self.cells)
        self.lines = [S.wrap(t, self.SIZE, w - 12, bold) if bold is not None else None for t, bold, w in self.cells]
        leading = self.SIZE * 1.25
        self.height = max([self.EMPTY] + [len(lines) * leading + 6 for lines in self.lines if lines is not None])

    def draw(self) -> None:
        ink, x, leading, swatches = Ink(self.canv, precise=True), 0.0, self.SIZE * 1.25, []
        for (value, bold, w), lines in zip(self.cells, self.lines):
            if lines is None:
                ink.rect(x, 0, w, self.height, value)
                swatches += [(x, self.height, x + w, self.height), (x, 0, x + w, 0), (x, 0, x, self.height),
                             (x + w, 0, x + w, self.height)]
            else:
                put_lines(ink, lines, x + 6, (self.height + len(lines) * leading) / 2, w - 12, self.SIZE, bold)
            x += w
        ink.lines(swatches, S.GRID, 0.5, ends=1, apart=True)
        ink.done()


def key_values(pairs: list[tuple[str, object]], avail: float, size: float = 8.5) -> KeyValues:
    """Label: value lines (a step's fields, the document's identity)."""
    label_w = min(max((S.width(k, size, True) for k, _ in pairs), default=60) + 2 * S.PAD + 6, avail * 0.4)
    rows = [(clip_lines(k, size, label_w - 2 * S.PAD, HEAD_MAX, bold=True, note=" …"),
             clip_lines(cell_text(v), size, avail - label_w - 2 * S.PAD)) for k, v in pairs]
    return KeyValues(rows, label_w, avail, size)


class KeyValues(Flowable):
    """Rows of a bold label and its value, top aligned, where a ReportLab Table (padding 3 across, 1 above and
    below, no rules) put them; it splits between rows as that Table did."""

    def __init__(self, rows: list[tuple[tuple, tuple]], label_w: float, width: float, size: float):
        self.rows, self.label_w, self.width, self.size = rows, label_w, width, size
        self.leading = size * LEADING
        self.heights = [max(len(label), len(value)) * self.leading + 2 for label, value in rows]
        self.height = sum(self.heights)

    def split(self, avail_width, avail_height):
        fit = bisect_right(list(accumulate(self.heights)), avail_height)
        if fit == 0:
            return []
        if fit == len(self.rows):
            return [self]
        return [KeyValues(self.rows[:fit], self.label_w, self.width, self.size),
                KeyValues(self.rows[fit:], self.label_w, self.width, self.size)]

    def draw(self) -> None:
        ink, top = Ink(self.canv, precise=True), self.height
        rooms = (self.label_w - 2 * S.PAD, self.width - self.label_w - 2 * S.PAD)
        for (label, value), height in zip(self.rows, self.heights):
            put_lines(ink, label, S.PAD, top - 1, rooms[0], self.size, True)
            put_lines(ink, value, self.label_w + S.PAD, top - 1, rooms[1], self.size)
            top -= height
        ink.done()
