"""Saves are all-or-nothing: temp file beside the workbook, atomic replace, `.bak` kept, one actor at a time."""
from __future__ import annotations

import os

import pytest

from kinerja_xl.adapters import package
from tests.conftest import digest

STEP1 = ["disposisi_nomor=005", "disposisi_tanggal=01-10-2026", "disposisi_kepada=Kepala Bagian", "disposisi_isi=Segera"]


def test_a_saved_action_keeps_the_previous_version_as_bak(cli, book):
    before = book.read_bytes()
    assert cli("set", book, *STEP1, "--as", "ardiansyah").code == 0
    assert (book.parent / (book.name + ".bak")).read_bytes() == before
    assert not list(book.parent.glob(".*.tmp"))


@pytest.mark.parametrize("links", [True, False], ids=["hard link", "no links (FAT, some shares)"])
def test_the_bak_is_the_old_file_and_stays_apart_from_the_new_one(tmp_path, monkeypatch, links):
    """The backup is the old file under a second name where links exist (nothing copied), else a copy; either
    way it keeps the old bytes and the mode, and later saves never write into it."""
    if not links:
        monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(1, "not supported")))
    target = tmp_path / "buku.xlsm"
    target.write_bytes(b"versi 1")
    os.chmod(target, 0o640)
    package.atomic_write(target, b"versi 2")
    backup = tmp_path / "buku.xlsm.bak"
    assert (target.read_bytes(), backup.read_bytes()) == (b"versi 2", b"versi 1")
    assert os.stat(backup).st_mode & 0o777 == 0o640
    assert os.stat(backup).st_ino != os.stat(target).st_ino
    package.atomic_write(target, b"versi 3")
    assert (target.read_bytes(), backup.read_bytes()) == (b"versi 3", b"versi 2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["buku.xlsm", "buku.xlsm.bak"]


def test_a_concurrent_action_is_refused_and_changes_nothing(cli, book):
    lock = book.with_name(f".{book.name}.kinerja-lock")
    lock.write_text("4242")
    before = digest(book)
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "sedang diproses" in r.err
    assert digest(book) == before and lock.exists()


def test_a_workbook_open_in_excel_is_refused_with_who_holds_it(cli, book):
    (book.parent / ("~$" + book.name)).write_bytes(b"\x05rahmah" + b"\x00" * 50)
    r = cli("submit", book, "--as", "ardiansyah")
    assert r.code == 4 and "sedang dibuka di Excel (rahmah)" in r.err


def test_read_only_file_and_folder_are_refused_before_any_work(cli, book, monkeypatch):
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(book) else real(p, mode))
    before = digest(book)
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "hanya-baca" in r.err and digest(book) == before
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(book.parent) else real(p, mode))
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "Folder" in r.err


def test_replace_retries_while_windows_holds_the_file_then_succeeds(tmp_path, monkeypatch):
    target = tmp_path / "k.xlsm"
    target.write_bytes(b"old")
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) < 3:
            raise PermissionError(13, "being used by another process")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    package.atomic_write(target, b"new", keep_backup=False, pause=0)
    assert target.read_bytes() == b"new" and len(calls) == 3


def test_replace_that_keeps_failing_leaves_the_original_whole_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "k.xlsm"
    target.write_bytes(b"old")

    def held(src, dst):
        raise PermissionError(13, "being used by another process")

    monkeypatch.setattr(os, "replace", held)
    with pytest.raises(PermissionError):
        package.atomic_write(target, b"new", keep_backup=False, pause=0)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.xlsm"]


def test_a_file_held_during_save_is_a_clear_exit_4(cli, book, monkeypatch):
    real = os.replace

    def held(src, dst):
        if str(dst) == str(book):
            raise PermissionError(13, "being used by another process")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(package, "REPLACE_PAUSE", 0)
    before = digest(book)
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "Tutup buku kerja" in r.err and "Tidak ada yang berubah" in r.err
    assert digest(book) == before
    assert not list(book.parent.glob(".*.tmp"))
