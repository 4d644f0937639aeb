"""The port the application talks to; the openpyxl (files) and xlwings (live Excel) adapters implement it.

Every cell is reached through a workbook-level defined name. Reads and writes are
per named block, so their cost does not grow with the number of rows in live Excel.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path

from kinerja_xl.adapters import package
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.locks import Area


class WorkbookPort(ABC):
    @abstractmethod
    def names(self) -> dict[str, str]:
        """Defined name -> reference text ('Sheet'!$A$1:$B$2)."""

    @abstractmethod
    def sheet_names(self) -> list[str]:
        ...

    @abstractmethod
    def read(self, names: Iterable[str]) -> dict[str, Block]:
        """Values of each named block, with where it is."""

    @abstractmethod
    def write(self, name: str, rows: list[list], row_offset: int = 0) -> None:
        """Write `rows` into the named block, starting `row_offset` rows down."""

    @abstractmethod
    def protect(self, lock: Iterable[Area], unlock: Iterable[Area], password: str | None) -> None:
        """Lock the cells of `lock`, then unlock those of `unlock`, and protect every sheet."""

    @abstractmethod
    def save(self) -> None:
        """Persist all writes at once; before this nothing the user can see has changed."""

    @abstractmethod
    def user(self) -> str | None:
        """The Windows username of the person at the keyboard (None when headless)."""

    def location(self) -> Path | None:
        """The workbook's file, where the anchor sidecar goes (None for a workbook without one)."""
        return None


class FileBacked(WorkbookPort):
    """A workbook file on disk: saved whole and atomically (`to_bytes`, then replace), nobody at the keyboard."""

    path: Path

    @abstractmethod
    def to_bytes(self) -> bytes:
        """The package as it will be saved."""

    def save(self) -> None:
        data = self.to_bytes()
        try:
            package.atomic_write(self.path, data)
        except OSError as exc:
            raise package.save_problem(self.path, exc) from None

    def user(self) -> str | None:
        return None

    def location(self) -> Path | None:
        return self.path

    def sha256(self) -> str | None:
        """SHA-256 of the file as it was opened (None when it cannot be read)."""
        from kinerja_xl.adapters.anchor_file import sha256_of

        return sha256_of(self.path)
