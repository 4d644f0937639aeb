"""A named block of cells as read from a workbook: values plus where they are, for messages."""
from __future__ import annotations

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
