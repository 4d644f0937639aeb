"""A signed workbook saved by LibreOffice (issue 17): the public keys, fingerprints and base64 signatures (with
their `+`, `/` and `=`) stay text, `check --kunci` is still clean, and the next signed action works.

One soffice for the module (tests/fakes/libreoffice.py), as in test_libreoffice.py; missing tools fail the
test with what to install, nothing is skipped.
"""
from __future__ import annotations

import json

import openpyxl
import pytest

from kinerja_xl.domain import names as N
from kinerja_xl.domain import signing
from tests.conftest import SAMPLE_CSV, named_cells
from tests.flow import KELENGKAPAN, log_rows, to_step
from tests import keys

SIGNATURE_COLUMN = 13


@pytest.fixture(scope="module")
def signed_mid_folder(tmp_path_factory, demo_bytes):
    """Keys made and registered by every official, the office's registry kept, steps 1 and 2 signed and sent."""
    return keys.signed_folder(tmp_path_factory, demo_bytes, "signed_mid", lambda run, book: to_step(run, book, 3))


@pytest.fixture
def signed_mid(signed_mid_folder, tmp_path, monkeypatch):
    return keys.signed_copy(signed_mid_folder, tmp_path, monkeypatch)


def registered(book) -> dict[str, str]:
    data = json.loads((book.parent / "daftar_kunci.json").read_text(encoding="utf-8"))
    return {k["pengguna"]: k["kunci_publik"] for k in data["kunci"]}


def key_table(book) -> list[list]:
    return [[c.value for c in row] for row in named_cells(openpyxl.load_workbook(book), N.KEYS) if row[0].value]


def signature_cells(book) -> list:
    return [row[SIGNATURE_COLUMN] for row in named_cells(openpyxl.load_workbook(book), N.LOG) if row[0].value is not None]


def test_a_signed_workbook_saved_by_libreoffice_still_checks_clean_and_takes_the_next_signed_action(
        office, cli, signed_mid):
    registry = signed_mid.parent / "daftar_kunci.json"
    keys_before, rows_before = key_table(signed_mid), log_rows(signed_mid)
    signatures = [r[SIGNATURE_COLUMN] for r in rows_before]
    publics = [r[1] for r in keys_before]
    assert len(signatures) == 2 and len(keys_before) == 4
    # what could make a spreadsheet engine read text as something else is there to be kept
    assert all(s.endswith("==") for s in signatures)
    assert any(c in text for text in signatures + publics for c in "+/"), signatures + publics
    assert cli("check", signed_mid, "--kunci", registry).code == 0

    office.save_as_user(signed_mid)

    assert key_table(signed_mid) == keys_before  # public keys and fingerprints, as typed text
    assert log_rows(signed_mid) == rows_before
    assert all(c.data_type == "s" and isinstance(c.value, str) for c in signature_cells(signed_mid))
    r = cli("check", signed_mid, "--kunci", registry)
    assert r.code == 0, r.out + r.err
    assert "tidak sah" not in r.out and "ditandatangani penjaga 'inspektorat'" in r.out

    assert cli("import", signed_mid, SAMPLE_CSV, "--as", "rahmah", now="2026-10-05T10:00").code == 0
    assert cli("set", signed_mid, *KELENGKAPAN, "--as", "rahmah", now="2026-10-05T10:05").code == 0
    r = cli("submit", signed_mid, "--as", "rahmah", now="2026-10-05T10:10")
    assert r.code == 0, r.out + r.err
    rows = log_rows(signed_mid)
    assert len(rows) == 3 and rows[:2] == rows_before
    keys = registered(signed_mid)
    for row in rows:
        assert signing.hash_signed(keys[row[2]], row[12], row[SIGNATURE_COLUMN]), row
    r = cli("check", signed_mid, "--kunci", registry)
    assert r.code == 0, r.out + r.err


def test_a_signature_changed_in_libreoffice_is_named(office, cli, signed_mid):
    """The same engine as the forger's tool: one character of a signature typed over, the workbook saved."""
    wb = openpyxl.load_workbook(signed_mid)
    sheet, _ = next(iter(wb.defined_names[N.LOG].destinations))
    cell = named_cells(wb, N.LOG)[1][SIGNATURE_COLUMN].coordinate
    old = named_cells(wb, N.LOG)[1][SIGNATURE_COLUMN].value
    forged = ("B" if old[0] == "A" else "A") + old[1:]
    doc = office.open(signed_mid)
    try:
        log = doc.sheet(sheet)
        log.unprotect("")
        log.getCellRangeByName(cell).setString(forged)
        log.protect("")
        doc.store()
    finally:
        doc.close()
    assert signature_cells(signed_mid)[1].value == forged
    r = cli("check", signed_mid)
    assert r.code == 1
    assert "Log baris 3" in r.out and "tanda tangan elektronik tidak sah" in r.out, r.out
