"""The Bagan Alir of PermenPAN-RB 35/2012 (SOP AP format): No, Kegiatan, one column per pelaksana holding the
flowchart symbols (terminator for the first and last step, process, decision with its return arrow), Mutu Baku
(Kelengkapan, Waktu, Output) and Keterangan. Drawn as one flowable on a landscape page."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from kinerja_xl.domain.definition import Definition, Step
from kinerja_xl.export import pdf_style as S

SIZE = 7.5
LINE = colors.black


class BaganAlir(Flowable):
    def __init__(self, d: Definition, avail: float):
        super().__init__()
        self.d, self.avail = d, avail
        self.roles = d.lanes
        lane = 70
        fixed = {"No": 22, "Kelengkapan": 95, "Waktu": 50, "Output": 110, "Keterangan": 90}
        kegiatan = avail - sum(fixed.values()) - lane * len(self.roles)
        self.widths = [fixed["No"], kegiatan] + [lane] * len(self.roles) + [fixed[k] for k in
                                                                           ("Kelengkapan", "Waktu", "Output", "Keterangan")]
        self.cells = [self._texts(step) for step in d.steps]
        self.head2 = [S.para(d.role(r).label, SIZE, bold=True, align=S.CENTER) for r in self.roles] + \
            [S.para(t, SIZE, bold=True, align=S.CENTER) for t in ("Kelengkapan", "Waktu", "Output")]
        self.heights = [max([46] + [p.wrap(w - 2 * S.PAD, 1000)[1] + 2 * S.PAD for p, w in zip(row, self._text_widths())])
                        for row in self.cells]
        if d.steps[-1].returns:
            self.heights[-1] = max(self.heights[-1], 80)  # the decision and the end below it
        mutu = self.widths[2 + len(self.roles):5 + len(self.roles)]
        self.h2 = max(p.wrap(w - 2 * S.PAD, 1000)[1] for p, w in zip(self.head2, self.widths[2:2 + len(self.roles)] + mutu)) + 2 * S.PAD
        self.h1 = 16

    def _texts(self, step: Step) -> list:
        note = "; ".join(f"Bila tidak sesuai, dikembalikan ke langkah {b.to}" for b in step.returns)
        values = [step.no, step.activity, step.documents, step.time.label if step.time else "", step.output, note]
        return [S.para(v, SIZE, align=S.CENTER if i in (0, 3) else 0) for i, v in enumerate(values)]

    def _text_widths(self) -> list[float]:
        n = len(self.roles)
        return [self.widths[0], self.widths[1]] + self.widths[2 + n:]

    def wrap(self, avail_w, avail_h):
        return self.avail, self.h1 + self.h2 + sum(self.heights)

    def draw(self) -> None:
        c = self.canv
        total = self.h1 + self.h2 + sum(self.heights)
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        n = len(self.roles)
        c.setLineWidth(0.6)
        c.setStrokeColor(S.GRID)
        self._header(xs, total, n)
        y = total - self.h1 - self.h2
        tops = []
        for row, height in zip(self.cells, self.heights):
            tops.append(y)
            c.line(0, y - height, self.avail, y - height)
            text_x = [xs[0], xs[1]] + xs[2 + n:-1]
            for p, x, w in zip(row, text_x, self._text_widths()):
                _, h = p.wrap(w - 2 * S.PAD, 1000)
                p.drawOn(c, x + S.PAD, y - S.PAD - h)
            y -= height
        for x in xs:
            c.line(x, 0, x, total if x in (xs[0], xs[1], xs[-1], xs[-2], xs[2], xs[2 + n]) else total - self.h1)
        _symbols(c, self.d, self.roles, xs, tops, self.heights)

    def _header(self, xs, total, n) -> None:
        c = self.canv
        c.line(0, total, self.avail, total)
        c.line(xs[2], total - self.h1, xs[2 + n + 3], total - self.h1)
        c.line(0, total - self.h1 - self.h2, self.avail, total - self.h1 - self.h2)
        spans = [("No", xs[0], xs[1], True), ("Kegiatan", xs[1], xs[2], True), ("Pelaksana", xs[2], xs[2 + n], False),
                 ("Mutu Baku", xs[2 + n], xs[5 + n], False), ("Keterangan", xs[5 + n], xs[6 + n], True)]
        for text, left, right, tall in spans:
            p = S.para(text, SIZE, bold=True, align=S.CENTER)
            _, h = p.wrap(right - left - 2 * S.PAD, 100)
            middle = total - (self.h1 + self.h2) / 2 if tall else total - self.h1 / 2
            p.drawOn(c, left + S.PAD, middle - h / 2)
        for p, left, right in zip(self.head2, xs[2:2 + n] + xs[2 + n:5 + n], xs[3:3 + n] + xs[3 + n:6 + n]):
            _, h = p.wrap(right - left - 2 * S.PAD, 100)
            p.drawOn(c, left + S.PAD, total - self.h1 - self.h2 / 2 - h / 2)


def _symbols(c, d: Definition, roles, xs, tops, heights) -> None:
    c.setStrokeColor(LINE)
    c.setLineWidth(0.9)
    last = len(d.steps) - 1
    places = []
    for i, step in enumerate(d.steps):
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
        places.append((x, y, w, h, col))
    for i in range(last):
        (x1, y1, _, h1, _), (x2, y2, _, h2, _) = places[i], places[i + 1]
        middle = tops[i + 1] + 6 if places[i][4] != places[i + 1][4] else y2 + h2 / 2
        c.lines([(x1, y1 - h1 / 2, x1, middle), (x1, middle, x2, middle), (x2, middle, x2, y2 + h2 / 2)])
        _arrow_down(c, x2, y2 + h2 / 2)
        if d.steps[i].returns:
            _label(c, x1 + 3, y1 - h1 / 2 - 8, "Ya")
    if d.steps[last].returns:
        x, y, w, h, _ = places[last]
        end = tops[last] - heights[last] + 14
        c.line(x, y - h / 2, x, end + 7)
        _arrow_down(c, x, end + 7)
        c.roundRect(x - w / 3, end - 7, 2 * w / 3, 14, 7)
        _label(c, x + 3, y - h / 2 - 8, "Ya")
    _returns(c, d, places)


def _returns(c, d: Definition, places) -> None:
    """Each return from its decision to the step it goes back to, along the target symbol's outer side."""
    used: dict[int, int] = {}
    for i, step in enumerate(d.steps):
        for button in step.returns:
            x, y, w, h, col = places[i]
            tx, ty, tw, th, tcol = places[button.to - 1]
            used[button.to] = used.get(button.to, 0) + 1
            right = tcol >= col
            lane = tx + (tw / 2 + 5 * used[button.to]) * (1 if right else -1)
            start = x + (w / 2 if right else -w / 2)
            c.lines([(start, y, lane, y), (lane, y, lane, ty), (lane, ty, tx + (tw / 2 if right else -tw / 2), ty)])
            _arrow_side(c, tx + (tw / 2 if right else -tw / 2), ty, right)
            _label(c, start + (2 if right else -16), y + 2, "Tidak")


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
