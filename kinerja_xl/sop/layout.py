"""What a workbook built from a definition must contain: its sheets, and each name's sheet and shape.

`check` compares a workbook against this instead of trusting the workbook itself.
"""
from __future__ import annotations

from kinerja_xl.sop import names as N
from kinerja_xl.sop.model import Definition


def expected_sheets(d: Definition) -> list[str]:
    return [N.HOME_SHEET, N.SETTINGS_SHEET, *(s.sheet for s in d.steps), N.LOG_SHEET, N.CONF_SHEET, N.MAP_SHEET]


def expected_names(d: Definition) -> dict[str, tuple[str, int, int]]:
    """name -> (sheet, rows, columns)."""
    shapes = {N.META_FORMAT: (N.HOME_SHEET, 1, 1), N.META_SOP: (N.HOME_SHEET, 1, 1),
              N.META_XLWINGS: (N.HOME_SHEET, 1, 1), N.TURN: (N.HOME_SHEET, 1, 1),
              N.STATUS: (N.HOME_SHEET, len(d.steps), len(N.STATUS_COLUMNS)),
              N.YEAR: (N.SETTINGS_SHEET, 1, 1), N.QUARTER: (N.SETTINGS_SHEET, 1, 1),
              N.PERIOD_START: (N.SETTINGS_SHEET, 1, 1),
              N.OFFICIALS: (N.SETTINGS_SHEET, N.OFFICIAL_ROWS, len(N.OFFICIAL_COLUMNS)),
              N.STANDINS: (N.SETTINGS_SHEET, N.STANDIN_ROWS, len(N.STANDIN_COLUMNS)),
              N.OFF_DAYS: (N.SETTINGS_SHEET, N.OFF_DAY_ROWS, len(N.OFF_DAY_COLUMNS)),
              N.LOG: (N.LOG_SHEET, N.LOG_ROWS, len(N.LOG_COLUMNS))}
    for step in d.steps:
        shapes[N.record(step.no)] = (step.sheet, len(N.RECORD_COLUMNS), 1)
        shapes.update({f.name: (step.sheet, 1, 1) for f in step.fields})
        shapes.update({t.name: (step.sheet, d.rows_of(t), len(d.columns_of(t))) for t in step.tables})
        if "validate" in step.actions:
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
    if name == N.SIGNATURE:
        return f"Tanda tangan: {N.SIGNATURE_LABELS[r]}" if r < N.SIGNATURE_ROWS else "Tanda tangan"
    if name.startswith("aksi_"):
        return f"Catatan Aksi: {N.RECORD_COLUMNS[r]}" if r < len(N.RECORD_COLUMNS) else "Catatan Aksi"
    tables = {N.OFFICIALS: ("Pejabat", N.OFFICIAL_COLUMNS), N.STANDINS: ("Plh./Plt.", N.STANDIN_COLUMNS),
              N.OFF_DAYS: ("Hari libur", N.OFF_DAY_COLUMNS)}
    if name in tables:
        title, columns = tables[name]
        return f"{title}: {columns[c]}, baris {r + 1}"
    return {N.YEAR: "Tahun", N.QUARTER: "Triwulan", N.PERIOD_START: "Tanggal mulai periode"}.get(name, name)
