"""What a ribbon button does in the open workbook: the composition for live Excel.

The button id becomes a command (`domain.buttons`), the same handler table as the CLI runs it
over the xlwings adapter. People see dialogs in Bahasa Indonesia, never a traceback: a refusal
says what to fix, an unexpected error says where the details were written.
"""
from __future__ import annotations

import dataclasses

from kinerja_xl import bootstrap
from kinerja_xl.domain import buttons
from kinerja_xl.domain.commands import Act, Check, Export, ShowStatus
from kinerja_xl.adapters.xlwings_book import READ_ONLY
from kinerja_xl.domain.errors import FileProblem, KinerjaError, Refused
from kinerja_xl.entrypoints import errorlog
from kinerja_xl.entrypoints.errorlog import write_log
from kinerja_xl.service.handlers import handle

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


def press(book, button_id: str, *, clock=None, password=None, dialogs: Dialogs | None = None) -> None:
    ui = dialogs or Dialogs(book.app)
    try:
        _press(book, button_id, clock, password or bootstrap.password(), ui)
    except KinerjaError as exc:
        ui.error(exc.message)
    except Exception as exc:  # the last line of defence: a dialog and a log file, not a traceback
        where = write_log(f"tombol {button_id}", exc) or "(berkas log tidak dapat ditulis)"
        ui.error(f"Terjadi kesalahan tak terduga saat menjalankan tombol ini ({type(exc).__name__}: {exc}).\n\n"
                 f"Buku kerja tidak disimpan. Rincian ditulis di:\n{where}\n\n"
                 "Kirim berkas itu ke admin. Tutup buku kerja tanpa menyimpan bila isinya tampak tidak lengkap.")


def _press(book, button_id: str, clock, password, ui: Dialogs) -> None:
    uow = bootstrap.live_uow(book, password)
    d = uow.definition
    ui.title = d.header.app_label
    _check_xlwings_version(uow)
    try:
        command = buttons.command(d, button_id, uow.book.user() or "")
    except ValueError:
        raise Refused(f"Tombol '{button_id}' tidak dikenal oleh definisi SOP buku kerja ini. Minta admin membangun "
                      "ulang buku kerja dengan 'kinerja-xl build'.") from None
    if isinstance(command, Act) and uow.book.read_only():  # before any question: the answer could not be saved
        raise FileProblem(READ_ONLY)
    if isinstance(command, Act) and command.action == "return":
        target = command.to or d.step(command.step).returns[0].to
        note = ui.ask_note(f"Tulis catatan untuk langkah {target} ({d.step(target).sheet}): apa yang harus diperbaiki?")
        if note is None:
            return
        command = dataclasses.replace(command, note=note)
    if isinstance(command, Export):  # the same document as the CLI's: made by Python, not by Excel's printer
        book.app.status_bar = f"{d.header.app_label}: mengekspor hasil..."
    try:
        result = handle(command, uow, bootstrap.env(uow, clock, password))
    finally:
        if isinstance(command, Export):
            book.app.status_bar = False
    ui.info(_shown(command, result))


def _shown(command, result) -> str:
    if isinstance(command, ShowStatus):
        lines = [f"{row[0]}. {row[2]}: {row[3]}" + (f" — {row[7]}" if row[7] else "") for row in result.rows]
        return result.turn + "\n\n" + "\n".join(lines)
    if isinstance(command, Check):
        head = "Tidak ada perubahan yang terdeteksi." if result.clean else "DITEMUKAN MASALAH INTEGRITAS:"
        return "\n".join([head, *result.problems, *(f"Catatan: {u}" for u in result.unproven)])
    if isinstance(command, Export):
        return f"Hasil diekspor ke:\n{result.folder}"
    return result.message


def _check_xlwings_version(uow) -> None:
    import xlwings

    in_book = uow.vba_version  # read with the definition: no call of its own
    if str(in_book) != xlwings.__version__:
        raise Refused(f"Versi xlwings tidak cocok: modul VBA buku kerja ini untuk xlwings {in_book}, sedangkan yang "
                      f"terpasang xlwings {xlwings.__version__}. Minta admin menjalankan "
                      f"'pip install xlwings=={in_book}', atau membangun ulang buku kerja dengan 'kinerja-xl build'.")
