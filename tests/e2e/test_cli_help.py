"""The CLI feels native: help and usage errors in Bahasa Indonesia, a suggestion for a misspelt command, messages
that name commands (not buttons), a status table within 100 columns, JSON that matches its documented schema,
and a pipe closed early that ends quietly."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from kinerja_xl.entrypoints.cli import cli as group
from tests.conftest import ROOT
from tests.flow import to_step

ENGLISH = re.compile(r"Usage:|Options:|Commands:|Show this message|Error:|No such|Missing|required\]|Got unexpected"
                     r"|Try '|Invalid value|is not a valid|does not take|requires an argument|TEXT|PATH|INTEGER")
KINERJA_XL = shutil.which("kinerja-xl") or str(Path(sys.executable).with_name("kinerja-xl"))


def _schema(name: str) -> dict:
    return json.loads((ROOT / "docs" / "schema" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", [None, *group.commands])
def test_every_help_is_indonesian_with_every_argument_and_option_explained_and_an_example(cli, command):
    r = cli(*([command] if command else []), "--help")
    assert r.code == 0 and r.out.startswith("Penggunaan: kinerja-xl")
    assert not ENGLISH.search(r.out), ENGLISH.search(r.out)
    if command is None:
        assert "Perintah:" in r.out and "Opsi:" in r.out
        return
    assert f"Contoh:\n  kinerja-xl {command}" in r.out
    for param in group.commands[command].params:
        described = getattr(param, "keterangan", None) or getattr(param, "help", None)
        assert described, f"{command}: {param.name} has no help"
        assert described.split()[0] in r.out


def test_a_misspelt_command_gets_a_suggestion(cli):
    r = cli("sumbit", "buku.xlsm")
    assert r.code == 2 and "Perintah 'sumbit' tidak dikenal; maksud Anda 'submit'?" in r.err
    assert not ENGLISH.search(r.err)


@pytest.mark.parametrize("argv, expected", [
    (["status"], "Argumen BERKAS belum diisi"),
    (["submit", "b.xlsm"], "Opsi --as wajib diisi"),
    (["status", "b.xlsm", "--frob"], "Opsi tidak dikenal: --frob"),
    (["return", "b.xlsm", "--as", "x", "--note", "n", "--ke", "tiga"], "'tiga' bukan nomor langkah"),
    (["status", "b.xlsm", "lebih"], "Argumen berlebih: lebih"),
    (["submit", "b.xlsm", "--as"], "Opsi --as memerlukan nilai"),
    (["status", "b.xlsm", "--json=1"], "Opsi --json tidak menerima nilai"),
    ([], "Penggunaan: kinerja-xl"),
])
def test_usage_errors_are_indonesian_and_exit_2(cli, argv, expected):
    r = cli(*argv)
    assert r.code == 2 and expected in r.err, r.err
    assert not ENGLISH.search(r.err), r.err


def test_a_refusal_names_the_command_not_the_button(cli, book):
    r = cli("verify", book, "--as", "ardiansyah")
    assert r.code == 3 and "Perintah yang berlaku: 'kinerja-xl submit'." in r.err
    assert "Kirim Disposisi" not in r.err and "Tombol" not in r.err
    r = cli("export", book, "--no-pdf")
    assert r.code == 3 and "'kinerja-xl validate'" in r.err and "'kinerja-xl export --draft'" in r.err
    assert "Validasi & Tandatangani" not in r.err


def test_import_of_a_folder_says_it_is_a_folder(cli, book, tmp_path):
    to_step(cli, book, 3)
    r = cli("import", book, tmp_path, "--as", "rahmah")
    assert r.code == 4 and "adalah folder" in r.err


def test_status_table_fits_100_columns_names_the_unit_and_has_no_colour_in_a_pipe(cli, book):
    r = cli("status", book, now="2026-10-20T10:00")
    lines = r.out.splitlines()
    assert r.code == 0 and max(len(line) for line in lines) <= 100
    assert "terlambat 10 hari kerja" in r.out and "\x1b[" not in r.out
    assert "Mendisposisikan" in r.out and "organisasi" in r.out  # wrapped, not cut


def test_status_json_matches_its_documented_schema(cli, book):
    to_step(cli, book, 4)
    cli("return", book, "--as", "ridha", "--note", "Perbaiki", now="2026-10-09T15:00")
    data = json.loads(cli("status", book, "--json", now="2026-10-15T09:00").out)
    jsonschema.Draft202012Validator(_schema("status"), format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["waktu"] == "2026-10-15T09:00:00+08:00" and data["langkah_aktif"] == 3
    step3 = data["langkah"][2]
    assert step3["kode_status"] == "dikembalikan" and step3["terlambat"] is True and step3["lewat"] == 1
    assert step3["satuan"] == "hari kerja" and step3["batas_waktu_iso"] == "2026-10-14T23:59:59+08:00"
    assert data["langkah"][0]["selesai"] is True and data["langkah"][0]["waktu_aksi_iso"] == "2026-10-01T09:05:00+08:00"


def test_check_json_matches_its_documented_schema(cli, book):
    r = cli("check", book, "--json")
    jsonschema.Draft202012Validator(_schema("check")).validate(json.loads(r.out))


@pytest.mark.skipif(os.name != "posix", reason="a POSIX pipe")
def test_a_reader_that_stops_early_ends_the_output_quietly(book):
    env = {**os.environ, "KINERJA_XL_NOW": "2026-10-05T10:00+08:00"}
    for argv in (["status", str(book), "--json"], ["status", str(book)], ["--help"]):
        for reader in ("head -c 10", "true"):  # `true` has closed the pipe before the first write: EPIPE for sure
            r = subprocess.run(f"'{KINERJA_XL}' {' '.join(argv)} | {reader}; exit ${{PIPESTATUS[0]}}", shell=True,
                               executable="/bin/bash", capture_output=True, text=True, env=env, timeout=60)
            assert r.stderr == "" and r.returncode == 0, (argv, reader, r.returncode, r.stderr)


def test_a_spinner_only_on_a_terminal(monkeypatch):
    import contextlib

    from kinerja_xl.entrypoints import show

    assert isinstance(show.working("x"), contextlib.nullcontext)  # pytest's stderr is not a terminal
    monkeypatch.setattr(show.sys.stderr, "isatty", lambda: True, raising=False)
    with show.working("Memeriksa integritas…") as status:
        assert type(status).__name__ == "Status"
