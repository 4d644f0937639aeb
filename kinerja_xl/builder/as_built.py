"""The sheets, names and looks of the workbook the builder makes for a definition, without laying out every row:
what `check` compares a workbook with. A 20,000-row table would take 150 MB and seconds to lay out in full, and
the builder lays a table's rows out alike, so the layout is made with short tables (`laid_out(table_rows=…)`)
and each table grown back to its length, its last row standing for the rest, whatever stands below it on its
sheet moved down. Should a short table's last two rows ever differ, the builder no longer lays rows out alike
and the layout is made at full size instead (tests/integration/test_check_as_built.py holds both to one result).
"""
from __future__ import annotations

import re
from pathlib import Path

from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.adapters.refs import parse_ref
from kinerja_xl.builder.assemble import PRINTED_TABLE_ROWS, laid_out
from kinerja_xl.domain.appearance import Look
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.definition_rules import parse_definition

# Rows of a table laid out before it is grown: a few past those a step sheet prints.
SAMPLE_ROWS = PRINTED_TABLE_ROWS + 2
_ROW = re.compile(r"(\$?[A-Z]+\$?)(\d+)")


class AsBuilt:
    """What `check` reads of the built workbook: its sheets, its names and each name's look."""

    def __init__(self, sheets: list[str], names: dict[str, str], looks: dict[str, Look]):
        self._sheets, self._names, self._looks = sheets, names, looks

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def names(self) -> dict[str, str]:
        return dict(self._names)

    def looks(self, names) -> dict[str, Look]:
        return {name: self._looks[name] for name in names}


def as_built(raw: dict) -> tuple[AsBuilt, Definition]:
    """The layout the raw definition implies, and the definition."""
    d = parse_definition(raw)
    small, short = _layout(raw, SAMPLE_ROWS)
    grown = {}  # table name -> (sheet, first row below it in the short layout, rows it grows by)
    for table in d.tables:
        extra = d.rows_of(table) - short.rows_of(short.table(table.name))
        if extra:
            sheet, top, _, rows, _ = parse_ref(small.names()[table.name])
            if rows < 2 or not _last_rows_alike(small.looks([table.name])[table.name]):
                return _layout(raw, None)[0], d
            grown[table.name] = (sheet, top + rows, extra)
    names, looks = {}, {}
    for name, ref in small.names().items():
        sheet, top, *_ = parse_ref(ref)
        shift = sum(extra for s, below, extra in grown.values() if s == sheet and top >= below)
        extra = grown[name][2] if name in grown else 0
        names[name] = _moved(ref, shift, extra)
        looks[name] = _longer(small.looks([name])[name], extra)
    return AsBuilt(small.sheet_names(), names, looks), d


def _layout(raw: dict, table_rows: int | None) -> tuple[AsBuilt, Definition]:
    """The builder's layout read into names and looks; the openpyxl workbook is let go."""
    wb, d = laid_out(raw, table_rows=table_rows)
    built = FileWorkbook(Path(), wb, None)
    names = built.names()
    return AsBuilt(built.sheet_names(), names, built.looks(list(names))), d


def _moved(ref: str, shift: int, extra: int) -> str:
    """A name's reference text moved `shift` rows down, its last row `extra` further (a table grown)."""
    if not shift and not extra:
        return ref
    head, bang, cells = ref.rpartition("!")
    ends = cells.split(":")
    moved = [_ROW.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + shift + (extra if i else 0)}", end, count=1)
             for i, end in enumerate(ends)]
    return head + bang + ":".join(moved)


def _last_rows_alike(look: Look) -> bool:
    """Whether a block's last two rows look the same: formats, hidden or not, unreadable and formula cells."""
    last = len(look.formats) - 1
    return look.formats[last] == look.formats[last - 1] and (last in look.hidden_rows) == (
        last - 1 in look.hidden_rows) and all(
        {c for r, c in cells if r == last} == {c for r, c in cells if r == last - 1}
        for cells in (look.invisible, look.formulas))


def _longer(look: Look, extra: int) -> Look:
    """A table's look with its last row repeated `extra` times."""
    if not extra:
        return look
    last, height = len(look.formats) - 1, len(look.formats)

    def more(cells):
        return cells + tuple((r, c) for r in range(height, height + extra) for row, c in cells if row == last)
    return Look(formats=look.formats + (look.formats[-1],) * extra,
                hidden_rows=look.hidden_rows + (tuple(range(height, height + extra)) if last in look.hidden_rows else ()),
                hidden_cols=look.hidden_cols, invisible=more(look.invisible), formulas=more(look.formulas))
