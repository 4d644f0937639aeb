"""Signing from the ribbon (issue 17): each official's key in their Windows Credential Manager, made and
registered with Daftarkan Kunci Saya, signs what they press; and the admin's Periode Berikutnya (issue 18).

Credential Manager is `tests/fakes/keyring_memory.py`, installed as `keyring`'s backend for each test; the
CLI run beside the ribbon run reads the same store (`kinerja-xl` without --berkas-kunci), so both sign with
the same keys and, Ed25519 signatures being deterministic, must write the same rows.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from kinerja_xl.adapters.keystore import SERVICE
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.bootstrap import KEY_FILE_ENV
from kinerja_xl.domain import names as N
from kinerja_xl.domain import signing
from kinerja_xl.domain.commands import RollOver
from kinerja_xl.domain.medium import RIBBON
from kinerja_xl.entrypoints import live
from kinerja_xl.entrypoints.cli import main
from kinerja_xl.service import handlers
from tests.conftest import ROOT, digest
from tests.e2e.test_ribbon import STORY, fixed, run_cli, run_live, snapshot, type_cells
from tests.fakes import keyring_memory
from tests.fakes import xlwings_standin as standin

OFFICIALS = ("ardiansyah", "ridha", "rahmah", "fauzi")  # fauzi: the Plh., who may act and so needs a key too
BEFORE_STEP_1 = "2026-09-30T08:00"


@pytest.fixture
def credentials(monkeypatch):
    """Every official's Windows Credential Manager, empty; the CLI reads it too (no key file configured)."""
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)
    with keyring_memory.installed() as store:
        yield store


def press(book: standin.Book, monkeypatch, user: str, button: str, when: str = BEFORE_STEP_1) -> tuple[str, str]:
    monkeypatch.setenv("USERNAME", user)
    live.press(book, button, clock=fixed(when))
    prompt, _title, _buttons, mode = book.app.alerts[-1]
    return prompt, mode


def enrol(book: standin.Book, monkeypatch) -> None:
    """Each official presses Daftarkan Kunci Saya on their own PC before step 1."""
    for user in OFFICIALS:
        prompt, mode = press(book, monkeypatch, user, "kunci")
        assert mode == "info", prompt


def registered(path) -> dict[str, list]:
    rows = FileWorkbook.open(path).read([N.KEYS])[N.KEYS].values
    return {row[0]: list(row) for row in rows if row[0]}


def log_rows(path) -> list[list]:
    return [row for row in FileWorkbook.open(path).read([N.LOG])[N.LOG].values if row[0]]


def pem(store, user: str) -> str | None:
    return store.entries.get((SERVICE, user))


# ---------------------------------------------------------------- a whole period, signed from the ribbon


def test_buttons_sign_every_row_as_the_cli_does_and_the_validator_signs_the_pdf(tmp_path, book, cli, definition,
                                                                                 monkeypatch, credentials):
    live_path = tmp_path / "live" / book.name
    live_path.parent.mkdir()
    shutil.copy(book, live_path)
    live_book = standin.Book(live_path)
    enrol(live_book, monkeypatch)
    assert sorted(u for _s, u in credentials.entries) == sorted(OFFICIALS)
    for user in OFFICIALS:  # the same keys, registered from the command line in the other copy
        assert cli("register-key", book, "--as", user, now=BEFORE_STEP_1).code == 0
    live_book = run_live(live_path, definition, monkeypatch)  # the ribbon story on the book the keys are in
    assert [a for a in live_book.app.alerts if a[3] == "critical"] == []
    run_cli(book, cli)

    ours, theirs = snapshot(live_path, definition), snapshot(book, definition)
    for name in theirs["values"]:
        assert ours["values"][name] == theirs["values"][name], name
    assert ours["locks"] == theirs["locks"]
    keys = registered(live_path)
    rows = log_rows(live_path)
    assert len(rows) == 7 and {row[2] for row in rows} == {"ardiansyah", "ridha", "rahmah"}
    for row in rows:
        assert row[13] and signing.hash_signed(keys[row[2]][1], row[12], row[13]), row
    assert main(["check", str(live_path)]) == 0

    monkeypatch.setenv("USERNAME", "ridha")  # anyone may export; only the validating official's key signs the PDF
    live.press(live_book, "export", clock=fixed("2026-10-08T11:00"))
    unsigned = Path(live_book.app.alerts[-1][0].split("\n", 1)[1])
    monkeypatch.setenv("USERNAME", "ardiansyah")
    live.press(live_book, "export", clock=fixed("2026-10-08T11:05"))
    folder = Path(live_book.app.alerts[-1][0].split("\n", 1)[1])
    assert [s.field_name for s in _pdf_signatures(folder)] == ["TTE_Validasi"]
    assert _pdf_signatures(unsigned) == []
    assert main(["check", str(folder)]) == 0


