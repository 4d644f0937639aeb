"""The exported xlsx as its own writer makes it (`export.xlsx_writer`), read back by openpyxl: the workbook's
look, the chart, values as openpyxl wrote them, and the same bytes for the same period and clock."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from kinerja_xl.adapters import sheet_style
from kinerja_xl.export import xlsx_styles as S, xlsx_writer as X
from kinerja_xl.export.xlsx_chart import COLOURS

WITA = dt.timezone(dt.timedelta(hours=8))


def export(cli, book, out, *args, now="2026-10-07T10:05"):
    r = cli("export", book, "--no-pdf", "--out", out, *args, now=now)
    assert r.code == 0, r.err
    [folder] = out.iterdir()
    return folder, next(folder.glob("*.xlsx"))


def written(rows, styles=S.WRAP) -> openpyxl.Workbook:
    """A one-sheet package from the writer alone, read back by openpyxl."""
    book = X.Book(dt.datetime(2026, 10, 7, 10, 5, tzinfo=WITA), "&LA", "&CHalaman &P")
    ws = book.sheet("Uji", (10, 20))
    for r, values in enumerate(rows, 1):
        ws.row(r, values, styles)
    buf = io.BytesIO()
    book.save(buf)
    return openpyxl.load_workbook(io.BytesIO(buf.getvalue()))


def test_the_same_period_and_clock_give_the_same_bytes(cli, closed, tmp_path):
    """The xlsx's SHA-256 is in the manifest: it must not depend on when or where the export ran."""
    (_, first), (_, second) = (export(cli, closed, tmp_path / name) for name in ("satu", "dua"))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 10, 7, 10, 5, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-10-07T02:05:00Z<" in core
    manifests = [json.loads((p.parent / "manifest.json").read_text(encoding="utf-8")) for p in (first, second)]
    assert manifests[0]["berkas"][first.name] == manifests[1]["berkas"][second.name]


def test_every_part_is_well_formed_and_declared(cli, closed, tmp_path):
    _, xlsx = export(cli, closed, tmp_path / "ekspor")
    with zipfile.ZipFile(xlsx) as z:
        names = z.namelist()
        for name in names:
            ET.fromstring(z.read(name))
        types = ET.fromstring(z.read("[Content_Types].xml"))
    declared = {e.get("PartName") for e in types if e.get("PartName")}
    assert declared == {"/" + n for n in names if n.endswith(".xml") and n != "[Content_Types].xml"}


