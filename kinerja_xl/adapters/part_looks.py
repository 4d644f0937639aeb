"""What a reader sees of named blocks besides their values, read from the parts: number formats, hidden rows and
columns, text drawn in its background's colour, formulas. Exactly what the reference (`openpyxl_book.FileWorkbook.
looks`, on a fully loaded workbook) gives, without openpyxl and without a tree of any sheet.

openpyxl 3.1's rules, ported: `styles/stylesheet.py` (`_normalise_numbers`: a custom numFmtId is rebased to 164 and
up in the order the cell formats first use it, a custom code equal to a built-in one becomes that id, an unknown
built-in id reads 'General'; no `cellXfs` at all means openpyxl's default fonts and fills), `styles/colors.py` and
`styles/fills.py` (a colour's kind by precedence indexed > theme > auto > rgb, a 6-digit rgb gets alpha 00, a solid
fill without fgColor is black, a `<fill/>` without a child is none), `worksheet/_reader.py` (a row's dimension kept
only when it has attributes besides r and spans, the last one per row winning; a column's keyed by its `min`, the
last winning; the `Bool` descriptor's reading of 'hidden'), `worksheet/worksheet.py` (`_clean_merge_range`: every
cell of a merged range but its first becomes an empty cell with the default format) and `iter_rows` (a cell the
file does not hold is empty, format 'General').
"""
from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from functools import cached_property

from kinerja_xl.adapters.files import damaged
from kinerja_xl.adapters.part_cells import CellReader, unescape
from kinerja_xl.adapters.part_sheet import _COLUMNS, CHUNK_ROWS, Sheet, _well_formed
from kinerja_xl.adapters.part_styles import _ATTRS
from kinerja_xl.adapters.part_values import BUILTIN_FORMATS
from kinerja_xl.adapters.refs import column_number
from kinerja_xl.domain.appearance import Look, unreadable
from kinerja_xl.domain.blocks import Block

_CUSTOM_FLOOR = 164  # openpyxl's BUILTIN_FORMATS_MAX_SIZE
_BUILTIN_IDS = {code: i for i, code in BUILTIN_FORMATS.items()}
_BOOLEAN_FORMULAS = ("=TRUE()", "=FALSE()")  # as openpyxl_book._BOOLEAN_FORMULAS
# openpyxl.styles.colors.COLOR_INDEX: the legacy indexed palette (ECMA-376 Part 1 §18.8.27)
PALETTE = (
    '00000000', '00FFFFFF', '00FF0000', '0000FF00', '000000FF', '00FFFF00', '00FF00FF', '0000FFFF',
    '00000000', '00FFFFFF', '00FF0000', '0000FF00', '000000FF', '00FFFF00', '00FF00FF', '0000FFFF',
    '00800000', '00008000', '00000080', '00808000', '00800080', '00008080', '00C0C0C0', '00808080',
    '009999FF', '00993366', '00FFFFCC', '00CCFFFF', '00660066', '00FF8080', '000066CC', '00CCCCFF',
    '00000080', '00FF00FF', '00FFFF00', '0000FFFF', '00800080', '00800000', '00008080', '000000FF',
    '0000CCFF', '00CCFFFF', '00CCFFCC', '00FFFF99', '0099CCFF', '00FF99CC', '00CC99FF', '00FFCC99',
    '003366FF', '0033CCCC', '0099CC00', '00FFCC00', '00FF9900', '00FF6600', '00666699', '00969696',
    '00003366', '00339966', '00003300', '00333300', '00993300', '00993366', '00333399', '00333333',
)
_THEME_TEXT_AND_BACKGROUND = {0: "FFFFFFFF", 1: "FF000000"}  # as openpyxl_book: "White, Background 1", "Black, Text 1"
_ARGB = re.compile(r"^([A-Fa-f0-9]{8}|[A-Fa-f0-9]{6})$")
_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_WHITE_BACKGROUND = "FFFFFFFF"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _as_bool(text: str) -> bool:
    """openpyxl's `Bool` descriptor on an attribute's text: only 'false', 'f' and '0' (and '') are false. (A
    `visible` attribute, which `RowDimension` and `ColumnDimension` also take, hides when it is empty: `not text`.)"""
    return text not in ("false", "f", "0") and bool(text)


