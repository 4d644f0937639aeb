"""A faithful in-memory stand-in for the xlwings objects the live adapter uses.

It mirrors xlwings' signatures (a test compares them with the installed xlwings) and
counts every call that would cross into Excel. `Book.macro(...)()` runs the workbook's
own VBA (tests/fakes/vba_host.py) over cells that behave like Excel's where it matters:
numbers kept as doubles, dates as datetimes, strings written through Range.Value parsed as
if typed unless the cell is formatted as text, a protected sheet refusing writes to
locked cells unless protected with UserInterfaceOnly in this session, an unhandled VBA
error stopping at Excel's run-time dialog. It starts from a real .xlsm file and
`Book.save()` writes back to it as Excel would: defined names lose needless quotes, and a
workbook opened read-only cannot be saved. Each behaviour is listed in docs/excel.md.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import openpyxl
from openpyxl.styles import Protection
from pyopenvba import ExcelFile

from kinerja_xl.adapters.vba_sources import CELL_MODULE
from kinerja_xl.adapters import package
from kinerja_xl.adapters.xlwings_book import parse_ref
from tests.fakes.vba_host import ComError, Formula, VbaErrorDialog, call, cell_value, interpreter

__all__ = ["App", "Book", "ComError", "Macro", "ReadOnlySaveAs", "Recorder", "VbaErrorDialog", "excel_name_text"]


class ReadOnlySaveAs(ComError):
    """Saving a workbook Excel opened read-only: Excel answers with its Save As dialog, in the middle of
    whatever the code was doing (docs/excel.md)."""


_PLAIN_SHEET = re.compile(r"^[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*([Cc]\d*)?|[Cc]\d*)$")


def excel_name_text(ref: str) -> str:
    """A defined name's text as Excel writes it on save: the sheet quoted only when it must be (a space or
    other character, a leading digit, or a name that reads as a cell reference)."""
    sheet, _, cells = ref.rpartition("!")
    bare = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
    if _PLAIN_SHEET.match(bare) and not _CELL_LIKE.match(bare):
        return f"{bare}!{cells}"
    return "'" + bare.replace("'", "''") + f"'!{cells}"


class Recorder:
    def __init__(self):
        self.calls: Counter = Counter()

    def cross(self, what: str) -> None:
        self.calls[what] += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        self.calls.clear()


class _AppApi:
    def __init__(self, app):
        self._app = app

    def InputBox(self, Prompt, Title=None, Default=None, Left=None, Top=None, HelpFile=None, HelpContextID=None,
                 Type=None):
        self._app.rec.cross("App.api.InputBox")
        self._app.prompts.append(Prompt)
        return self._app.answers.pop(0) if self._app.answers else False


class App:
    def __init__(self, rec: Recorder):
        self.rec, self.alerts, self.answers, self.prompts = rec, [], [], []
        self._screen_updating, self._status_bar = True, False
        self.api = _AppApi(self)

    @property
    def screen_updating(self) -> bool:
        self.rec.cross("App.screen_updating")
        return self._screen_updating

    @property
    def status_bar(self):
        return self._status_bar

    @status_bar.setter
    def status_bar(self, value) -> None:
        self.rec.cross("App.status_bar")
        self._status_bar = value

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None,
              callback: str | None = None) -> str | None:
        self.rec.cross("App.alert")
        self.alerts.append((prompt, title, buttons, mode))
        return buttons.split("_")[0] if buttons else None


class Sheet:
    def __init__(self, book, name: str, cells: dict, locked: dict, protected: bool, password: str,
                 text_cells: frozenset = frozenset()):
        self.book, self.name, self.cells, self.locked = book, name, cells, locked
        self.protected, self.password, self.ui_only = protected, password, False
        self.text_cells = text_cells  # formatted as text ("@"): Excel keeps a written string as it is


class Sheets:
    def __init__(self, book):
        self._book = book

    def __getitem__(self, key: int | str) -> Sheet:
        self._book.rec.cross("Sheets.__getitem__")
        if isinstance(key, int):
            return self._book._sheets[list(self._book._sheets)[key]]
        return self._book._sheets[key]

    def __iter__(self):
        return iter(self._book._sheets.values())


class Macro:
    """xlwings.main.Macro: calling it is one Application.Run, which runs the book's own VBA."""

    def __init__(self, book, macro: str):
        self._book, self.macro = book, macro

    def run(self, *args):
        self._book.rec.cross("Macro.run")
        return call(self._book.vba(), self.macro.rpartition("!")[2], args)

    __call__ = run


