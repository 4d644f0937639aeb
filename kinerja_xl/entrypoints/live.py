"""What a ribbon button does in the open workbook: the composition for live Excel.

The button id becomes a command (`domain.buttons`), the same handler table as the CLI runs it
over the xlwings adapter. People see dialogs in Bahasa Indonesia, never a traceback: a refusal
says what to fix, an unexpected error says where the details were written.

Signing: the person at the keyboard is the Windows user (`USERNAME`), and their private key is in that
account's Windows Credential Manager, read as keyring's Windows backend reads it (`adapters/wincred.py`, only when a
key is actually read or made; `keyring` itself where it is configured otherwise). Step buttons sign with it once the workbook registers keys; Ekspor signs the PDF when
the exporter is the validating official; Daftarkan Kunci Saya makes it (never replacing one) and registers it.
"""
from __future__ import annotations

import dataclasses

from kinerja_xl import bootstrap
from kinerja_xl.adapters import keystore
from kinerja_xl.adapters.keystore import KeyringStore
from kinerja_xl.adapters.xlwings_book import READ_ONLY
from kinerja_xl.domain import buttons, signing
from kinerja_xl.domain import medium as M
from kinerja_xl.domain.buttons import RegisterOwnKey
from kinerja_xl.domain.commands import Act, Check, Export, RegisterKey, RollOver, ShowStatus
from kinerja_xl.domain.errors import FileProblem, KinerjaError, Refused
from kinerja_xl.entrypoints import errorlog
from kinerja_xl.entrypoints.errorlog import write_log
from kinerja_xl.service.handlers import HANDLERS, handle

LOG_DIR_ENV = errorlog.LOG_DIR_ENV  # where the details of an unexpected error go
DEFAULT_TITLE = "kinerja-xl"


class Dialogs:
    """The few dialogs a button needs; tests answer them through the xlwings stand-in."""

    def __init__(self, xl_app, title: str = DEFAULT_TITLE):
        self.app, self.title = xl_app, title

    def info(self, text: str) -> None:
        self.app.alert(text, title=self.title, mode="info")

    def error(self, text: str) -> None:
        self.app.alert(text, title=self.title, mode="critical")

    def ask_note(self, prompt: str) -> str | None:
        """Excel's InputBox; Cancel gives False, which means: do nothing."""
        answer = self.app.api.InputBox(prompt, self.title)
        return None if answer is False else str(answer)


class CredentialManager(KeyringStore):
    """The Windows user's key in Credential Manager, as a button needs it: when the store itself cannot be used,
    the message speaks of Credential Manager and what to do in Excel, not of the CLI's key files."""

    @staticmethod
    def _call(fn):
        try:
            return KeyringStore._call(fn)
        except Refused as refusal:  # only keyring failing (its KeyringError) is turned into a refusal there
            cause = refusal.__context__
            raise Refused(M.credential_store_unavailable(M.RIBBON, type(cause).__name__ if cause else "")) from cause


class _OwnKey:
    """A step button signs with the clicking official's own key: when the workbook needs it and it is not in
    this Windows account's store, the refusal says so in the ribbon's words. Asked only when a row is signed."""

    def __init__(self, store):
        self.store = store

    def load(self, user: str):
        key = self.store.load(user)
        if key is None:
            raise Refused(M.key_missing(M.RIBBON, user))
        return key


def press(book, button_id: str, *, clock=None, password=None, dialogs: Dialogs | None = None, keys=None) -> None:
    """`keys`: where the Windows user's private key is (load/save by user); Windows Credential Manager unless a
    test says otherwise."""
    ui = dialogs or Dialogs(book.app)
    try:
        _press(book, button_id, clock, password or bootstrap.password(), ui,
               CredentialManager() if keys is None else keys)
    except KinerjaError as exc:
        ui.error(exc.message)
    except Exception as exc:  # the last line of defence: a dialog and a log file, not a traceback
        where = write_log(f"tombol {button_id}", exc) or "(berkas log tidak dapat ditulis)"
        ui.error(f"Terjadi kesalahan tak terduga saat menjalankan tombol ini ({type(exc).__name__}: {exc}).\n\n"
                 f"Buku kerja tidak disimpan. Rincian ditulis di:\n{where}\n\n"
                 "Kirim berkas itu ke admin. Tutup buku kerja tanpa menyimpan bila isinya tampak tidak lengkap.")


