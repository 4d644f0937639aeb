"""How staff call the cells of a workbook built from a definition, for messages."""
from __future__ import annotations

from kinerja_xl.domain import names as N
from kinerja_xl.domain.data_entry import setting_fields, setting_tables
from kinerja_xl.domain.definition import Definition


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
