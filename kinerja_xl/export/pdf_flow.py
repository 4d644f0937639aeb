"""The Bagan Alir of PermenPAN-RB 35/2012 (SOP AP format): No, Kegiatan, one column per pelaksana holding the
flowchart symbols (terminator for the first and last step, process, decision with its return arrow), Mutu Baku
(Kelengkapan, Waktu, Output) and Keterangan. Drawn as one flowable on a landscape page; an SOP with more steps
than a page holds splits between rows, the header rows repeating on every page and the flow carried over by
off-page connectors (a pentagon with a letter at the bottom of one page and the same letter at the top of the
next; a return whose decision and target lie on different pages gets its own lettered pair beside them)."""
from __future__ import annotations

from reportlab.lib import colors

from kinerja_xl.domain.definition import Definition, Step
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_ink import Ink
from kinerja_xl.export.pdf_layout import Flowable, put_lines
from kinerja_xl.export.pdf_tables import HEAD_MAX, LEADING, clip_lines

SIZE = 7.5
LINE = colors.black
ROW_TEXT = 200  # points: the tallest a step's texts may make its row (longer text is cut; the workbook keeps it)
BAND = 26       # the row above (below) a page's steps holding the connectors from (to) the other page
CW, CH = 14, 14  # off-page connector: width, height (a 9-point box over a 5-point point)
KEGIATAN = 90   # points: the Kegiatan column is never narrower (the lanes narrow when an SOP has many roles)


class _Chart:
    """What every page of one Bagan Alir shares: columns, texts, row heights, and the connector letters handed
    out so far (in page order, as the pages are drawn)."""

    def __init__(self, d: Definition, avail: float):
        self.d, self.avail = d, avail
        self.roles = d.lanes
        fixed = {"No": 22, "Kelengkapan": 95, "Waktu": 50, "Output": 110, "Keterangan": 90}
        lane = min(70.0, (avail - sum(fixed.values()) - KEGIATAN) / len(self.roles))  # many roles: narrower lanes
        kegiatan = avail - sum(fixed.values()) - lane * len(self.roles)
        self.widths = [fixed["No"], kegiatan] + [lane] * len(self.roles) + [fixed[k] for k in
                                                                           ("Kelengkapan", "Waktu", "Output", "Keterangan")]
        self.xs = [0.0]
        for w in self.widths:
            self.xs.append(self.xs[-1] + w)
        self.cells = [self._texts(step) for step in d.steps]
        mutu = self.widths[2 + len(self.roles):5 + len(self.roles)]
        heads = [d.role(r).label for r in self.roles] + ["Kelengkapan", "Waktu", "Output"]
        self.head2 = [clip_lines(text, SIZE, w - 2 * S.PAD, HEAD_MAX, bold=True, note=" …")
                      for text, w in zip(heads, self.widths[2:2 + len(self.roles)] + mutu)]
        self.heights = [max([46] + [len(lines) * SIZE * LEADING + 2 * S.PAD for lines, _ in row]) for row in self.cells]
        if d.steps[-1].returns:
            self.heights[-1] = max(self.heights[-1], 80)  # the decision and the end below it
        self.h2 = max(len(lines) for lines in self.head2) * SIZE * LEADING + 2 * S.PAD
        self.h1 = 16
        self.labels: dict[tuple, str] = {}

    def _texts(self, step: Step) -> list[tuple[tuple, int]]:
        """Each text cell's lines (cut at ROW_TEXT) and alignment."""
        note = "; ".join(f"Bila tidak sesuai, dikembalikan ke langkah {b.to}" for b in step.returns)
        values = [step.no, step.activity, step.documents, step.time.label if step.time else "", step.output, note]
        return [(clip_lines(v, SIZE, w - 2 * S.PAD, ROW_TEXT), S.CENTER if i in (0, 3) else S.LEFT)
                for i, (v, w) in enumerate(zip(values, self.text_widths()))]

    def text_widths(self) -> list[float]:
        n = len(self.roles)
        return [self.widths[0], self.widths[1]] + self.widths[2 + n:]

    def height(self, first: int, stop: int) -> float:
        """Header, connector rows and steps first..stop-1 on one page."""
        bands = (BAND if first > 0 else 0) + (BAND if stop < len(self.d.steps) else 0)
        return self.h1 + self.h2 + bands + sum(self.heights[first:stop])

    def label(self, key: tuple) -> str:
        """The connector pair `key`'s letter: A … Z, AA, AB …, in the order the pairs are first drawn."""
        if key not in self.labels:
            n, text = len(self.labels), ""
            while True:
                n, rest = divmod(n, 26)
                text = chr(ord("A") + rest) + text
                if n == 0:
                    break
                n -= 1
            self.labels[key] = text
        return self.labels[key]


