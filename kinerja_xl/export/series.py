"""Capaian per indicator, read once for the charts of the xlsx and the PDF."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kinerja_xl.domain.definition import Definition, Table
from kinerja_xl.domain.inputs import filled_rows


@dataclass(frozen=True)
class Point:
    label: str     # "1. Persentase rapat DPRD ..."
    value: float   # capaian in %


def indicator_points(d: Definition, blocks) -> list[tuple[Table, list[Point]]]:
    """Each indicator table with the rows whose capaian is a number (a reason text has no bar)."""
    out = []
    for table in d.tables:
        if table.kind != "indikator":
            continue
        columns = d.columns_of(table)
        cap = next((i for i, c in enumerate(columns) if c.type == "capaian"), None)
        if cap is None:
            continue
        key = next((i for i, c in enumerate(columns) if c.name == table.key), None)
        texts = [i for i, c in enumerate(columns) if c.type == "teks" and i != key]
        name = next((i for i in texts if "indikator" in columns[i].label.lower()), texts[0] if texts else None)
        block, points = blocks[table.name], []
        for r in filled_rows(d, table, block):
            row = block.values[r]
            value = row[cap]
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                parts = [str(row[i]) for i in (key, name) if i is not None and row[i] is not None]
                no = parts[0].removesuffix(".0") if key is not None and parts else ""
                label = ". ".join([no] + parts[1:]) if no else " ".join(parts)
                points.append(Point(label, float(value)))
        out.append((table, points))
    return out
