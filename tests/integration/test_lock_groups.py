"""Lock groups (issue 19: `return` flat in the table's size): each step's inputs, and Pengaturan's, sit on formats
whose parent cell style is the group's own, so on a file exactly as kinerja-xl saved it the part-level adapter
locks a group by changing those formats, and the sheets are not rewritten. Locks are read back by openpyxl and by
LibreOffice; a file saved elsewhere goes cell by cell and puts every input cell back on its group's formats."""
from __future__ import annotations

import re
import zipfile

import openpyxl

from kinerja_xl.adapters.refs import parse_ref
from kinerja_xl.domain import locks
from kinerja_xl.domain import names as N
from tests.conftest import SAMPLE_CSV, named_cells
from tests.flow import KELENGKAPAN, tamper, to_step

GROUPS = [locks.group_style(n) for n in (1, 2, 3, 4, 5)] + [locks.group_style(None)]


def _cells(wb, area: locks.Area):
    rows = named_cells(wb, area.name)
    last = None if area.cols is None else area.first_col + area.cols
    return [c for row in rows for c in row[area.first_col:last]]


def _group_cells(wb, definition) -> dict[str, set[tuple[str, str]]]:
    out = {}
    for group in locks.lock_groups(definition):
        for area in group:
            out.setdefault(area.group, set()).update((c.parent.title, c.coordinate) for c in _cells(wb, area))
    return out


def _sheet_part(book, title: str) -> zipfile.ZipInfo:
    with zipfile.ZipFile(book) as z:
        wb_rels = z.read("xl/_rels/workbook.xml.rels").decode()
        workbook = z.read("xl/workbook.xml").decode()
    rid = re.search(r'<sheet [^>]*name="' + re.escape(title) + r'"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(r'Id="' + rid + r'"[^>]*Target="/?(?:xl/)?([^"]+)"', wb_rels)
    target = target or re.search(r'Target="/?(?:xl/)?([^"]+)"[^>]*Id="' + rid + '"', wb_rels)
    with zipfile.ZipFile(book) as z:
        return z.getinfo("xl/" + target.group(1))


def _style_names(book) -> dict[int, str]:
    """Parent index -> cell style name, from the file (openpyxl's `cell.style` assumes every parent is named,
    which LibreOffice's files are not)."""
    with zipfile.ZipFile(book) as z:
        styles = z.read("xl/styles.xml").decode()
    return {int(i): name for name, i in re.findall(r'<cellStyle name="([^"]*)" xfId="(\d+)"', styles)}


def _unlocked(wb, definition) -> set[tuple[str, str]]:
    every = set().union(*_group_cells(wb, definition).values())
    return {cell for cell in every if not wb[cell[0]][cell[1]].protection.locked}


def _expected_unlocked(wb, definition, step: int | None) -> set[tuple[str, str]]:
    return {(c.parent.title, c.coordinate) for area in locks.editable_areas(definition, step, settings_open=False)
            for c in _cells(wb, area)}


def _each_group_has_its_cells_alone(book, definition) -> None:
    wb, names = openpyxl.load_workbook(book), _style_names(book)
    members = _group_cells(wb, definition)
    assert sorted(members) == sorted(GROUPS)
    for group, cells in members.items():
        assert cells and {names.get(wb[t][c]._style.xfId) for t, c in cells} == {group}, group
    every = set().union(*members.values())
    for ws in wb.worksheets:
        strays = [c.coordinate for row in ws.iter_rows() for c in row
                  if c.has_style and names.get(c._style.xfId) in GROUPS and (ws.title, c.coordinate) not in every]
        assert strays == [], f"{ws.title}: cells outside the group on a group's style"


def test_the_builder_gives_each_group_its_cells_alone(book, definition):
    _each_group_has_its_cells_alone(book, definition)


