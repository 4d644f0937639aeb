"""Defined-name references as Excel writes them: `'3 Input Data'!$A$13:$M$212`, quoted or not."""
from __future__ import annotations

import re

from kinerja_xl.domain.blocks import column_letter

_REF = re.compile(r"^=?'?(?P<sheet>.+?)'?!\$?(?P<c1>[A-Z]+)\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]+)\$?(?P<r2>\d+))?$")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[str, int, int, int, int]:
    """"'3 Input Data'!$A$13:$M$212" -> (sheet, top row, left col, rows, cols)."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"alamat nama tidak dikenal: {ref}")
    top, left = int(m["r1"]), column_number(m["c1"])
    bottom, right = int(m["r2"] or top), column_number(m["c2"] or m["c1"])
    return m["sheet"].replace("''", "'"), top, left, bottom - top + 1, right - left + 1


def address(top: int, left: int, rows: int, cols: int) -> str:
    first = f"{column_letter(left)}{top}"
    return first if rows == cols == 1 else f"{first}:{column_letter(left + cols - 1)}{top + rows - 1}"
