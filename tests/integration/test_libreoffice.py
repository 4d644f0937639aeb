"""LibreOffice as a second real engine: it prints the workbook, saves it as a user would (and the file still
checks clean and takes the next action), and runs the workbook's own KinerjaSel macros in Basic with VBA support.

One soffice per module (`office`), driven over UNO (tests/fakes/libreoffice.py). Missing tools fail the test
with what to install (`.ci/run`), nothing is skipped.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil

import openpyxl
import pytest
from zoneinfo import ZoneInfo

from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.adapters.refs import parse_ref
from kinerja_xl.adapters.vba_sources import CELL_MODULE, asset, vba_modules
from kinerja_xl.adapters.xlwings_book import XlwingsWorkbook
from kinerja_xl.builder import assemble as builder
from kinerja_xl.domain import names as N
from kinerja_xl.entrypoints.cli import main
from tests.conftest import SAMPLE_CSV, named_cells, prepared_folder
from tests.fakes.libreoffice import UJI_MODULE, LibreBook, cell_module_for_libreoffice
from tests.flow import KELENGKAPAN, STEP1, STEP2, to_step, only_unsigned_note
from tests.readers import part, pdf_pages, pdf_text, to_pdf, vba_body, vba_sources

CUSTOMUI = "customUI/customUI14.xml"
WITA = ZoneInfo("Asia/Makassar")
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


@pytest.fixture(scope="module")
def mid_folder(tmp_path_factory, demo_bytes):
    """A workbook after step 1 and step 2 were sent (with its sidecar); each test copies the folder."""
    return prepared_folder(tmp_path_factory, demo_bytes, "mid", lambda run, book: to_step(run, book, 3))


@pytest.fixture
def mid(mid_folder, tmp_path):
    shutil.copytree(mid_folder, tmp_path / "kerja")
    return tmp_path / "kerja" / "Kinerja_SETWAN.xlsm"


# -- printing ----------------------------------------------------------------------------------------

def test_libreoffice_opens_the_workbook_and_prints_every_sheet(tmp_path, definition):
    book = builder.build(out=tmp_path / "Kinerja_SETWAN.xlsm")
    pdf = to_pdf(book, tmp_path)
    text = pdf_text(pdf)
    for expected in ("SOP PENGUMPULAN DATA KINERJA", "SOP Mekanisme Pengumpulan Data Kinerja",
                     "Sekretariat DPRD Kabupaten Balangan", "Status Pelaksanaan", "Capaian (%)", "Halaman 1 dari",
                     *(s.activity[:40] for s in definition.steps)):
        assert expected in " ".join(text.split()), expected
    assert len(pdf_pages(pdf, tmp_path / "page")) >= len(definition.steps) + 2


def test_libreoffice_reads_a_workbook_after_workflow_actions(tmp_path, cli, book):
    cli("set", book, "disposisi_nomor=005/SETWAN/X/2026", "disposisi_tanggal=01-10-2026",
        "disposisi_kepada=Kepala Bagian", "disposisi_isi=Segera", "--as", "ardiansyah", now="2026-10-01T09:00")
    assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    text = " ".join(pdf_text(to_pdf(book, tmp_path)).split())
    assert "005/SETWAN/X/2026" in text and "ARDIANSYAH, S.AP (Definitif)" in text


# -- open and save -----------------------------------------------------------------------------------

def test_saved_by_libreoffice_the_workbook_keeps_its_macros_and_ribbon(office, built, tmp_path):
    """The filter "Calc MS Excel 2007 VBA XML" writes xl/vbaProject.bin again (LibreOffice's own writer,
    from the modules it imported) and the customUI part as it was, still related from _rels/.rels."""
    saved = office.save_as_user(shutil.copy(built, tmp_path / "Kinerja_SETWAN.xlsm"))
    modules = vba_sources(saved)
    for name, source in vba_modules().items():
        assert vba_body(modules[name]) == vba_body(source), name
    assert part(saved, CUSTOMUI) == part(built, CUSTOMUI)
    rels = part(saved, "_rels/.rels").decode()
    assert re.search(f'Type="{re.escape(RIBBON_REL)}" Target="{CUSTOMUI}"', rels), rels
    assert b"application/vnd.ms-office.vbaProject" in part(saved, "[Content_Types].xml")
    assert main(["check", str(saved)]) == 0


def next_action_fresh(cli, book):
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    return cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05")


def next_action_mid(cli, book):
    assert cli("import", book, SAMPLE_CSV, "--as", "rahmah", now="2026-10-05T10:00").code == 0
    assert cli("set", book, *KELENGKAPAN, "--as", "rahmah", now="2026-10-05T10:05").code == 0
    return cli("submit", book, "--as", "rahmah", now="2026-10-05T10:10")


@pytest.mark.parametrize("stage", ["fresh", "mid"])
def test_saved_by_libreoffice_the_workbook_checks_clean_and_takes_the_next_action(office, cli, book, mid, stage):
    path, action = (book, next_action_fresh) if stage == "fresh" else (mid, next_action_mid)
    office.save_as_user(path)
    r = cli("check", path)
    assert r.code == 0 and "Tidak ada perubahan" in r.out, r.out + r.err
    r = action(cli, path)
    assert r.code == 0, r.out + r.err
    r = cli("check", path)
    assert r.code == 0 and "Tidak ada perubahan" in r.out and only_unsigned_note(r.out), r.out + r.err
    wb = openpyxl.load_workbook(path)  # what LibreOffice dropped, the next action puts back
    assert {ws.title: ws.sheet_state for ws in wb if ws.sheet_state != "visible"} == \
        {N.CONF_SHEET: "hidden", N.DEFINITION_SHEET: "veryHidden", N.MAP_SHEET: "veryHidden"}
    assert wb.security.lockStructure


def test_what_libreoffice_changes_when_it_saves(office, mid_folder, mid):
    """The engine's rewrites that `check` and the next action must read through (each seen in the saved XML):
    name texts without needless quotes, very hidden sheets merely hidden, the workbook's structure lock and the
    code names dropped, date formats re-escaped. And what it keeps: sheets, names, protection, locked cells."""
    original = mid_folder / "Kinerja_SETWAN.xlsm"
    saved = office.save_as_user(mid)
    workbook_xml = part(saved, "xl/workbook.xml").decode()
    assert ">Beranda!$A$19:$I$23</definedName>" in workbook_xml  # was 'Beranda'!$A$19:$I$23
    assert "<workbookProtection/>" in workbook_xml  # was <workbookProtection lockStructure="1" />
    assert "codeName" not in workbook_xml  # was <workbookPr codeName="ThisWorkbook"/>
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(saved)
    assert after.sheetnames == before.sheetnames
    assert {n: parse_ref(d.attr_text) for n, d in after.defined_names.items()} == \
        {n: parse_ref(d.attr_text) for n, d in before.defined_names.items()}  # nothing added (no _xlnm.*)
    assert {ws.title: ws.sheet_state for ws in before if ws.sheet_state != "visible"} == \
        {N.CONF_SHEET: "hidden", N.DEFINITION_SHEET: "veryHidden", N.MAP_SHEET: "veryHidden"}
    assert {ws.title: ws.sheet_state for ws in after if ws.sheet_state != "visible"} == \
        {N.CONF_SHEET: "hidden", N.DEFINITION_SHEET: "hidden", N.MAP_SHEET: "hidden"}
    assert named_cells(after, "disposisi_tanggal")[0][0].number_format == "dd\\-mm\\-yyyy"  # was DD-MM-YYYY
    for ws in before:
        other = after[ws.title]
        assert other.protection.sheet == ws.protection.sheet, ws.title
        assert other.protection.formatColumns == ws.protection.formatColumns, ws.title
        locked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked}
        assert locked == {c.coordinate for row in other.iter_rows() for c in row if c.protection.locked}, ws.title


def test_a_value_changed_in_libreoffice_is_still_found(office, cli, mid):
    """A real tamper made with the engine itself: sheet protection lifted, one locked value typed over, saved."""
    doc = office.open(mid)
    try:
        sheet = doc.sheet("1 Disposisi")
        sheet.unprotect("")
        sheet.getCellRangeByName("B12").setString("006/SETWAN/X/2026")
        sheet.protect("")
        doc.store()
    finally:
        doc.close()
    r = cli("check", mid)
    assert r.code == 1 and "'1 Disposisi'!B12 (Nomor Surat Disposisi) diubah" in r.out, r.out


def test_a_boolean_saved_by_libreoffice_still_reads_as_a_boolean(office, cli, book):
    """Staff typed TRUE into a text cell in Excel: Excel stores <c t="b"><v>1</v></c>. Calc has no boolean cell,
    so LibreOffice keeps it as the formula =TRUE() and writes <c t="b"><f>TRUE()</f><v>1</v></c>; the file
    adapter reads that back as the boolean, as Excel and the live adapter do."""
    assert cli("set", book, *[a for a in STEP1 if not a.startswith("disposisi_isi")], "--as", "ardiansyah",
               now="2026-10-01T09:00").code == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    named_cells(wb, "disposisi_isi")[0][0].value = True
    wb.save(book)
    assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    office.save_as_user(book)
    cell = re.search(r'<c r="B15"[^>]*>.*?</c>', part(book, "xl/worksheets/sheet3.xml").decode()).group(0)
    assert 't="b"' in cell and "<f" in cell and "TRUE()</f>" in cell, cell
    with FileWorkbook.reading(book) as port:
        assert port.read(["disposisi_isi"])["disposisi_isi"].value() is True
    r = cli("check", book)
    assert r.code == 0, r.out
    assert cli("set", book, *STEP2, "--as", "ridha", now="2026-10-02T08:00").code == 0
    assert cli("submit", book, "--as", "ridha", now="2026-10-02T08:05").code == 0
    assert cli("check", book).code == 0


def test_a_note_that_looks_like_a_formula_stays_text_through_libreoffice(office, cli, book):
    """Text is written as text: '=TRUE()' in the log is neither evaluated by the engine nor read as a boolean."""
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    assert cli("submit", book, "--as", "ardiansyah", "--note", "=TRUE()", now="2026-10-01T09:05").code == 0
    office.save_as_user(book)
    with FileWorkbook.reading(book) as port:
        assert port.read([N.LOG])[N.LOG].values[0][9] == "=TRUE()"
    assert cli("check", book).code == 0


def test_a_number_with_more_than_15_significant_digits_survives_a_libreoffice_save(office, cli, mid):
    """LibreOffice writes 15 significant digits (85.33333333333333 -> 85.3333333333333); Excel keeps 15 of what
    is typed, and so does the CLI, so the step's digest still matches after the save."""
    assert cli("import", mid, SAMPLE_CSV, "--as", "rahmah", now="2026-10-05T10:00").code == 0
    assert cli("set", mid, *KELENGKAPAN, "indikator[1].realisasi_tw4=85,3333333333333333", "--as", "rahmah",
               now="2026-10-05T10:05").code == 0
    assert cli("submit", mid, "--as", "rahmah", now="2026-10-05T10:10").code == 0
    office.save_as_user(mid)
    assert "<v>85.3333333333333</v>" in part(mid, "xl/worksheets/sheet5.xml").decode()
    r = cli("check", mid)
    assert r.code == 0, r.out


