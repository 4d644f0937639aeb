"""The live adapter: the port over the workbook open in Excel, through xlwings.

Every call into Excel crosses a process boundary, so a button must cost the same few
calls with 10 indicators or 2,000: the workbook's own VBA module KinerjaSel does the
cell work, one macro call for the name map and sheet names, one per read (all sheets
at once), and one in `save()` that protects, writes, sets locks and undoes itself if
Excel refuses part of it. Nothing reaches Excel before `save()`.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from kinerja_xl.adapters.vba_sources import CELL_MODULE  # the module the macros live in (adapters/vba/KinerjaSel.bas)
from kinerja_xl.adapters.refs import address, parse_ref
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.locks import Area
from kinerja_xl.domain import names as N
from kinerja_xl.domain.errors import FileProblem
from kinerja_xl.adapters.port import WorkbookPort


def _span(spots: Iterable[tuple]) -> tuple[int, int, int, int]:
    """The bounding block (top, left, rows, cols) of (sheet, top, left, rows, cols) spots."""
    spots = list(spots)
    top, left = min(s[1] for s in spots), min(s[2] for s in spots)
    bottom, right = max(s[1] + s[3] - 1 for s in spots), max(s[2] + s[4] - 1 for s in spots)
    return top, left, bottom - top + 1, right - left + 1


def _blocks(writes) -> tuple[list[str], list[str], list[int], list[int], list]:
    """Blocks as Tulis takes them: flat one-dimensional arrays (nested lists would reach VBA as a
    multi-dimensional array whenever the blocks happen to share a shape)."""
    flat = [to_com(v) for _, _, rows in writes for row in rows for v in row]
    return ([w[0] for w in writes], [w[1] for w in writes], [len(w[2]) for w in writes],
            [len(w[2][0]) for w in writes], flat)


READ_ONLY = ("Buku kerja ini terbuka hanya-baca di Excel (biasanya karena sedang dibuka di komputer lain, atau "
             "folder tidak dapat ditulisi), jadi tombol ini tidak dapat menyimpan. Tidak ada yang berubah. Minta rekan "
             "yang membukanya menutup buku kerja (atau minta hak tulis pada folder), tutup buku kerja ini tanpa "
             "menyimpan, buka lagi, lalu ulangi. Tombol Status tetap dapat dipakai.")


def _code(number) -> str:
    return str(int(number)) if isinstance(number, (int, float)) else str(number)


_CELL_ERRORS = range(-2146826288, -2146826245)  # what COM gives for #NULL! .. #GETTING_DATA
_UTC = dt.timezone.utc


def to_com(value):
    """A value as xlwings hands it to COM: no None, and datetimes with their wall time marked UTC
    (pywin32 shifts any other zone, and wants one)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).replace(tzinfo=_UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    return value


def from_com(value):
    """A cell value as COM gives it, cleaned the way xlwings cleans Range.value."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                           value.microsecond)
    if type(value) is int and value in _CELL_ERRORS:
        return None
    return value


def grid(value, rows: int, cols: int) -> list[list]:
    """Range.Value as rows: a single cell comes back from COM as a bare value, a block as rows."""
    if rows == cols == 1 and not isinstance(value, (tuple, list)):
        return [[from_com(value)]]
    return [[from_com(v) for v in row] for row in value]


class XlwingsWorkbook(WorkbookPort):
    """Reads go through KinerjaSel.Peta and KinerjaSel.Baca, writes through one KinerjaSel.Tulis."""

    def __init__(self, book, password: str | None = None):
        self.book, self.password = book, password
        self._map: dict[str, tuple[str, int, int, int, int]] | None = None
        self._refs: dict[str, str] = {}
        self._sheet_names: list[str] = []
        self._writes: list[tuple[str, str, list[list]]] = []
        self._locks: tuple[list[Area], list[Area]] | None = None
        self._macros: dict[str, object] = {}
        self._read_only = False

    def _run(self, name: str, *args):
        """One KinerjaSel macro. It answers (True, result), or (False, number, description) when Excel refused:
        the macro never lets an error reach Application.Run, where it would stop at Excel's End/Debug dialog."""
        if name not in self._macros:  # made once: asking the book for a macro reads its name, a call into Excel
            self._macros[name] = self.book.macro(f"{CELL_MODULE}.{name}")
        answer = self._macros[name](*args)
        if answer[0] is True:
            return answer[1]
        number, description = (answer[1:] + (None, None))[:2]
        raise FileProblem(f"Excel menolak perintah {name} pada buku kerja ini: {description} (kode {_code(number)}). "
                          "Tidak ada yang berubah. Bila lembar dilindungi dengan kata sandi, pastikan variabel "
                          "KINERJA_XL_SANDI di komputer ini benar; bila masih gagal, tutup dan buka lagi buku kerja, "
                          "lalu ulangi, atau hubungi admin.")

    # -- reading -------------------------------------------------------------
    def _names(self) -> dict[str, tuple[str, int, int, int, int]]:
        if self._map is None:
            ref, rows, sheets, read_only = self._run("Peta", N.NAME_MAP)
            self._read_only = bool(read_only)
            _, _, _, height, width = parse_ref(ref)
            self._refs = {name: text for name, text in grid(rows, height, width) if name}
            self._refs[N.NAME_MAP] = ref.lstrip("=")
            self._map = {name: parse_ref(text) for name, text in self._refs.items()}
            self._sheet_names = [str(s) for s in sheets]
        return self._map

    def names(self) -> dict[str, str]:
        self._names()
        return dict(self._refs)

    def sheet_names(self) -> list[str]:
        self._names()
        return list(self._sheet_names)

    def read(self, names: Iterable[str]) -> dict[str, Block]:
        """One call for everything: per sheet, the bounding block of the requested names, then sliced."""
        where = self._names()
        by_sheet: dict[str, list[str]] = {}
        for name in names:
            by_sheet.setdefault(where[name][0], []).append(name)
        spans = {sheet: _span(where[n] for n in group) for sheet, group in by_sheet.items()}
        if not spans:
            return {}
        sheets = list(spans)
        values = self._run("Baca", sheets, [address(*spans[s]) for s in sheets])
        out = {}
        for sheet, value in zip(sheets, values):
            top, left, height, width = spans[sheet]
            rows = grid(value, height, width)
            for name in by_sheet[sheet]:
                _, r, c, h, w = where[name]
                out[name] = Block(sheet, r, c, tuple(tuple(row[c - left:c - left + w]) for row in rows[r - top:r - top + h]))
        return out

    # -- writing: collected, applied in save() --------------------------------
    def write(self, name: str, rows: list[list], row_offset: int = 0) -> None:
        sheet, top, left, _, _ = self._names()[name]
        self._writes.append((sheet, address(top + row_offset, left, len(rows), len(rows[0])), [list(r) for r in rows]))

    def protect(self, lock: Iterable[Area], unlock: Iterable[Area], password: str | None) -> None:
        self._locks = (list(lock), list(unlock))
        self.password = password or self.password

    def save(self) -> None:
        """One Tulis call applies everything (and undoes itself if Excel refuses part of it); if saving the
        file then fails, a second call puts the old values back, so the open workbook is never half-written."""
        writes, self._writes = self._writes, []
        locks = self._lock_plan()
        if self.read_only():
            raise FileProblem(READ_ONLY)
        old = self._run("Tulis", self._touched(writes, locks), self.password or "", *_blocks(writes), *locks)
        try:
            self.book.save()
        except Exception:
            restore = [(sheet, addr, grid(value, len(rows), len(rows[0])))
                       for (sheet, addr, rows), value in zip(writes, old)]
            self._run("Tulis", [], self.password or "", *_blocks(restore), [], [], [])
            raise

    def _lock_plan(self) -> tuple[list[str], list[str], list[bool]]:
        """Lock each sheet's span of the locked areas in one go (labels are locked anyway), then unlock."""
        if self._locks is None:
            return [], [], []
        lock, unlock = self._locks
        where = self._names()
        by_sheet: dict[str, list[tuple]] = {}
        for area in lock:
            by_sheet.setdefault(where[area.name][0], []).append(where[area.name])
        plan = [(sheet, address(*_span(spots)), True) for sheet, spots in by_sheet.items()]
        for area in unlock:
            sheet, top, left, rows, cols = where[area.name]
            width = cols - area.first_col if area.cols is None else area.cols
            plan.append((sheet, address(top, left + area.first_col, rows, width), False))
        return [p[0] for p in plan], [p[1] for p in plan], [p[2] for p in plan]

    @staticmethod
    def _touched(writes, locks) -> list[str]:
        """UserInterfaceOnly: people cannot type in locked cells, this code can. Excel forgets the flag when
        the file is closed, so it is applied again, on the sheets this action touches, with the configured
        password; the other sheets stay protected as they are."""
        touched = {sheet for sheet, _, _ in writes} | set(locks[0])
        return sorted(touched - {N.CONF_SHEET})

    def read_only(self) -> bool:
        """Excel opened the file read-only (someone else has it open, or the folder is not writable): a save
        would meet Excel's Save As prompt in the middle of an action, so nothing may be written."""
        self._names()
        return self._read_only

    # -- identity and place ---------------------------------------------------
    def user(self) -> str | None:
        import getpass

        return os.environ.get("USERNAME") or getpass.getuser()

    def location(self) -> Path | None:
        return Path(self.book.fullname)
