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
from tests.fakes.vba_host import ComError

MACRO = "KinerjaSel."


@pytest.fixture(params=["excel-model", "stand-in"])
def live(request, book):
    return ModelBook(book) if request.param == "excel-model" else standin.Book(book)


def screen_updating(live) -> bool:
    if isinstance(live, ModelBook):
        return bool(live.excel.evaluate("Application.ScreenUpdating"))
    return live.app._screen_updating


def cell(live, sheet: str, ref: str):
    return live.macro(MACRO + "Baca")([sheet], [ref])[0]


def test_peta_gives_every_defined_name_and_the_sheets_in_order(live, book):
    wb = openpyxl.load_workbook(book)
    ref, rows, sheets = live.macro(MACRO + "Peta")(N.NAME_MAP)
    assert ref == "=" + wb.defined_names[N.NAME_MAP].attr_text
    listed = {name: text for name, text in rows if name}
    assert listed == {n: d.attr_text for n, d in wb.defined_names.items() if n != N.NAME_MAP}
    assert list(sheets) == wb.sheetnames


def test_baca_reads_blocks_of_several_sheets_in_one_call(live, book):
    values = live.macro(MACRO + "Baca")(["Pengaturan", "5 Validasi"], ["A1:B2", "B12"])
    wb = openpyxl.load_workbook(book)
    assert values[0] == tuple(tuple(c.value for c in row) for row in wb["Pengaturan"]["A1:B2"])
    assert values[1] == wb["5 Validasi"]["B12"].value  # one cell comes back bare, as COM gives it


def test_tulis_writes_text_numbers_dates_and_blanks_and_returns_the_old_values(live):
    sheet, top, left, _, _ = parse_ref(live_ref(live, "indikator"))
    when = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.timezone.utc)  # wall time, marked UTC as the adapter sends it
    old = live.macro(MACRO + "Tulis")([sheet], "", [sheet], [f"A{top}:C{top + 1}"], [2], [3],
                                      [1, "Sasaran", "", 2.5, when, "Indikator"], [], [], [])
    assert old == (((None, None, None), (None, None, None)),)
    again = cell(live, sheet, f"A{top}:C{top + 1}")
    assert again == ((1.0, "Sasaran", None), (2.5, when, "Indikator"))
    assert screen_updating(live) is True


def test_a_refused_write_puts_back_what_was_written_and_reaches_python(live):
    """Beranda is protected and not re-protected for code here: its locked cell refuses the second block."""
    before = cell(live, "1 Disposisi", "B12")
    with pytest.raises(ComError):
        live.macro(MACRO + "Tulis")(["1 Disposisi"], "", ["1 Disposisi", "Beranda"], ["B12", "B25"], [1, 1], [1, 1],
                                    ["005/SETWAN", "siapa"], [], [], [])
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


def live_ref(live, name: str) -> str:
    return XlwingsWorkbook(live).names()[name]