# -- the workbook's own macros in LibreOffice Basic ------------------------------------------------------

@pytest.fixture
def basic(office, mid):
    """The mid-workflow workbook open in LibreOffice, with KinerjaSel (ReadOnly stubbed) and the test's
    marshalling module in a Basic library of their own (LibreOffice cannot compile xlwings' module)."""
    doc = office.open(mid)
    doc.add_basic({CELL_MODULE: cell_module_for_libreoffice(asset(CELL_MODULE)), "Uji": UJI_MODULE})
    yield doc
    doc.close()


def test_libreoffice_finds_kinerjasel_in_the_built_vba_project_as_written(office, built, tmp_path):
    doc = office.open(shutil.copy(built, tmp_path / "Kinerja_SETWAN.xlsm"))
    try:
        imported = doc.basic_source("VBAProject", CELL_MODULE)
    finally:
        doc.close()
    assert vba_body(imported) == vba_body(asset(CELL_MODULE))


def test_peta_as_shipped_answers_libreoffices_missing_readonly_as_a_refusal(office, mid):
    """Excel's Workbook has ReadOnly; LibreOffice's VBA Workbook has not. Peta's error handler answers the
    refusal (False, number, description) instead of raising: the shape XlwingsWorkbook turns into a message."""
    doc = office.open(mid)
    try:
        doc.add_basic({CELL_MODULE: asset(CELL_MODULE)})
        answer = doc.call(CELL_MODULE, "Peta", N.NAME_MAP)
    finally:
        doc.close()
    assert answer[0] is False and int(answer[1]) == 423 and "ReadOnly" in answer[2], answer


