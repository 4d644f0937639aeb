"""What is particular to the part-level adapter (adapters/part_book.py): it rewrites only the parts an action
changes, copies every other member's compressed bytes, and writes cells that openpyxl (the reference) reads as
it reads its own. The port contract itself is tests/integration/test_port_contract.py."""
from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile

import openpyxl
import pytest
from openpyxl.utils.protection import hash_password as reference_hash

from kinerja_xl.adapters import part_sheet
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.adapters.part_book import PartWorkbook, hash_password
from kinerja_xl.domain import names as N
from kinerja_xl.domain.errors import FileProblem
from kinerja_xl.domain.locks import Area
from tests.conftest import named_cells


def raw_members(path) -> dict[str, tuple]:
    """Each member's compression, CRC and compressed bytes exactly as stored."""
    data = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
            start = info.header_offset + 30 + name_len + extra_len
            out[info.filename] = (info.compress_type, info.CRC, data[start:start + info.compress_size])
    return out


def sheet_part(path, title: str) -> str:
    wb = PartWorkbook.open(path)
    return wb._sheet_parts[title]


def test_only_the_written_sheet_changes_and_every_other_member_is_copied_as_stored(book):
    before = raw_members(book)
    port = PartWorkbook.open(book)
    port.write("disposisi_nomor", [["005/SETWAN"]])
    port.save()
    after = raw_members(book)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {sheet_part(book, "1 Disposisi")}
    assert list(after) == list(before)  # same members, same order
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None


def test_nothing_written_gives_the_same_bytes(book):
    assert PartWorkbook.open(book).to_bytes() == book.read_bytes()


def test_protect_as_built_changes_no_part(book, definition):
    """The built workbook is already locked and protected as step 1 wants it: nothing to rewrite."""
    from kinerja_xl.domain.locks import all_input_names, editable_areas

    port = PartWorkbook.open(book)
    port.protect([Area(n) for n in all_input_names(definition)], editable_areas(definition, 1, True), None)
    assert port.to_bytes() == book.read_bytes()


@pytest.mark.parametrize("text", ["  spaces kept  ", "a\nb", "a\r\nb", "<&> \"quoted\" 'x'", "=1+1", "=TRUE()",
                                  "#N/A", "Ünïcödé — ✓", "x" * 40000, "TRUE", "005"])
def test_strings_are_inline_text_openpyxl_reads_as_written(book, text):
    port = PartWorkbook.open(book)
    port.write("disposisi_isi", [[text]])
    port.save()
    cell = named_cells(openpyxl.load_workbook(book), "disposisi_isi")[0][0]
    assert (cell.value, cell.data_type) == (text[:32767], "s")
    assert PartWorkbook.open(book).read(["disposisi_isi"])["disposisi_isi"].value() == text[:32767]
    with zipfile.ZipFile(book) as z:
        assert b't="inlineStr"' in z.read(sheet_part(book, "1 Disposisi"))


def test_a_control_character_is_refused_as_openpyxl_refuses_it(book):
    with pytest.raises(ValueError):
        PartWorkbook.open(book).write("disposisi_isi", [["a\x01b"]])


@pytest.mark.parametrize("value", [dt.date(2026, 10, 1), dt.datetime(2026, 10, 1, 9, 5, 7), dt.date(1900, 2, 28),
                                   dt.date(1900, 3, 1)])
def test_dates_round_trip_as_the_reference_writes_them(book, value):
    """Serials with the 1900 epoch and its leap-year bug; the cell keeps its date format."""
    ours, theirs = book, book.with_name("theirs.xlsm")
    theirs.write_bytes(book.read_bytes())
    for port in (PartWorkbook.open(ours), FileWorkbook.open(theirs)):
        port.write("disposisi_tanggal", [[value]])
        port.write(N.LOG, [[value]], row_offset=3)  # a cell without a date format gets one, as openpyxl gives it
        port.save()
    names = ["disposisi_tanggal", N.LOG]
    assert PartWorkbook.open(ours).read(names) == FileWorkbook.open(theirs).read(names)
    a, b = openpyxl.load_workbook(ours), openpyxl.load_workbook(theirs)
    for name in names:
        x, y = named_cells(a, name)[3 if name == N.LOG else 0][0], named_cells(b, name)[3 if name == N.LOG else 0][0]
        assert (x.value, x.is_date) == (y.value, y.is_date)


def with_1904(path) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = re.sub(rb"<workbookPr\b", b'<workbookPr date1904="1"', body, count=1)
            zout.writestr(item, body)
    path.write_bytes(data.getvalue())


def test_a_1904_workbook_reads_and_writes_dates_as_openpyxl_does(book):
    with_1904(book)
    port = PartWorkbook.open(book)
    port.write("disposisi_tanggal", [[dt.date(2026, 10, 1)]])
    port.save()
    wb = openpyxl.load_workbook(book)
    assert wb.epoch == dt.datetime(1904, 1, 1)
    assert named_cells(wb, "disposisi_tanggal")[0][0].value == dt.datetime(2026, 10, 1)
    assert PartWorkbook.open(book).read(["disposisi_tanggal"])["disposisi_tanggal"].value() == dt.datetime(2026, 10, 1)
    with zipfile.ZipFile(book) as z:
        assert b"<v>44834</v>" in z.read(sheet_part(book, "1 Disposisi"))  # 2026-10-01 counted from 1904-01-01


