"""The built workbook as openpyxl reads it back: sheets, names, validations, protection, print setup."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from pyopenvba import ExcelFile

from kinerja_xl.builder import assemble as builder
from kinerja_xl.builder.ribbon_xml import customui_xml
from kinerja_xl.adapters.vba_sources import RIBBON_MODULE, xlwings_version
from kinerja_xl.domain import names as N
from kinerja_xl.adapters import package
from tests.conftest import ROOT, named_cells
from tests.flow import to_step

SHEETS = ["Beranda", "Pengaturan", "1 Disposisi", "2 Perintah", "3 Input Data", "4 Verifikasi", "5 Validasi",
          "Bagan Alir", "Log", "xlwings.conf", "_definisi", "_peta"]


@pytest.fixture(scope="module")
def wb(built):
    return openpyxl.load_workbook(built, keep_vba=True)


def test_one_sheet_per_step_plus_home_settings_bagan_alir_log_and_xlwings_conf(wb):
    assert wb.sheetnames == SHEETS


def test_every_input_field_and_table_is_a_workbook_level_name(wb, definition):
    expected = {f.name for s in definition.steps for f in s.fields} | {t.name for s in definition.steps for t in s.tables}
    expected |= {N.STATUS, N.TURN, N.LOG, N.SIGNATURE, N.META_SOP, N.META_FORMAT, N.META_XLWINGS, *N.SETTINGS_INPUTS}
    expected |= {N.record(s.no) for s in definition.steps}
    assert expected <= set(wb.defined_names)
    assert all(not ws.defined_names for ws in wb.worksheets)  # none hidden at sheet level


def test_indicator_table_has_room_for_200_rows_and_the_sop_columns(wb):
    sheet, ref = next(iter(wb.defined_names["indikator"].destinations))
    assert sheet == "3 Input Data"
    ws = wb[sheet]
    rows = list(ws[ref.replace("$", "")])
    assert len(rows) >= 200
    header = [ws.cell(rows[0][0].row - 1, c.column).value for c in rows[0]]
    assert [h.rstrip(" *") for h in header] == [
        "No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Arah", "Target", "Realisasi TW I",
        "Realisasi TW II", "Realisasi TW III", "Realisasi TW IV", "Capaian (%)", "Sumber Data / Bukti", "Keterangan"]


def test_step_sheets_show_kegiatan_pelaksana_and_mutu_baku_verbatim(wb, definition):
    for step in definition.steps:
        texts = [c.value for row in wb[step.sheet].iter_rows(max_row=6) for c in row if c.value]
        assert step.activity in texts
        assert definition.role(step.role).label in texts
        assert any(step.output in str(t) and step.documents in str(t) for t in texts)


def test_inputs_carry_data_validation_by_type(wb):
    def rules(sheet):
        return {(dv.type, str(dv.sqref)) for dv in wb[sheet].data_validations.dataValidation}

    step1 = rules("1 Disposisi")
    assert any(t == "date" for t, _ in step1) and any(t == "list" for t, _ in step1)
    step3 = {t for t, _ in rules("3 Input Data")}
    assert {"decimal", "list"} <= step3
    settings = wb["Pengaturan"].data_validations.dataValidation
    nip = [dv for dv in settings if dv.type == "custom"]
    assert nip and "LEN(SUBSTITUTE(" in nip[0].formula1 and "=18" in nip[0].formula1


def test_capaian_cells_are_coloured_by_the_definition_thresholds(wb):
    formats = wb["3 Input Data"].conditional_formatting
    formulas = [r.formula[0] for cf in formats for r in cf.rules]
    assert formulas == ["AND(ISNUMBER(K13),K13<70)", "AND(ISNUMBER(K13),AND(K13>=70,K13<=90))",
                        "AND(ISNUMBER(K13),K13>90)"]


def test_only_step_one_and_settings_are_open_and_every_sheet_is_protected(wb):
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert ws.protection.password is None  # no password in the artifact

    def locked(name):
        return {c.protection.locked for row in named_cells(wb, name) for c in row}

    assert locked("disposisi_nomor") == {False}
    assert locked(N.YEAR) == {False}
    assert locked("perintah_isi") == {True}
    assert locked(N.LOG) == {True}


def test_every_sheet_prints_on_a4_fit_to_width_with_sop_number_and_page_numbers(wb):
    for ws in wb.worksheets[:-3]:  # not xlwings.conf, the hidden definition nor the name map
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddHeader.left.text == "SOP – 01/SETWAN"
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_office_data_is_not_in_the_definition_so_settings_start_empty(wb):
    sheet, ref = next(iter(wb.defined_names[N.OFFICIALS].destinations))
    assert all(c.value is None for row in wb[sheet][ref.replace("$", "")] for c in row)


def test_the_workbook_carries_its_definition_and_its_hash(wb):
    from kinerja_xl.adapters.definition_file import canonical, read_raw, sha256

    from tests.conftest import named_cells

    text = "".join(c.value for row in named_cells(wb, N.META_DEFINITION) for c in row)
    assert text == canonical(read_raw()) and wb[N.DEFINITION_SHEET].sheet_state == "veryHidden"
    assert named_cells(wb, N.META_DEFINITION_HASH)[0][0].value == sha256(text)


def test_vba_project_holds_the_installed_xlwings_module_and_the_ribbon_callbacks(built):
    with ExcelFile(built) as book:
        modules = book.vba_modules()
    assert f"'Version: {xlwings_version()}" in modules["xlwings"]
    assert f"xlwings64-{xlwings_version()}.dll" in modules["xlwings"]
    assert "Sub KinerjaTombol(control As IRibbonControl)" in modules[RIBBON_MODULE]
    assert "Function AdaBerkas(" in modules["KinerjaSistem"]


def test_ribbon_part_is_related_from_the_package_root(built, definition):
    with zipfile.ZipFile(built) as z:
        assert z.read(package.CUSTOMUI_PART) == customui_xml(definition)
        assert package.CUSTOMUI_REL.encode() in z.read("_rels/.rels")
        assert package.MACRO_MAIN.encode() in z.read("[Content_Types].xml")


def test_build_is_deterministic_and_check_detects_staleness(tmp_path):
    a, b = tmp_path / "a.xlsm", tmp_path / "b.xlsm"
    builder.build(out=a)
    builder.build(out=b)
    assert a.read_bytes() == b.read_bytes()
    assert not builder.is_stale(out=a)
    a.write_bytes(a.read_bytes()[:-10])
    assert builder.is_stale(out=a)


def test_committed_workbook_is_fresh():
    assert not builder.is_stale(out=ROOT / "workbook" / "Kinerja_SETWAN.xlsm"), "run `kinerja-xl build` and commit workbook/Kinerja_SETWAN.xlsm"


def test_xlwings_conf_sets_every_key_xlwings_reads_and_only_the_office_choices_are_open(wb):
    """A key missing from the sheet falls through to an xlwings.conf file beside the workbook, where anyone
    who can write to the share could choose the interpreter; ADD_WORKBOOK_TO_PYTHONPATH (true by default in
    xlwings) would put the shared folder first on sys.path."""
    import re

    import xlwings

    ws = wb[N.CONF_SHEET]
    rows = {ws.cell(r, 1).value: (ws.cell(r, 2).value or "", ws.cell(r, 2).protection.locked)
            for r in range(1, ws.max_row + 1)}
    read_by_xlwings = set(re.findall(r'GetConfig\("([^"]+)"', (Path(xlwings.__file__).parent / "xlwings.bas").read_text()))
    windows_only = {k for k in read_by_xlwings if not k.endswith("_MAC") and not k.startswith(("ONEDRIVE", "SHAREPOINT"))
                    and k not in ("TEMP DIR", "SHOW_ERROR_POPUPS")}
    assert windows_only <= {k.upper() for k in rows}
    assert rows["ADD_WORKBOOK_TO_PYTHONPATH"] == ("False", True) and rows["PYTHONPATH"] == ("", True)
    assert {k for k, (_, locked) in rows.items() if not locked} == {"Interpreter_Win", "Use UDF Server", "Show Console"}


def test_excel_is_not_asked_to_recalculate_on_open(built):
    """fullCalcOnLoad (openpyxl's default) or an old calcId makes Excel recalculate, then ask to save on close."""
    import re
    import zipfile

    calc = re.search(r"<calcPr[^>]*>", zipfile.ZipFile(built).read("xl/workbook.xml").decode())[0]
    assert 'fullCalcOnLoad="1"' not in calc and 'calcId="191029"' in calc


def test_system_sheets_are_left_out_of_printing_the_whole_workbook(wb):
    """xlwings.conf hidden (the admin may unhide it to set Interpreter_Win), the internal sheets very hidden;
    what staff print is visible."""
    assert {ws.title: ws.sheet_state for ws in wb if ws.sheet_state != "visible"} == \
        {N.CONF_SHEET: "hidden", N.DEFINITION_SHEET: "veryHidden", N.MAP_SHEET: "veryHidden"}


def test_a_step_sheet_prints_its_header_fields_and_only_the_first_rows_of_a_long_table(wb, definition):
    def rows(name):
        sheet, ref = next(iter(wb.defined_names[name].destinations))
        first, last = ref.replace("$", "").split(":")
        return int("".join(filter(str.isdigit, first))), int("".join(filter(str.isdigit, last)))

    indikator, kelengkapan, reviu = rows("indikator"), rows("kelengkapan"), rows("reviu")
    printed = builder.PRINTED_TABLE_ROWS
    assert wb["3 Input Data"].print_area == f"'3 Input Data'!$A$1:$M${indikator[0] + printed - 1}," \
        f"'3 Input Data'!$A${kelengkapan[0] - 2}:$M${kelengkapan[1]}"  # Kelengkapan: its title, header, rows
    assert wb["4 Verifikasi"].print_area == f"'4 Verifikasi'!$A$1:$H${reviu[0] + printed - 1}"
    for step in definition.steps:
        if not step.tables:  # short sheets print as used
            assert not wb[step.sheet].print_area, step.sheet


def test_xlwings_conf_unhidden_by_the_admin_is_hidden_again_by_the_next_action(cli, book):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb[N.CONF_SHEET].sheet_state = "visible"
    wb.save(book)
    to_step(cli, book, 2)  # an action relocks the sheets (`set` saves only values)
    assert openpyxl.load_workbook(book)[N.CONF_SHEET].sheet_state == "hidden"
