"""Cells the system computes: capaian per indicator row, total rows, and mirror tables for reviewers."""
from __future__ import annotations

from decimal import Decimal

from kinerja_xl.domain import capaian
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.definition import Definition, Table
from kinerja_xl.domain.inputs import blank, filled_rows, to_cell
from kinerja_xl.domain.values import InvalidValue, parse_amount, parse_number


def realisation_column(table: Table, period_index: int | None) -> str | None:
    """Capaian uses the realisasi of the period (cumulative), or the table's single realisasi column."""
    if len(table.realisations) == 1:
        return table.realisations[0]
    if period_index is None or period_index >= len(table.realisations):
        return None
    return table.realisations[period_index]


def with_capaian(d: Definition, table: Table, rows: list[list], period_index: int | None) -> list[list]:
    """`rows` with the capaian column filled: a percentage, or the reason it cannot be computed."""
    columns = [c.name for c in d.columns_of(table)]
    at = next((i for i, c in enumerate(d.columns_of(table)) if c.type == "capaian"), None)
    if table.kind != "indikator" or at is None:
        return rows
    where = {name: i for i, name in enumerate(columns)}
    realised = realisation_column(table, period_index)
    filled = set(filled_rows(d, table, Block("", 1, 1, tuple(tuple(r) for r in rows))))
    out = [list(r) for r in rows]
    for r, row in enumerate(out):
        if r not in filled:
            row[at] = None
        elif realised is None:
            row[at] = "periode belum diisi di Pengaturan"
        else:
            result = capaian.compute(_number(row[where[table.target]]), _number(row[where[realised]]),
                                     str(row[where[table.direction]] or "").strip().lower(), d.capaian_rules)
            row[at] = float(result.value) if result.value is not None else result.reason
    return out


def _number(value) -> Decimal | None:
    if blank(value):
        return None
    try:
        return parse_number(value, allow_negative=True)
    except InvalidValue:
        return None


def totals(d: Definition, table: Table, rows: list[list]) -> list[list]:
    """The total row under an item table: the sum of each total column, a label in the first column."""
    columns = d.columns_of(table)
    out: list = [None] * len(columns)
    for c, column in enumerate(columns):
        if column.name in table.totals:
            out[c] = to_cell(sum((_amount(row[c]) for row in rows), Decimal(0)))
    if columns and columns[0].name not in table.totals:
        out[0] = "Jumlah"
    return [out]


def _amount(value) -> Decimal:
    if blank(value):
        return Decimal(0)
    try:
        return parse_amount(value) or Decimal(0)
    except InvalidValue:
        return Decimal(0)


def mirror_rows(d: Definition, mirror: Table, source_rows: list[list], current: list[list]) -> list[list]:
    """The mirror's copied columns from the source's filled rows; its own columns stay as typed."""
    source = d.table(mirror.mirror)
    index = {c.name: i for i, c in enumerate(d.columns_of(source))}
    filled = filled_rows(d, source, Block("", 1, 1, tuple(tuple(r) for r in source_rows)))
    width = len(mirror.mirror_columns)
    out = [list(r) for r in current]
    for r, row in enumerate(out):
        if r < len(filled):
            row[:width] = [source_rows[filled[r]][index[name]] for name in mirror.mirror_columns]
        else:
            row[:width] = [None] * width
    return out


def derive(d: Definition, writes: dict[str, list[list]], blocks: dict[str, Block], period_index: int | None) -> dict:
    """`writes` with every cell computed from them: capaian, totals, and the mirrors of written tables."""
    out = dict(writes)
    for table in d.tables:
        if table.name in out and table.kind == "indikator":
            out[table.name] = with_capaian(d, table, out[table.name], period_index)
        if table.name in out and table.totals:
            out[table.total_name] = totals(d, table, out[table.name])
    for mirror in d.tables:
        if mirror.kind == "cermin" and mirror.mirror in out:
            out[mirror.name] = mirror_rows(d, mirror, out[mirror.mirror], [list(r) for r in blocks[mirror.name].values])
    return out
