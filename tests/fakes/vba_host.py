"""Runs the workbook's own KinerjaSel module, in pyOpenVBA's interpreter, against the xlwings stand-in.

`Book.macro("KinerjaSel.Tulis")(...)` in the stand-in lands here: the arguments cross as
pywin32 would carry them (lists as 0-based arrays, datetimes marked UTC as VT_DATE), the real
VBA runs over Excel-like objects backed by the stand-in's cells, locks and protection, and
the result comes back as pywin32 gives it (arrays as tuples, dates as UTC-marked datetimes).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from openpyxl.utils.cell import range_boundaries
from pyopenvba.exceptions import VBARuntimeError
from pyopenvba.interpreter import EMPTY, MISSING, HostBridge, Interpreter, VBAArray, VBADate, VBAObject, member, method, setter
from pyopenvba.interpreter._runtime import UNRESOLVED

UTC = dt.timezone.utc


class ComError(Exception):
    """What pywintypes.com_error is to xlwings on Windows."""


class VbaErrorDialog(ComError):
    """An error left unhandled in a macro that Application.Run started: Excel stops at its run-time error
    dialog (End/Debug) in front of the person at the keyboard before COM reports anything. Products must
    never let this happen; tests assert it is never raised (docs/excel.md)."""


def to_vba(value):
    """Python -> VBA, as pywin32 marshals an argument (and as a cell hands Range.Value its contents)."""
    if isinstance(value, (list, tuple)):
        return VBAArray([(0, len(value) - 1)], items=[to_vba(v) for v in value])
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return VBADate.from_datetime(value)
    return value


def from_vba(value):
    """VBA -> Python, as pywin32 hands a result back."""
    if isinstance(value, VBAArray):
        if value.dimensions == 1:
            return tuple(from_vba(v) for v in value.items)
        (r0, r1), (c0, c1) = value.bounds
        return tuple(tuple(from_vba(value.get([r, c])) for c in range(c0, c1 + 1)) for r in range(r0, r1 + 1))
    if value is EMPTY:
        return None
    if isinstance(value, VBADate):
        return value.to_datetime().replace(tzinfo=UTC)
    return value


def cell_value(value):
    """What an Excel cell keeps of a Python value: doubles for numbers, datetimes for dates; "" is empty."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$")
_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2}|\d{4}))?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class Formula:
    """A string starting with "=" written as a value: Excel makes it a formula (its result is not modelled)."""

    text: str


def typed(text: str, this_year: int = 2026):
    """What Excel keeps of a string written through Range.Value into a cell not formatted as text: it parses
    it as if typed (en-US settings): "2" is a number, "1/2" and "01-10-2026 09:05" are dates (month first),
    "TRUE" a boolean; a leading apostrophe keeps the rest as text. Source: Microsoft, "Stop automatically
    changing numbers to dates" (docs/excel.md)."""
    if text.startswith("'"):
        return text[1:]
    if text.startswith("=") and len(text) > 1:
        return Formula(text)
    bare = text.strip()
    if bare.upper() in ("TRUE", "FALSE"):
        return bare.upper() == "TRUE"
    if bare and any(ch.isdigit() for ch in bare) and _NUMBER.match(bare):
        number = float(bare.rstrip("%").replace(",", ""))
        return number / 100 if bare.endswith("%") else number
    match = _DATE.match(bare)
    if match:
        month, day, year = int(match[1]), int(match[2]), match[3]
        year = this_year if year is None else int(year) + (2000 if len(year) == 2 else 0)
        try:
            return dt.datetime(year, month, day, int(match[4] or 0), int(match[5] or 0), int(match[6] or 0))
        except ValueError:
            return text  # no such date: Excel keeps the text
    match = _TIME.match(bare)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.datetime(1899, 12, 30, int(match[1]), int(match[2]), int(match[3] or 0))
    return text


class XRange(VBAObject):
    vba_type_name = "Range"

    def __init__(self, sheet, ref: str):
        self._sheet = sheet
        self._left, self._top, self._right, self._bottom = range_boundaries(ref.replace("$", ""))

    def _keys(self):
        return [(r, c) for r in range(self._top, self._bottom + 1) for c in range(self._left, self._right + 1)]

    @member(name="Value", default=True)
    def value(self):
        cells = self._sheet.cells
        if self._top == self._bottom and self._left == self._right:
            return to_vba(cells.get((self._top, self._left)))
        out = VBAArray([(1, self._bottom - self._top + 1), (1, self._right - self._left + 1)])
        for r, c in self._keys():
            out.set([r - self._top + 1, c - self._left + 1], to_vba(cells.get((r, c))))
        return out

    @setter("Value")
    def set_value(self, data):
        sheet = self._sheet
        for r, c in self._keys():
            v = data.get([r - self._top + 1, c - self._left + 1]) if isinstance(data, VBAArray) else data
            if sheet.protected and not sheet.ui_only and sheet.locked.get((r, c), True):
                raise VBARuntimeError(1004, "The cell or chart you're trying to change is on a protected sheet.")
            value = from_vba(v)
            if isinstance(value, str) and (r, c) not in sheet.text_cells:
                value = typed(value)
            sheet.cells[(r, c)] = cell_value(value)

    @member(name="Locked")
    def locked(self):
        return all(self._sheet.locked.get(k, True) for k in self._keys())

    @setter("Locked")
    def set_locked(self, value):
        if self._sheet.protected and not self._sheet.ui_only:
            raise VBARuntimeError(1004, "Unable to set the Locked property of the Range class")
        for key in self._keys():
            self._sheet.locked[key] = bool(value)


