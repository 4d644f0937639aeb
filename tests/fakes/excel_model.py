"""The live adapter over pyOpenVBA's in-memory Excel instead of the xlwings stand-in.

A second, independent model of Excel: the workbook's own KinerjaSel module runs in
pyOpenVBA's Excel application (its own ranges, merged cells, names and protection),
with arguments and results carried as pywin32 carries them (tests/fakes/vba_host.py).
`save()` writes the file through pyOpenVBA, which openpyxl then reads.
"""
from __future__ import annotations

from pathlib import Path

from pyopenvba import ExcelFile
from pyopenvba.apps.excel import ExcelApplication
from pyopenvba.exceptions import VBARuntimeError

from kinerja_xl.build.vba import CELL_MODULE
from tests.fakes.vba_host import ComError, from_vba, to_vba


class ModelBook:
    """The few members of xlwings.Book the live adapter uses."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.excel = ExcelApplication.open(self.path, with_vba=False)  # xlwings.bas needs Excel's DLL
        with ExcelFile(self.path) as book:
            self.excel.add_module(book.vba_modules()[CELL_MODULE], name=CELL_MODULE)

    @property
    def fullname(self) -> str:
        return str(self.path)

    def macro(self, name: str):
        def run(*args):
            try:
                return from_vba(self.excel.interpreter.run(name, [to_vba(a) for a in args]))
            except VBARuntimeError as exc:
                raise ComError(str(exc)) from exc
        return run

    def save(self) -> None:
        self.excel.save(self.path)