class BaganAlir(Flowable):
    """The whole chart, or (after `split`) its steps first..stop-1 on one page."""

    def __init__(self, d: Definition, avail: float, first: int = 0, stop: int | None = None,
                 chart: _Chart | None = None):
        self.chart = chart or _Chart(d, avail)
        self.d, self.avail = d, avail
        self.first, self.stop = first, len(d.steps) if stop is None else stop

    def wrap(self, avail_w, avail_h):
        return self.avail, self.chart.height(self.first, self.stop)

    def split(self, avail_w, avail_h):
        """As many whole steps as fit (with the header and the connector rows), the rest for the next page."""
        stop = self.first
        while stop < self.stop and self.chart.height(self.first, stop + 1) <= avail_h:
            stop += 1
        if stop == self.first or stop == self.stop:
            return [] if stop == self.first else [self]
        return [BaganAlir(self.d, self.avail, self.first, stop, self.chart),
                BaganAlir(self.d, self.avail, stop, self.stop, self.chart)]

    def draw(self) -> None:
        ch, c = self.chart, self.canv
        total = ch.height(self.first, self.stop)
        xs, n = ch.xs, len(ch.roles)
        c.setLineWidth(0.6)
        c.setStrokeColor(S.GRID)
        self._header(xs, total, n)
        y = total - ch.h1 - ch.h2
        band_top = y
        if self.first > 0:
            y -= BAND
            c.line(0, y, self.avail, y)
        tops = {}
        for i in range(self.first, self.stop):
            height = ch.heights[i]
            tops[i] = y
            c.line(0, y - height, self.avail, y - height)
            text_x = [xs[0], xs[1]] + xs[2 + n:-1]
            for (lines, align), x, w in zip(ch.cells[i], text_x, ch.text_widths()):
                _lines(c, lines, x + S.PAD, y - S.PAD, w - 2 * S.PAD, align)
            y -= height
        if y > 0.5:
            c.line(0, 0, self.avail, 0)
        for x in xs:
            c.line(x, 0, x, total if x in (xs[0], xs[1], xs[-1], xs[-2], xs[2], xs[2 + n]) else total - ch.h1)
        _symbols(c, ch, self.first, self.stop, tops, band_top)

    def _header(self, xs, total, n) -> None:
        c, ch = self.canv, self.chart
        c.line(0, total, self.avail, total)
        c.line(xs[2], total - ch.h1, xs[2 + n + 3], total - ch.h1)
        c.line(0, total - ch.h1 - ch.h2, self.avail, total - ch.h1 - ch.h2)
        spans = [("No", xs[0], xs[1], True), ("Kegiatan", xs[1], xs[2], True), ("Pelaksana", xs[2], xs[2 + n], False),
                 ("Mutu Baku", xs[2 + n], xs[5 + n], False), ("Keterangan", xs[5 + n], xs[6 + n], True)]
        for text, left, right, tall in spans:
            lines = S.wrap(text, SIZE, right - left - 2 * S.PAD, bold=True)
            middle = total - (ch.h1 + ch.h2) / 2 if tall else total - ch.h1 / 2
            _lines(c, lines, left + S.PAD, middle + len(lines) * SIZE * LEADING / 2, right - left - 2 * S.PAD,
                   S.CENTER, bold=True)
        for lines, left, right in zip(ch.head2, xs[2:2 + n] + xs[2 + n:5 + n], xs[3:3 + n] + xs[3 + n:6 + n]):
            _lines(c, lines, left + S.PAD, total - ch.h1 - ch.h2 / 2 + len(lines) * SIZE * LEADING / 2,
                   right - left - 2 * S.PAD, S.CENTER, bold=True)


def _lines(c, lines, x: float, top: float, room: float, align: int, bold: bool = False) -> None:
    """A cell's lines under `top`, as a Paragraph `room` wide drawn with its top there draws them."""
    if not lines:
        return
    ink = Ink(c, precise=True)
    put_lines(ink, lines, x, top, room, SIZE, bold, LINE, align, SIZE * LEADING)
    ink.done()


