"""`check` reads the file through the part-level adapter and compares it with the layout grown from a short build
(`builder/as_built.py`). Its report must be, word for word, the one the reference path gives: the file fully loaded
with openpyxl and the layout built at full size. Both are run here on workbooks tampered with in many ways."""
from __future__ import annotations

import pytest
from openpyxl.styles import Color, Font

from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.domain import names as N
from kinerja_xl.builder import as_built as grown
from kinerja_xl.service import checking
from tests.conftest import named_cells
from tests.flow import tamper


class _FullLoad(FileWorkbook):
    def require_well_formed(self) -> None:
        """A full load has parsed every part already."""


def reference_report(path, monkeypatch):
    """`check_file` as it was: `FileWorkbook.open` (a full load: a merge empties the cells it hides) and the builder's
    full-size layout."""
    with monkeypatch.context() as m:
        m.setattr(checking, "PartWorkbook", _FullLoad)
        m.setattr(checking, "AsLoaded", lambda port: port)
        m.setattr(checking, "as_built", lambda raw: grown._layout(raw, None))
        return checking.check_file(path)


def merge_over(name, r, c, rows, cols):
    def edit(wb):
        cell = named_cells(wb, name)[r][c]
        cell.parent.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row + rows - 1,
                                end_column=cell.column + cols - 1)
    edit.__name__ = f"merge_over_{name}"
    return edit


def several(wb):
    rows = named_cells(wb, "indikator")
    rows[2][9].number_format = '"95"'
    rows[4][5].font = Font(color=Color(theme=0))
    rows[5][9].value = "=80+5"
    rows[6][0].parent.row_dimensions[rows[6][0].row].hidden = True
    named_cells(wb, N.LOG)[1][9].value = "=1+1"
    wb["Log"].column_dimensions["D"].hidden = True


def nothing(wb):
    pass


@pytest.mark.parametrize("edit", [nothing, several, merge_over("indikator", 1, 1, 3, 4), merge_over(N.LOG, 0, 1, 2, 3),
                                  merge_over(N.STATUS, 0, 0, 2, 2)], ids=lambda e: e.__name__)
def test_the_report_is_the_reference_one(closed, monkeypatch, edit):
    tamper(closed, edit)
    ours = checking.check_file(closed)
    assert ours == reference_report(closed, monkeypatch)
    if edit is not nothing:
        assert ours.problems


def test_a_merge_over_recorded_data_is_a_change(cli, closed):
    """Excel shows only a merged range's first cell: what the others held is no longer seen, so it reads as gone."""
    tamper(closed, merge_over("indikator", 0, 1, 2, 2))
    r = cli("check", closed)
    assert r.code == 1 and "'3 Input Data'!C13" in r.out, r.out
