"""The part-level adapter's `looks` (kinerja_xl/adapters/part_looks.py) gives exactly what the reference's gives
(`FileWorkbook.looks` on a fully loaded workbook), on workbooks changed the way users change them: rows and columns
hidden, number formats changed, text coloured like its background, formulas typed in, cells merged, and whatever
LibreOffice writes when it saves. `check` reads the file through the part-level adapter; the reference stays the
oracle."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import COLOR_INDEX, Color
from openpyxl.utils import get_column_letter

from kinerja_xl.adapters.openpyxl_book import FileWorkbook, resolve
from kinerja_xl.adapters.part_book import PartWorkbook
from kinerja_xl.adapters.part_looks import PALETTE, as_loaded
from kinerja_xl.domain import names as N
from kinerja_xl.domain.errors import FileProblem

BLOCKS = ["indikator", "reviu", "kelengkapan", "disposisi_nomor", "disposisi_tanggal", N.LOG, N.STATUS, N.OFFICIALS,
          N.SIGNATURE, N.META_CONF]
FORMATS = ["0.0", '"95"', "0%", "General", "DD-MM-YYYY", "#,##0", "0;;;", "@", "mm-dd-yy", '[>0]"OK"', "0.00E+00",
           "yyyy-mm-dd h:mm:ss", "[h]:mm:ss"]
COLOURS = [Color(rgb="FFFFFFFF"), Color(rgb="00FFFFFF"), Color(rgb="FFFEFEFE"), Color(theme=0), Color(theme=1),
           Color(theme=0, tint=0.4), Color(indexed=9), Color(indexed=64), Color(rgb="FFFFF2CC"), Color(auto=True)]
VALUES = ["teks", 95, 68.5, None, "=1+1", "=TRUE()", "=FALSE()", "=A1*2", True, ""]


def names_of(path: Path) -> list[str]:
    return [n for n in PartWorkbook.open(path).names() if not n.startswith("_xlnm.")]


def agree(path: Path, names: list[str] | None = None) -> None:
    names = names or names_of(path)
    reference = FileWorkbook.open(path)
    assert PartWorkbook.open(path).looks(names) == reference.looks(names)


def cells(wb, name: str):
    sheet, min_col, min_row, max_col, max_row = resolve(wb, name)
    return wb[sheet], min_row, min_col, max_row, max_col


# ---------------------------------------------------------------------------------------------- one change each

def test_as_built_both_adapters_see_the_same(book):
    agree(book)


def change(book: Path, edit) -> Path:
    wb = openpyxl.load_workbook(book, keep_vba=True)
    edit(wb)
    wb.save(book)
    return book


def test_hidden_rows_and_columns(book):
    def edit(wb):
        ws, top, left, _, _ = cells(wb, "indikator")
        ws.row_dimensions[top + 3].hidden = True
        ws.row_dimensions[top + 4].hidden = True
        ws.column_dimensions[get_column_letter(left + 6)].hidden = True
        ws.column_dimensions.group("J", "K", hidden=True)
        wb[N.LOG_SHEET].row_dimensions[5].hidden = True
    agree(change(book, edit))


def test_changed_number_formats(book):
    def edit(wb):
        ws, top, left, _, _ = cells(wb, "indikator")
        for i, fmt in enumerate(FORMATS):
            ws.cell(top + i, left + 5).number_format = fmt
            ws.cell(top + i, left + 5).value = 68.5
    agree(change(book, edit))


def test_text_in_the_colour_of_its_background(book):
    def edit(wb):
        ws, top, left, _, _ = cells(wb, "indikator")
        for i, colour in enumerate(COLOURS):
            ws.cell(top + i, left + 2).value = "tersembunyi"
            ws.cell(top + i, left + 2).font = Font(color=colour)
            ws.cell(top + i, left + 3).value = "di latar"
            ws.cell(top + i, left + 3).font = Font(color=Color(rgb="FFFFF2CC"))
            ws.cell(top + i, left + 3).fill = PatternFill("solid", fgColor=colour)
        ws.cell(top + 12, left + 2).font = Font(color="FFFFFFFF")  # white but empty: nothing to read
    agree(change(book, edit))


def test_formulas_typed_into_cells(book):
    def edit(wb):
        ws, top, left, _, _ = cells(wb, "indikator")
        for i, value in enumerate(VALUES):
            ws.cell(top + i, left + 6).value = value
    agree(change(book, edit))


def test_merged_cells_over_a_table(book):
    """A merge shows only its first cell; a full load reads the others empty, in the default format."""
    def edit(wb):
        ws, top, left, _, _ = cells(wb, "indikator")
        ws.cell(top + 1, left + 1).value = "awal"
        ws.cell(top + 2, left + 2).value = "tertutup"
        ws.cell(top + 2, left + 2).number_format = '"95"'
        ws.merge_cells(start_row=top + 1, start_column=left + 1, end_row=top + 3, end_column=left + 4)
    change(book, edit)
    agree(book)
    with PartWorkbook.reading(book) as part:
        ours = as_loaded(part, part.read(["indikator"]))
    assert ours == FileWorkbook.open(book).read(["indikator"])
    assert ours["indikator"].values[2][2] is None


def test_cells_missing_from_the_file_read_as_general(book):
    def edit(wb):
        ws, top, left, _, _ = cells(wb, "indikator")
        for c in range(left, left + 5):
            ws._cells.pop((top + 7, c), None)
    agree(change(book, edit))


# ---------------------------------------------------------------------------------------------- the XML itself

def rewritten(book: Path, member: str, edit) -> Path:
    data = io.BytesIO()
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            raw = zin.read(item.filename)
            zout.writestr(item, edit(raw) if item.filename == member else raw)
    book.write_bytes(data.getvalue())
    return book


def sheet_member(book: Path, title: str) -> str:
    port = PartWorkbook.open(book)
    return port._sheet_parts[title]


def test_what_other_writers_put_in_the_sheet_xml(book):
    """Shared formulas, rows hidden by 'true', columns hidden by a range, a cell tag with `s` before `r`, a cell
    the file holds twice, a visible-flag of 'false': forms openpyxl does not write but other programs may."""
    member = sheet_member(book, "3 Input Data")

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'<row r="14"', b'<row hidden="true" r="14"', 1)
        xml = xml.replace(b'<row r="15"', b'<row hidden="false" r="15"', 1)
        xml = xml.replace(b'<row r="16"', b'<row hidden="1" thickBot="0" r="16"', 1)
        xml = re.sub(rb'<c r="G17"([^>]*?)(/>|>.*?</c>)', rb'<c r="G17"\1><f t="shared" ref="G17:G19" si="0">F17*2</f>'
                     rb'<v>0</v></c>', xml, count=1, flags=re.S)
        xml = re.sub(rb'<c r="G18"([^>]*?)(/>|>.*?</c>)', rb'<c r="G18"\1><f t="shared" si="0"/><v>0</v></c>', xml,
                     count=1, flags=re.S)
        xml = re.sub(rb'<c r="H18"([^>]*?)(/>|>.*?</c>)', rb'<c r="H18"\1><f t="shared" ref="H18:H19" si="1">TRUE()</f>'
                     rb'<v>1</v></c>', xml, count=1, flags=re.S)
        xml = re.sub(rb'<c r="H19"([^>]*?)(/>|>.*?</c>)', rb'<c r="H19"\1><f t="shared" si="1"/><v>1</v></c>', xml,
                     count=1, flags=re.S)
        xml = re.sub(rb'<c r="B20" s="(\d+)"', rb'<c s="\1" r="B20"', xml, count=1)
        xml = re.sub(rb'(<c r="C21"[^>]*?(?:/>|>.*?</c>))', rb'\1<c r="C21"><f>1+1</f></c>', xml, count=1, flags=re.S)
        if b"<cols>" in xml:
            xml = xml.replace(b"<cols>", b'<cols><col min="9" max="10" width="9" hidden="1" customWidth="1"/>', 1)
        return xml

    rewritten(book, member, edit)
    agree(book)
    ours = PartWorkbook.open(book).looks(["indikator"])["indikator"]
    assert 1 in ours.hidden_rows and 2 not in ours.hidden_rows and 3 in ours.hidden_rows
    assert (4, 6) in ours.formulas and (5, 6) in ours.formulas and (5, 7) not in ours.formulas


def test_number_formats_as_styles_xml_gives_them(book):
    """A custom numFmtId below 164, a custom code equal to a built-in one, a built-in id openpyxl does not know."""
    member = "xl/styles.xml"
    port = PartWorkbook.open(book)
    style = re.search(rb'<c r="F13" s="(\d+)"', port._part(sheet_member(book, "3 Input Data"))).group(1)

    def edit(xml: bytes) -> bytes:
        xfs = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", xml, re.S)
        xf = re.findall(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", xfs.group(1), re.S)
        added = [re.sub(rb'numFmtId="\d+"', b'numFmtId="%d"' % i, xf[int(style)], count=1) for i in (100, 101, 30, 14)]
        body = xfs.group(1) + b"".join(added)
        xml = xml[:xfs.start(1)] + body + xml[xfs.end(1):]
        custom = b'<numFmt numFmtId="100" formatCode="&quot;95&quot;"/><numFmt numFmtId="101" formatCode="0.00"/>'
        if b"<numFmts" in xml:
            return re.sub(rb"(<numFmts[^>]*>)", rb"\1" + custom, xml, count=1)
        return re.sub(rb"(<styleSheet[^>]*>)", rb"\1<numFmts>" + custom + b"</numFmts>", xml, count=1)

    first = len(port.styles)
    rewritten(book, member, edit)
    sheet = sheet_member(book, "3 Input Data")
    rewritten(book, sheet, lambda xml: re.sub(
        rb'<c r="F1([3-6])" s="\d+"', lambda m: b'<c r="F1%s" s="%d"' % (m.group(1), first + int(m.group(1)) - 3), xml))
    agree(book)
    formats = [row[5] for row in PartWorkbook.open(book).looks(["indikator"])["indikator"].formats[:4]]
    assert formats == ['"95"', "0.00", "General", "mm-dd-yy"]


def test_the_palette_is_openpyxls():
    assert PALETTE == tuple(COLOR_INDEX)


def test_a_styles_part_that_does_not_parse_is_the_usual_refusal(book):
    rewritten(book, "xl/styles.xml", lambda xml: xml.replace(b"<cellXfs", b'<cellXfs bad="', 1))
    with pytest.raises(FileProblem, match="tidak dapat dibaca sebagai buku kerja"):
        PartWorkbook.open(book).looks(["indikator"])


# ---------------------------------------------------------------------------------------------- any mix of them

OPERATIONS = st.one_of(
    st.tuples(st.just("format"), st.sampled_from(FORMATS)),
    st.tuples(st.just("font"), st.sampled_from(range(len(COLOURS)))),
    st.tuples(st.just("fill"), st.sampled_from(range(len(COLOURS)))),
    st.tuples(st.just("value"), st.sampled_from(VALUES)),
    st.tuples(st.just("hide_row"), st.just(None)),
    st.tuples(st.just("hide_col"), st.just(None)),
    st.tuples(st.just("merge"), st.integers(1, 3)),
    st.tuples(st.just("drop"), st.just(None)))
EDITS = st.lists(st.tuples(st.sampled_from(BLOCKS), st.integers(0, 30), st.integers(0, 12), OPERATIONS),
                 min_size=1, max_size=12)


def apply(wb, name: str, r: int, c: int, operation) -> None:
    ws, top, left, bottom, right = cells(wb, name)
    row, col = top + r % (bottom - top + 1), left + c % (right - left + 1)
    kind, arg = operation
    cell = ws.cell(row, col)
    if kind == "format":
        cell.number_format = arg
    elif kind == "font":
        cell.font = Font(color=COLOURS[arg])
    elif kind == "fill":
        cell.fill = PatternFill("solid", fgColor=COLOURS[arg])
    elif kind == "value":
        if not isinstance(cell, MergedCell):  # a cell a merge hides takes no value (Excel keeps only the first)
            cell.value = arg
    elif kind == "hide_row":
        ws.row_dimensions[row].hidden = True
    elif kind == "hide_col":
        ws.column_dimensions[get_column_letter(col)].hidden = True
    elif kind == "merge":
        if not any(m.min_row <= row + arg and row <= m.max_row and m.min_col <= col + arg and col <= m.max_col
                   for m in ws.merged_cells.ranges):  # openpyxl would write overlapping merges as they are
            ws.merge_cells(start_row=row, start_column=col, end_row=row + arg, end_column=col + arg)
    elif kind == "drop":
        ws._cells.pop((row, col), None)


@pytest.fixture(scope="module")
def template(tmp_path_factory, demo_bytes) -> Path:
    path = tmp_path_factory.mktemp("template") / "Kinerja_SETWAN.xlsm"
    path.write_bytes(demo_bytes)
    return path


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(edits=EDITS)
def test_any_mix_of_user_changes_is_seen_alike(template, tmp_path_factory, edits):
    path = tmp_path_factory.mktemp("mix") / "Kinerja_SETWAN.xlsm"
    wb = openpyxl.load_workbook(template, keep_vba=True)
    for name, r, c, operation in edits:
        apply(wb, name, r, c, operation)
    wb.save(path)
    agree(path, BLOCKS)
    with PartWorkbook.reading(path) as part:
        assert as_loaded(part, part.read(BLOCKS)) == FileWorkbook.open(path).read(BLOCKS)


# ---------------------------------------------------------------------------------------------- LibreOffice

def test_after_a_libreoffice_save_both_adapters_see_the_same(office, book):
    """LibreOffice writes styles.xml, the rows and the cells in its own way (its own numFmt ids, shared formulas,
    a row's attributes, booleans as formulas)."""
    def edit(wb):
        ws, top, left, _, _ = cells(wb, "indikator")
        ws.row_dimensions[top + 2].hidden = True
        ws.column_dimensions[get_column_letter(left + 7)].hidden = True
        for i, fmt in enumerate(FORMATS):
            ws.cell(top + i, left + 5).number_format = fmt
            ws.cell(top + i, left + 5).value = 68.5
        for i, colour in enumerate(COLOURS):
            ws.cell(top + i, left + 2).value = "tersembunyi"
            ws.cell(top + i, left + 2).font = Font(color=colour)
        for i in range(6):
            ws.cell(top + i, left + 6).value = f"=F{top + i}*2"  # LibreOffice may share these
        ws.cell(top + 7, left + 6).value = True
        ws.cell(top + 8, left + 6).value = "=TRUE()"
        ws.merge_cells(start_row=top + 10, start_column=left + 1, end_row=top + 11, end_column=left + 2)
    change(book, edit)
    office.save_as_user(book)
    agree(book)
    looks = PartWorkbook.open(book).looks(["indikator"])["indikator"]
    assert 2 in looks.hidden_rows and 7 in looks.hidden_cols and (0, 6) in looks.formulas