def test_a_return_relocks_by_style_and_leaves_the_table_sheet_alone(cli, book, definition, office):
    to_step(cli, book, 5)
    table_sheet = parse_ref(openpyxl.load_workbook(book).defined_names["indikator"].attr_text)[0]
    before = _sheet_part(book, table_sheet)
    assert cli("return", book, "--note", "Lengkapi bukti", "--as", "ardiansyah", now="2026-10-07T09:00").code == 0
    after = _sheet_part(book, table_sheet)
    assert (after.CRC, after.compress_size) == (before.CRC, before.compress_size)  # the indicator table's part: untouched
    wb = openpyxl.load_workbook(book)
    assert _unlocked(wb, definition) == _expected_unlocked(wb, definition, 3)
    assert _libreoffice_unlocked(office, book, wb, definition) == _expected_unlocked(wb, definition, 3)
    assert cli("check", book).code == 0


def test_a_file_saved_elsewhere_is_put_back_on_its_groups(cli, book, definition):
    """What a paste in Excel does to an open cell: it takes the source's format, Normal as parent. The next action
    on that file (not as kinerja-xl saved it) relocks cell by cell and puts the cell back on its group, so the
    later actions, by style, lock and unlock it with its step."""
    to_step(cli, book, 3)
    stray = {}

    def paste(wb):
        cell = named_cells(wb, "indikator")[0][5]
        cell._style.xfId = 0
        stray["cell"] = (cell.parent.title, cell.coordinate)

    tamper(book, paste)
    assert cli("import", book, SAMPLE_CSV, "--as", "rahmah", now="2026-10-05T10:00").code == 0
    assert cli("set", book, *KELENGKAPAN, "--as", "rahmah", now="2026-10-05T10:05").code == 0
    assert cli("submit", book, "--as", "rahmah", now="2026-10-05T10:10").code == 0
    wb = openpyxl.load_workbook(book)
    title, ref = stray["cell"]
    assert _style_names(book)[wb[title][ref]._style.xfId] == locks.group_style(3) and wb[title][ref].protection.locked
    assert cli("return", book, "--note", "Periksa lagi", "--as", "ridha", now="2026-10-06T09:00").code == 0
    wb = openpyxl.load_workbook(book)
    assert not wb[title][ref].protection.locked
    assert _unlocked(wb, definition) == _expected_unlocked(wb, definition, 3)


def _libreoffice_unlocked(office, book, wb, definition) -> set[tuple[str, str]]:
    doc = office.open(book, read_only=True)
    try:
        out = set()
        for title, ref in set().union(*_group_cells(wb, definition).values()):
            cell = doc.sheet(title).getCellRangeByName(ref)
            if not cell.CellProtection.IsLocked:
                out.add((title, ref))
        return out
    finally:
        doc.close()


def test_libreoffice_keeps_each_cells_group(cli, book, definition, office):
    """A workbook saved by LibreOffice keeps each cell's parent style, so its groups stay whole."""
    to_step(cli, book, 3)
    office.save_as_user(book)
    _each_group_has_its_cells_alone(book, definition)


def test_a_workbook_built_before_lock_groups_is_relocked_cell_by_cell(cli, tmp_path, definition, monkeypatch):
    """No group styles in the file: every action relocks cell by cell, and the locks are the same."""
    from kinerja_xl.adapters import definition_file
    from kinerja_xl.builder import assemble
    from kinerja_xl.builder.office_config import load_config
    from tests.conftest import CONFIG

    monkeypatch.setattr("kinerja_xl.adapters.openpyxl_book.mark_lock_groups", lambda wb, groups: None)
    book = tmp_path / "Kinerja_SETWAN.xlsm"
    book.write_bytes(assemble.build_bytes(definition_file.read_raw(), load_config(CONFIG, definition)))
    assert set(_style_names(book).values()) == {"Normal"}
    to_step(cli, book, 5)
    table_sheet = parse_ref(openpyxl.load_workbook(book).defined_names["indikator"].attr_text)[0]
    before = _sheet_part(book, table_sheet)
    assert cli("return", book, "--note", "Lengkapi bukti", "--as", "ardiansyah", now="2026-10-07T09:00").code == 0
    assert _sheet_part(book, table_sheet).CRC != before.CRC  # its cells' formats changed, one by one
    wb = openpyxl.load_workbook(book)
    assert _unlocked(wb, definition) == _expected_unlocked(wb, definition, 3)
