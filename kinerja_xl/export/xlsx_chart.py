"""The Grafik sheet of the exported xlsx: capaian per indicator as bars coloured by band, with the 100 % line."""
from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint

from kinerja_xl.adapters import sheet_style as style
from kinerja_xl.domain.definition import Definition
from kinerja_xl.export.series import indicator_points

COLOURS = {"merah": "C0504D", "kuning": "E3B505", "hijau": "4E9A3A"}


def capaian_sheet(wb, d: Definition, blocks, title: str) -> None:
    """Nothing when the SOP has no indicator with a computed capaian."""
    for table, points in indicator_points(d, blocks):
        if not points:
            continue
        ws = wb.create_sheet("Grafik", 1)
        ws.cell(1, 1, f"Grafik Capaian per Indikator — {title}").font = style.TITLE
        style.header_row(ws, 3, 1, ("Indikator", "Capaian (%)", "Garis 100 %"))
        for r, p in enumerate(points, 4):
            ws.cell(r, 1, p.label)
            ws.cell(r, 2, round(p.value, 2)).number_format = "0.00"
            ws.cell(r, 3, 100)
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 60, 14
        ws.column_dimensions["C"].width = 14
        last = 3 + len(points)
        bars = BarChart()
        bars.type, bars.title, bars.style = "col", f"Capaian per Indikator ({table.label})", 10
        bars.y_axis.title, bars.y_axis.scaling.min = "Capaian (%)", 0
        bars.add_data(Reference(ws, min_col=2, min_row=3, max_row=last), titles_from_data=True)
        bars.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
        for i, p in enumerate(points):
            point = DataPoint(idx=i)
            point.graphicalProperties.solidFill = COLOURS[_band(d, p.value)]
            bars.series[0].dPt.append(point)
        line = LineChart()
        line.add_data(Reference(ws, min_col=3, min_row=3, max_row=last), titles_from_data=True)
        line.series[0].graphicalProperties.line.solidFill = "1F4E78"
        line.series[0].graphicalProperties.line.dashStyle = "dash"
        bars += line
        bars.width, bars.height = 24, 12
        ws.add_chart(bars, f"A{last + 2}")
        return


def _band(d: Definition, value: float) -> str:
    return "merah" if value < d.red_below else "hijau" if value > d.green_above else "kuning"
