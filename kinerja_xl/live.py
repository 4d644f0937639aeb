"""What a ribbon button does in the open workbook: the composition for live Excel.

The same application services as the CLI, over the xlwings adapter. People see
dialogs in Bahasa Indonesia, never a traceback: a refusal says what to fix, an
unexpected error says where the details were written.
"""
from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path

from kinerja_xl import app, bootstrap
from kinerja_xl.core.actions import Command
from kinerja_xl.core.errors import KinerjaError, Refused
from kinerja_xl.ribbon import parse_button
from kinerja_xl.sop import names as N
from kinerja_xl.workbook.xlwings_adapter import XlwingsWorkbook

TITLE = "Kinerja SETWAN"
LOG_DIR_ENV = "KINERJA_XL_LOG_DIR"


class Dialogs:
    """The few dialogs a button needs; tests answer them through the xlwings stand-in."""

    def __init__(self, xl_app):
        self.app = xl_app

    def info(self, text: str) -> None:
        self.app.alert(text, title=TITLE, mode="info")

    def error(self, text: str) -> None:
        self.app.alert(text, title=TITLE, mode="critical")

    def ask_note(self, prompt: str) -> str | None:
        """Excel's InputBox; Cancel gives False, which means: do nothing."""
        answer = self.app.api.InputBox(prompt, TITLE)
        return None if answer is False else str(answer)


def log_dir() -> Path:
    if os.environ.get(LOG_DIR_ENV):
        return Path(os.environ[LOG_DIR_ENV])
    if os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "KinerjaSETWAN"
    return Path.home() / ".local" / "state" / "kinerja-xl"


def press(book, button_id: str, *, clock=None, password=None, dialogs: Dialogs | None = None) -> None:
    ui = dialogs or Dialogs(book.app)
    try:
        _press(book, button_id, clock or bootstrap.clock, password or bootstrap.password(), ui)
    except KinerjaError as exc:
        ui.error(exc.message)
    except Exception as exc:  # the last line of defence: a dialog and a log file, not a traceback
        where = _write_log(button_id, exc)
        ui.error(f"Terjadi kesalahan tak terduga saat menjalankan tombol ini ({type(exc).__name__}: {exc}).\n\n"
                 f"Buku kerja tidak disimpan. Rincian ditulis di:\n{where}\n\n"
                 "Kirim berkas itu ke admin. Tutup buku kerja tanpa menyimpan bila isinya tampak tidak lengkap.")


def _press(book, button_id: str, clock, password, ui: Dialogs) -> None:
    d = bootstrap.definition()
    port = XlwingsWorkbook(book, password)
    _check_xlwings_version(port)
    step, action = parse_button(button_id)
    if action == "status":
        rep = app.report(port, d, clock)
        lines = [f"{row[0]}. {row[2]}: {row[3]}" + (f" — {row[7]}" if row[7] else "") for row in rep.rows]
        ui.info(rep.turn + "\n\n" + "\n".join(lines))
    elif action == "check":
        _check(book, d, ui)
    elif action == "export":
        _export(book, d, clock, ui)
    else:
        note = ""
        if action == "return":
            note = ui.ask_note("Tulis catatan: apa yang harus diperbaiki pada data kinerja?")
            if note is None:
                return
        outcome = app.perform(port, d, Command(action, port.user() or "", note, step), clock, password)
        ui.info(outcome.message)


def _check_xlwings_version(port: XlwingsWorkbook) -> None:
    import xlwings

    in_book = port.read([N.META_XLWINGS])[N.META_XLWINGS].value()
    if str(in_book) != xlwings.__version__:
        raise Refused(f"Versi xlwings tidak cocok: modul VBA buku kerja ini untuk xlwings {in_book}, sedangkan yang "
                      f"terpasang xlwings {xlwings.__version__}. Minta admin menjalankan "
                      f"'pip install xlwings=={in_book}', atau membangun ulang buku kerja dengan 'kinerja-xl build'.")


def _check(book, d, ui: Dialogs) -> None:
    from kinerja_xl.integrity import check_file

    book.save()
    report = check_file(book.fullname, d)
    head = "Tidak ada perubahan yang terdeteksi." if report.clean else "DITEMUKAN MASALAH INTEGRITAS:"
    ui.info("\n".join([head, *report.problems, *(f"Catatan: {u}" for u in report.unproven)]))


def _export(book, d, clock, ui: Dialogs) -> None:
    from kinerja_xl.export import export_file

    book.app.status_bar = "Kinerja SETWAN: mengekspor hasil..."
    try:
        book.save()
        result = export_file(book.fullname, d, clock=clock, pdf_maker=_excel_pdf(book.app))
    finally:
        book.app.status_bar = False
    ui.info(f"Hasil diekspor ke:\n{result.folder}")


def _excel_pdf(xl_app):
    """Excel's own PDF export of the macro-free xlsx, when live."""
    def make(xlsx: Path, pdf: Path) -> None:
        exported = xl_app.books.open(str(xlsx))
        try:
            exported.to_pdf(str(pdf))
        finally:
            exported.close()
    return make


def _write_log(button_id: str, exc: BaseException) -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kinerja-xl.log"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n[{dt.datetime.now().isoformat(timespec='seconds')}] tombol {button_id}\n")
        fh.write("".join(traceback.format_exception(exc)))
    return path
