"""A faithful in-memory stand-in for the xlwings objects the live adapter uses.

It mirrors xlwings' signatures (a test compares them with the installed xlwings),
behaves like Excel where it matters (numbers come back as floats, dates as
datetimes, a protected sheet refuses writes to locked cells unless protected with
UserInterfaceOnly in this session) and counts every call that would cross into Excel.
It starts from a real .xlsm file and `Book.save()` writes back to it, as Excel would.
"""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import openpyxl
from openpyxl.styles import Protection
from openpyxl.utils.cell import range_boundaries

from kinerja_xl.workbook import package
from kinerja_xl.workbook.xlwings_adapter import parse_ref


class ComError(Exception):
    """What pywintypes.com_error is to xlwings on Windows."""


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


def _to_excel(value):
    """What Excel keeps: doubles for numbers, datetimes for dates."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


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

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self.rec.cross("App.screen_updating")
        self._screen_updating = value

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


class Name:
    def __init__(self, book, name: str, refers_to: str):
        self._book, self.name, self._refers_to = book, name, refers_to

    @property
    def refers_to(self) -> str:
        self._book.rec.cross("Name.refers_to")
        return self._refers_to


class Names:
    def __init__(self, book):
        self._book = book

    def __getitem__(self, item: int | str) -> Name:
        self._book.rec.cross("Names.__getitem__")
        return Name(self._book, item, "=" + self._book.defined[item])


class _SheetApi:
    def __init__(self, sheet):
        self._sheet = sheet

    def Protect(self, Password=None, DrawingObjects=None, Contents=None, Scenarios=None, UserInterfaceOnly=None,
                AllowFormattingCells=None, AllowFormattingColumns=None, **more):
        sheet = self._sheet
        sheet.book.rec.cross("Sheet.api.Protect")
        if sheet.protected and (sheet.password or "") != (Password or ""):
            raise ComError("The password you supplied is not correct.")
        sheet.protected, sheet.password, sheet.ui_only = True, Password or "", bool(UserInterfaceOnly)

    def Unprotect(self, Password=None):
        sheet = self._sheet
        sheet.book.rec.cross("Sheet.api.Unprotect")
        if sheet.protected and (sheet.password or "") != (Password or ""):
            raise ComError("The password you supplied is not correct.")
        sheet.protected = False


class Sheet:
    def __init__(self, book, name: str, cells: dict, locked: dict, protected: bool, password: str):
        self.book, self.name, self.cells, self.locked = book, name, cells, locked
        self.protected, self.password, self.ui_only = protected, password, False
        self.api = _SheetApi(self)

    def range(self, cell1: str | tuple[int, int] | Range, cell2: str | tuple[int, int] | Range | None = None) -> Range:
        self.book.rec.cross("Sheet.range")
        min_col, min_row, max_col, max_row = range_boundaries(str(cell1).replace("$", ""))
        return Range(self, min_row, min_col, max_row, max_col)


class _RangeApi:
    def __init__(self, rng):
        self._rng = rng

    @property
    def Locked(self):
        self._rng.sheet.book.rec.cross("Range.api.Locked")
        return all(self._rng.sheet.locked.get(k, True) for k in self._rng.keys())

    @Locked.setter
    def Locked(self, value) -> None:
        rng = self._rng
        rng.sheet.book.rec.cross("Range.api.Locked")
        if rng.sheet.protected and not rng.sheet.ui_only:
            raise ComError("Unable to set the Locked property of the Range class")
        for key in rng.keys():
            rng.sheet.locked[key] = bool(value)


class Range:
    def __init__(self, sheet: Sheet, top: int, left: int, bottom: int, right: int, ndim: int | None = None):
        self.sheet, self.top, self.left, self.bottom, self.right, self._ndim = sheet, top, left, bottom, right, ndim
        self.api = _RangeApi(self)

    def keys(self):
        return [(r, c) for r in range(self.top, self.bottom + 1) for c in range(self.left, self.right + 1)]

    def options(self, convert=None, **options) -> Range:
        return Range(self.sheet, self.top, self.left, self.bottom, self.right, options.get("ndim"))

    @property
    def value(self):
        self.sheet.book.rec.cross("Range.value")
        grid = [[self.sheet.cells.get((r, c)) for c in range(self.left, self.right + 1)]
                for r in range(self.top, self.bottom + 1)]
        if self._ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return grid[0] if len(grid) == 1 else [row[0] for row in grid] if len(grid[0]) == 1 else grid

    @value.setter
    def value(self, data) -> None:
        self.sheet.book.rec.cross("Range.value")
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                key = (self.top + i, self.left + j)
                if self.sheet.protected and not self.sheet.ui_only and self.sheet.locked.get(key, True):
                    raise ComError("The cell or chart you're trying to change is on a protected sheet.")
                self.sheet.cells[key] = _to_excel(v)


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


class Book:
    """Opened from an .xlsm; `save()` writes values, locks and protection back to it."""

    def __init__(self, path: Path, rec: Recorder | None = None):
        self.rec = rec or Recorder()
        self._path = Path(path)
        self._app = App(self.rec)
        wb = openpyxl.load_workbook(self._path)
        self.defined = {n: dn.attr_text for n, dn in wb.defined_names.items()}
        self._sheets = {}
        for ws in wb.worksheets:
            cells, locked = {}, {}
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        cells[(cell.row, cell.column)] = _to_excel(cell.value)
                    if cell.has_style and not cell.protection.locked:
                        locked[(cell.row, cell.column)] = False
            self._sheets[ws.title] = Sheet(self, ws.title, cells, locked, bool(ws.protection.sheet), "")
        self.names, self.sheets, self.saves = Names(self), Sheets(self), 0

    @property
    def app(self) -> App:
        return self._app

    @property
    def fullname(self) -> str:
        return str(self._path)

    def save(self, path: str | None = None, password: str | None = None) -> None:
        self.rec.cross("Book.save")
        self.saves += 1
        wb = openpyxl.load_workbook(self._path, keep_vba=True)
        customui = package.read_part(self._path, package.CUSTOMUI_PART)
        for ws in wb.worksheets:
            sheet = self._sheets[ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    if (cell.row, cell.column) not in sheet.cells and cell.value is not None:
                        cell.value = None
            for (r, c), v in sheet.cells.items():
                ws.cell(r, c).value = v
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
        self._sheets[sheet].cells[(top + r, left + c)] = _to_excel(value)

    def value_of(self, name: str):
        sheet, top, left, rows, cols = parse_ref(self.defined[name])
        return [[self._sheets[sheet].cells.get((top + i, left + j)) for j in range(cols)] for i in range(rows)]

    def locked_of(self, name: str) -> bool:
        sheet, top, left, _, _ = parse_ref(self.defined[name])
        return self._sheets[sheet].locked.get((top, left), True)