def _symbols(c, ch: _Chart, first: int, stop: int, tops: dict, band_top: float) -> None:
    """The symbols of steps first..stop-1 (rows at `tops`), the arrows between them, and the off-page connectors
    to the rows on the page before (in the band under `band_top`) and after (in the band at the bottom)."""
    d, roles, xs, heights = ch.d, ch.roles, ch.xs, ch.heights
    c.setStrokeColor(LINE)
    c.setLineWidth(0.9)
    last = len(d.steps) - 1
    places = {}
    for i in range(first, stop):
        step = d.steps[i]
        col = roles.index(step.role)
        x = (xs[2 + col] + xs[3 + col]) / 2
        w, h = (xs[3 + col] - xs[2 + col]) * 0.62, 20
        y = tops[i] - (26 if step.returns and i == last else heights[i] / 2)
        if step.returns:
            c.lines([(x, y + h / 2 + 2, x + w / 2, y), (x + w / 2, y, x, y - h / 2 - 2), (x, y - h / 2 - 2, x - w / 2, y),
                     (x - w / 2, y, x, y + h / 2 + 2)])
            h += 4
        elif i in (0, last):
            c.roundRect(x - w / 2, y - h / 2, w, h, h / 2)
        else:
            c.rect(x - w / 2, y - h / 2, w, h)
        places[i] = (x, y, w, h, col)
    for i in range(first, stop - 1):
        (x1, y1, _, h1, _), (x2, y2, _, h2, _) = places[i], places[i + 1]
        middle = tops[i + 1] + 6 if places[i][4] != places[i + 1][4] else y2 + h2 / 2
        c.lines([(x1, y1 - h1 / 2, x1, middle), (x1, middle, x2, middle), (x2, middle, x2, y2 + h2 / 2)])
        _arrow_down(c, x2, y2 + h2 / 2)
        if d.steps[i].returns:
            _label(c, x1 + 3, y1 - h1 / 2 - 8, "Ya")
    if first > 0:  # carried over from the page before
        x, y, _, h, _ = places[first]
        middle = band_top - BAND / 2
        c.line(x, middle - CH / 2, x, y + h / 2)
        _arrow_down(c, x, y + h / 2)
        _connector(c, x, middle, ch.label(("lanjut", first)))
    if stop <= last:  # carried over to the next page
        x, y, _, h, _ = places[stop - 1]
        middle = BAND / 2
        c.line(x, y - h / 2, x, middle + CH / 2)
        _arrow_down(c, x, middle + CH / 2)
        _connector(c, x, middle, ch.label(("lanjut", stop)))
        if d.steps[stop - 1].returns:
            _label(c, x + 3, y - h / 2 - 8, "Ya")
    if last in places and d.steps[last].returns:
        x, y, w, h, _ = places[last]
        end = tops[last] - heights[last] + 14
        c.line(x, y - h / 2, x, end + 7)
        _arrow_down(c, x, end + 7)
        c.roundRect(x - w / 3, end - 7, 2 * w / 3, 14, 7)
        _label(c, x + 3, y - h / 2 - 8, "Ya")
    _returns(c, ch, places)


def _returns(c, ch: _Chart, places: dict) -> None:
    """Each return from its decision to the step it goes back to, along the target symbol's outer side; when one of
    the two is on another page, from the decision (or into the target) through an off-page connector beside it."""
    d = ch.d
    used: dict[int, int] = {}
    beside: dict[tuple[int, int], int] = {}
    busy = set()  # (row, side) where a return on this page runs level out of its decision or into its target
    for i, step in enumerate(d.steps):
        for button in step.returns:
            if i in places and button.to - 1 in places:
                side = 1 if places[button.to - 1][4] >= places[i][4] else -1
                busy |= {(i, side), (button.to - 1, side)}
    for i, step in enumerate(d.steps):
        for button in step.returns:
            target = button.to - 1
            if i not in places and target not in places:
                continue
            col, tcol = ch.roles.index(step.role), ch.roles.index(d.steps[target].role)
            right = tcol >= col
            label = ("kembali", i, button.to)
            if i in places and target in places:
                x, y, w, h, _ = places[i]
                tx, ty, tw, th, _ = places[target]
                used[button.to] = used.get(button.to, 0) + 1
                lane = tx + (tw / 2 + 5 * used[button.to]) * (1 if right else -1)
                start = x + (w / 2 if right else -w / 2)
                c.lines([(start, y, lane, y), (lane, y, lane, ty), (lane, ty, tx + (tw / 2 if right else -tw / 2), ty)])
                _arrow_side(c, tx + (tw / 2 if right else -tw / 2), ty, right)
                _label(c, start + (2 if right else -16), y + 2, "Tidak")
            elif i in places:  # the target is on a page before: decision -> connector
                x, y, w, _, _ = places[i]
                cx, cy, side = _beside(ch, i, col, right, x, y, beside, busy)
                start, edge = x + side * w / 2, cx - side * CW / 2
                _elbow(c, start, y, edge, cy)
                _arrow_side(c, edge, cy, side < 0)
                _connector(c, cx, cy, ch.label(label))
                _label(c, start + (2 if side > 0 else -16), y + 2, "Tidak")
            else:  # the decision is on a page after: connector -> target
                tx, ty, tw, _, _ = places[target]
                cx, cy, side = _beside(ch, target, tcol, right, tx, ty, beside, busy)
                end, edge = tx + side * tw / 2, cx - side * CW / 2
                _elbow(c, edge, cy, end, ty)
                _arrow_side(c, end, ty, side > 0)
                _connector(c, cx, cy, ch.label(label))


