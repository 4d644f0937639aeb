"""The part-level file adapter: the port over the .xlsm package itself, without openpyxl.

An action reads only the sheets it needs (streamed, only the rows of its names) and writes only the parts it
changes: the sheets it wrote or whose locks or protection changed, `styles.xml` when a cell format's twin is
new, `workbook.xml` when the structure lock or a sheet's visibility must be put back. Every other member of the
package (the VBA project, the ribbon, charts, images, comments, custom XML, whatever Excel or LibreOffice added)
is copied byte for byte. Values read and written are exactly those of the reference adapter
(`openpyxl_book.FileWorkbook`); `part_values` ports openpyxl's rules.
"""
from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
import io
import posixpath
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from pathlib import Path

from kinerja_xl.adapters import package, part_values as V, part_zip
from kinerja_xl.adapters.files import damaged
from kinerja_xl.adapters.part_cells import (CellReader, cell_xml, restyled, stored as stored_form, style_of,
                                            text_of, unchanged)
from kinerja_xl.adapters.part_protect import hash_password, protected, restored_structure
from kinerja_xl.adapters.part_sheet import Sheet
from kinerja_xl.adapters.part_styles import Styles
from kinerja_xl.adapters.port import FileBacked
from kinerja_xl.adapters.refs import parse_ref
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.errors import FileProblem
from kinerja_xl.domain.locks import Area

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TRUE = {"1", "true"}
_UNKNOWN = object()  # a cell whose value does not settle its bytes (a formula, an error, empty text), or not read


