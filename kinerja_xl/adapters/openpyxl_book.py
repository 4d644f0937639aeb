"""The file adapter: the port over an .xlsm on disk, through openpyxl.

Nothing touches the file until `save()`, which writes the whole package to a temp
file beside it and replaces it in one step (the old one kept as `.bak`).
"""
from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from pathlib import Path

from openpyxl.styles import Protection
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.utils.cell import range_boundaries

from kinerja_xl.domain import names as N
from kinerja_xl.domain.appearance import Look, unreadable
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.locks import Area
from kinerja_xl.adapters import package
from kinerja_xl.adapters.files import damaged, load_checked
from kinerja_xl.adapters.port import FileBacked

_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)
# Calc has no boolean cell: LibreOffice keeps a boolean as the formula =TRUE() / =FALSE() and saves it as
# <c t="b"><f>TRUE()</f><v>1</v></c> where Excel writes <c t="b"><v>1</v></c> (LibreOffice's
# sc/source/filter/oox/sheetdatabuffer.cxx, setBooleanCell). See `_as_engine_reads`.
_BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False}


def resolve(wb, name: str) -> tuple[str, int, int, int, int]:
    """(sheet, min_col, min_row, max_col, max_row) of a workbook-level defined name."""
    defined = wb.defined_names[name]
    sheet, ref = next(iter(defined.destinations))
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return sheet, min_col, min_row, max_col, max_row


def apply_locks(wb, lock: Iterable[Area], unlock: Iterable[Area], password: str | None) -> None:
    for area in lock:
        if area.name in wb.defined_names:
            _set_locked(wb, area, _LOCKED)
    for area in unlock:
        _set_locked(wb, area, _UNLOCKED)
    _restore_structure(wb)
    for ws in wb.worksheets:
        ws.protection.sheet = True
        if password:
            ws.protection.password = password  # stored by Excel's rules as a hash
        else:
            ws.protection._password = None
        ws.protection.formatColumns = False  # staff may widen columns to read long text


def _restore_structure(wb) -> None:
    """What the builder set and LibreOffice drops on save: the internal sheets very hidden (it saves them
    `hidden`, so anyone could unhide them) and the structure lock (a lock without a password it forgets).
    xlwings.conf goes back to hidden, out of "print entire workbook", if the admin unhid it to set Interpreter_Win."""
    for title in (N.DEFINITION_SHEET, N.MAP_SHEET):
        if title in wb.sheetnames:
            wb[title].sheet_state = "veryHidden"
    if N.CONF_SHEET in wb.sheetnames:
        wb[N.CONF_SHEET].sheet_state = "hidden"
    if wb.security is None:
        wb.security = WorkbookProtection()
    wb.security.lockStructure = True


def _set_locked(wb, area: Area, protection: Protection) -> None:
    """Set the protection style id directly: going through `cell.protection` costs a style lookup
    and copy per cell, a second or more for a 2,000-row table."""
    sheet, min_col, min_row, max_col, max_row = resolve(wb, area.name)
    first = min_col + area.first_col
    last = max_col if area.cols is None else first + area.cols - 1
    wanted = wb._protections.add(protection)
    for row in wb[sheet].iter_rows(min_row=min_row, max_row=max_row, min_col=first, max_col=last):
        for cell in row:
            if not cell.has_style:
                cell.protection = protection
            elif cell._style.protectionId != wanted:
                cell._style.protectionId = wanted


def mark_lock_groups(wb, groups: Iterable[Iterable[Area]]) -> None:
    """Give every cell of each lock group a format whose parent cell style is the group's own (`Area.group`), a
    style that looks exactly like Normal: the group's cells then share formats no other cell has, so the part-level
    adapter locks a group by changing those formats alone (docs/excel.md, "Lock groups")."""
    from copy import copy

    from openpyxl.styles import NamedStyle
    from openpyxl.styles.cell_style import StyleArray

    for group in groups:
        for area in group:
            if area.group not in wb.named_styles:
                wb.add_named_style(NamedStyle(area.group, font=copy(wb._fonts[0]), fill=copy(wb._fills[0]),
                                              border=copy(wb._borders[0])))
            parent = wb.named_styles.index(area.group)
            sheet, min_col, min_row, max_col, max_row = resolve(wb, area.name)
            first = min_col + area.first_col
            last = max_col if area.cols is None else first + area.cols - 1
            for row in wb[sheet].iter_rows(min_row=min_row, max_row=max_row, min_col=first, max_col=last):
                for cell in row:
                    if cell._style is None:
                        cell._style = StyleArray()
                    cell._style.xfId = parent


def _as_engine_reads(ws, rows: list[tuple], bounds: dict) -> list[tuple]:
    """Cell values as Excel (and the live adapter, through Range.Value) reads them. openpyxl gives a formula's
    text, so a boolean that passed through LibreOffice would read as '=TRUE()' and a workbook saved there would
    fail `check` on a boolean in locked data that nobody changed. Only these two constant formulas are read as
    their value, and only in formula cells (the text '=TRUE()' stays text); any other formula stays its text, so
    a tamper made with a formula is still seen. Rare, so the cell types are looked at only when one is there."""
    if not any(v in _BOOLEAN_FORMULAS for row in rows for v in row if v.__class__ is str):
        return rows
    return [tuple(_BOOLEAN_FORMULAS[c.value] if c.data_type == "f" and c.value in _BOOLEAN_FORMULAS else c.value
                  for c in row) for row in ws.iter_rows(**bounds)]


def _invisible(cell) -> bool:
    """Text drawn in (nearly) the colour of its background (`appearance.unreadable`)."""
    colour = _rgb(cell.font.color) if cell.font is not None else None
    if colour is None:
        return False
    fill = cell.fill
    return unreadable(colour, _rgb(fill.fgColor) if fill is not None and fill.fill_type == "solid" else "FFFFFFFF")


