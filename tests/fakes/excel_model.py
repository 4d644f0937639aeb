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
from pyopenvba.apps.excel._model import Workbook
from pyopenvba.interpreter._objects import MemberSpec

from kinerja_xl.adapters.vba_sources import CELL_MODULE
from tests.fakes.vba_host import call


# Workbook.ReadOnly is real Excel (a file opened while someone else has it open) that pyOpenVBA leaves out.
Workbook.vba_add_member(MemberSpec(name="ReadOnly", kind="property",
                                   getter=lambda workbook: getattr(workbook, "kinerja_read_only", False)))


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
        return lambda *args: call(self.excel.interpreter, name, args)

    def save(self) -> None:
        self.excel.save(self.path)