def _beside(ch: _Chart, row: int, col: int, right: bool, x: float, y: float, taken: dict,
            busy: set) -> tuple[float, float, int]:
    """Where a return's off-page connector goes beside the symbol of `row` in lane `col`: the middle of the next lane
    on the return's side (the other side at the chart's edge or where a return on this page already runs level;
    inside the lane when there is only one), and a slot above or below when that place is taken. Also the side:
    1 right, -1 left."""
    n = len(ch.roles)
    side = 1 if right else -1
    if not 0 <= col + side < n and 0 <= col - side < n:
        side = -side
    elif (row, side) in busy and 0 <= col - side < n and (row, -side) not in busy:
        side = -side
    slot = taken.get((row, side), 0) + ((row, side) in busy)
    taken[(row, side)] = taken.get((row, side), 0) + 1
    if 0 <= col + side < n:
        cx = (ch.xs[2 + col + side] + ch.xs[3 + col + side]) / 2
    else:
        cx = x + side * (ch.widths[2 + col] / 2 - CW / 2 - 1)
    return cx, y + (0, 16, -16, 32, -32)[min(slot, 4)], side


def _elbow(c, x1, y1, x2, y2) -> None:
    """A line from (x1, y1) to (x2, y2): straight when level, else across, down (up) half way, and across."""
    if abs(y1 - y2) < 0.01:
        c.line(x1, y1, x2, y2)
        return
    middle = (x1 + x2) / 2
    c.lines([(x1, y1, middle, y1), (middle, y1, middle, y2), (middle, y2, x2, y2)])


def _connector(c, x, y, text: str) -> None:
    """The off-page connector: a pentagon pointing down, centred on (x, y), with its letter."""
    top, shoulder, bottom = y + CH / 2, y + CH / 2 - 9, y - CH / 2
    path = c.beginPath()
    path.moveTo(x - CW / 2, top)
    path.lineTo(x + CW / 2, top)
    path.lineTo(x + CW / 2, shoulder)
    path.lineTo(x, bottom)
    path.lineTo(x - CW / 2, shoulder)
    path.close()
    c.setFillColor(colors.white)
    c.drawPath(path, fill=1, stroke=1)
    c.setFont(S.BOLD, 6.5 if len(text) < 2 else 5)
    c.setFillColor(LINE)
    c.drawCentredString(x, shoulder + 1.5, text)


def _arrow_down(c, x, y) -> None:
    path = c.beginPath()
    path.moveTo(x, y)
    path.lineTo(x - 2.5, y + 5)
    path.lineTo(x + 2.5, y + 5)
    path.close()
    c.setFillColor(LINE)
    c.drawPath(path, fill=1, stroke=0)


def _arrow_side(c, x, y, from_right: bool) -> None:
    sign = 1 if from_right else -1
    path = c.beginPath()
    path.moveTo(x, y)
    path.lineTo(x + 5 * sign, y + 2.5)
    path.lineTo(x + 5 * sign, y - 2.5)
    path.close()
    c.setFillColor(LINE)
    c.drawPath(path, fill=1, stroke=0)


def _label(c, x, y, text) -> None:
    c.setFont(S.FONT, 6)
    c.setFillColor(LINE)
    c.drawString(x, y, text)