class PartWorkbook(FileBacked):
    def __init__(self, path: Path, data: bytes, sha: str | None = None, as_saved: bool = False):
        """`as_saved`: the bytes are exactly what kinerja-xl saved last (see `open`)."""
        self.path, self.data, self._sha, self._as_saved = Path(path), data, sha, as_saved
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.members = {info.filename for info in self.zip.infolist()}
        self._workbook_xml = self._part("xl/workbook.xml")
        self._parse_workbook()
        self._styles: Styles | None = None
        self._shared: list[str] | None = None
        self._sheets: dict[str, Sheet] = {}
        self._edits: dict[str, dict[tuple[int, int], tuple]] = {}
        # what was written, by sheet: (top row, left column, rows) as the caller gave them, later ones winning
        self._assigned: dict[str, list[tuple[int, int, list[list]]]] = {}
        # what was read from the file, by sheet: (top row, left column, rows of values), and the cells read whose
        # value does not settle their bytes (a formula, an error, empty text)
        self._known: dict[str, list[tuple[int, int, list[list]]]] = {}
        self._opaque: dict[str, set[tuple[int, int]]] = {}
        self._locks: dict[str, list[tuple[int, int, int, int, tuple[bool, int | None]]]] = {}  # (locked, parent)
        self._protection: tuple[str | None] | None = None  # (password hash or None,) once protect() ran
        self.parsed_whole = False  # every XML part was found well-formed (`require_well_formed`): reads look no more

    # --- opening ---------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, saved: str | None = None) -> "PartWorkbook":
        """`saved`: the SHA-256 of the bytes kinerja-xl saved last, if known (see `part_zip.checked_bytes`)."""
        path = Path(path)
        data, sha = part_zip.checked_bytes(path, saved)
        try:
            return cls(path, data, sha, as_saved=sha == saved)
        except FileProblem:
            raise
        except Exception as exc:  # a part that does not parse, as load_checked says it
            raise damaged(path, exc) from None

    @classmethod
    @contextlib.contextmanager
    def reading(cls, path: str | Path, saved: str | None = None):
        """Only to read (status, export): the same adapter; the file is not held open (it was read whole)."""
        yield cls.open(path, saved)

    def require_well_formed(self) -> None:
        """Every XML part parses (expat builds nothing), as a full load by the reference would require: `check` reads
        only the named blocks, and a part broken elsewhere must still be refused, not passed over."""
        from xml.parsers import expat

        for name in sorted(self.members):
            if name.endswith((".xml", ".rels")):
                try:
                    expat.ParserCreate().Parse(self._part(name), True)
                except Exception as exc:  # noqa: BLE001 - expat's error, or a member that does not inflate
                    raise damaged(self.path, exc) from None
        self.parsed_whole = True

    def sha256(self) -> str:
        """Of the bytes this adapter read, which are the ones it works on."""
        if self._sha is None:
            self._sha = hashlib.sha256(self.data).hexdigest()
        return self._sha

    def _part(self, name: str) -> bytes:
        return self.zip.read(name)

    def _parse_workbook(self) -> None:
        root = ET.fromstring(self._workbook_xml)
        ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        pr = root.find(ns + "workbookPr")
        self.epoch = V.MAC_EPOCH if pr is not None and pr.get("date1904", "0").lower() in _TRUE else V.WINDOWS_EPOCH
        rels = self._relationships("xl/_rels/workbook.xml.rels", "xl")
        self._sheet_parts: dict[str, str] = {}
        self._sheet_order: list[str] = []
        for sheet in root.iter(ns + "sheet"):
            rid = sheet.get(_REL)
            if not rid:
                continue
            self._sheet_order.append(sheet.get("name"))
            if rid in rels and rels[rid][0].endswith("/worksheet"):
                self._sheet_parts[sheet.get("name")] = rels[rid][1]
        self._shared_part = next((target for kind, target in rels.values() if kind.endswith("/sharedStrings")),
                                 "xl/sharedStrings.xml")
        self._styles_part = next((target for kind, target in rels.values() if kind.endswith("/styles")),
                                 "xl/styles.xml")
        self._names = {dn.get("name"): dn.text or "" for dn in root.iter(ns + "definedName")
                       if dn.get("localSheetId") is None}

    def _relationships(self, part: str, base: str) -> dict[str, tuple[str, str]]:
        root = ET.fromstring(self._part(part))
        out = {}
        for rel in root:
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out[rel.get("Id")] = (rel.get("Type", ""), name)
        return out

    # --- the port --------------------------------------------------------------------------------------------

    def names(self) -> dict[str, str]:
        return dict(self._names)

    def sheet_names(self) -> list[str]:
        return list(self._sheet_order)

    def _resolve(self, name: str) -> tuple[str, int, int, int, int]:
        """(sheet, min_col, min_row, max_col, max_row), as openpyxl_book.resolve."""
        sheet, top, left, rows, cols = parse_ref(self._names[name])
        return sheet, left, top, left + cols - 1, top + rows - 1

    def _sheet(self, title: str) -> Sheet:
        if title not in self._sheets:
            if title not in self._sheet_parts:
                raise KeyError(f"Worksheet {title} does not exist.")
            self._sheets[title] = Sheet(self._part(self._sheet_parts[title]))
        return self._sheets[title]

    @property
    def styles(self) -> Styles:
        if self._styles is None:
            self._styles = Styles(self._part(self._styles_part))
        return self._styles

    def read(self, names: Iterable[str]) -> dict[str, Block]:
        by_sheet: dict[str, list[tuple]] = {}
        for name in names:
            sheet, min_col, min_row, max_col, max_row = self._resolve(name)
            by_sheet.setdefault(sheet, []).append((name, min_col, min_row, max_col, max_row))
        out = {}
        for sheet, spots in by_sheet.items():
            left, top = min(s[1] for s in spots), min(s[2] for s in spots)
            right, bottom = max(s[3] for s in spots), max(s[4] for s in spots)
            try:
                grid = self._grid(sheet, top, bottom, left, right)
            except Exception as exc:  # the sheet is parsed here, so a damaged part shows here
                raise damaged(self.path, exc) from None
            for name, min_col, min_row, max_col, max_row in spots:
                out[name] = Block(sheet, min_row, min_col, tuple(
                    tuple(row[min_col - left:max_col - left + 1]) for row in grid[min_row - top:max_row - top + 1]))
        return out

    def _grid(self, title: str, top: int, bottom: int, left: int, right: int) -> list[list]:
        """The values of the range as rows (a list per row: a dict per cell would weigh ten times more). What the
        file holds is remembered as these rows, so a write of the same value is known to be no edit without
        reading again."""
        sheet = self._sheet(title)
        reader = CellReader(sheet.p, lambda: self.styles, self.epoch, self._shared_strings)
        width = right - left + 1
        grid = [[None] * width for _ in range(bottom - top + 1)]
        opaque = self._opaque.setdefault(title, set())
        formula, error = reader.formula_mark, b't="e"'
        for r, c, attrs, content in sheet.cells(top, bottom, left, right, check=not self.parsed_whole):
            if content:
                value = grid[r - top][c - left] = reader.value(attrs, content, sheet)
                if value is None or value == "" or formula in content or error in attrs:
                    opaque.add((r, c))
        self._known.setdefault(title, []).append((top, left, grid))
        written = [w for w in self._assigned.get(title, ()) if w[0] <= bottom and w[0] + len(w[2]) > top]
        if written:  # read after a write: the written values, over a copy of what the file holds
            grid = [list(row) for row in grid]
            for w_top, w_left, rows in written:
                for i, row in enumerate(rows):
                    if top <= w_top + i <= bottom:
                        for j, value in enumerate(row):
                            if left <= w_left + j <= right:
                                grid[w_top + i - top][w_left + j - left] = (
                                    V.checked_text(value) if value.__class__ is str else value)
        return grid

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            strings = []
            if self._shared_part in self.members:
                root = ET.fromstring(self._part(self._shared_part))
                ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
                strings = [text_of(si, ns).replace("x005F_", "") for si in root.iter(ns + "si")]
            self._shared = strings
        return self._shared

    def write(self, name: str, rows: list[list], row_offset: int = 0) -> None:
        """Each value checked now, as openpyxl checks it on assignment; strings always stay text. A value the file
        already holds in that cell is no edit (actions write whole tables back), so its row is not rewritten for it:
        settled by the value read (same type, equal), else by the cell's bytes."""
        sheet, min_col, min_row, _, _ = self._resolve(name)
        edits = self._edits.setdefault(sheet, {})
        self._assigned.setdefault(sheet, []).append((min_row + row_offset, min_col, rows))
        known, opaque = self._known.get(sheet, ()), self._opaque.get(sheet, set())
        top = min_row + row_offset
        unsettled = []
        for i, row in enumerate(rows):
            r = top + i
            right = min_col + len(row) - 1
            # the file's values of this row, where a read covered it all
            file_row = next((values[r - k_top][min_col - k_left:] for k_top, k_left, values in known
                             if k_top <= r < k_top + len(values) and k_left <= min_col
                             and right < k_left + len(values[0])), None) if known else None
            for j, value in enumerate(row):
                at = (r, min_col + j)
                old = _UNKNOWN if file_row is None or at in opaque else file_row[j]
                if old is not _UNKNOWN and old.__class__ is value.__class__ and old == value:
                    edits.pop(at, None)
                    continue
                stored = stored_form(value)  # raises for what openpyxl refuses on assignment
                settled = _settled(old, value, stored)
                if settled is None:
                    unsettled.append((at, stored))
                elif settled or stored is None and old is None:
                    edits.pop(at, None)
                else:
                    edits[at] = stored
        if unsettled:
            self._settle(sheet, unsettled, edits)

    def _settle(self, sheet: str, unsettled: list[tuple[tuple[int, int], tuple | None]], edits: dict) -> None:
        """Edits the read values did not settle, compared with the cells' bytes."""
        rows, cols = [at[0] for at, _ in unsettled], [at[1] for at, _ in unsettled]
        current = self._file_cells(sheet, min(rows), max(rows), min(cols), max(cols))
        prefix, dates = (self._sheets[sheet].p, self.styles.dates) if current else (b"", set())
        for at, stored in unsettled:
            if at in current and unchanged(stored, *current[at], prefix, dates, self.epoch):
                edits.pop(at, None)
            elif stored is None and at not in current:
                edits.pop(at, None)
            else:
                edits[at] = stored

    def _file_cells(self, title: str, top: int, bottom: int, left: int, right: int) -> dict:
        """The range's cells as the file holds them, {(row, column): (attributes, content)}; empty when the sheet
        cannot be read (the save reports it)."""
        try:
            sheet = self._sheet(title)
            return {(r, c): (a, v) for r, c, a, v in sheet.cells(top, bottom, left, right, check=False)}
        except Exception:  # noqa: BLE001 - a damaged or missing sheet is reported where the reference reports it
            return {}

    def protect(self, lock: Iterable[Area], unlock: Iterable[Area], password: str | None) -> None:
        """`apply_locks` as the reference does it: locks, then unlocks (the later wins), every sheet protected,
        the structure put back. A file exactly as kinerja-xl saved it keeps its lock groups' cells on their
        groups' own formats, so when every area is a whole group's, a lock is a change of those formats and no
        cell is touched; otherwise each cell's format becomes its twin, on its group's parent style."""
        wanted = [(a, True) for a in lock if a.name in self._names] + [(a, False) for a in unlock]
        styles = self.styles
        parents = {a.group: styles.group_parent(a.group) for a, _ in wanted}
        if self._as_saved and wanted and all(parents[a.group] is not None for a, _ in wanted):
            groups = {parents[a.group]: locked for a, locked in wanted}  # the later wins
            for parent, locked in groups.items():
                styles.relock_group(parent, locked)
        else:
            for area, locked in wanted:
                sheet, min_col, min_row, max_col, max_row = self._resolve(area.name)
                first = min_col + area.first_col
                last = max_col if area.cols is None else first + area.cols - 1
                self._locks.setdefault(sheet, []).append((min_row, max_row, first, last, (locked, parents[area.group])))
        self._protection = (hash_password(password) if password else None,)

    # --- saving ----------------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        try:
            changed = self._changed_parts()
        except (FileProblem, V.IllegalCharacterError, TypeError):
            raise
        except Exception as exc:
            raise damaged(self.path, exc) from None
        return part_zip.rewrite(self.data, changed)

    def _changed_parts(self) -> dict[str, bytes]:
        changed = {}
        titles = set(self._edits) | set(self._locks)
        if self._protection is not None and not self._protected_alike(titles):
            titles |= set(self._sheet_parts)
        for title in sorted(titles, key=self._sheet_order.index):
            part = self._sheet_parts.get(title)
            if part is None:
                raise KeyError(f"Worksheet {title} does not exist.")
            old = self._part(part)
            new = self._rewrite(title) if title in self._edits or title in self._locks else old
            if self._protection is not None:
                new = protected(new, self._protection[0])
            if new != old:
                changed[part] = new
        if self._styles is not None and self._styles.changed():
            changed[self._styles_part] = self._styles.to_bytes()
        if self._protection is not None:
            workbook = restored_structure(self._workbook_xml)
            if workbook != self._workbook_xml:
                changed["xl/workbook.xml"] = workbook
        if changed:
            changed.update(self._repairs())
        return changed

    def _protected_alike(self, titles: set[str]) -> bool:
        """Whether the sheets not written need no look: on a file as kinerja-xl saved it, the last save that
        protected any sheet protected every sheet alike (and saves since protected none), so when the sheets
        written already carry the protection wanted, so do the others, which are then not even inflated."""
        if not (self._as_saved and titles and all(t in self._sheet_parts for t in titles)):
            return False
        return all(protected(xml, self._protection[0]) is xml
                   for xml in (self._part(self._sheet_parts[t]) for t in titles))

    def _repairs(self) -> dict[str, bytes]:
        """What `package.finish` puts back on every save of the reference, where it is missing: the ribbon's
        relationship (openpyxl, or any writer that does not know the part, drops it, and Excel would then show no
        ribbon tab) and the macro-enabled content type. Other parts, docProps/core.xml included, stay as they are."""
        out = {}
        if package.CUSTOMUI_PART in self.members and "_rels/.rels" in self.members:
            rels = self._part("_rels/.rels")
            fixed = package._with_ribbon_relationship(rels)
            if fixed != rels:
                out["_rels/.rels"] = fixed
        if "xl/vbaProject.bin" in self.members and "[Content_Types].xml" in self.members:
            types = self._part("[Content_Types].xml")
            fixed = types.replace(package.PLAIN_MAIN.encode(), package.MACRO_MAIN.encode())
            if fixed != types:
                out["[Content_Types].xml"] = fixed
        return out

    def _rewrite(self, title: str) -> bytes:
        sheet = self._sheet(title)
        by_row: dict[int, dict[int, tuple]] = {}
        for (r, c), stored in self._edits.get(title, {}).items():
            by_row.setdefault(r, {})[c] = stored
        styles = self.styles
        areas = self._locks.get(title, [])
        rows = set(by_row)
        if areas:
            relocked, missing = self._relocked(sheet, areas)
            if relocked is None:
                rows |= self._rows_to_relock(sheet, areas)
            elif not (rows | missing):
                return relocked  # only locks changed, all in one pass: nothing is left to plan row by row
            else:
                sheet = sheet if relocked is sheet.xml else Sheet(relocked)
                rows |= missing
        p = sheet.p

        def plan(r: int, cells: dict[int, tuple[bytes, bytes]]) -> dict[int, bytes]:
            row_edits, row_locks = by_row.get(r, {}), _row_locks(areas, r)
            out = {}
            for c in set(row_edits) | set(row_locks):
                existing = cells.get(c)
                old = style_of(existing[0]) if existing else 0
                style = old
                stored = row_edits.get(c)
                if stored is not None and stored[0] == "d" and style not in styles.dates:
                    style = styles.twin(style, format_code=V.time_format(stored[1]))
                want = row_locks.get(c)
                if want is not None and not styles.fits(style, *want):
                    style = styles.twin(style, locked=want[0], parent=want[1])
                if c in row_edits:
                    out[c] = cell_xml(p, r, c, style, stored, self.epoch)
                elif style != old:
                    out[c] = restyled(existing[1], style) if existing else cell_xml(p, r, c, style, None, self.epoch)
            return out

        return sheet.rewrite(rows, plan)

    def _relocked(self, sheet: Sheet, areas: list[tuple]) -> tuple[bytes | None, set[int]]:
        """Every cell of the areas given its lock and group (the later area wins, as apply_locks), by one pass over
        the rows of each table per kind (`Sheet.restyled`), and the rows where a cell whose format should differ
        from the default format is missing (the plan makes it); (None, …) when `restyled` cannot."""
        styles = self.styles
        final: dict[tuple[int, int], dict[int, tuple]] = {}
        for top, bottom, first, last, want in areas:
            final.setdefault((top, bottom), {}).update(dict.fromkeys(range(first, last + 1), want))
        passes = [(top, bottom, [c for c, v in columns.items() if v == want], want, not styles.fits(0, *want))
                  for (top, bottom), columns in final.items() for want in dict.fromkeys(columns.values())]

        def style_for(style: int, want: tuple[bool, int | None]) -> int:
            return style if styles.fits(style, *want) else styles.twin(style, locked=want[0], parent=want[1])

        relocked, seen = sheet.restyled(passes, style_for)
        missing = set()
        for (top, bottom, columns, _, counted), rows in zip(passes, seen):
            if relocked is not None and columns and counted:
                counts = Counter(rows)
                missing |= {r for r in range(top, bottom + 1) if counts.get(r, 0) < len(columns)}
        return relocked, missing

    def _rows_to_relock(self, sheet: Sheet, areas: list[tuple]) -> set[int]:
        """The rows where a cell's lock or group is not what the areas want (the later area winning, as
        apply_locks), found in one streamed pass; a missing cell counts as format 0, so rows lacking cells that
        format 0 does not fit are included."""
        styles, rows, found = self.styles, set(), {}
        needs_cells = [a for a in areas if not styles.fits(0, *a[4])]
        for r, c, attrs, _ in sheet.cells(*_box(areas), check=False):
            want = _lock_at(areas, r, c)
            if want is not None:
                if not styles.fits(style_of(attrs), *want):
                    rows.add(r)
            for i, (top, bottom, first, last, _) in enumerate(needs_cells):
                if top <= r <= bottom and first <= c <= last:
                    found[(i, r)] = found.get((i, r), 0) + 1
        for i, (top, bottom, first, last, _) in enumerate(needs_cells):
            for r in range(top, bottom + 1):
                if r not in rows and found.get((i, r), 0) < last - first + 1:
                    rows.add(r)  # some cell of the row is missing: the plan looks at each
        return rows

    def looks(self, names: Iterable[str]) -> dict:
        """What a reader sees of each block besides its values, as the reference's `looks` gives it, from the file
        as it was opened (`part_looks`: styles.xml and the sheets' own bytes, no tree)."""
        from kinerja_xl.adapters.part_looks import Looks

        try:
            return Looks(self).looks(names)
        except FileProblem:
            raise
        except Exception as exc:  # a part the reference's full load would refuse
            raise damaged(self.path, exc) from None


