"""`set` of K table cells reads the table once and derives once, however large K is (issue 19).

Counted, not timed: the table's rows are a tuple that counts the passes made over it, and `derive` is spied on.
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from kinerja_xl.domain import data_entry
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.errors import InputProblems

from tests.unit.sop_dicts import sop01

ROWS = 400


class CountedRows(tuple):
    """A block's rows that count every pass over them (`len` and indexing are not passes)."""

    def __iter__(self):
        self.passes += 1
        return super().__iter__()


def _table_period(rows: int = ROWS):
    d = sop01()
    step = next(s for s in d.steps if any(t.kind == "indikator" for t in s.tables))
    table = next(t for t in step.tables if t.kind == "indikator")
    width = len(d.columns_of(table))
    values = CountedRows(tuple([i + 1] + [None] * (width - 1)) for i in range(rows))
    values.passes = 0
    blocks = {t.name: Block(s.sheet, 10, 2, tuple((None,) * len(d.columns_of(t)) for _ in range(rows)))
              for s in d.steps for t in s.tables}
    blocks[table.name] = Block(step.sheet, 10, 2, values)
    settings = SimpleNamespace(period_index=lambda _: len(table.realisations) - 1)
    return SimpleNamespace(d=d, blocks=blocks, settings=settings), step, table, values


@pytest.fixture
def derive_calls(monkeypatch):
    calls = []
    real = data_entry.derive

    def spy(d, writes, blocks, period_index):
        calls.append(sorted(writes))
        return real(d, writes, blocks, period_index)

    monkeypatch.setattr(data_entry, "derive", spy)
    return calls


@pytest.mark.parametrize("cells", [1, 40, ROWS])
def test_the_table_is_read_once_and_derived_once(cells, derive_calls):
    period, step, table, values = _table_period()
    column = table.realisations[-1]
    assignments = {f"{table.name}[{r}].{column}": str(50 + r % 40) for r in range(1, cells + 1)}
    writes, message = data_entry.fill_fields(period, step, assignments, dt.date(2026, 10, 1), False)
    assert values.passes == 1
    assert derive_calls == [[table.name]]
    c = [col.name for col in period.d.columns_of(table)].index(column)
    written = writes[table.name]
    assert [row[c] for row in written[:cells]] == [50 + r % 40 for r in range(1, cells + 1)]
    assert all(row[c] is None for row in written[cells:])
    assert [row[0] for row in written] == list(range(1, ROWS + 1))
    assert message.startswith(f"{cells} isian")


def test_every_bad_cell_is_named_and_nothing_is_derived(derive_calls):
    period, step, table, values = _table_period()
    column = table.realisations[-1]
    assignments = {f"{table.name}[{r}].{column}": ("x" if r % 2 else "7") for r in range(1, 7)}
    with pytest.raises(InputProblems) as raised:
        data_entry.fill_fields(period, step, assignments, dt.date(2026, 10, 1), False)
    assert [p.split(" di ")[0].rsplit("(baris ", 1)[1] for p in raised.value.problems] == ["1)", "3)", "5)"]
    assert derive_calls == [] and values.passes == 0
