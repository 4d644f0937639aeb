"""The recap as an xlsx: the recap table, a native Excel line chart of capaian per period, and the three tables
regencies copy: the PK lampiran, the Permendagri 86/2017 Renja evaluation form and the LKjIP capaian table.

Realisasi is cumulative (the definition's realisasi column per period), so "Realisasi Capaian" of the year is
the last period's figure. A figure taken from a later export, because the period's own export is not archived,
is marked with an asterisk in the recap sheet.
"""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

from kinerja_xl.adapters import sheet_style as style
from kinerja_xl.domain.recap import RecapRow

BAND_FILLS = {"merah": style.RED_FILL, "kuning": style.YELLOW_FILL, "hijau": style.GREEN_FILL}
PK_COLUMNS = ("No", "Sasaran", "Indikator", "Target")
LKJIP_COLUMNS = ("Indikator", "Satuan", "Target", "Realisasi", "Capaian %")
MAX_CHARTS = 60   # one chart per OPD and year; a regency of 40 OPDs fits


def recap_bytes(rows: list[RecapRow], labels: tuple[str, ...], unit: str) -> bytes:
    wb = openpyxl.Workbook()
    _recap_sheet(wb.active, rows, labels, unit)
    _chart_sheet(wb.create_sheet("Grafik Tren"), rows, labels, unit)
    _grouped(wb.create_sheet("PK Lampiran"), "Lampiran Perjanjian Kinerja", PK_COLUMNS, rows,
             lambda r: [r.key, r.sasaran, r.indikator, _num(r.target)], (6, 40, 50, 12))
    renja = ("No", "Sasaran", "Indikator Kinerja", "Satuan", "Target Renja (K)",
             *(f"Realisasi Kinerja {unit.capitalize()} {p} (K)" for p in labels),
             "Realisasi Capaian (K)", "Tingkat Capaian (%)")
    _grouped(wb.create_sheet("Evaluasi Renja"), "Evaluasi Hasil Renja (Permendagri 86/2017)", renja, rows,
             lambda r: [r.key, r.sasaran, r.indikator, r.satuan, _num(r.target),
                        *(_num(q.realisasi) for q in r.quarters), _num(_year_figure(r)), _num(r.result)],
             (6, 30, 40, 10, 12, *(12 for _ in labels), 12, 12))
    _grouped(wb.create_sheet("Capaian LKjIP"), "Capaian Kinerja (LKjIP)", LKJIP_COLUMNS, rows,
             lambda r: [r.indikator, r.satuan, _num(r.target), _num(_year_figure(r)), _num(r.result)],
             (50, 12, 12, 12, 12))
    for ws in wb.worksheets:
        style.print_setup(ws, "Rekap Kinerja", landscape=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def recap_columns(labels: tuple[str, ...], unit: str) -> tuple[str, ...]:
    per = [f"{what} {unit.capitalize()} {p}" for p in labels for what in ("Realisasi", "Capaian (%)")]
    return ("OPD", "SOP", "Tahun", "No", "Sasaran", "Indikator", "Satuan", "Arah", "Target", *per,
            "Capaian Tahun (%)", "Capaian Tahun Lalu (%)", "Kategori", "Tren")


def recap_values(r: RecapRow) -> list:
    per = []
    for k, q in enumerate(r.quarters):
        mark = "*" if q.source is not None and q.source != k else ""
        value = _num(q.realisasi)
        per += [f"{value}{mark}" if mark and value is not None else value, _num(q.capaian)]
    return [r.opd, r.sop, r.year, r.key, r.sasaran, r.indikator, r.satuan, r.arah, _num(r.target), *per,
            _num(r.result), _num(r.last_year), r.band, r.trend]


def _recap_sheet(ws, rows: list[RecapRow], labels, unit: str) -> None:
    ws.title = "Rekap"
    ws.cell(1, 1, f"Rekap Capaian Kinerja per Indikator ({unit})").font = style.TITLE
    ws.cell(2, 1, "* realisasi diambil dari ekspor periode berikutnya (ekspor periode itu tidak ada di arsip)")
    header = recap_columns(labels, unit)
    style.header_row(ws, 4, 1, header)
    band_at = header.index("Kategori") + 1
    for n, r in enumerate(rows, 5):
        for c, value in enumerate(recap_values(r), 1):
            ws.cell(n, c, value)
        if r.band:
            ws.cell(n, band_at).fill = BAND_FILLS[r.band]
    for c, width in enumerate((30, 16, 7, 5, 30, 40, 9, 7, 9), 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A5"


def _chart_sheet(ws, rows: list[RecapRow], labels, unit: str) -> None:
    """Per OPD and year: a block of capaian (periods down, indicators across) and its line chart beside it."""
    ws.cell(1, 1, f"Tren Capaian per {unit.capitalize()}").font = style.TITLE
    groups: dict[tuple, list[RecapRow]] = {}
    for r in rows:
        groups.setdefault((r.opd, r.sop, r.year), []).append(r)
    top = 3
    for n, ((opd, _sop, year), group) in enumerate(groups.items()):
        if n >= MAX_CHARTS:
            ws.cell(top, 1, f"Grafik dibatasi {MAX_CHARTS}; saring dengan --opd atau --tahun untuk yang lain.")
            break
        ws.cell(top, 1, f"{opd} — {year}").font = style.BOLD
        style.header_row(ws, top + 1, 1, [unit.capitalize(), *(f"{r.key}. {r.indikator}"[:60] for r in group)])
        for k, label in enumerate(labels):
            ws.cell(top + 2 + k, 1, label)
            for c, r in enumerate(group, 2):
                ws.cell(top + 2 + k, c, _num(r.quarters[k].capaian) if k < len(r.quarters) else None)
        chart = LineChart()
        chart.title = f"Capaian (%) — {opd} {year}"[:120]
        chart.y_axis.title, chart.x_axis.title = "Capaian (%)", unit.capitalize()
        last = top + 1 + len(labels)
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(group), min_row=top + 1, max_row=last),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 2, max_row=last))
        chart.width, chart.height = 24, 11
        ws.add_chart(chart, f"{get_column_letter(len(group) + 3)}{top}")
        top = max(last, top + 22) + 2
    ws.column_dimensions["A"].width = 14


def _grouped(ws, title: str, header, rows: list[RecapRow], values, widths) -> None:
    """One table per OPD and year (a title row above each), as each OPD's own document would have it."""
    ws.cell(1, 1, title).font = style.TITLE
    row, seen = 3, None
    for r in rows:
        if (r.opd, r.year) != seen:
            if seen is not None:
                row += 1
            seen = (r.opd, r.year)
            ws.cell(row, 1, f"{r.opd} — Tahun {r.year}").font = style.BOLD
            style.header_row(ws, row + 1, 1, header)
            row += 2
        for c, value in enumerate(values(r), 1):
            ws.cell(row, c, value).alignment = style.WRAP
        row += 1
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width


def _year_figure(r: RecapRow) -> Decimal | None:
    return r.quarters[r.result_period].realisasi if r.result_period is not None else None


def _num(value: Decimal | None):
    """Whole numbers as int, others as float: Excel stores doubles; 97.78 stays 97.78."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