def _colour(el: ET.Element | None) -> str | None:
    """A `<color>` as ARGB where the invisible test can tell it (openpyxl_book._rgb on openpyxl's `Color`)."""
    if el is None:
        return None
    a = el.attrib
    tint = float(a.get("tint", 0.0))
    if not -1 <= tint <= 1:
        raise ValueError(f"tint {tint} out of range")
    indexed = a.get("indexed")
    if indexed is not None:
        i = int(indexed)
        return PALETTE[i] if i < len(PALETTE) else None
    if a.get("theme") is not None:
        theme = int(a["theme"])
        return _THEME_TEXT_AND_BACKGROUND.get(theme) if not tint else None
    if a.get("auto") is not None:
        return None
    rgb = a.get("rgb", "00000000")
    if not _ARGB.match(rgb):
        raise ValueError("Colors must be aRGB hex values")
    return "00" + rgb if len(rgb) == 6 else rgb


class StyleLooks:
    """From `styles.xml`, per cell format (`s`): its number format's code and whether its text is unreadable."""

    def __init__(self, xml: bytes):
        root = ET.fromstring(xml)
        parts = {_local(child.tag): child for child in root}  # openpyxl keeps the last of each
        custom = {}
        for el in parts["numFmts"] if "numFmts" in parts else ():
            if _local(el.tag) == "numFmt":
                code = el.get("formatCode")
                if code is None:
                    raise ValueError("numFmt without formatCode")
                custom[int(el.get("numFmtId"))] = code
        xfs = [el for el in parts["cellXfs"] if _local(el.tag) == "xf"] if "cellXfs" in parts else []
        if xfs:
            fonts = [self._font(el) for el in parts["fonts"]] if "fonts" in parts else []
            fills = [self._fill(el) for el in parts["fills"]] if "fills" in parts else []
            ids = [(int(xf.get("numFmtId", 0)), int(xf.get("fontId", 0)), int(xf.get("fillId", 0))) for xf in xfs]
        else:  # openpyxl's defaults: Calibri in theme colour 1, no fill
            fonts, fills, ids = ["FF000000"], [_WHITE_BACKGROUND, _WHITE_BACKGROUND], [(0, 0, 0)]
        used: list[str] = []  # openpyxl's `number_formats`, indexed from 164
        self.formats: list[str] = []
        self.invisible: list[bool] = []
        for fmt_id, font, fill in ids:
            if fmt_id in custom:
                code = custom[fmt_id]
                if code not in _BUILTIN_IDS:
                    if code not in used:
                        used.append(code)
            self.formats.append(fmt_id)  # resolved below, once `used` is complete
            self.invisible.append(unreadable(fonts[font], fills[fill]) if font < len(fonts) and fill < len(fills)
                                  else False)
        for i, fmt_id in enumerate(self.formats):
            if fmt_id in custom:
                code = custom[fmt_id]
                self.formats[i] = code
            elif fmt_id < _CUSTOM_FLOOR:
                self.formats[i] = BUILTIN_FORMATS.get(fmt_id, "General")
            else:  # not defined: openpyxl reads whatever custom code has that place
                self.formats[i] = used[fmt_id - _CUSTOM_FLOOR]

    @staticmethod
    def _font(el: ET.Element) -> str | None:
        colours = [child for child in el if _local(child.tag) == "color"]
        return _colour(colours[-1]) if colours else None

    @staticmethod
    def _fill(el: ET.Element) -> str | None:
        """The background the text is drawn on: a solid pattern's foreground, else white."""
        children = list(el)
        if not children or "patternFill" not in children[0].tag:
            return _WHITE_BACKGROUND
        pattern = children[0]
        if pattern.get("patternType") != "solid":
            return _WHITE_BACKGROUND
        fg = [child for child in pattern if _local(child.tag) == "fgColor"]
        return _colour(fg[-1]) if fg else "00000000"


