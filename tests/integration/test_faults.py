"""The fault catalogue (docs/faults.md): each bad input or fault gets its message, its exit code, and an untouched file."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from kinerja_xl.domain import names as N
from kinerja_xl.adapters import package
from tests.conftest import SAMPLE_CSV, digest, named_cells
from tests.flow import STEP1, to_step


def edit(book, name, r, c, value):
    """What a person (or a paste) does to a cell, bypassing Excel's validation."""
    wb = openpyxl.load_workbook(book, keep_vba=True)
    named_cells(wb, name)[r][c].value = value
    wb.save(book)


def refused(cli, book, *args, code=3, now="2026-10-05T10:30"):
    before = digest(book)
    r = cli(*args, now=now)
    assert r.code == code, (r.code, r.out, r.err)
    assert digest(book) == before, "a refusal changed the workbook"
    return r.err


@pytest.mark.parametrize("typed, message", [
    ("sepuluh", "bukan angka: 'sepuluh'"), ("-5", "tidak boleh negatif: '-5'"),
    ("10000000000000", "angka terlalu besar"), ("1.250", "angka ambigu"), ("=F14*2", "rumus tidak diterima"),
])
def test_bad_numbers_in_the_indicator_table(cli, book, typed, message):
    to_step(cli, book, 3)
    err = refused(cli, book, "set", book, f"indikator[1].target={typed}", "--as", "rahmah")
    assert message in err and "Target (baris 1) di '3 Input Data'!F13" in err


def test_percent_text_is_the_percentage_itself(cli, book):
    from tests.flow import value

    to_step(cli, book, 3)
    assert cli("set", book, "indikator[1].target=85%", "indikator[1].realisasi_tw4=85,5 %", "--as", "rahmah").code == 0
    assert value(book, "indikator")[0][5] == 85 and value(book, "indikator")[0][9] == 85.5


def test_blank_target_is_named_on_submit(cli, book):
    to_step(cli, book, 3)
    cli("import", book, SAMPLE_CSV, "--as", "rahmah")
    edit(book, "indikator", 2, 5, None)
    err = refused(cli, book, "submit", book, "--as", "rahmah")
    assert "Target (baris 3 Data Input Kinerja Organisasi) di '3 Input Data'!F15 wajib diisi" in err


def test_formula_typed_into_an_input_cell_is_refused(cli, book):
    cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00")
    edit(book, "disposisi_isi", 0, 0, "=B12&B13")
    err = refused(cli, book, "submit", book, "--as", "ardiansyah", now="2026-10-01T09:05")
    assert "Isi Disposisi di '1 Disposisi'!B15: rumus tidak diterima" in err


@pytest.mark.parametrize("typed, message", [
    ("31-02-2026", "tanggal tidak ada: '31-02-2026'"), ("kemarin", "bukan tanggal: 'kemarin'"),
    ("01-12-2026", "tanggal di masa depan"),
])
def test_bad_dates(cli, book, typed, message):
    err = refused(cli, book, "set", book, f"disposisi_tanggal={typed}", "--as", "ardiansyah", now="2026-10-01T09:00")
    assert message in err and "Tanggal Disposisi di '1 Disposisi'!B13" in err


def test_date_typed_as_indonesian_text_is_accepted(cli, book):
    assert cli("set", book, "disposisi_tanggal=1 Oktober 2026", "--as", "ardiansyah", now="2026-10-01T09:00").code == 0


@pytest.mark.parametrize("nip, message", [("1962071819830210", "harus 18 angka"),
                                          ("19621318198302 1 004", "tanggal lahir")])
def test_wrong_nip_in_pengaturan_is_named_with_its_cell(cli, book, nip, message):
    edit(book, N.OFFICIALS, 1, 1, nip)
    err = refused(cli, book, "set", book, *STEP1, "--as", "ardiansyah")
    assert message in err and "'Pengaturan'!B12" in err


def test_values_pasted_beside_a_table_change_nothing_and_into_a_locked_step_are_refused(cli, book):
    to_step(cli, book, 3)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb["3 Input Data"]["N13"] = "tempelan"          # right of the indicator table
    named_cells(wb, "disposisi_isi")[0][0].value = "diubah setelah dikirim"
    wb.save(book)
    err = refused(cli, book, "import", book, SAMPLE_CSV, "--as", "rahmah")
    assert "langkah 1 (1 Disposisi, termasuk Pengaturan)" in err


