"""Capaian per indicator as horizontal bars coloured by band, with the 100 % line."""
from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

from kinerja_xl.domain.definition import Definition
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_tables import band
from kinerja_xl.export.series import Point
from kinerja_xl.export.texts import number_text

LABEL_CHARS = 60
BARS_PER_CHART = 30  # 30 bars of 14 pt and the axes fit an A4 landscape page; more indicators get more charts


def capaian_charts(d: Definition, points: list[Point], avail: float) -> list[Drawing]:
    """One chart per page's worth of indicators: a drawing taller than the page cannot be laid out at all."""
    return [capaian_chart(d, points[i:i + BARS_PER_CHART], avail) for i in range(0, len(points), BARS_PER_CHART)]


def capaian_chart(d: Definition, points: list[Point], avail: float) -> Drawing:
    S.fonts()
    bar = 14
    label_w = min(avail * 0.45, max(S.width(_label(p), 7) for p in points) + 8)
    height = bar * len(points) + 40
    drawing = Drawing(avail, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = label_w, 24, avail - label_w - 20, bar * len(points)
    chart.data = [[p.value for p in reversed(points)]]
    chart.categoryAxis.categoryNames = [_label(p) for p in reversed(points)]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = S.FONT, 7
    chart.categoryAxis.labels.boxAnchor = "e"
    top = max(120, math.ceil(max(p.value for p in points) / 20) * 20)
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, 20
    axis.labels.fontName, axis.labels.fontSize = S.FONT, 7
    axis.labelTextFormat = "%d %%"
    chart.barWidth = bar * 0.7
    chart.bars.strokeColor = None
    for i, p in enumerate(reversed(points)):
        chart.bars[(0, i)].fillColor = S.BAR_BANDS[band(d, p.value)]
    chart.barLabelFormat = _bar_label
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.boxAnchor = S.FONT, 6.5, "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    x = chart.x + chart.width * 100 / top
    drawing.add(Line(x, chart.y - 2, x, chart.y + chart.height + 4, strokeColor=colors.HexColor("#1F4E78"),
                     strokeWidth=1, strokeDashArray=[3, 2]))
    drawing.add(String(x + 2, chart.y + chart.height + 6, "100 %", fontName=S.BOLD, fontSize=7))
    return drawing


def _bar_label(value: float) -> str:
    return number_text(round(value, 2)) + " %"


def _label(p: Point) -> str:
    return p.label if len(p.label) <= LABEL_CHARS else p.label[:LABEL_CHARS - 1] + "…"