class XSheet(VBAObject):
    vba_type_name = "Worksheet"

    def __init__(self, sheet):
        self._sheet = sheet

    @member(name="Name")
    def name(self):
        return self._sheet.name

    @method(name="Range")
    def range(self, Cell1=MISSING, Cell2=MISSING):
        return XRange(self._sheet, str(Cell1))

    @method(name="Protect")
    def protect(self, Password=MISSING, DrawingObjects=MISSING, Contents=MISSING, Scenarios=MISSING,
                UserInterfaceOnly=MISSING, AllowFormattingCells=MISSING, AllowFormattingColumns=MISSING):
        sheet, password = self._sheet, "" if Password is MISSING else str(Password)
        if sheet.protected and (sheet.password or "") != password:
            raise VBARuntimeError(1004, "The password you supplied is not correct.")
        sheet.protected, sheet.password = True, password
        sheet.ui_only = UserInterfaceOnly is not MISSING and bool(UserInterfaceOnly)
        return EMPTY


class XSheets(VBAObject):
    vba_type_name = "Sheets"

    def __init__(self, book):
        self._book = book

    @member(name="Count")
    def count(self):
        return len(self._book._sheets)

    @method(name="Item", default=True)
    def item(self, Index=MISSING):
        names = list(self._book._sheets)
        if isinstance(Index, str):
            if Index not in self._book._sheets:
                raise VBARuntimeError(9, "Subscript out of range")
            return XSheet(self._book._sheets[Index])
        return XSheet(self._book._sheets[names[int(Index) - 1]])


class XName(VBAObject):
    vba_type_name = "Name"

    def __init__(self, book, name):
        self._book, self._name = book, name

    @member(name="RefersTo")
    def refers_to(self):
        return "=" + self._book.defined[self._name]

    @member(name="RefersToRange")
    def refers_to_range(self):
        from kinerja_xl.adapters.xlwings_book import address, parse_ref

        sheet, top, left, rows, cols = parse_ref(self._book.defined[self._name])
        return XRange(self._book._sheets[sheet], address(top, left, rows, cols))


class XNames(VBAObject):
    vba_type_name = "Names"

    def __init__(self, book):
        self._book = book

    @method(name="Item", default=True)
    def item(self, Index=MISSING):
        if Index not in self._book.defined:
            raise VBARuntimeError(1004, "Application-defined or object-defined error")
        return XName(self._book, Index)


class XWorkbook(VBAObject):
    vba_type_name = "Workbook"

    def __init__(self, book):
        self._book = book

    @member(name="Names")
    def names(self):
        return XNames(self._book)

    @member(name="Sheets")
    def sheets(self):
        return XSheets(self._book)

    @member(name="Worksheets")
    def worksheets(self):
        return XSheets(self._book)

    @member(name="ReadOnly")
    def read_only(self):
        return self._book.read_only


class XApplication(VBAObject):
    vba_type_name = "Application"

    def __init__(self, app):
        self._app = app

    @member(name="ScreenUpdating")
    def screen_updating(self):
        return self._app._screen_updating

    @setter("ScreenUpdating")
    def set_screen_updating(self, value):
        self._app._screen_updating = bool(value)


class Host(HostBridge):
    def __init__(self, book):
        self._globals = {"thisworkbook": XWorkbook(book), "application": XApplication(book.app)}

    def global_object(self, name: str):
        return self._globals.get(name.lower(), UNRESOLVED)


def interpreter(book, modules: dict[str, str]) -> Interpreter:
    """An interpreter over the stand-in `book` holding `modules` (name -> source), made once per book:
    module state lives as long as the workbook is open, as in Excel."""
    vba = Interpreter(host=Host(book))
    for name, source in modules.items():
        vba.add_module(source, name=name)
    return vba


def call(vba: Interpreter, name: str, args) -> object:
    """`Module.Procedure` as Application.Run over pywin32 runs it: arguments and result marshalled
    as pywin32 does, a VBA error reaching Python as ComError."""
    try:
        return from_vba(vba.run(name, [to_vba(a) for a in args]))
    except VBARuntimeError as exc:
        raise VbaErrorDialog(str(exc)) from exc