# Excel's palette as a colour picker offers it: "White, Background 1" and "Black, Text 1" of the standard theme are
# theme colours 0 and 1; the legacy indexed palette is openpyxl's COLOR_INDEX.
_THEME_TEXT_AND_BACKGROUND = {0: "FFFFFFFF", 1: "FF000000"}


def _rgb(color) -> str | None:
    """A colour as ARGB, whether given as RGB, an index of the legacy palette or the theme's text/background."""
    if color is None:
        return None
    if isinstance(color.rgb, str) and color.type == "rgb":
        return color.rgb
    if color.type == "indexed" and isinstance(color.indexed, int) and color.indexed < len(COLOR_INDEX):
        return COLOR_INDEX[color.indexed]
    if color.type == "theme" and not color.tint:
        return _THEME_TEXT_AND_BACKGROUND.get(color.theme)
    return None


class FileWorkbook(FileBacked):
    def __init__(self, path: Path, wb, customui: bytes | None):
        self.path, self.wb, self._customui = Path(path), wb, customui

    @classmethod
    def open(cls, path: str | Path, saved: str | None = None) -> "FileWorkbook":
        """`saved` is not used: openpyxl reads every part anyway."""
        path = Path(path)
        wb = load_checked(path)
        return cls(path, wb, package.read_part(path, package.CUSTOMUI_PART))

    @classmethod
    @contextlib.contextmanager
    def reading(cls, path: str | Path, saved: str | None = None):
        """Open only to read (export, check): streamed, about half the cost of a full load at 2,000 rows,
        and closed afterwards so the file is not held open (Windows would refuse the next save)."""
        wb = load_checked(Path(path), read_only=True)
        try:
            yield cls(Path(path), wb, None)
        finally:
            wb.close()

    def names(self) -> dict[str, str]:
        return {name: dn.attr_text for name, dn in self.wb.defined_names.items()}

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read(self, names: Iterable[str]) -> dict[str, Block]:
        """One pass per sheet over the bounding block of its names (a streamed sheet is parsed once)."""
        by_sheet: dict[str, list[tuple]] = {}
        for name in names:
            sheet, min_col, min_row, max_col, max_row = resolve(self.wb, name)
            by_sheet.setdefault(sheet, []).append((name, min_col, min_row, max_col, max_row))
        out = {}
        for sheet, spots in by_sheet.items():
            left, top = min(s[1] for s in spots), min(s[2] for s in spots)
            right, bottom = max(s[3] for s in spots), max(s[4] for s in spots)
            bounds = dict(min_row=top, max_row=bottom, min_col=left, max_col=right)
            try:
                rows = list(self.wb[sheet].iter_rows(**bounds, values_only=True))
                rows = _as_engine_reads(self.wb[sheet], rows, bounds)
                # a streamed sheet whose last row comes before the block's end gives no rows for the rest (openpyxl
                # 3.1 `ReadOnlyWorksheet._cells_by_row` fills trailing rows only when the sheet goes past them):
                # they are empty, as Excel, LibreOffice and a full load read them
                rows += [(None,) * (right - left + 1)] * (bottom - top + 1 - len(rows))
            except Exception as exc:  # a streamed sheet is parsed here, so a damaged part shows here
                raise damaged(self.path, exc) from None
            for name, min_col, min_row, max_col, max_row in spots:
                out[name] = Block(sheet, min_row, min_col, tuple(
                    tuple(row[min_col - left:max_col - left + 1]) for row in rows[min_row - top:max_row - top + 1]))
        return out

    def looks(self, names: Iterable[str]) -> dict[str, Look]:
        """What a reader sees of each block besides its values (a fully loaded workbook: a streamed one keeps
        no row or column dimensions)."""
        out = {}
        for name in names:
            sheet, min_col, min_row, max_col, max_row = resolve(self.wb, name)
            ws = self.wb[sheet]
            cells = list(ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col))
            hidden_cols = {col for dim in ws.column_dimensions.values() if dim.hidden
                           for col in range(dim.min or 0, (dim.max or 0) + 1)}
            out[name] = Look(
                formats=tuple(tuple(c.number_format for c in row) for row in cells),
                hidden_rows=tuple(r - min_row for r in range(min_row, max_row + 1)
                                  if (dim := ws.row_dimensions.get(r)) is not None and dim.hidden),
                hidden_cols=tuple(c - min_col for c in range(min_col, max_col + 1) if c in hidden_cols),
                invisible=tuple((c.row - min_row, c.column - min_col) for row in cells for c in row
                                if c.value is not None and _invisible(c)),
                formulas=tuple((c.row - min_row, c.column - min_col) for row in cells for c in row
                               if c.data_type == "f" and c.value not in _BOOLEAN_FORMULAS))
        return out

    def write(self, name: str, rows: list[list], row_offset: int = 0) -> None:
        """Text stays text: openpyxl stores a string that starts with '=' as a formula, which Excel and
        LibreOffice then evaluate (a note '=1+1' would show 2, and '=TRUE()' is the boolean an engine saves
        it as, see `_as_engine_reads`). The live adapter keeps text as text the same way (KinerjaSel.Teks)."""
        sheet, min_col, min_row, _, _ = resolve(self.wb, name)
        ws = self.wb[sheet]
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = ws.cell(min_row + row_offset + i, min_col + j)
                cell.value = value
                if value.__class__ is str and value[:1] == "=":
                    cell.data_type = "s"

    def protect(self, lock: Iterable[Area], unlock: Iterable[Area], password: str | None) -> None:
        apply_locks(self.wb, lock, unlock, password)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.wb.save(buf)
        return package.finish(buf.getvalue(), self._customui)

