"""Which cells stay editable: the current step's inputs (and Pengaturan before the period starts).

Everything else is locked. Sheet protection is only a convenience against slips;
the hash-chained log is what proves nothing changed.
"""
from __future__ import annotations

from dataclasses import dataclass

from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition


@dataclass(frozen=True)
class Area:
    """Columns `first_col`..`first_col+cols-1` (0-based) of a named block; cols None = all."""

    name: str
    first_col: int = 0
    cols: int | None = None


def input_areas(d: Definition, step_no: int) -> tuple[Area, ...]:
    step = d.step(step_no)
    areas = [Area(f.name) for f in step.fields]
    for table in step.tables:
        columns = d.columns_of(table)
        inputs = {c.name for c in table.input_columns}
        areas += [Area(table.name, i, 1) for i, c in enumerate(columns) if c.name in inputs]
    return tuple(areas)


def editable_areas(d: Definition, current_step: int | None, settings_open: bool) -> tuple[Area, ...]:
    areas = input_areas(d, current_step) if current_step else ()
    if settings_open:
        areas += tuple(Area(name) for name in N.SETTINGS_INPUTS)
    return areas


def all_input_names(d: Definition) -> tuple[str, ...]:
    """Every named block whose cells someone may type into at some point (for locking)."""
    names = [f.name for s in d.steps for f in s.fields] + [t.name for s in d.steps for t in s.tables]
    return tuple(names) + N.SETTINGS_INPUTS