def test_lock_twins_are_appended_once_and_reused(book):
    def xfs() -> int:
        with zipfile.ZipFile(book) as z:
            return int(re.search(rb'<cellXfs count="(\d+)"', z.read("xl/styles.xml")).group(1))

    start = xfs()
    areas = [Area(N.LOG), Area("meta_sop")]  # locked cells without an unlocked twin in the built workbook
    for _ in range(2):
        port = PartWorkbook.open(book)
        port.protect([], areas, None)
        port.save()
    once = xfs()
    assert once > start
    port = PartWorkbook.open(book)
    port.protect(areas, [], None)  # back to locked: the original formats, nothing new
    port.save()
    assert xfs() == once
    wb = openpyxl.load_workbook(book)
    assert named_cells(wb, "meta_sop")[0][0].protection.locked is True
    assert all(c.protection.locked for row in named_cells(wb, N.LOG) for c in row)


def test_unlock_and_password_as_apply_locks(book):
    port = PartWorkbook.open(book)
    port.protect([Area("disposisi_nomor")], [Area(N.LOG, 2, 1)], "rahasia")
    port.save()
    wb = openpyxl.load_workbook(book)
    row = named_cells(wb, N.LOG)[7]
    assert [c.protection.locked for c in row[1:4]] == [True, False, True]
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.formatColumns
        assert ws.protection.password == hash_password("rahasia") == reference_hash("rahasia")
    assert wb[N.DEFINITION_SHEET].sheet_state == "veryHidden" and wb.security.lockStructure


def test_rows_are_inserted_in_order_and_the_dimension_follows(book):
    port = PartWorkbook.open(book)
    top = port.read([N.LOG])[N.LOG].row
    port.write(N.LOG, [[9]], row_offset=400)
    port.write(N.LOG, [[3]], row_offset=200)
    port.write(N.LOG, [[1]])
    port.save()
    with zipfile.ZipFile(book) as z:
        xml = z.read(sheet_part(book, "Log"))
    rows = [int(r) for r in re.findall(rb'<row r="(\d+)"', xml)]
    assert rows == sorted(rows) and {top, top + 200, top + 400} <= set(rows)
    assert re.search(rb'<dimension ref="A1:N(\d+)"', xml).group(1) == str(top + 400).encode()
    values = [r[0] for r in FileWorkbook.open(book).read([N.LOG])[N.LOG].values]
    assert (values[0], values[200], values[400]) == (1, 3, 9)


def test_numbers_booleans_and_blanks_read_back_as_the_reference_gives_them(book):
    theirs = book.with_name("theirs.xlsm")
    theirs.write_bytes(book.read_bytes())
    row = [1, 2.5, 100.0, 1e-7, 12345678901234.5, True, False, None, "", -0.0]
    for port in (PartWorkbook.open(book), FileWorkbook.open(theirs)):
        port.write(N.LOG, [row])
        port.save()
    ours = PartWorkbook.open(book).read([N.LOG])[N.LOG].values[0]
    reference = FileWorkbook.open(theirs).read([N.LOG])[N.LOG].values[0]
    assert ours == reference and [type(v) for v in ours] == [type(v) for v in reference]


def test_a_read_after_a_write_sees_the_write(book):
    port = PartWorkbook.open(book)
    port.write("disposisi_nomor", [["baru"]])
    assert port.read(["disposisi_nomor"])["disposisi_nomor"].value() == "baru"


def test_a_read_parses_only_the_rows_asked_for(book, monkeypatch):
    """A 20,000-row sheet: reading one name near its end checks and scans that name's rows, not the sheet (the
    memory of the whole process is measured in benchmarks/processes.py)."""
    big = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>r%d</t></is></c></row>' % (r, r, r)
                   for r in range(2, 20002))
    data = io.BytesIO()
    part = sheet_part(book, "Log")
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == part:
                body = re.sub(rb"(<sheetData>.*?</row>).*?(</sheetData>)", lambda m: m.group(1) + big + m.group(2),
                              body, count=1, flags=re.S)
            zout.writestr(item, body)
    book.write_bytes(data.getvalue())
    fed = []
    real = part_sheet._well_formed
    monkeypatch.setattr(part_sheet, "_well_formed",
                        lambda wrap, xml, start, end: (fed.append(end - start), real(wrap, xml, start, end)))
    port = PartWorkbook.open(book)
    port._names["ujung"] = "'Log'!$A$19990:$A$19991"
    assert port.read(["ujung"])["ujung"].values == (("r19990",), ("r19991",))
    assert fed and max(fed) < 200


def test_a_sheet_cut_in_half_is_the_damaged_file_message(book):
    data = io.BytesIO()
    part = sheet_part(book, "3 Input Data")
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            zout.writestr(item, body[: len(body) // 2] if item.filename == part else body)
    book.write_bytes(data.getvalue())
    port = PartWorkbook.open(book)
    with pytest.raises(FileProblem, match="tidak dapat dibaca sebagai buku kerja"):
        port.read(["indikator"])


def test_a_missing_sheet_is_named_as_the_reference_names_it(book):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    del wb["Log"]
    wb.save(book)
    with pytest.raises(FileProblem, match="lembar 'Log' tidak ada"):
        PartWorkbook.open(book).read([N.LOG])
