"""The KinerjaSel macros the live adapter calls, as stored in the built workbook, run in two models of
Excel: pyOpenVBA's Excel application and the xlwings stand-in. Each button crosses into Excel through
them, so what they do when Excel refuses part of a write matters as much as the happy path."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from kinerja_xl.domain.locks import Area
from kinerja_xl.domain import names as N
from kinerja_xl.adapters.xlwings_book import XlwingsWorkbook, parse_ref
from tests.fakes import xlwings_standin as standin
from tests.fakes.excel_model import ModelBook
from tests.fakes.vba_host import Formula, typed

MACRO = "KinerjaSel."


@pytest.fixture(params=["excel-model", "stand-in"])
def live(request, book):
    return ModelBook(book) if request.param == "excel-model" else standin.Book(book)


def screen_updating(live) -> bool:
    if isinstance(live, ModelBook):
        return bool(live.excel.evaluate("Application.ScreenUpdating"))
    return live.app._screen_updating


def run(live, name: str, *args):
    """A KinerjaSel macro that succeeded: it answers (True, result)."""
    ok, result = live.macro(MACRO + name)(*args)
    assert ok is True
    return result


def cell(live, sheet: str, ref: str):
    return run(live, "Baca", [sheet], [ref])[0]


def test_peta_gives_every_defined_name_and_the_sheets_in_order(live, book):
    wb = openpyxl.load_workbook(book)
    ref, rows, sheets, read_only = run(live, "Peta", N.NAME_MAP)
    assert read_only is False
    assert ref == "=" + wb.defined_names[N.NAME_MAP].attr_text
    listed = {name: text for name, text in rows if name}
    assert listed == {n: d.attr_text for n, d in wb.defined_names.items() if n != N.NAME_MAP}
    assert list(sheets) == wb.sheetnames


def test_baca_reads_blocks_of_several_sheets_in_one_call(live, book):
    values = run(live, "Baca", ["Pengaturan", "5 Validasi"], ["A1:B2", "B12"])
    wb = openpyxl.load_workbook(book)
    assert values[0] == tuple(tuple(c.value for c in row) for row in wb["Pengaturan"]["A1:B2"])
    assert values[1] == wb["5 Validasi"]["B12"].value  # one cell comes back bare, as COM gives it


def test_tulis_writes_text_numbers_dates_and_blanks_and_returns_the_old_values(live):
    sheet, top, left, _, _ = parse_ref(live_ref(live, "indikator"))
    when = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.timezone.utc)  # wall time, marked UTC as the adapter sends it
    old = run(live, "Tulis", [sheet], "", [sheet], [f"A{top}:C{top + 1}"], [2], [3],
              [1, "Sasaran", "", 2.5, when, "Indikator"], [], [], [])
    assert old == (((None, None, None), (None, None, None)),)
    again = cell(live, sheet, f"A{top}:C{top + 1}")
    assert again == ((1.0, "Sasaran", None), (2.5, when, "Indikator"))
    assert screen_updating(live) is True


def test_a_refused_write_puts_back_what_was_written_and_answers_python_without_a_vba_dialog(live):
    """Beranda is protected and not re-protected for code here: its locked cell refuses the second block.
    The refusal comes back as an answer: an error left to reach Application.Run would stop at Excel's
    End/Debug dialog (VbaErrorDialog in the models)."""
    before = cell(live, "1 Disposisi", "B12")
    answer = live.macro(MACRO + "Tulis")(["1 Disposisi"], "", ["1 Disposisi", "Beranda"], ["B12", "B25"], [1, 1],
                                         [1, 1], ["005/SETWAN", "siapa"], [], [], [])
    assert answer[0] is False and answer[1] == 1004 and "protected" in answer[2]
    assert cell(live, "1 Disposisi", "B12") == before
    assert cell(live, "Beranda", "B25") != "siapa"
    assert screen_updating(live) is True


def test_locks_follow_the_plan_and_survive_the_save(live, book):
    port = XlwingsWorkbook(live)
    port.protect([Area("disposisi_nomor"), Area("perintah_isi")], [Area("perintah_isi")], None)
    port.save()
    wb = openpyxl.load_workbook(book)
    assert wb["1 Disposisi"]["B12"].protection.locked is True
    sheet, top, left, _, _ = parse_ref(wb.defined_names["perintah_isi"].attr_text)
    assert wb[sheet].cell(top, left).protection.locked is False
    assert wb["1 Disposisi"].protection.sheet and wb[sheet].protection.sheet


@pytest.mark.parametrize("text", ["2", "1/2", "01-10-2026 09:05", "TRUE", "50%", "1,234", "=1+1", "'quoted"])
def test_tulis_keeps_strings_as_text_where_excel_would_parse_them(text, book):
    """The stand-in parses strings as Excel does (the first assert shows it would change this one), and
    Tulis marks text so that what is written is what is read back."""
    if not text.startswith("'"):
        assert typed(text) != text
    live = standin.Book(book)
    sheet, top, left, _, _ = parse_ref(live_ref(live, "disposisi_nomor"))
    run(live, "Tulis", [sheet], "", [sheet], [f"B{top}"], [1], [1], [text], [], [], [])
    assert cell(live, sheet, f"B{top}") == text


def test_the_stand_in_parses_strings_as_excel_does_under_en_us():
    """Microsoft: Excel turns entries that look like dates or numbers into dates and numbers; month first
    under en-US; an apostrophe keeps text; an impossible date stays text."""
    assert typed("01-10-2026 09:05") == dt.datetime(2026, 1, 10, 9, 5)
    assert typed("1/2", this_year=2026) == dt.datetime(2026, 1, 2)
    assert typed("2") == 2.0 and typed("005") == 5.0 and typed("1,234.5") == 1234.5 and typed("50%") == 0.5
    assert typed("true") is True and typed("'2") == "2" and typed("=1+1") == Formula("=1+1")
    assert typed("13-10-2026") == "13-10-2026" and typed("005/SETWAN/X/2026") == "005/SETWAN/X/2026"


def test_peta_says_when_excel_opened_the_file_read_only(book):
    live = standin.Book(book, read_only=True)
    assert run(live, "Peta", N.NAME_MAP)[3] is True


def live_ref(live, name: str) -> str:
    return XlwingsWorkbook(live).names()[name]



def test_the_stand_in_writes_names_as_excel_does_quoting_only_where_needed():
    from tests.fakes.xlwings_standin import excel_name_text

    assert excel_name_text("'Beranda'!$A$19:$I$23") == "Beranda!$A$19:$I$23"
    assert excel_name_text("'_peta'!$A$1:$B$9") == "_peta!$A$1:$B$9"
    assert excel_name_text("'1 Disposisi'!$B$12") == "'1 Disposisi'!$B$12"
    assert excel_name_text("'A1'!$B$2") == "'A1'!$B$2" and excel_name_text("'R1C1'!$B$2") == "'R1C1'!$B$2"
    assert excel_name_text("'Ka''s'!$B$2") == "'Ka''s'!$B$2"


def test_check_passes_after_excel_rewrote_the_name_texts(book, cli):
    """`_peta` keeps the names as built ('Beranda'!…); Excel's save drops the quotes from the names themselves."""
    live = standin.Book(book)
    live.save()
    assert "'Beranda'!" not in " ".join(live.defined.values())
    assert cli("check", book).code == 0
