"""Derived cells of indicator tables: capaian per row, and mirror tables that show them to reviewers."""
from __future__ import annotations

from decimal import Decimal

from kinerja_xl.core import capaian
from kinerja_xl.core.inputs import blank, filled_rows
from kinerja_xl.core.blocks import Block
from kinerja_xl.core.values import InvalidValue, parse_number
from kinerja_xl.sop.model import Definition, Table

QUARTER_COLUMNS = {"I": "realisasi_tw1", "II": "realisasi_tw2", "III": "realisasi_tw3", "IV": "realisasi_tw4"}


def realisation_column(table: Table, quarter: str | None) -> str | None:
    """Capaian uses the realisasi of the period's triwulan (cumulative), or a plain `realisasi` column."""
    names = {c.name for c in table.columns}
    wanted = QUARTER_COLUMNS.get(quarter or "")
    if wanted in names:
        return wanted
    return "realisasi" if "realisasi" in names else None


def with_capaian(d: Definition, table: Table, rows: list[list], quarter: str | None) -> list[list]:
    """`rows` with the capaian column filled: a percentage, or the reason it cannot be computed."""
    columns = [c.name for c in d.columns_of(table)]
    if "capaian" not in columns:
        return rows
    where = {name: i for i, name in enumerate(columns)}
    realised = realisation_column(table, quarter)
    block = Block("", 1, 1, tuple(tuple(r) for r in rows))
    filled = set(filled_rows(d, table, block))
    out = [list(r) for r in rows]
    for r, row in enumerate(out):
        if r not in filled:
            row[where["capaian"]] = None
            continue
        if realised is None:
            row[where["capaian"]] = "triwulan periode belum diisi di Pengaturan"
            continue
        result = capaian.compute(_number(row[where["target"]]), _number(row[where[realised]]),
                                 str(row[where["arah"]] or "").strip().lower(), d.capaian_rules)
        row[where["capaian"]] = float(result.value) if result.value is not None else result.reason
    return out


def _number(value) -> Decimal | None:
    if blank(value):
        return None
    try:
        return parse_number(value, allow_negative=True)
    except InvalidValue:
        return None


def mirror_rows(d: Definition, mirror: Table, source_rows: list[list], current: list[list]) -> list[list]:
    """The mirror's copied columns from the source's filled rows; its own columns stay as typed."""
    source = d.table(mirror.mirror)
    index = {c.name: i for i, c in enumerate(d.columns_of(source))}
    block = Block("", 1, 1, tuple(tuple(r) for r in source_rows))
    filled = filled_rows(d, source, block)
    width = len(mirror.mirror_columns)
    out = [list(r) for r in current]
    for r, row in enumerate(out):
        if r < len(filled):
            row[:width] = [source_rows[filled[r]][index[name]] for name in mirror.mirror_columns]
        else:
            row[:width] = [None] * width
    return out