def test_duplicate_and_empty_indicator_rows(cli, book, tmp_path):
    to_step(cli, book, 3)
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "pk.csv"
    data.write_text("\n".join([lines[0], lines[1], ",,,,,,,,,,", lines[2].replace("2,", "1,", 1)]) + "\n",
                    encoding="utf-8")
    assert cli("import", book, data, "--as", "rahmah").code == 0   # the empty line is skipped
    err = refused(cli, book, "submit", book, "--as", "rahmah")
    assert "No '1' ganda di '3 Input Data'!A13 dan '3 Input Data'!A14" in err


def test_csv_with_extra_columns_is_loaded_and_says_what_it_ignored(cli, book, tmp_path):
    to_step(cli, book, 3)
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "pk.csv"
    data.write_text("\n".join([lines[0] + ",catatan_internal"] + [line + ",x" for line in lines[1:]]), encoding="utf-8")
    r = cli("import", book, data, "--as", "rahmah")
    assert r.code == 0 and "Kolom diabaikan: catatan_internal" in r.out


def test_csv_with_an_unknown_delimiter_says_so(cli, book, tmp_path):
    to_step(cli, book, 3)
    data = tmp_path / "pk.csv"
    data.write_text(SAMPLE_CSV.read_text(encoding="utf-8").replace(",", "|"), encoding="utf-8")
    err = refused(cli, book, "import", book, data, "--as", "rahmah")
    assert "kolom wajib tidak ada" in err and "pemisah kolom" in err


def test_truncated_workbook(cli, book):
    book.write_bytes(book.read_bytes()[:20000])
    assert "terpotong" in refused(cli, book, "submit", book, "--as", "ardiansyah", code=4)


@pytest.mark.parametrize("command", ["submit", "check", "export"])
def test_a_sheet_that_does_not_parse_is_exit_4_for_full_and_streamed_reads(cli, book, command):
    """submit loads the whole workbook; check and export stream it, so the damage shows while reading."""
    damaged = io.BytesIO()
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet5.xml" else data)
    book.write_bytes(damaged.getvalue())
    extra = ("--as", "ardiansyah") if command == "submit" else ("--draft", "--no-pdf") if command == "export" else ()
    err = refused(cli, book, command, book, *extra, code=4)
    assert "tidak dapat dibaca sebagai buku kerja" in err and ".bak" in err


def test_xlsx_without_vba(cli, book, tmp_path):
    plain = tmp_path / "tanpa_makro.xlsx"
    openpyxl.load_workbook(book).save(plain)
    assert "tidak memuat makro" in refused(cli, plain, "submit", plain, "--as", "ardiansyah", code=4)


def test_password_protected_file(cli, tmp_path):
    locked = tmp_path / "terkunci.xlsm"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    assert "kata sandi pembukaan" in refused(cli, locked, "submit", locked, "--as", "ardiansyah", code=4)


def test_newer_workbook_format_is_refused(cli, book):
    edit(book, N.META_FORMAT, 0, 0, 99)
    assert "format buku kerja versi 99" in refused(cli, book, "status", book, code=4)


def test_interrupted_save_leaves_the_original_whole(cli, book, monkeypatch):
    before = digest(book)

    def crash(src, dst):
        raise KeyboardInterrupt  # Ctrl+C, or the machine going down, between temp file and replace

    monkeypatch.setattr(os, "replace", crash)
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and digest(book) == before
    assert [p.name for p in book.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_process_killed_before_replace_leaves_the_original_whole(book, tmp_path):
    """A hard kill leaves a hidden temp file behind; the workbook itself is the original, whole."""
    before = digest(book)
    script = (
        "import os, sys; from kinerja_xl.entrypoints.cli import main\n"
        "os.replace = lambda src, dst: os._exit(9)\n"
        f"sys.exit(main(['set', {str(book)!r}, *{STEP1!r}, '--as', 'ardiansyah']))\n"
    )
    env = dict(os.environ, KINERJA_XL_NOW="2026-10-01T09:00+08:00")
    assert subprocess.run([sys.executable, "-c", script], env=env).returncode == 9
    assert digest(book) == before
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None and "xl/vbaProject.bin" in z.namelist()
    leftovers = [p.name for p in book.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers and all(p.startswith(".") for p in leftovers)   # hidden, never named like the workbook
    assert package.read_part(book, package.CUSTOMUI_PART)


def test_control_characters_are_refused_not_a_traceback(cli, book):
    err = refused(cli, book, "set", book, "disposisi_isi=a\x01b", "--as", "ardiansyah", now="2026-10-01T09:00")
    assert "karakter kontrol" in err and "'1 Disposisi'!B15" in err
