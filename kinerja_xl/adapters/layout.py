"""What a workbook built from a definition must contain: its sheets, and each name's sheet and shape.

`check` compares a workbook against this instead of trusting the workbook itself.
"""
from __future__ import annotations

from kinerja_xl.domain import names as N
from kinerja_xl.domain.data_entry import setting_fields, setting_tables
from kinerja_xl.domain.definition import Definition


def expected_sheets(d: Definition) -> list[str]:
    return [N.HOME_SHEET, N.SETTINGS_SHEET, *(s.sheet for s in d.steps), N.LOG_SHEET, N.CONF_SHEET, N.DEFINITION_SHEET,
            N.MAP_SHEET]


def expected_names(d: Definition, definition_cells: int) -> dict[str, tuple[str, int, int]]:
    """name -> (sheet, rows, columns)."""
    one = (N.HOME_SHEET, 1, 1)
    shapes = {N.META_FORMAT: one, N.META_SOP: one, N.META_XLWINGS: one, N.META_DEFINITION_HASH: one, N.TURN: one,
              N.META_DEFINITION: (N.DEFINITION_SHEET, definition_cells, 1),
              N.STATUS: (N.HOME_SHEET, len(d.steps), len(N.STATUS_COLUMNS)),
              N.YEAR: (N.SETTINGS_SHEET, 1, 1), N.PERIOD: (N.SETTINGS_SHEET, 1, 1),
              N.PERIOD_START: (N.SETTINGS_SHEET, 1, 1), N.PLACE: (N.SETTINGS_SHEET, 1, 1),
              N.OFFICIALS: (N.SETTINGS_SHEET, N.OFFICIAL_ROWS, len(N.OFFICIAL_COLUMNS)),
              N.STANDINS: (N.SETTINGS_SHEET, N.STANDIN_ROWS, len(N.STANDIN_COLUMNS)),
              N.OFF_DAYS: (N.SETTINGS_SHEET, N.OFF_DAY_ROWS, len(N.OFF_DAY_COLUMNS)),
              N.LOG: (N.LOG_SHEET, N.LOG_ROWS, len(N.log_columns(d.header.zone))),
              N.META_CONF: (N.CONF_SHEET, len(N.XLWINGS_CONF), 2)}
    for step in d.steps:
        shapes[N.record(step.no)] = (step.sheet, N.RECORD_ROWS, 1)
        shapes.update({f.name: (step.sheet, 1, 1) for f in step.fields})
        shapes.update({t.name: (step.sheet, d.rows_of(t), len(d.columns_of(t))) for t in step.tables})
        shapes.update({t.total_name: (step.sheet, 1, len(t.columns)) for t in step.tables if t.totals})
        if step.signs:
            shapes[N.SIGNATURE] = (step.sheet, N.SIGNATURE_ROWS, 1)
    return shapes


def cell_label(d: Definition, name: str, r: int, c: int) -> str:
    """How staff call a cell of a named block, for messages: the field label, or column and row of a table."""
    for step in d.steps:
        for f in step.fields:
            if f.name == name:
                return f.label
        for t in step.tables:
            if t.name == name:
                columns = d.columns_of(t)
                return f"{columns[c].label}, baris {r + 1} {t.label}" if c < len(columns) else t.label
            if t.totals and t.total_name == name:
                return f"Jumlah {t.label}"
    if name == N.SIGNATURE:
        return f"Tanda tangan: {N.SIGNATURE_LABELS[r]}" if r < N.SIGNATURE_ROWS else "Tanda tangan"
    if name.startswith("aksi_"):
        labels = N.record_columns(d.header.zone)
        return f"Catatan Aksi: {labels[r]}" if r < len(labels) else "Catatan Aksi"
    tables = setting_tables()
    if name in tables:
        columns = tables[name].columns
        return f"{tables[name].label}: {columns[c].label if c < len(columns) else ''}, baris {r + 1}"
    fields = setting_fields(d)
    return fields[name].label if name in fields else name