def _pdf_signatures(folder: Path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = next(folder.glob("*.pdf")).read_bytes()
    return list(PdfFileReader(io.BytesIO(pdf)).embedded_signatures)


def test_a_click_without_the_officials_key_on_this_pc_is_refused_and_nothing_changes(book, monkeypatch, credentials):
    live_book = standin.Book(book)
    enrol(live_book, monkeypatch)
    type_cells(live_book, STORY[0][3], None)
    own = credentials.entries.pop((SERVICE, "ardiansyah"))  # the Sekretaris at a PC that does not hold their key
    before, saves = digest(book), live_book.saves
    prompt, mode = press(live_book, monkeypatch, "ardiansyah", "L1_submit", "2026-10-01T09:05")
    assert mode == "critical"
    assert "Kunci tanda tangan elektronik Anda (pengguna Windows 'ardiansyah')" in prompt
    assert "tidak ada di Windows Credential Manager komputer ini" in prompt and "Tidak ada yang berubah" in prompt
    assert "--berkas-kunci" not in prompt and "Traceback" not in prompt
    assert digest(book) == before and live_book.saves == saves
    assert live_book.value_of(N.LOG)[0][0] is None

    credentials.entries[(SERVICE, "ardiansyah")] = own  # back at their own PC
    prompt, mode = press(live_book, monkeypatch, "ardiansyah", "L1_submit", "2026-10-01T09:06")
    assert mode == "info", prompt
    [row] = log_rows(book)
    assert signing.hash_signed(registered(book)["ardiansyah"][1], row[12], row[13])


def test_a_key_other_than_the_registered_one_is_refused(book, monkeypatch, credentials):
    live_book = standin.Book(book)
    enrol(live_book, monkeypatch)
    type_cells(live_book, STORY[0][3], None)
    credentials.entries[(SERVICE, "ardiansyah")] = credentials.entries[(SERVICE, "ridha")]  # someone else's key
    before = digest(book)
    prompt, mode = press(live_book, monkeypatch, "ardiansyah", "L1_submit", "2026-10-01T09:05")
    assert mode == "critical" and "bukan kunci yang terdaftar" in prompt
    assert digest(book) == before


# ---------------------------------------------------------------- Daftarkan Kunci Saya


def test_daftarkan_kunci_saya_makes_a_key_once_and_registers_it(book, monkeypatch, credentials):
    live_book = standin.Book(book)
    prompt, mode = press(live_book, monkeypatch, "Ridha", "kunci")  # Windows user names are not case-sensitive
    assert mode == "info", prompt
    made = pem(credentials, "ridha")
    assert made and "PRIVATE KEY" in made
    public = signing.public_text(live.CredentialManager().load("ridha"))
    fp = signing.fingerprint(public)
    assert "baru dibuat" in prompt and "Windows Credential Manager" in prompt
    assert prompt.endswith(f"Sidik jari kunci Anda:\n{fp}") and "admin/Inspektorat" in prompt
    assert registered(book) == {"ridha": ["ridha", public, fp]}
    assert made not in book.read_bytes().decode("latin-1")  # the private key never enters the workbook

    prompt, mode = press(live_book, monkeypatch, "ridha", "kunci")
    assert mode == "info" and "sudah punya kunci" in prompt and "tidak diganti" in prompt and fp in prompt
    assert pem(credentials, "ridha") == made  # not replaced
    assert registered(book) == {"ridha": ["ridha", public, fp]}  # the same row, not a second one
    assert FileWorkbook.open(book).read([N.KEYS])[N.KEYS].values[1][0] is None


def test_daftarkan_kunci_saya_for_someone_pengaturan_does_not_list_changes_nothing(book, monkeypatch, credentials):
    live_book = standin.Book(book)
    before = digest(book)
    prompt, mode = press(live_book, monkeypatch, "tamu", "kunci")
    assert mode == "critical" and "tidak terdaftar di tabel Pejabat" in prompt
    assert digest(book) == before and live_book.saves == 0


def test_daftarkan_kunci_saya_after_step_one_is_refused(book, monkeypatch, definition, credentials):
    live_book = standin.Book(book)
    enrol(live_book, monkeypatch)
    type_cells(live_book, STORY[0][3], None)
    assert press(live_book, monkeypatch, "ardiansyah", "L1_submit", "2026-10-01T09:05")[1] == "info"
    made = pem(credentials, "ridha")
    before = digest(book)
    prompt, mode = press(live_book, monkeypatch, "ridha", "kunci", "2026-10-01T10:00")
    assert mode == "critical" and "Pengaturan sudah terkunci" in prompt
    assert digest(book) == before and pem(credentials, "ridha") == made


def test_a_read_only_copy_makes_no_key(book, monkeypatch, credentials):
    live_book = standin.Book(book, read_only=True)
    prompt, mode = press(live_book, monkeypatch, "ridha", "kunci")
    assert mode == "critical" and "hanya-baca" in prompt
    assert credentials.entries == {} and live_book.saves == 0


@pytest.mark.parametrize("button", ["kunci", "L1_submit"])
def test_an_unusable_credential_manager_is_a_clear_message_and_nothing_changes(book, monkeypatch, credentials, button):
    from keyring.backends import fail

    live_book = standin.Book(book)
    enrol(live_book, monkeypatch)  # keys registered while the store still worked
    type_cells(live_book, STORY[0][3], None)
    before, saves = digest(book), live_book.saves
    with keyring_memory.installed(fail.Keyring()):  # no usable backend: keyring raises NoKeyringError
        prompt, mode = press(live_book, monkeypatch, "ardiansyah", button, "2026-10-01T09:05")
    assert mode == "critical"
    assert "Windows Credential Manager, tempat kunci tanda tangan elektronik Anda disimpan, tidak dapat dipakai" in prompt
    assert "(NoKeyringError)" in prompt and "Tidak ada yang berubah" in prompt and "tak terduga" not in prompt
    assert digest(book) == before and live_book.saves == saves


def test_keyring_is_imported_only_when_a_key_is_needed(book, tmp_path):
    """A click starts a fresh Python: a step button on a workbook without keys never loads keyring; Daftarkan
    Kunci Saya does (and then, here, finds no usable store)."""
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.e2e.test_ribbon import STORY, fixed, type_cells
        from tests.fakes import xlwings_standin as standin
        from kinerja_xl.entrypoints import live
        book = standin.Book({str(book)!r})
        type_cells(book, STORY[0][3], None)
        os.environ["USERNAME"] = "ardiansyah"
        live.press(book, "status", clock=fixed("2026-10-01T09:00"))
        live.press(book, "L1_submit", clock=fixed("2026-10-01T09:05"))
        print(book.app.alerts[-1][3], "keyring" in sys.modules)
        os.environ["USERNAME"] = "ridha"
        live.press(book, "kunci", clock=fixed("2026-10-01T09:10"))
        print(book.app.alerts[-1][3], "keyring" in sys.modules)
    """)
    env = {k: v for k, v in __import__("os").environ.items() if k != KEY_FILE_ENV}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["info False", "critical True"]


# ---------------------------------------------------------------- Periode Berikutnya (issue 18)


def test_periode_berikutnya_dispatches_the_rollover_and_shows_the_new_workbook(book, monkeypatch, tmp_path):
    """The wiring, against a stand-in handler: the admin's command, the message, and the new workbook's path."""
    seen = []
    new = tmp_path / "Kinerja_SETWAN_2027_TW-I.xlsm"

    def stand_in(cmd, uow, env):
        seen.append((cmd, env.keys))
        return SimpleNamespace(path=new, message="Buku kerja periode berikutnya dibuat.")

    monkeypatch.setitem(handlers.HANDLERS, RollOver, stand_in)
    live_book = standin.Book(book)
    prompt, mode = press(live_book, monkeypatch, "ardiansyah", "periode", "2026-10-09T09:00")
    assert mode == "info"
    assert prompt == f"Buku kerja periode berikutnya dibuat.\n\nBuku kerja baru:\n{new}"
    [(cmd, keys)] = seen
    assert cmd == RollOver("ardiansyah", None, RIBBON) and isinstance(keys.__self__, live.CredentialManager)
    assert live_book.app.status_bar is False


def test_periode_berikutnya_without_the_handler_installed_says_to_update(book, monkeypatch):
    monkeypatch.delitem(handlers.HANDLERS, RollOver, raising=False)
    live_book = standin.Book(book)
    before = digest(book)
    prompt, mode = press(live_book, monkeypatch, "ardiansyah", "periode")
    assert mode == "critical" and "belum dapat dijalankan oleh kinerja-xl yang terpasang" in prompt
    assert "tak terduga" not in prompt and digest(book) == before


def test_periode_berikutnya_after_a_signed_period_makes_the_next_workbook(tmp_path, book, definition, monkeypatch,
                                                                          credentials):
    enrol(standin.Book(book), monkeypatch)
    live_book = run_live(book, definition, monkeypatch)
    assert [a for a in live_book.app.alerts if a[3] == "critical"] == []
    before = digest(book)
    prompt, mode = press(live_book, monkeypatch, "ridha", "periode", "2026-10-09T09:00")
    assert mode == "critical"  # neither the admin nor the step-1 official
    prompt, mode = press(live_book, monkeypatch, "ardiansyah", "periode", "2026-10-09T09:00")
    assert mode == "info", prompt
    [new] = [p for p in book.parent.glob("*.xlsm") if p != book]
    assert str(new) in prompt
    assert digest(book) == before  # the old period is not changed
    assert {"ardiansyah", "ridha", "rahmah"} <= set(registered(new))  # their keys carried over