class SheetLooks:
    """One worksheet's hidden rows and columns and its merged ranges, each read once when first asked for."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        p = re.escape(sheet.p)
        # a cell's start tag in the form every writer we know uses (`r` first); rows with a cell tag in any other form,
        # or with a formula anywhere, go the long way
        self.tag = re.compile(rb"<" + p + rb'c r="([A-Z]+)(\d+)"([^>]*?)/?>')
        self.formula = re.compile(rb"<" + p + rb"f\b")

    @cached_property
    def numbers(self) -> list[int] | None:
        """The rows' numbers, when they ascend (every writer we know); None otherwise."""
        numbers = [r[0] for r in self.sheet.rows()]
        return numbers if all(a < b for a, b in zip(numbers, numbers[1:])) else None

    @cached_property
    def hidden_cols(self) -> set[int]:
        xml, p = self.sheet.xml, self.sheet.p
        columns: dict[int, tuple[int | None, int | None, bool]] = {}  # by `min`, the last winning
        for m in re.compile(rb"<" + p + rb"col\b(" + _ATTRS.encode() + rb")/?>").finditer(xml, 0, self.sheet.data_tag[0]):
            a = _attributes(m.group(1))
            hidden = a["visible"] == "" if "visible" in a else _as_bool(a.get("hidden", ""))
            columns[int(a["min"])] = (_int(a.get("min")), _int(a.get("max")), hidden)
        return {c for low, high, hidden in columns.values() if hidden for c in range(low or 0, (high or 0) + 1)}

    @cached_property
    def hidden_rows(self) -> set[int]:
        xml, p = self.sheet.xml, self.sheet.p
        dims: dict[int, bool] = {}  # rows with attributes besides r and spans, the last winning
        row_tag = re.compile(rb"<" + p + rb"row\b(" + _ATTRS.encode() + rb")/?>")
        for r, start, _, _ in self.sheet.rows():
            attrs = row_tag.match(xml, start).group(1)
            if b"hidden" not in attrs and b"visible" not in attrs and r not in dims:
                continue
            a = _attributes(attrs)
            if {k for k in a if ":" not in k} - {"r", "spans"}:
                dims[r] = a["visible"] == "" if "visible" in a else _as_bool(a.get("hidden", ""))
        return {r for r, hidden in dims.items() if hidden}

    @cached_property
    def merged(self) -> list[tuple[int, int, int, int]]:
        xml, p = self.sheet.xml, self.sheet.p
        tail = xml[self.sheet.after_data:]
        blocks = list(re.finditer(rb"<" + p + rb"mergeCells\b" + _ATTRS.encode() + rb"(?:/>|>(.*?)</" + p
                                  + rb"mergeCells>)", tail, re.S))
        if not blocks or not blocks[-1].group(1):  # openpyxl keeps the last <mergeCells>
            return []
        return [_range(_attributes(m.group(1))["ref"])
                for m in re.finditer(rb"<" + p + rb"mergeCell\b(" + _ATTRS.encode() + rb")/?>", blocks[-1].group(1))]

    def merged_away(self, top: int, bottom: int, left: int, right: int) -> set[tuple[int, int]]:
        """The cells of the range a merge hides: every cell of a merged range but its first (a full load reads them
        empty, in the default format)."""
        out = set()
        for r1, c1, r2, c2 in self.merged:
            for r in range(max(r1, top), min(r2, bottom) + 1):
                for c in range(max(c1, left), min(c2, right) + 1):
                    if (r, c) != (r1, c1):
                        out.add((r, c))
        return out


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def _attributes(raw: bytes) -> dict[str, str]:
    """A start tag's attributes, their values unescaped as an XML parser gives them."""
    return {m.group(1).decode(): unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR.finditer(raw)}


