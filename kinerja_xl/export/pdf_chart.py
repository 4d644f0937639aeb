"""Capaian per indicator as horizontal bars coloured by band, with the 100 % line: the layout of ReportLab's
HorizontalBarChart (category axis with its ticks on the left, value axis in steps of 20 % below, the value beside
each bar), drawn straight onto the canvas (`pdf_ink`): a chart widget costs milliseconds per bar, and an SOP
with thousands of indicators draws one chart per 30 of them."""
from __future__ import annotations

import math

from reportlab.lib import colors

from kinerja_xl.domain.definition import Definition
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_ink import Ink
from kinerja_xl.export.pdf_layout import Flowable
from kinerja_xl.export.pdf_tables import band
from kinerja_xl.export.series import Point
from kinerja_xl.export.texts import number_text

LABEL_CHARS = 60
BARS_PER_CHART = 30  # 30 bars of 14 pt and the axes fit an A4 landscape page; more indicators get more charts
BAR = 14             # points per indicator
THICK = BAR * 0.7 * BAR / (BAR * 0.7 + 5)  # a bar's thickness: 70 % of its row, less the 5-point gap between rows
HUNDRED = colors.HexColor("#1F4E78")


def capaian_charts(d: Definition, points: list[Point], avail: float) -> list[Flowable]:
    """One chart per page's worth of indicators: a drawing taller than the page cannot be laid out at all."""
    return [capaian_chart(d, points[i:i + BARS_PER_CHART], avail) for i in range(0, len(points), BARS_PER_CHART)]


def capaian_chart(d: Definition, points: list[Point], avail: float) -> Flowable:
    return CapaianChart([(_label(p), p.value, S.BAR_BANDS[band(d, p.value)]) for p in points], avail)


class CapaianChart(Flowable):
    """Bars (label, capaian %, colour), top to bottom in the indicators' order."""

    def __init__(self, bars: list[tuple[str, float, colors.Color]], avail: float):
        super().__init__()
        self.bars = bars
        self.width, self.height = avail, BAR * len(bars) + 40
        self.x0 = min(avail * 0.45, max(S.width(label, 7) for label, _, _ in bars) + 8)
        self.span = avail - self.x0 - 20
        self.top = max(120, math.ceil(max(value for _, value, _ in bars) / 20) * 20)

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        ink, x0, y0, n = Ink(self.canv), self.x0, 24, len(self.bars)
        scale = self.span / self.top
        for i, (label, value, colour) in enumerate(self.bars):
            middle = y0 + BAR * (n - i - 0.5)
            if value > 0:
                ink.rect(x0, middle - THICK / 2, value * scale, THICK, colour)
        for i, (label, _, _) in enumerate(self.bars):  # the labels, then the values: one font size at a time
            ink.text(x0 - 5 - S.width(label, 7), y0 + BAR * (n - i - 0.5) - 2.5, label, S.FONT, 7, colors.black)
        for i, (_, value, _) in enumerate(self.bars):
            ink.text(x0 + max(value, 0) * scale + 3, y0 + BAR * (n - i - 0.5) - 2.3, _bar_label(value), S.FONT, 6.5,
                     colors.black)
        for step in range(0, self.top + 1, 20):
            text = f"{step} %"
            ink.text(x0 + step * scale - S.width(text, 7) / 2, y0 - 12, text, S.FONT, 7, colors.black)
        hundred = x0 + 100 * scale
        ink.text(hundred + 2, y0 + BAR * n + 6, "100 %", S.BOLD, 7, colors.black)
        ticks = [(x0 - 5, y0 + BAR * i, x0, y0 + BAR * i) for i in range(n + 1)]
        ticks += [(x0 + step * scale, y0, x0 + step * scale, y0 - 5) for step in range(0, self.top + 1, 20)]
        ink.lines([(x0, y0, x0, y0 + BAR * n), (x0, y0, x0 + self.span, y0)] + ticks, colors.black, 1)
        ink.lines([(hundred, y0 - 2, hundred, y0 + BAR * n + 4)], HUNDRED, 1, "[3 2] 0")
        ink.done()


def _bar_label(value: float) -> str:
    return number_text(round(value, 2)) + " %"


def _label(p: Point) -> str:
    return p.label if len(p.label) <= LABEL_CHARS else p.label[:LABEL_CHARS - 1] + "…"