def test_peta_and_baca_in_libreoffice_agree_with_openpyxl(basic, mid):
    """The live adapter over LibreOffice (one Peta, one Baca for every block `check` reads) against the file
    adapter over openpyxl: the same sheets, names (by place: LibreOffice, like Excel, drops needless quotes)
    and values, dates included."""
    live = XlwingsWorkbook(LibreBook(basic))
    with FileWorkbook.reading(mid) as file:
        wanted = list(file.names())
        expected = file.read(wanted)
        expected_refs = file.names()
        sheets = file.sheet_names()
    assert live.sheet_names() == sheets
    assert {k: parse_ref(v) for k, v in live.names().items()} == {k: parse_ref(v) for k, v in expected_refs.items()}
    assert live.read_only() is False
    got = live.read(wanted)
    assert live.book.calls == ["Peta", "Baca"]
    for name in wanted:
        assert got[name] == expected[name], name
    assert isinstance(got["disposisi_tanggal"].value(), dt.datetime)
    assert got["disposisi_tanggal"].value() == dt.datetime(2026, 10, 1)


def test_peta_in_libreoffice_tells_a_read_only_copy(office, mid):
    doc = office.open(mid, read_only=True)
    try:
        doc.add_basic({CELL_MODULE: cell_module_for_libreoffice(asset(CELL_MODULE)), "Uji": UJI_MODULE})
        assert XlwingsWorkbook(LibreBook(doc)).read_only() is True
    finally:
        doc.close()