class Book:
    """Opened from an .xlsm; `save()` writes values, locks and protection back to it.

    `read_only=True` is the copy Excel opens when someone else has the file open: it can be edited, not saved."""

    def __init__(self, path: Path, rec: Recorder | None = None, read_only: bool = False):
        self.rec = rec or Recorder()
        self._path = Path(path)
        self.read_only = read_only
        self._app = App(self.rec)
        wb = openpyxl.load_workbook(self._path)
        self.defined = {n: dn.attr_text for n, dn in wb.defined_names.items()}
        self._sheets = {}
        for ws in wb.worksheets:
            cells, locked, text = {}, {}, set()
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        cells[(cell.row, cell.column)] = cell_value(cell.value)
                    if cell.has_style and not cell.protection.locked:
                        locked[(cell.row, cell.column)] = False
                    if cell.has_style and cell.number_format == "@":
                        text.add((cell.row, cell.column))
            self._sheets[ws.title] = Sheet(self, ws.title, cells, locked, bool(ws.protection.sheet), "", frozenset(text))
        self.sheets, self.saves = Sheets(self), 0
        self._vba = None

    @property
    def app(self) -> App:
        return self._app

    @property
    def fullname(self) -> str:
        return str(self._path)

    @property
    def name(self) -> str:
        self.rec.cross("Book.name")
        return self._path.name

    def macro(self, name: str) -> Macro:
        return Macro(self, f"'{self.name}'!{name}")

    def vba(self):
        """The file's own cell macros, as stored in its VBA project, loaded once (not a call into Excel;
        xlwings' module needs Excel's DLL and is left out)."""
        if self._vba is None:
            with ExcelFile(self._path) as book:
                self._vba = interpreter(self, {CELL_MODULE: book.vba_modules()[CELL_MODULE]})
        return self._vba

    def save(self, path: str | None = None, password: str | None = None) -> None:
        self.rec.cross("Book.save")
        if self.read_only:
            raise ReadOnlySaveAs(f"'{self._path.name}' is read-only: Excel shows the Save As dialog")
        self.saves += 1
        wb = openpyxl.load_workbook(self._path, keep_vba=True)
        for name, defined in wb.defined_names.items():
            defined.attr_text = self.defined[name] = excel_name_text(defined.attr_text)
        customui = package.read_part(self._path, package.CUSTOMUI_PART)
        for ws in wb.worksheets:
            sheet = self._sheets[ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    if (cell.row, cell.column) not in sheet.cells and cell.value is not None:
                        cell.value = None
            for (r, c), v in sheet.cells.items():
                cell = ws.cell(r, c)
                cell.value = v.text if isinstance(v, Formula) else v
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"  # text that Excel keeps as text (written with an apostrophe): not a formula
            for (r, c), flag in sheet.locked.items():
                if ws.cell(r, c).protection.locked != flag:
                    ws.cell(r, c).protection = Protection(locked=flag)
            ws.protection.sheet = sheet.protected
        buf = io.BytesIO()
        wb.save(buf)
        package.atomic_write(self._path, package.finish(buf.getvalue(), customui), keep_backup=False)

    # test helpers, not xlwings API ------------------------------------------------
    def type_into(self, name: str, r: int, c: int, value) -> None:
        """What a person typing into a cell does (no call counted: not our code)."""
        sheet, top, left, _, _ = parse_ref(self.defined[name])
        self._sheets[sheet].cells[(top + r, left + c)] = cell_value(value)

    def value_of(self, name: str):
        sheet, top, left, rows, cols = parse_ref(self.defined[name])
        return [[self._sheets[sheet].cells.get((top + i, left + j)) for j in range(cols)] for i in range(rows)]

    def locked_of(self, name: str) -> bool:
        sheet, top, left, _, _ = parse_ref(self.defined[name])
        return self._sheets[sheet].locked.get((top, left), True)
