"""An action on a workbook that is byte for byte what kinerja-xl saved last (its sidecar names the file's SHA-256)
does not prove the completed steps' data again, so it reads no sheet it does not need; anything else is proven
before acting, and a signature always is (issue 19: incremental integrity bookkeeping)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from zoneinfo import ZoneInfo

import pytest

from kinerja_xl.adapters import anchor_file
from kinerja_xl.adapters.part_book import PartWorkbook
from kinerja_xl.domain import names as N
from kinerja_xl.domain.commands import ShowStatus
from kinerja_xl.service.handlers import handle
from kinerja_xl.service.reading import Env
from kinerja_xl.service.unit_of_work import FileUnitOfWork
from tests.flow import tamper, to_step
from tests.integration.test_integrity import set_cell

TABLE_SHEET = "3 Input Data"
CHANGED = "Data langkah yang sudah dikunci telah berubah"


def _sidecar(book) -> dict:
    return json.loads(anchor_file.sidecar_path(book).read_text(encoding="utf-8"))


def _sha(book) -> str:
    return hashlib.sha256(book.read_bytes()).hexdigest()


def _restamp(book) -> None:
    """What a forger who also edits the sidecar does: name the edited file as the last one saved."""
    data = _sidecar(book)
    data["sha256_buku_kerja"] = _sha(book)
    anchor_file.sidecar_path(book).write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def at_step4(cli, book):
    to_step(cli, book, 4)
    return book


def _sheets_read_by_status(book) -> set[str]:
    with FileUnitOfWork(book, write=False) as uow:
        assert isinstance(uow.book, PartWorkbook)
        handle(ShowStatus(), uow, Env(lambda: dt.datetime(2026, 10, 6, 9, tzinfo=ZoneInfo("Asia/Makassar"))))
        return set(uow.book._sheets)


def test_every_save_names_its_bytes_in_the_sidecar(cli, at_step4):
    assert _sidecar(at_step4)["sha256_buku_kerja"] == _sha(at_step4)  # after a logged action (submit)
    assert cli("set", at_step4, "verifikasi_tanggal=06-10-2026", "--as", "ridha", now="2026-10-06T09:00").code == 0
    assert _sidecar(at_step4)["sha256_buku_kerja"] == _sha(at_step4)  # and after a save that logs nothing


def test_status_on_the_file_as_saved_reads_no_table_sheet(at_step4):
    assert TABLE_SHEET not in _sheets_read_by_status(at_step4)


def test_status_on_a_file_changed_elsewhere_proves_the_completed_steps(cli, at_step4):
    tamper(at_step4, set_cell("indikator", 0, 4, 55))  # saved by another program: the sidecar no longer names it
    r = cli("status", at_step4, now="2026-10-06T09:00")
    assert r.code != 0 and CHANGED in r.err + r.out


def test_a_changed_completed_step_is_refused_before_verify(cli, at_step4):
    tamper(at_step4, set_cell("indikator", 0, 4, 55))
    before = at_step4.read_bytes()
    r = cli("verify", at_step4, "--as", "ridha", now="2026-10-06T09:05")
    assert r.code != 0 and CHANGED in r.err + r.out
    assert at_step4.read_bytes() == before


def test_a_forged_sidecar_does_not_carry_changed_data_into_a_signature(cli, at_step4):
    """The documented limit (docs/integrity.md): a forger who edits a completed step and restamps the sidecar gets
    past the steps that do not sign, but the validation proves every completed step again and refuses."""
    tamper(at_step4, set_cell("indikator", 0, 4, 55))
    _restamp(at_step4)
    review = [f"reviu[{i}].hasil=sesuai" for i in range(1, 9)]
    assert cli("set", at_step4, "verifikasi_tanggal=06-10-2026", *review, "--as", "ridha", now="2026-10-06T09:00").code == 0
    assert cli("verify", at_step4, "--as", "ridha", now="2026-10-06T09:05").code == 0
    assert cli("set", at_step4, "validasi_tempat=Paringin", "validasi_tanggal=07-10-2026", "--as", "ardiansyah",
               now="2026-10-07T10:00").code == 0
    before = at_step4.read_bytes()
    r = cli("validate", at_step4, "--as", "ardiansyah", now="2026-10-07T10:05")
    assert r.code != 0 and CHANGED in r.err + r.out and "langkah 3" in r.err + r.out
    assert at_step4.read_bytes() == before
    assert cli("check", at_step4).code != 0  # and check names the edit whatever the sidecar says
