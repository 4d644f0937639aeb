"""The exported workbook: values only, no formulas, no VBA, protected, ready to print on A4."""
from __future__ import annotations

import datetime as dt

import openpyxl
from openpyxl.styles.cell_style import StyleArray

from kinerja_xl.adapters import sheet_style as style
from kinerja_xl.domain import audit, status
from kinerja_xl.domain.inputs import blank, filled_rows
from kinerja_xl.domain.settings import PERIOD_LABELS
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.export.record import step_records
from kinerja_xl.export.texts import period_text, time_text
from kinerja_xl.export.xlsx_chart import capaian_sheet

DURATION_COLUMNS = ("No", "Kegiatan", "Standar Waktu", "Mulai", "Selesai", "Hari Aktual", "Keterangan")


def result_workbook(d: Definition, ctx, now: dt.datetime, draft: bool):
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    _summary(summary, d, ctx, now, draft)
    for step in d.steps:
        _step(wb.create_sheet(step.sheet), d, ctx, step)
    _log(wb.create_sheet(N.LOG_SHEET), d, ctx.entries)
    capaian_sheet(wb, d, ctx.blocks, period_text(d, ctx.settings))
    for ws in wb.worksheets:
        style.print_setup(ws, d.header.number, landscape=True)
        if draft:
            ws.oddHeader.center.text = "DRAFT"
            ws.oddHeader.center.size = 20
        ws.protection.sheet = True
    return wb


def _put(ws, row: int, values, bold: bool = False, per_line: list[int] | None = None) -> int:
    """One row of values; the row is made tall enough for its longest wrapped text (no reader auto-fits).
    `per_line`: characters per wrapped line of each column, when the caller writes many rows."""
    lines = 1
    wrap, strong = _style_ids(ws.parent)
    per_line = per_line or _per_line(ws, len(values))
    for c, value in enumerate(values, 1):
        cell = ws.cell(row, c, _plain(value))
        if cell.data_type == "f":  # a note that starts with '=' is text here too (see OpenpyxlBook.write)
            cell.data_type = "s"
        if cell._style is None:
            cell._style = StyleArray()
        cell._style.alignmentId = wrap  # by id: assigning cell.alignment looks the style up for every cell
        if bold:
            cell._style.fontId = strong
        if cell.value is not None:
            lines = max(lines, -(-len(str(cell.value)) // per_line[c - 1]))
    ws.row_dimensions[row].height = 15 * min(lines, 8)
    return row + 1


def _per_line(ws, columns: int) -> list[int]:
    widths = (ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 13 for c in range(1, columns + 1))
    return [max(int(w) - 2, 6) for w in widths]


def _style_ids(wb) -> tuple[int, int]:
    return wb._alignments.add(style.WRAP), wb._fonts.add(style.BOLD)


def _widths(ws, widths) -> None:
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width


def _plain(value):
    """Dates as Indonesian text so the export reads the same in every program. A date cell reads as a datetime
    at midnight from a fully loaded workbook and as a date elsewhere: both are the same day."""
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return value


def _summary(ws, d: Definition, ctx, now, draft: bool) -> None:
    h = d.header
    _widths(ws, (24, 40, 16, 14, 20, 18, 18, 18, 26))
    ws.cell(1, 1, ("DRAFT — " if draft else "") + h.chart_title).font = style.TITLE
    row = 3
    for label, value in (("Satuan Kerja", h.unit), ("Nomor SOP", h.number), ("Nama SOP", h.name),
                         ("Tahun", ctx.settings.year), (PERIOD_LABELS[h.period_unit], ctx.settings.period),
                         ("Dicetak", f"{now:%d-%m-%Y %H:%M} {h.zone}")):
        row = _put(ws, row, (label, value))
    status_rows = status.rows(d, ctx.state, ctx.entries, ctx.settings, now)  # from the log, never copied from cells
    row = _table(ws, row + 1, "Status Pelaksanaan", N.STATUS_COLUMNS, status_rows)
    row = _table(ws, row + 1, "Durasi per Langkah", DURATION_COLUMNS, _durations(d, ctx))
    validated = next((e for e in reversed(ctx.entries) if e.action_id == "validate"), None)
    ws.cell(row + 1, 1, "Tanda Tangan").font = style.BOLD
    row += 2
    for line in (r[0] for r in ctx.blocks[N.SIGNATURE].values):
        row = _put(ws, row, ("", line))
    stamp = time_text(d, validated.time) if validated else "belum divalidasi (DRAFT)"
    row = _put(ws, row + 1, ("Waktu validasi", stamp))
    rows, head = audit.head(ctx.entries)
    _put(ws, row, ("Kepala log (anchor)", f"{rows}:{head}"))


def _table(ws, row: int, title: str, header, rows, formats=()) -> int:
    """`formats`: a number format per column (rupiah, whole numbers), applied to every row written."""
    ws.cell(row, 1, title).font = style.BOLD
    style.header_row(ws, row + 1, 1, header)
    row += 2
    per_line = _per_line(ws, len(header))
    for values in rows:
        for c, fmt in enumerate(formats, 1):
            if fmt:
                ws.cell(row, c).number_format = fmt
        row = _put(ws, row, values, per_line=per_line)
    return row


def _durations(d: Definition, ctx) -> list[list]:
    """Every round of a returned step counts (`export.record`); each round is judged against the standard."""
    out = []
    for r in step_records(d, ctx.entries, ctx.settings):
        standard = r.step.time.label if r.step.time else "tanpa standar"
        verdict = r.verdict + (f" ({len(r.rounds)} putaran)" if len(r.rounds) > 1 and r.verdict else "")
        out.append([r.step.no, r.step.activity, standard, r.started, r.ended, r.duration, verdict])
    return out


def _step(ws, d: Definition, ctx, step) -> None:
    widest = max((d.columns_of(t) for t in step.tables), key=len, default=())
    _widths(ws, [max(24 if i == 0 else 0, c.width, 10) for i, c in enumerate(widest)] or (24, 60))
    ws.cell(1, 1, f"Langkah {step.no}: {step.activity}").font = style.TITLE
    row = _put(ws, 3, ("Kegiatan", step.activity))
    row = _put(ws, row, ("Pelaksana", d.role(step.role).label))
    for label, value in zip(N.record_columns(d.header.zone), (r[0] for r in ctx.blocks[N.record(step.no)].values)):
        row = _put(ws, row, (label, value))
    for f in step.fields:
        row = _put(ws, row, (f.label, ctx.blocks[f.name].value()))
    for table in step.tables:
        block = ctx.blocks[table.name]
        rows = [block.values[r] for r in filled_rows(d, table, block)]
        if table.totals:
            rows.append(ctx.blocks[table.total_name].values[0])
        columns = d.columns_of(table)
        row = _table(ws, row + 1, table.label, [c.label for c in columns], rows,
                     [style.NUMBER_FORMATS.get(c.type) for c in columns])
    if step.signs:
        row = _put(ws, row + 1, ("Tanda Tangan", ""), bold=True)
        for line in (r[0] for r in ctx.blocks[N.SIGNATURE].values if not blank(r[0])):
            row = _put(ws, row, ("", line))


def _log(ws, d: Definition, entries) -> None:
    _widths(ws, (5, 24, 12, 22, 22, 16, 16, 10, 8, 26, 20, 20, 20))
    columns = N.log_columns(d.header.zone)
    style.header_row(ws, 1, 1, columns)
    per_line = _per_line(ws, len(columns))
    for r, entry in enumerate(entries, 2):
        _put(ws, r, entry.row(), per_line=per_line)
