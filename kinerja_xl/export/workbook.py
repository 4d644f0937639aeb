"""The exported workbook: values only, no formulas, no VBA, protected, ready to print on A4.

Written by `xlsx_writer` row by row (no openpyxl: an export is mostly this file's cells)."""
from __future__ import annotations

import datetime as dt

from kinerja_xl.domain import audit, status
from kinerja_xl.domain.inputs import blank, filled_rows
from kinerja_xl.domain.settings import PERIOD_LABELS
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.export import xlsx_styles as S, xlsx_writer as X
from kinerja_xl.export.record import step_records
from kinerja_xl.export.texts import period_text, time_text
from kinerja_xl.export.xlsx_chart import capaian_sheet

DURATION_COLUMNS = ("No", "Kegiatan", "Standar Waktu", "Mulai", "Selesai", "Hari Aktual", "Keterangan")
DEFAULT_WIDTH = 13  # what a column without a width is taken to be when fitting row heights


def result_workbook(d: Definition, ctx, now: dt.datetime, draft: bool) -> X.Book:
    """The package is stamped with the export clock `now`: the same period and clock give the same bytes."""
    number = d.header.number.replace("&", "&&")  # a lone & starts a header code
    header = f"&L{number}" + ("&C&20DRAFT" if draft else "") + "&R&A"
    book = X.Book(now, header, "&CHalaman &P dari &N")
    _summary(book.sheet("Ringkasan", (24, 40, 16, 14, 20, 18, 18, 18, 26)), d, ctx, now, draft)
    for step in d.steps:
        _step(book, d, ctx, step)
    _log(book.sheet(N.LOG_SHEET, (5, 24, 12, 22, 22, 16, 16, 10, 8, 26, 20, 20, 20)), d, ctx.entries)
    capaian_sheet(book, d, ctx.blocks, period_text(d, ctx.settings))
    return book


def _put(ws: X.Sheet, row: int, values, bold: bool = False, per_line: list[int] | None = None,
         styles: list[int] = ()) -> int:
    """One row of values; the row is made tall enough for its longest wrapped text (no reader auto-fits).
    `per_line`: characters per wrapped line of each column, when the caller writes many rows; `styles`: the
    style of each column (wrapped with a number format), else wrapped."""
    per_line = per_line or _per_line(ws, len(values))
    values = [_plain(v) if isinstance(v, dt.date) else v for v in values]
    lines = 1
    for c, value in enumerate(values):
        if value is not None:
            lines = max(lines, -(-len(value if value.__class__ is str else str(value)) // per_line[c]))
    if bold:
        styles = S.WRAP_BOLD
    elif len(styles) != len(values):
        styles = [styles[c] if c < len(styles) else S.WRAP for c in range(len(values))]
    ws.row(row, values, styles, 15 * min(lines, 8))
    return row + 1


def _per_line(ws: X.Sheet, columns: int) -> list[int]:
    """A column without a width gets the one its rows' heights are fitted to."""
    ws.widths += [DEFAULT_WIDTH] * (columns - len(ws.widths))
    return [max(int(w) - 2, 6) for w in ws.widths[:columns]]


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


def _summary(ws: X.Sheet, d: Definition, ctx, now, draft: bool) -> None:
    h = d.header
    ws.row(1, (("DRAFT — " if draft else "") + h.chart_title,), S.TITLE)
    row = 3
    for label, value in (("Satuan Kerja", h.unit), ("Nomor SOP", h.number), ("Nama SOP", h.name),
                         ("Tahun", ctx.settings.year), (PERIOD_LABELS[h.period_unit], ctx.settings.period),
                         ("Dicetak", f"{now:%d-%m-%Y %H:%M} {h.zone}")):
        row = _put(ws, row, (label, value))
    status_rows = status.rows(d, ctx.state, ctx.entries, ctx.settings, now)  # from the log, never copied from cells
    row = _table(ws, row + 1, "Status Pelaksanaan", N.STATUS_COLUMNS, status_rows)
    row = _table(ws, row + 1, "Durasi per Langkah", DURATION_COLUMNS, _durations(d, ctx))
    validated = next((e for e in reversed(ctx.entries) if e.action_id == "validate"), None)
    ws.row(row + 1, ("Tanda Tangan",), S.BOLD)
    row += 2
    for line in (r[0] for r in ctx.blocks[N.SIGNATURE].values):
        row = _put(ws, row, ("", line))
    stamp = time_text(d, validated.time) if validated else "belum divalidasi (DRAFT)"
    row = _put(ws, row + 1, ("Waktu validasi", stamp))
    rows, head = audit.head(ctx.entries)
    _put(ws, row, ("Kepala log (anchor)", f"{rows}:{head}"))


def _table(ws: X.Sheet, row: int, title: str, header, rows, styles=()) -> int:
    """`styles`: a number format's style per column (rupiah, whole numbers), for every row written."""
    ws.row(row, (title,), S.BOLD)
    ws.row(row + 1, header, S.HEADER)
    row += 2
    per_line = _per_line(ws, len(header))
    for values in rows:
        row = _put(ws, row, values, per_line=per_line, styles=styles)
    return row


def _durations(d: Definition, ctx) -> list[list]:
    """Every round of a returned step counts (`export.record`); each round is judged against the standard."""
    out = []
    for r in step_records(d, ctx.entries, ctx.settings):
        standard = r.step.time.label if r.step.time else "tanpa standar"
        verdict = r.verdict + (f" ({len(r.rounds)} putaran)" if len(r.rounds) > 1 and r.verdict else "")
        out.append([r.step.no, r.step.activity, standard, r.started, r.ended, r.duration, verdict])
    return out


def _step(book: X.Book, d: Definition, ctx, step) -> None:
    widest = max((d.columns_of(t) for t in step.tables), key=len, default=())
    ws = book.sheet(step.sheet, [max(24 if i == 0 else 0, c.width, 10) for i, c in enumerate(widest)] or (24, 60))
    ws.row(1, (f"Langkah {step.no}: {step.activity}",), S.TITLE)
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
                     [S.WRAP_NUMBER.get(c.type, S.WRAP) for c in columns])
    if step.signs:
        row = _put(ws, row + 1, ("Tanda Tangan", ""), bold=True)
        for line in (r[0] for r in ctx.blocks[N.SIGNATURE].values if not blank(r[0])):
            row = _put(ws, row, ("", line))


def _log(ws: X.Sheet, d: Definition, entries) -> None:
    columns = N.log_columns(d.header.zone)
    ws.row(1, columns, S.HEADER)
    per_line = _per_line(ws, len(columns))
    for r, entry in enumerate(entries, 2):
        _put(ws, r, entry.row(), per_line=per_line)
