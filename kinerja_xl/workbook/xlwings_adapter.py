"""The live adapter: the port over the workbook open in Excel, through xlwings.

Every call into Excel crosses a process boundary, so the number of calls must not
grow with the rows: names come from the hidden name map in one read, each sheet is
read as one block, each named block is written in one call, and nothing reaches
Excel before `save()`, which applies everything with screen updating off and puts
the old values back if Excel fails half-way.
"""
from __future__ import annotations

import getpass
import os
import re
from collections.abc import Iterable
from pathlib import Path

from kinerja_xl.core.blocks import Block, column_letter
from kinerja_xl.core.locks import Area
from kinerja_xl.sop import names as N
from kinerja_xl.workbook.port import WorkbookPort

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


class XlwingsWorkbook(WorkbookPort):
    def __init__(self, book, password: str | None = None):
        self.book, self.password = book, password
        self._map: dict[str, tuple[str, int, int, int, int]] | None = None
        self._refs: dict[str, str] = {}
        self._writes: list[tuple[str, str, list[list], list[list] | None]] = []
        self._locks: tuple[list[Area], list[Area]] | None = None
        self._sheets: dict[str, object] = {}
        self._seen: dict[str, Block] = {}

    def _sheet(self, name: str):
        """Sheet objects are looked up once: each lookup is a call into Excel."""
        if name not in self._sheets:
            self._sheets[name] = self.book.sheets[name]
        return self._sheets[name]

    # -- reading -------------------------------------------------------------
    def _names(self) -> dict[str, tuple[str, int, int, int, int]]:
        if self._map is None:
            ref = self.book.names[N.NAME_MAP].refers_to
            sheet, top, left, rows, cols = parse_ref(ref)
            listed = self._sheet(sheet).range(address(top, left, rows, cols)).options(ndim=2).value
            self._refs = {name: text for name, text in listed if name}
            self._refs[N.NAME_MAP] = ref.lstrip("=")
            self._map = {name: parse_ref(text) for name, text in self._refs.items()}
        return self._map

    def names(self) -> dict[str, str]:
        self._names()
        return dict(self._refs)

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def read(self, names: Iterable[str]) -> dict[str, Block]:
        """One read per sheet: the bounding block of all requested names on it, then sliced."""
        where = self._names()
        wanted = list(names)
        by_sheet: dict[str, list[str]] = {}
        for name in wanted:
            by_sheet.setdefault(where[name][0], []).append(name)
        out = {}
        for sheet, group in by_sheet.items():
            top = min(where[n][1] for n in group)
            left = min(where[n][2] for n in group)
            bottom = max(where[n][1] + where[n][3] - 1 for n in group)
            right = max(where[n][2] + where[n][4] - 1 for n in group)
            grid = self._sheet(sheet).range(address(top, left, bottom - top + 1, right - left + 1)).options(ndim=2).value
            for name in group:
                _, r, c, rows, cols = where[name]
                values = tuple(tuple(row[c - left:c - left + cols]) for row in grid[r - top:r - top + rows])
                out[name] = Block(sheet, r, c, values)
        self._seen.update(out)
        return out

    # -- writing: collected, applied in save() --------------------------------
    def write(self, name: str, rows: list[list], row_offset: int = 0) -> None:
        sheet, top, left, _, _ = self._names()[name]
        seen = self._seen.get(name)
        old = [list(r[: len(rows[0])]) for r in seen.values[row_offset:row_offset + len(rows)]] if seen else None
        self._writes.append((sheet, address(top + row_offset, left, len(rows), len(rows[0])), [list(r) for r in rows], old))

    def protect(self, lock: Iterable[Area], unlock: Iterable[Area], password: str | None) -> None:
        self._locks = (list(lock), list(unlock))
        self.password = password or self.password

    def save(self) -> None:
        app = self.book.app
        app.screen_updating = False
        undo: list[tuple[object, object]] = []
        try:
            self._protect_all()  # re-protect first: from now on code may write, people still may not
            for sheet, addr, rows, old in self._writes:
                target = self._sheet(sheet).range(addr)
                undo.append((target, old if old is not None else target.options(ndim=2).value))
                target.value = rows
            self._apply_locks()
            self.book.save()
        except Exception:
            for target, old in reversed(undo):  # never leave the open workbook half-written
                target.value = old
            raise
        finally:
            app.screen_updating = True
            self._writes = []

    def _apply_locks(self) -> None:
        if self._locks is None:
            return
        lock, unlock = self._locks
        where = self._names()
        by_sheet: dict[str, list[tuple]] = {}
        for area in lock:
            by_sheet.setdefault(where[area.name][0], []).append(where[area.name])
        for sheet, spots in by_sheet.items():  # one call per sheet: lock the whole span (labels are locked anyway)
            top, left = min(s[1] for s in spots), min(s[2] for s in spots)
            bottom, right = max(s[1] + s[3] - 1 for s in spots), max(s[2] + s[4] - 1 for s in spots)
            self._sheet(sheet).range(address(top, left, bottom - top + 1, right - left + 1)).api.Locked = True
        for area in unlock:
            sheet, top, left, rows, cols = where[area.name]
            width = cols - area.first_col if area.cols is None else area.cols
            self._sheet(sheet).range(address(top, left + area.first_col, rows, width)).api.Locked = False

    def _protect_all(self) -> None:
        """UserInterfaceOnly: people cannot type in locked cells, this code can. Excel forgets the flag when
        the file is closed, so it is applied again, on the sheets this action touches, with the configured
        password; the other sheets stay protected as they are."""
        touched = {sheet for sheet, _, _, _ in self._writes}
        if self._locks:
            where = self._names()
            touched |= {where[a.name][0] for a in (*self._locks[0], *self._locks[1])}
        for sheet in sorted(touched - {N.CONF_SHEET}):
            self._sheet(sheet).api.Protect(Password=self.password or "", UserInterfaceOnly=True,
                                           AllowFormattingColumns=True)

    # -- identity and place ---------------------------------------------------
    def user(self) -> str | None:
        return os.environ.get("USERNAME") or getpass.getuser()

    def location(self) -> Path | None:
        return Path(self.book.fullname)
