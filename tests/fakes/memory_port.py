"""An in-memory WorkbookPort: a fake that subclasses the real port, for fast property tests.

It starts from a real built workbook (read once through the file adapter), so the
names and their positions are exactly the workbook's.
"""
from __future__ import annotations

from collections.abc import Iterable

from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.locks import Area
from kinerja_xl.adapters.port import WorkbookPort
from kinerja_xl.service.unit_of_work import UnitOfWork


class MemoryWorkbook(WorkbookPort):
    def __init__(self, blocks: dict[str, Block], names: dict[str, str], sheets: list[str]):
        self.blocks = {k: [list(r) for r in b.values] for k, b in blocks.items()}
        self._where = {k: (b.sheet, b.row, b.col) for k, b in blocks.items()}
        self._names, self._sheets = names, sheets
        self.unlocked: tuple[Area, ...] = ()
        self.saves = 0

    @classmethod
    def from_port(cls, port: WorkbookPort) -> "MemoryWorkbook":
        names = port.names()
        return cls(port.read(list(names)), names, port.sheet_names())

    def names(self) -> dict[str, str]:
        return dict(self._names)

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def read(self, names: Iterable[str]) -> dict[str, Block]:
        return {n: Block(*self._where[n], tuple(tuple(r) for r in self.blocks[n])) for n in names}

    def write(self, name: str, rows: list[list], row_offset: int = 0) -> None:
        for i, row in enumerate(rows):
            self.blocks[name][row_offset + i][: len(row)] = list(row)

    def protect(self, lock: Iterable[Area], unlock: Iterable[Area], password) -> None:
        self.unlocked = tuple(unlock)

    def save(self) -> None:
        self.saves += 1

    def user(self) -> str | None:
        return None


class MemoryUnitOfWork(UnitOfWork):
    """The unit of work over a MemoryWorkbook: commit counts saves, nothing reaches a disk."""

    def __init__(self, book: MemoryWorkbook):
        self.book = book
        self.commits = 0
        self.open_definition("memori")

    def commit(self, anchor: dict | None) -> None:
        self.book.save()
        self.commits += 1

    def on_disk(self):
        raise NotImplementedError("a workbook in memory has no file")