_BUSY = {Export: "mengekspor hasil...", RollOver: "membuat buku kerja periode berikutnya..."}


def _press(book, button_id: str, clock, password, ui: Dialogs, keys) -> None:
    uow = bootstrap.live_uow(book, password)
    d = uow.definition
    ui.title = d.header.app_label
    _check_xlwings_version(uow)
    try:
        command = buttons.command(d, button_id, uow.book.user() or "")
    except ValueError:
        raise Refused(f"Tombol '{button_id}' tidak dikenal oleh definisi SOP buku kerja ini. Minta admin membangun "
                      "ulang buku kerja dengan 'kinerja-xl build'.") from None
    if isinstance(command, (Act, RegisterOwnKey)) and uow.book.read_only():  # before any question or new key
        raise FileProblem(READ_ONLY)
    if isinstance(command, RegisterOwnKey):
        ui.info(_register_own_key(command.user, uow, bootstrap.env(uow, clock, password), keys))
        return
    if type(command) not in HANDLERS:  # a button of a newer workbook than the kinerja-xl installed here
        raise Refused(f"Tombol '{button_id}' belum dapat dijalankan oleh kinerja-xl yang terpasang di komputer ini. "
                      "Minta admin memperbarui paket kinerja-xl ('pip install' versi terbaru), lalu ulangi.")
    if isinstance(command, Act) and command.action == "return":
        target = command.to or d.step(command.step).returns[0].to
        note = ui.ask_note(f"Tulis catatan untuk langkah {target} ({d.step(target).sheet}): apa yang harus diperbaiki?")
        if note is None:
            return
        command = dataclasses.replace(command, note=note)
    busy = _BUSY.get(type(command))  # the export is the CLI's document: made by Python, not by Excel's printer
    if busy:
        book.app.status_bar = f"{d.header.app_label}: {busy}"
    signer = _OwnKey(keys) if isinstance(command, Act) else keys  # Ekspor signs the PDF only if they validated
    try:
        result = handle(command, uow, bootstrap.env(uow, clock, password, keys=signer))
    finally:
        if busy:
            book.app.status_bar = False
    ui.info(_shown(command, result))


def _register_own_key(user: str, uow, env, keys) -> str:
    """Daftarkan Kunci Saya: the user's key from this PC's store, made there first if they have none (an existing
    key is never replaced: it may already sign rows or be in the office's registry), then its public half into
    Pengaturan. A refused registration leaves the new key in the store, where the next click finds it."""
    if not user:
        raise Refused("Nama pengguna Windows tidak diketahui, jadi kunci tidak dapat dibuat. Hubungi admin/TI.")
    key = keys.load(user)
    made = key is None
    if made:
        key, _where = keystore.create(keys, user)
    public = signing.public_text(key)
    registered = handle(RegisterKey(user, public), uow, env)
    return M.own_key_registered(made, user, registered, signing.fingerprint(public))


def _shown(command, result) -> str:
    if isinstance(command, ShowStatus):
        lines = [f"{row[0]}. {row[2]}: {row[3]}" + (f" — {row[7]}" if row[7] else "") for row in result.rows]
        return result.turn + "\n\n" + "\n".join(lines)
    if isinstance(command, Check):
        head = "Tidak ada perubahan yang terdeteksi." if result.clean else "DITEMUKAN MASALAH INTEGRITAS:"
        return "\n".join([head, *result.problems, *(f"Catatan: {u}" for u in result.unproven)])
    if isinstance(command, Export):
        return f"Hasil diekspor ke:\n{result.folder}"
    if isinstance(command, RollOver):
        where = str(result.path)
        return result.message if where in result.message else f"{result.message}\n\nBuku kerja baru:\n{where}"
    return result.message


def _check_xlwings_version(uow) -> None:
    import xlwings

    in_book = uow.vba_version  # read with the definition: no call of its own
    if str(in_book) != xlwings.__version__:
        raise Refused(f"Versi xlwings tidak cocok: modul VBA buku kerja ini untuk xlwings {in_book}, sedangkan yang "
                      f"terpasang xlwings {xlwings.__version__}. Minta admin menjalankan "
                      f"'pip install xlwings=={in_book}', atau membangun ulang buku kerja dengan 'kinerja-xl build'.")
