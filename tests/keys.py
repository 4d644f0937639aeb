"""Signing in the tests: every official's key in a passphrase-protected file in the workbook's folder (as if on
their own PC), registered in Pengaturan, and the Inspektorat's registry beside the workbook."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import prepared_folder

PASSPHRASE = "frasa-uji-yang-hanya-ada-di-tes"
OFFICIALS = ("ardiansyah", "ridha", "rahmah", "fauzi")


def with_keys(mp, folder):
    mp.setenv("KINERJA_XL_BERKAS_KUNCI", str(folder / "kunci"))
    mp.setenv("KINERJA_XL_FRASA_SANDI", PASSPHRASE)


def enrol(run, book, *, keeper="inspektorat"):
    """Each official makes a key on 'their PC' and registers it; the Inspektorat lists them in its registry."""
    (book.parent / "kunci").mkdir(exist_ok=True)
    for user in OFFICIALS + (keeper,):
        assert run("keygen", "--as", user, now="2026-09-30T08:00").code == 0
    for user in OFFICIALS:
        assert run("register-key", book, "--as", user, now="2026-09-30T08:05").code == 0
    assert run("registry", registry_of(book), "--dari", book, "--as", keeper, now="2026-09-30T09:00").code == 0


def registry_of(book):
    return book.parent / "daftar_kunci.json"


def signed_folder(tmp_path_factory, demo_bytes, name: str, then):
    """A prepared folder (module-scoped): keys made and registered, then `then(run, book)` drives the workbook."""
    def drive(run, book):
        with pytest.MonkeyPatch.context() as mp:
            with_keys(mp, book.parent)
            enrol(run, book)
            then(run, book)
    return prepared_folder(tmp_path_factory, demo_bytes, name, drive)


def signed_copy(folder, tmp_path, monkeypatch, name: str = "kerja"):
    """A test's own copy of a prepared signed folder, with its keys in use."""
    shutil.copytree(folder, tmp_path / name)
    with_keys(monkeypatch, tmp_path / name)
    return tmp_path / name / "Kinerja_SETWAN.xlsm"
