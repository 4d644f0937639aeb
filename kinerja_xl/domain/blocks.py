"""A named block of cells as read from a workbook: values plus where they are, for messages."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Block:
    sheet: str
    row: int  # top-left, 1-based
    col: int
    values: tuple[tuple, ...]

    @property
    def height(self) -> int:
        return len(self.values)

    @property
    def width(self) -> int:
        return len(self.values[0]) if self.values else 0

    def at(self, r: int = 0, c: int = 0) -> str:
        """Address of cell (r, c) of the block, as staff read it: '3 Input Data'!F14."""
        return f"'{self.sheet}'!{column_letter(self.col + c)}{self.row + r}"

    def value(self, r: int = 0, c: int = 0):
        return self.values[r][c]

    def with_rows(self, rows, offset: int = 0) -> "Block":
        """This block as it will be after writing `rows` at `offset` (for digests of what is saved)."""
        values = [list(r) for r in self.values]
        for i, row in enumerate(rows):
            values[offset + i][: len(row)] = list(row)
        return Block(self.sheet, self.row, self.col, tuple(tuple(r) for r in values))


class Overlay(Mapping):
    """Blocks as an action leaves them: the ones it wrote over the ones it read, which are neither copied nor read
    here (an adapter may read a sheet only when one of its blocks is first asked for)."""

    def __init__(self, base: Mapping[str, Block], changed: dict[str, Block]):
        self._base, self._changed = base, changed

    def __getitem__(self, name: str) -> Block:
        return self._changed[name] if name in self._changed else self._base[name]

    def __contains__(self, name) -> bool:
        return name in self._base

    def __iter__(self) -> Iterator[str]:
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)
