"""One contract for every adapter: the two file adapters (openpyxl, the reference, and the part-level one) on real
files, and xlwings over the faithful stand-in and over pyOpenVBA's Excel."""
from __future__ import annotations

import datetime as dt
import inspect

import pytest
import xlwings

from kinerja_xl.domain.locks import Area
from kinerja_xl.domain import names as N
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.adapters.part_book import PartWorkbook
from kinerja_xl.adapters.xlwings_book import XlwingsWorkbook
from tests.fakes import xlwings_standin as standin
from tests.fakes.excel_model import ModelBook


@pytest.fixture(params=["openpyxl", "bagian", "xlwings", "excel-model"])
def reopen(request, book):
    """A function giving a fresh port on the same workbook, as the next action would see it: the two file
    adapters; the live adapter over the xlwings stand-in; the live adapter over pyOpenVBA's Excel."""
    if request.param == "openpyxl":
        return lambda: FileWorkbook.open(book)
    if request.param == "bagian":
        return lambda: PartWorkbook.open(book)
    if request.param == "excel-model":
        return lambda: XlwingsWorkbook(ModelBook(book))
    live = standin.Book(book)
    return lambda: XlwingsWorkbook(live)


def test_names_and_sheets_match_the_workbook(reopen, definition):
    port = reopen()
    assert {"indikator", N.LOG, N.STATUS, "disposisi_nomor"} <= set(port.names())
    assert port.names()["indikator"] == "'3 Input Data'!$A$13:$M$212"
    assert port.sheet_names()[:3] == ["Beranda", "Pengaturan", "1 Disposisi"]


def test_read_gives_values_and_where_they_are(reopen):
    blocks = reopen().read(["indikator", N.OFFICIALS, N.META_SOP])
    assert blocks["indikator"].sheet == "3 Input Data" and blocks["indikator"].at(0, 5) == "'3 Input Data'!F13"
    assert (blocks["indikator"].height, blocks["indikator"].width) == (200, 13)
    assert blocks[N.OFFICIALS].values[0][0] == "ARDIANSYAH, S.AP"
    assert blocks[N.META_SOP].value() == "SOP-01-SETWAN"


def test_writes_are_saved_and_read_back_equal_as_digests_see_them(reopen):
    from kinerja_xl.domain.digest import canonical

    port = reopen()
    port.write("disposisi_nomor", [["005/SETWAN"]])
    port.write("disposisi_tanggal", [[dt.date(2026, 10, 1)]])
    port.write(N.LOG, [[1, "2026-10-01T09:00:00+08:00", "u"]], row_offset=2)
    port.write("indikator", [[1, "S", "I", "%", "naik", 100, 24.5]])
    port.save()
    again = reopen().read(["disposisi_nomor", "disposisi_tanggal", N.LOG, "indikator"])
    assert again["disposisi_nomor"].value() == "005/SETWAN"
    assert canonical(again["disposisi_tanggal"].value()) == "2026-10-01"
    assert [canonical(v) for v in again[N.LOG].values[2][:3]] == ["1", "2026-10-01T09:00:00+08:00", "u"]
    assert [canonical(v) for v in again["indikator"].values[0][:7]] == ["1", "S", "I", "%", "naik", "100", "24.5"]


def test_protect_locks_everything_but_the_given_areas(reopen, book, definition):
    import openpyxl

    from kinerja_xl.domain.locks import all_input_names
    from tests.conftest import named_cells

    port = reopen()
    port.protect([Area(n) for n in all_input_names(definition)], [Area("perintah_isi"), Area("indikator", 5, 1)], None)
    port.write(N.TURN, [["x"]])
    port.save()
    wb = openpyxl.load_workbook(book)
    assert named_cells(wb, "perintah_isi")[0][0].protection.locked is False
    assert named_cells(wb, "disposisi_nomor")[0][0].protection.locked is True
    row = named_cells(wb, "indikator")[0]
    assert [c.protection.locked for c in row[4:7]] == [True, False, True]
    assert all(wb[s].protection.sheet for s in wb.sheetnames if s != N.CONF_SHEET)


@pytest.mark.parametrize("ours, theirs", [
    (standin.App.alert, xlwings.main.App.alert), (standin.Book.save, xlwings.main.Book.save),
    (standin.Book.macro, xlwings.main.Book.macro), (standin.Macro.run, xlwings.main.Macro.run),
    (standin.Sheets.__getitem__, xlwings.main.Sheets.__getitem__),
])
def test_the_stand_in_mirrors_xlwings_signatures(ours, theirs):
    strip = lambda sig: [(p.name, p.kind, p.default) for p in sig.parameters.values()]  # noqa: E731
    assert strip(inspect.signature(ours)) == strip(inspect.signature(theirs))


@pytest.mark.parametrize("prop", ["screen_updating", "status_bar"])
def test_the_stand_in_has_the_app_properties_xlwings_has(prop):
    assert isinstance(getattr(xlwings.main.App, prop), property)
    assert isinstance(getattr(standin.App, prop), property)
    for attr in ("app", "fullname", "name"):
        assert isinstance(getattr(xlwings.main.Book, attr), property)
        assert isinstance(getattr(standin.Book, attr), property)