def _range(ref: str) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of a merged range's `ref` (A1 or A1:B2)."""
    ends = [_CELL_REF.match(part) for part in ref.upper().split(":")]
    if not 1 <= len(ends) <= 2 or not all(ends):
        raise ValueError(f"merged range {ref!r}")
    rows = [int(m.group(2)) for m in ends]
    cols = [column_number(m.group(1)) for m in ends]
    return min(rows), min(cols), max(rows), max(cols)


class Looks:
    """The looks of a `PartWorkbook`'s named blocks, styles and sheets read once (what `PartWorkbook.looks` uses)."""

    def __init__(self, book):
        self.book = book
        self._styles: StyleLooks | None = None
        self._sheets: dict[str, SheetLooks] = {}

    @property
    def styles(self) -> StyleLooks:
        if self._styles is None:
            self._styles = StyleLooks(self.book._part(self.book._styles_part))
        return self._styles

    def sheet(self, title: str) -> SheetLooks:
        if title not in self._sheets:
            self._sheets[title] = SheetLooks(self.book._sheet(title))
        return self._sheets[title]

    def merged_away(self, title: str, top: int, bottom: int, left: int, right: int) -> set[tuple[int, int]]:
        return self.sheet(title).merged_away(top, bottom, left, right)

    def looks(self, names: Iterable[str]) -> dict[str, Look]:
        return {name: self.look(name) for name in names}

    def look(self, name: str) -> Look:
        title, left, top, right, bottom = self.book._resolve(name)
        sheet = self.book._sheet(title)
        looks, styles = self.sheet(title), self.styles
        width = right - left + 1
        formats = [["General"] * width for _ in range(bottom - top + 1)]
        invisible: dict[tuple[int, int], bool] = {}
        formulas: dict[tuple[int, int], bool] = {}
        reader = CellReader(sheet.p, lambda: self.book.styles, self.book.epoch, self.book._shared_strings)
        codes, unreadable_style = styles.formats, styles.invisible
        formula_mark = reader.formula_mark
        by_attrs: dict[bytes, tuple[str, bool]] = {}  # a sheet's cells share a handful of attribute strings

        def known(attrs: bytes) -> tuple[str, bool]:
            s = reader._kind_and_style(attrs)[1]
            out = by_attrs[attrs] = (codes[s], unreadable_style[s])  # past cellXfs: refused, as openpyxl's load
            return out

        def checked(first: int, last: int) -> bool:
            """Rows already found well-formed: by a read of the adapter (it checks every row it reads), or every part."""
            return self.book.parsed_whole or any(k_top <= first and last < k_top + len(grid)
                                                  for k_top, _, grid in self.book._known.get(title, ()))

        for first, last in self._usual(looks, top, bottom, left, right, formats, by_attrs, known, checked):
            for r, c, attrs, content in sheet.cells(first, last, left, right, check=False):
                style = by_attrs.get(attrs) or known(attrs)
                formats[r - top][c - left] = style[0]
                formula = formula_mark in content
                if not (formula or style[1] or invisible or formulas):
                    continue  # neither formula nor unreadable
                at = (r - top, c - left)  # a cell the file holds twice is read as its last one
                formulas[at] = formula and self._formula(reader, attrs, content, sheet)
                invisible[at] = style[1] and bool(content) and reader.value(attrs, content, sheet) is not None
        for r, c in looks.merged_away(top, bottom, left, right):
            at = (r - top, c - left)
            formats[at[0]][at[1]] = "General"
            invisible.pop(at, None)
            formulas.pop(at, None)
        return Look(
            formats=tuple(map(tuple, formats)),
            hidden_rows=tuple(r - top for r in range(top, bottom + 1) if r in looks.hidden_rows),
            hidden_cols=tuple(c - left for c in range(left, right + 1) if c in looks.hidden_cols),
            invisible=tuple(sorted(at for at, yes in invisible.items() if yes)),
            formulas=tuple(sorted(at for at, yes in formulas.items() if yes)))

    @staticmethod
    def _usual(looks: SheetLooks, top: int, bottom: int, left: int, right: int, formats: list[list[str]],
               by_attrs: dict, known, checked) -> Iterator[tuple[int, int]]:
        """The formats of the range's cells, set in `formats` from their start tags alone, a few hundred rows at a
        time; yields the rows (first, last) that need each cell's content (a formula, an unreadable format, a cell
        tag in another form, rows out of order): few or none. The rows are checked well-formed first."""
        sheet = looks.sheet
        rows, numbers = sheet.rows(), looks.numbers
        if numbers is None:
            span = [r for r in rows if top <= r[0] <= bottom]
            if span and not checked(top, bottom):
                _well_formed(sheet.wrap, sheet.xml, min(r[1] for r in span), max(r[2] for r in span))
                yield top, bottom
            return
        span = rows[bisect.bisect_left(numbers, top):bisect.bisect_right(numbers, bottom)]
        if not span:
            return
        xml, tag, columns = sheet.xml, looks.tag, _COLUMNS
        if not checked(top, bottom):
            _well_formed(sheet.wrap, xml, span[0][1], span[-1][2])
        for i in range(0, len(span), CHUNK_ROWS):
            chunk = span[i:i + CHUNK_ROWS]
            start, end = chunk[0][1], chunk[-1][2]
            found = tag.findall(xml, start, end)
            if looks.formula.search(xml, start, end) or len(found) != sheet.cell_tags(start, end):
                yield chunk[0][0], chunk[-1][0]
                continue
            for letters, row, attrs in found:
                c = columns.get(letters) or columns.setdefault(letters, column_number(letters.decode()))
                if left <= c <= right:
                    style = by_attrs.get(attrs) or known(attrs)
                    if style[1]:
                        yield chunk[0][0], chunk[-1][0]
                        break
                    formats[int(row) - top][c - left] = style[0]

    @staticmethod
    def _formula(reader: CellReader, attrs: bytes, content: bytes, sheet: Sheet) -> bool:
        """A formula, unless it is one of the two constant booleans LibreOffice saves (an array or data-table
        formula is an object in openpyxl, never equal to those texts)."""
        f = reader.f.search(content)
        if f is None:
            return False
        kind = dict(CellReader._ATTR.findall(f.group(1))).get(b"t")
        if kind in (b"array", b"dataTable"):
            return True
        return reader.value(attrs, content, sheet).__class__ is not bool