def _settled(old, value, stored: tuple | None) -> bool | None:
    """Whether writing `value` (as `stored`) leaves the cell as the file has it, judged from the value read there
    (`old`: None when it is empty, `_UNKNOWN` when the value does not settle it): True, False, or None when only the
    cell's bytes can tell (a date, a boolean, a number written with the same text)."""
    if old is _UNKNOWN:
        return None
    if old is None or stored is None:
        return stored is None and old is None
    if old.__class__ is str and value.__class__ is str:
        return False  # read as plain text and not equal: new text
    numbers = (int, float)
    if old.__class__ in numbers and value.__class__ in numbers:
        # equal shortest texts are the same double, which the cell then reads back as, whatever its text was
        return V.number_text(old) == stored[1]
    return None


def _lock_at(areas: list[tuple], r: int, c: int) -> tuple[bool, int | None] | None:
    for top, bottom, first, last, want in reversed(areas):
        if top <= r <= bottom and first <= c <= last:
            return want
    return None


def _row_locks(areas: list[tuple], r: int) -> dict[int, tuple[bool, int | None]]:
    """Column -> (locked, group's parent style) for row `r`, the later area winning (locks first, then unlocks, as
    apply_locks)."""
    out: dict[int, tuple[bool, int | None]] = {}
    for top, bottom, first, last, want in areas:
        if top <= r <= bottom:
            for c in range(first, last + 1):
                out[c] = want
    return out


def _box(areas: list[tuple]) -> tuple[int, int, int, int]:
    """The rows and columns that hold every area: one scan of the sheet for all of them."""
    return (min(a[0] for a in areas), max(a[1] for a in areas), min(a[2] for a in areas), max(a[3] for a in areas))
