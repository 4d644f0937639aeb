"""Which cells stay editable: the current step's inputs (and Pengaturan before the period starts).

Everything else is locked. Sheet protection is only a convenience against slips;
the hash-chained log is what proves nothing changed. A step's inputs, and Pengaturan's,
lock and unlock together: each is a lock group, whose cells the builder gives a cell
style of their own (`group_style`), so a file adapter can lock a whole group by
changing that style's formats instead of every cell (docs/excel.md, "Lock groups").
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
    group: str | None = None  # the lock group: areas with one group are always locked and unlocked all together


def group_style(step_no: int | None) -> str:
    """The cell style of a lock group, as Excel's Cell Styles list shows it (None: Pengaturan)."""
    return f"Isian Langkah {step_no}" if step_no else "Isian Pengaturan"


def settings_areas() -> tuple[Area, ...]:
    return tuple(Area(name, group=group_style(None)) for name in N.SETTINGS_INPUTS)


def input_areas(d: Definition, step_no: int) -> tuple[Area, ...]:
    step, group = d.step(step_no), group_style(step_no)
    areas = [Area(f.name, group=group) for f in step.fields]
    for table in step.tables:
        columns = d.columns_of(table)
        inputs = {c.name for c in table.input_columns}
        areas += [Area(table.name, i, 1, group) for i, c in enumerate(columns) if c.name in inputs]
    return tuple(areas)


def editable_areas(d: Definition, current_step: int | None, settings_open: bool) -> tuple[Area, ...]:
    areas = input_areas(d, current_step) if current_step else ()
    if settings_open:
        areas += settings_areas()
    return areas


def lock_groups(d: Definition) -> tuple[tuple[Area, ...], ...]:
    """Every lock group's areas: each step's inputs, then Pengaturan's."""
    return tuple(input_areas(d, s.no) for s in d.steps) + (settings_areas(),)


def all_input_names(d: Definition) -> tuple[str, ...]:
    """Every named block whose cells someone may type into at some point (for locking)."""
    names = [f.name for s in d.steps for f in s.fields] + [t.name for s in d.steps for t in s.tables]
    return tuple(names) + N.SETTINGS_INPUTS