def as_loaded(book, blocks: dict[str, Block]) -> dict[str, Block]:
    """The blocks as a full load reads them: a cell a merged range hides is empty there (openpyxl's
    `_clean_merge_range`), while the part holds its old value; Excel too shows only the range's first cell."""
    looks = Looks(book)
    out = {}
    for name, block in blocks.items():
        try:
            hidden = looks.merged_away(block.sheet, block.row, block.row + block.height - 1, block.col,
                                       block.col + block.width - 1) if block.values else set()
        except Exception as exc:  # a merged range the reference's full load would refuse
            raise damaged(book.path, exc) from None
        if hidden:
            values = [list(row) for row in block.values]
            for r, c in hidden:
                values[r - block.row][c - block.col] = None
            block = Block(block.sheet, block.row, block.col, tuple(map(tuple, values)))
        out[name] = block
    return out


class AsLoaded:
    """The part-level port read as the reference's full load reads it: a cell a merged range hides is empty
    (`part_looks.as_loaded`), so a merge drawn over recorded data is still seen as a change."""

    def __init__(self, port):
        self.port = port

    def names(self) -> dict[str, str]:
        return self.port.names()

    def sheet_names(self) -> list[str]:
        return self.port.sheet_names()

    def read(self, names) -> dict[str, Block]:
        return as_loaded(self.port, self.port.read(names))

    def looks(self, names) -> dict[str, Look]:
        return self.port.looks(names)