# -- a ribbon button pressed in LibreOffice: the live adapter's whole path (Peta, Baca, Tulis, save) --------

class Dialogs:
    title = ""

    def __init__(self):
        self.shown: list[tuple[str, str]] = []

    def info(self, text: str) -> None:
        self.shown.append(("info", text))

    def error(self, text: str) -> None:
        self.shown.append(("error", text))

    def ask_note(self, prompt: str) -> str | None:
        raise AssertionError(f"no note was expected: {prompt}")


# As staff type step 1 into the sheet. The date in ISO form: this profile's locale (en-US) reads
# 01-10-2026 as text, and Calc then gives the date cell the Text format (@), unlike Excel in Indonesian.
TYPED = {"B12": "005/SETWAN/X/2026", "B13": "2026-10-01", "B14": "Kepala Bagian", "B15": "Segera input data kinerja"}


def press_in_libreoffice(office, path, monkeypatch, *, protect: bool) -> tuple[Dialogs, LibreBook]:
    """Staff type step 1 and press "Kirim Disposisi" in the workbook open in LibreOffice (saved by the action)."""
    from kinerja_xl.entrypoints import live

    monkeypatch.setenv("USERNAME", "ardiansyah")
    doc = office.open(path)
    try:
        doc.add_basic({CELL_MODULE: cell_module_for_libreoffice(asset(CELL_MODULE), protect=protect), "Uji": UJI_MODULE})
        sheet = doc.sheet("1 Disposisi")
        for cell, text in TYPED.items():
            sheet.getCellRangeByName(cell).setFormula(text)
        ui, book = Dialogs(), LibreBook(doc)
        live.press(book, "L1_submit", clock=lambda: dt.datetime(2026, 10, 1, 9, 5, tzinfo=WITA), dialogs=ui)
        return ui, book
    finally:
        doc.close()


def test_a_button_pressed_in_libreoffice_does_what_the_cli_does(office, cli, book, demo_bytes, tmp_path, monkeypatch):
    """The ribbon path over LibreOffice Basic: KinerjaSel's Peta, Baca and one Tulis (protecting the sheet with
    UserInterfaceOnly, writing, locking), then the document saved. The file checks clean and holds what the CLI
    writes for the same input: the same step data and the same log row, hash included."""
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    pressed = tmp_path / "lo" / "Kinerja_SETWAN.xlsm"
    pressed.parent.mkdir()
    pressed.write_bytes(demo_bytes)
    ui, lo_book = press_in_libreoffice(office, pressed, monkeypatch, protect=True)
    assert ui.shown == [("info", "Langkah 1 (1 Disposisi): Kirim Disposisi berhasil dicatat. Berikutnya: langkah 2 "
                                 "(2 Perintah) oleh Kepala Bagian (MUHAMMAD RIDHA, S.E.).")], ui.shown
    assert lo_book.calls == ["Peta", "Baca", "Baca", "Tulis"]  # the definition (with the VBA version), the period
    r = cli("check", pressed)
    assert r.code == 0 and "Tidak ada perubahan" in r.out and only_unsigned_note(r.out), r.out
    step1 = ["aksi_1", "disposisi_nomor", "disposisi_tanggal", "disposisi_kepada", "disposisi_isi"]
    with FileWorkbook.reading(book) as a, FileWorkbook.reading(pressed) as b:
        assert b.read([N.LOG])[N.LOG].values[0] == a.read([N.LOG])[N.LOG].values[0]
        assert b.read(step1) == a.read(step1)
    wb = openpyxl.load_workbook(pressed)
    assert wb["1 Disposisi"].protection.sheet and named_cells(wb, "disposisi_nomor")[0][0].protection.locked


def test_a_refusal_by_libreoffice_reaches_the_user_and_nothing_is_saved(office, demo_bytes, tmp_path, monkeypatch):
    """KinerjaSel as shipped asks Worksheet.Protect for AllowFormattingColumns, which LibreOffice does not know:
    Tulis answers the refusal (448) instead of raising, the adapter turns it into a message, nothing is saved."""
    path = tmp_path / "Kinerja_SETWAN.xlsm"
    path.write_bytes(demo_bytes)
    ui, lo_book = press_in_libreoffice(office, path, monkeypatch, protect=False)
    assert lo_book.calls[-1] == "Tulis" and len(ui.shown) == 1
    kind, text = ui.shown[0]
    assert kind == "error" and "Named argument not found" in text and "(kode 448)" in text and "Tidak ada yang berubah" in text
    assert path.read_bytes() == demo_bytes
    assert not path.with_name(path.name + ".anchor.json").exists()