def test_the_export_looks_like_the_workbook(cli, closed, tmp_path):
    """Title, bold labels, header rows, wrapped cells and number formats are sheet_style's, as before."""
    assert S.NUMBER_FORMATS == sheet_style.NUMBER_FORMATS
    _, xlsx = export(cli, closed, tmp_path / "ekspor")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Ringkasan"]
    assert ws["A1"].font == sheet_style.TITLE and ws["A3"].value == "Satuan Kerja"
    assert ws["A3"].alignment == sheet_style.WRAP and ws.row_dimensions[3].height == 15
    header = next(row for row in ws.iter_rows() if row[0].value == "No")
    for cell in header:
        assert (cell.font, cell.fill, cell.border, cell.alignment) == (
            sheet_style.HEADER_FONT, sheet_style.HEADER_FILL, sheet_style.BOX, sheet_style.CENTER)
    title = next(row[0] for row in ws.iter_rows() if row[0].value == "Durasi per Langkah")
    assert title.font == sheet_style.BOLD
    assert [ws.column_dimensions[c].width for c in "ABC"] == [24, 40, 16]
    for sheet in wb.worksheets:
        assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (
            "landscape", 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_options.horizontalCentered
        assert sheet.oddHeader.left.text == "SOP – 01/SETWAN" and sheet.oddHeader.right.text == "&A"
        assert sheet.oddHeader.center.text is None and "&P" in sheet.oddFooter.center.text


def test_a_draft_says_so_on_every_printed_page(cli, book, tmp_path):
    from tests.flow import to_step

    to_step(cli, book, 4)
    _, xlsx = export(cli, book, tmp_path / "ekspor", "--draft", now="2026-10-06T08:00")
    wb = openpyxl.load_workbook(xlsx)
    assert wb["Ringkasan"]["A1"].value.startswith("DRAFT — ")
    assert all((ws.oddHeader.center.text, ws.oddHeader.center.size) == ("DRAFT", 20) for ws in wb.worksheets)


def test_the_chart_colours_each_bar_by_its_band_with_a_dashed_100_line(cli, closed, tmp_path):
    _, xlsx = export(cli, closed, tmp_path / "ekspor")
    ws = openpyxl.load_workbook(xlsx)["Grafik"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    [bars] = ws._charts
    assert [type(c).__name__ for c in bars._charts] == ["BarChart", "LineChart"]
    series = bars.series[0]
    assert series.val.numRef.f == f"'Grafik'!$B$4:$B${3 + len(rows)}"
    assert series.cat.strRef.f == f"'Grafik'!$A$4:$A${3 + len(rows)}"
    colours = [p.graphicalProperties.solidFill.srgbClr for p in series.dPt]
    assert len(colours) == len(rows) and set(colours) <= set(COLOURS.values())
    assert colours[[r[1] for r in rows].index(106.67)] == COLOURS["hijau"]  # above the green threshold
    line = bars._charts[1].series[0].graphicalProperties.line
    assert (line.prstDash, line.solidFill.srgbClr) == ("dash", "1F4E78")
    assert all(r[2] == 100 for r in rows) and ws["B4"].number_format == "0.00"


def test_values_are_written_as_openpyxl_wrote_them():
    """Text stays text (a formula too), edges and line ends survive, numbers get 16 significant digits."""
    values = ["=1+1", "  spasi  ", "a&b<c>", "CR\r\nLF", 12345678901234567, 0.1 + 0.2, True, None, "",
              float("nan"), Decimal("1.5"), "x" * 40000]
    ws = written([("label", v) for v in values])["Uji"]
    got = [ws.cell(r, 2) for r in range(1, len(values) + 1)]
    assert [c.value for c in got[:11]] == ["=1+1", "  spasi  ", "a&b<c>", "CR\r\nLF", 1.234567890123457e16, 0.3,
                                           True, None, None, None, 1.5]
    assert got[0].data_type == "s" and len(got[11].value) == 32767  # Excel's limit


def test_text_xml_cannot_hold_is_escaped_not_refused():
    ws = written([("\x0b vertikal", "\ud800")])["Uji"]
    assert (ws["A1"].value, ws["B1"].value) == ("_x000B_ vertikal", "_xD800_")


def test_rows_come_in_order_with_a_style_each():
    book = X.Book(dt.datetime(2026, 10, 7, tzinfo=WITA), "", "")
    ws = book.sheet("Uji")
    ws.row(2, ("a",))
    with pytest.raises(ValueError, match="after row 2"):
        ws.row(2, ("b",))
    with pytest.raises(ValueError, match="2 values and 1 styles"):
        ws.row(3, ("a", "b"), [S.WRAP])


def test_number_formats_are_the_column_types(tmp_path):
    ws = written([(1500000, 12, 1)], [S.WRAP_NUMBER["rupiah"], S.WRAP_NUMBER["bulat"], S.TWO_DECIMALS])["Uji"]
    assert [c.number_format for c in ws[1]] == ['"Rp "#,##0', "#,##0", "0.00"]
    assert ws["A1"].alignment == sheet_style.WRAP


def test_an_export_without_pdf_loads_neither_openpyxl_nor_the_pdf_and_signing_libraries(closed, tmp_path):
    """Imports are most of a small export's time; the PDF's are loaded only when a PDF is made."""
    script = ("import sys\nfrom kinerja_xl.entrypoints.cli import main\n"
              f"code = main(['export', {str(closed)!r}, '--no-pdf', '--out', {str(tmp_path / 'ekspor')!r}])\n"
              "print(code, sorted({m.split('.')[0] for m in sys.modules} & "
              "{'openpyxl', 'reportlab', 'pyhanko', 'cryptography', 'xlsxwriter'}))")
    env = {**os.environ, "KINERJA_XL_NOW": "2026-10-07T10:05+08:00"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.splitlines()[-1] == "0 []", out.stdout + out.stderr
