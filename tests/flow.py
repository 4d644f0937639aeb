"""Driving a workbook through the SOP with the CLI, shared by the end-to-end and integrity tests."""
from __future__ import annotations

import openpyxl

from kinerja_xl.domain import names as N
from tests.conftest import SAMPLE_CSV, named_cells

STEP1 = ["disposisi_nomor=005/SETWAN/X/2026", "disposisi_tanggal=01-10-2026", "disposisi_kepada=Kepala Bagian",
         "disposisi_isi=Segera input data kinerja"]
STEP2 = ["perintah_kepada=Kasubbag Perencanaan", "perintah_tanggal=02-10-2026", "perintah_isi=Input data kinerja"]
KELENGKAPAN = [f"kelengkapan[{i}].{c}" for i in (1, 2, 3) for c in ("ada=Ada", "referensi=Dok")]


def value(path, name):
    """A single cell's value, or the block's rows of values."""
    rows = [[c.value for c in row] for row in named_cells(openpyxl.load_workbook(path), name)]
    return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows


def log_rows(path):
    return [r for r in value(path, N.LOG) if r[0] is not None]


def to_step(cli, book, step: int):
    """Drive the workbook until `step` is the current one."""
    if step > 1:
        assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
        assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    if step > 2:
        assert cli("set", book, *STEP2, "--as", "ridha", now="2026-10-02T08:00").code == 0
        assert cli("submit", book, "--as", "ridha", now="2026-10-02T08:05").code == 0
    if step > 3:
        assert cli("import", book, SAMPLE_CSV, "--as", "rahmah", now="2026-10-05T10:00").code == 0
        assert cli("set", book, *KELENGKAPAN, "--as", "rahmah", now="2026-10-05T10:05").code == 0
        assert cli("submit", book, "--as", "rahmah", now="2026-10-05T10:10").code == 0
    if step > 4:
        review = [f"reviu[{i}].hasil=sesuai" for i in range(1, 9)]
        assert cli("set", book, "verifikasi_tanggal=06-10-2026", *review, "--as", "ridha", now="2026-10-06T09:00").code == 0
        assert cli("verify", book, "--as", "ridha", now="2026-10-06T09:05").code == 0




def validated(cli, book):
    """The whole SOP, ending with the Sekretaris' validation (which also exports)."""
    to_step(cli, book, 5)
    assert cli("set", book, "validasi_tempat=Paringin", "validasi_tanggal=07-10-2026", "--as", "ardiansyah",
               now="2026-10-07T10:00").code == 0
    r = cli("validate", book, "--as", "ardiansyah", now="2026-10-07T10:05")
    assert r.code == 0, r.err
    return r


def tamper(book, edit):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    edit(wb)
    wb.save(book)


UNSIGNED = "tidak ditandatangani secara elektronik"


def only_unsigned_note(out: str) -> bool:
    """`check`'s output notes nothing but that this office registers no keys (the suite's sample office)."""
    notes = [line for line in out.splitlines() if line.startswith("Catatan")]
    return len(notes) == 1 and UNSIGNED in notes[0]
