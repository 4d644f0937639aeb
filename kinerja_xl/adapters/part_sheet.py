"""One worksheet part (`xl/worksheets/sheetN.xml`) read and rewritten as bytes, never as a whole DOM.

Rows are found by their start tags and their `r` attributes (ECMA-376 Part 1 §18.3.1.73; rows ascend, §18.3.1.80
`sheetData`); only the rows a read asks for are parsed, a few hundred at a time; a rewrite re-serialises only the
rows it changes and copies every other byte. Sheet data with comments, CDATA or processing instructions (no
writer we know makes them) is first put in plain form, so the byte scanner never meets markup inside text.
"""
from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat
from collections.abc import Callable, Iterator

from kinerja_xl.adapters.part_styles import _ATTRS, namespaces
from kinerja_xl.adapters.refs import column_number
from kinerja_xl.domain.blocks import column_letter

_COORD = re.compile(r"([A-Z]+)(\d+)")
_REF = re.compile(rb'(?:^|\s)r\s*=\s*"([A-Z]+)')
_COLUMNS: dict[bytes, int] = {}
CHUNK_ROWS = 500
_R_ATTR = re.compile(rb'(?:^|\s)r\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_DIMENSION = re.compile(rb'(<(?:\w+:)?dimension\b[^>]*?\bref=")([^"]*)(")')


class Sheet:
    def __init__(self, xml: bytes):
        m = re.search(rb"<(\w+:)?worksheet\b", xml)
        if m is None:
            raise ValueError("not a worksheet")
        self.p = m.group(1) or b""
        self.wrap = namespaces(xml, self.p + b"worksheet")
        xml = self._plain(xml)
        self.xml = xml
        start = re.compile(rb"<" + self.p + rb"sheetData\b" + _ATTRS.encode() + rb"(/?)>").search(xml)
        if start is None:
            raise ValueError("no sheetData")
        self.data_tag = (start.start(), start.end())
        self.data_open = start.end()
        if start.group(1):
            self.data_close = self.after_data = start.end()
        else:
            self.data_close = xml.index(b"</" + self.p + b"sheetData>", start.end())
            self.after_data = self.data_close + len(b"</" + self.p + b"sheetData>")
        # what surrounds the rows must be well-formed; the rows are checked as they are read
        ET.fromstring(xml[:start.start()] + b"<" + self.p + b"sheetData/>" + xml[self.after_data:])
        self._rows: list[tuple[int, int, int, bool]] | None = None
        self._row_re = re.compile(rb"<" + self.p + rb"row\b(" + _ATTRS.encode() + rb")(/?)>")
        self._cell_re = re.compile(rb"<" + self.p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + self.p + rb"c>)", re.S)
        self._fast_re = re.compile(rb"<" + self.p + rb'c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</' + self.p + rb"c>)",
                                   re.S)
        self._cell_tags = [b"<" + self.p + b"c" + end for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")]
        self._numbers: list[int] | None = None
        self._ascending = True

    def _plain(self, xml: bytes) -> bytes:
        """Sheet data without comments, CDATA or processing instructions, serialised plainly (rare: no writer
        we know puts them there); otherwise the bytes as they are (looked at in place, not copied)."""
        start = re.compile(rb"<" + self.p + rb"sheetData\b[^>]*?(?<!/)>").search(xml)
        if start is None:
            return xml
        end = xml.find(b"</" + self.p + b"sheetData>", start.end())
        if end < 0 or not any(xml.find(mark, start.end(), end) >= 0 for mark in (b"<!--", b"<![CDATA[", b"<?")):
            return xml
        root = ET.fromstring(b"<w " + self.wrap + b">" + xml[start.end():end] + b"</w>")
        prefixes = _prefixes(self.wrap)
        return xml[:start.end()] + b"".join(serialise(el, prefixes) for el in root) + xml[end:]

    def rows(self) -> list[tuple[int, int, int, bool]]:
        """(row number, start, end, empty) of every row, in file order."""
        if self._rows is None:
            rows, counter, xml = [], 0, self.xml
            end_tag = b"</" + self.p + b"row>"
            for m in self._row_re.finditer(xml, self.data_open, self.data_close):
                r = _R_ATTR.search(m.group(1))
                r = (r.group(1) if r.group(1) is not None else r.group(2)) if r else None
                counter = int(float(r)) if r else counter + 1
                if m.group(2):
                    rows.append((counter, m.start(), m.end(), True))
                else:
                    rows.append((counter, m.start(), xml.index(end_tag, m.end()) + len(end_tag), False))
            self._rows = rows
        return self._rows

    def _span(self, top: int, bottom: int) -> list[tuple[int, int, int, bool]]:
        rows = self.rows()
        if self._numbers is None:
            self._numbers = [r[0] for r in rows]
            self._ascending = all(a < b for a, b in zip(self._numbers, self._numbers[1:]))
        if not self._ascending:
            return [r for r in rows if top <= r[0] <= bottom]
        return rows[bisect.bisect_left(self._numbers, top):bisect.bisect_right(self._numbers, bottom)]

    def cell_tags(self, start: int, end: int) -> int:
        """How many cell start tags `xml[start:end]` holds, whatever their form (XML whitespace is these four)."""
        return sum(self.xml.count(tag, start, end) for tag in self._cell_tags)

    def cells(self, top: int, bottom: int, left: int, right: int, check: bool = True
              ) -> Iterator[tuple[int, int, bytes, bytes]]:
        """(row, column, attributes, content) of every cell in the range, found by its tags; the rows of the range
        are checked to be well-formed XML first (expat, no tree), so damage there is found as openpyxl finds it."""
        span = self._span(top, bottom)
        if not span:
            return
        xml, columns = self.xml, _COLUMNS
        if check:
            _well_formed(self.wrap, xml, span[0][1], span[-1][2])
        if self._ascending:
            # the form every writer we know uses: `r` first; a chunk with any other cell tag goes the long way.
            # Chunks of rows keep what is found at a time small (a 20,000-row range is not listed at once).
            for i in range(0, len(span), CHUNK_ROWS):
                chunk = span[i:i + CHUNK_ROWS]
                start, end = chunk[0][1], chunk[-1][2]
                fast = self._fast_re.findall(xml, start, end)
                if len(fast) != self.cell_tags(start, end):
                    yield from self._slow(chunk, left, right)
                    continue
                for letters, row, attrs, content in fast:
                    col = columns.get(letters) or columns.setdefault(letters, column_number(letters.decode()))
                    if left <= col <= right:
                        yield int(row), col, attrs, content
            return
        yield from self._slow(span, left, right)

    def _slow(self, span, left: int, right: int) -> Iterator[tuple[int, int, bytes, bytes]]:
        xml, columns = self.xml, _COLUMNS
        cell_re = self._cell_re
        for r, start, end, empty in span:
            if empty:
                continue
            col = 0
            for m in cell_re.finditer(xml, start, end):
                attrs = m.group(1)
                ref = _REF.search(attrs)
                if ref:
                    letters = ref.group(1)
                    col = columns.get(letters) or columns.setdefault(letters, column_number(letters.decode()))
                else:
                    col += 1
                if left <= col <= right:
                    yield r, col, attrs, m.group(2) or b""

    def restyled(self, passes: list[tuple[int, int, list[int], object, bool]], style_for: Callable[[int, object], int]
                 ) -> tuple[bytes | None, list[list[int]]]:
        """The part with the format of every cell of each pass (top row, bottom row, its columns, what the cells
        should be, whether to count them) changed to `style_for(style, what)`, by one regex substitution per pass
        over its rows' bytes (a lock is a change of format); passes must not share a cell. Also, per counted pass,
        the row of each cell found (to find missing cells). None when passes overlap in rows without sharing them,
        or a cell tag there is not in the usual form (`r` first): `rewrite` handles those row by row."""
        spans = sorted({(top, bottom) for top, bottom, *_ in passes})
        if not self._ascending or any(a[1] >= b[0] for a, b in zip(spans, spans[1:])):
            return None, []
        xml, out, at, seen = self.xml, [], 0, [[] for _ in passes]
        for top, bottom in spans:
            span = self._span(top, bottom)
            if not span:
                continue
            start, end = span[0][1], span[-1][2]
            tag = b"<" + self.p + b"c"
            usual = xml.count(tag + b' r="', start, end)
            if usual != self.cell_tags(start, end):
                return None, []
            part = xml[start:end]
            for i, (_, _, columns, what, counted) in enumerate(passes):
                if passes[i][:2] != (top, bottom) or not columns:
                    continue
                letters = b"|".join(column_letter(c).encode() for c in columns)
                cells = re.compile(rb"(<" + self.p + rb'c r="(?:' + letters + rb')(\d+)")(?: s="(\d*)"|(?![^>]*\ss\s*=))')
                if counted:
                    seen[i] = [int(found[1]) for found in cells.findall(part)]
                attrs: dict[bytes | None, bytes] = {}

                def swap(m: re.Match, attrs=attrs, what=what) -> bytes:
                    s = m.group(3)
                    new = attrs.get(s)
                    if new is None:
                        style = style_for(int(s or 0), what)
                        new = attrs[s] = b' s="%d"' % style if style or s is not None else b""
                    return m.group(1) + new

                part = cells.sub(swap, part)
            out += [xml[at:start], part]
            at = end
        return b"".join(out) + xml[at:], seen

    def rewrite(self, wanted: set[int], plan: Callable[[int, dict[int, tuple[bytes, bytes]]], dict[int, bytes]]) -> bytes:
        """The part with each of `rows` rewritten: `plan(r, cells)` gets the row's cells {column: (attributes, whole
        element)} and answers the cells that change {column: new element}. Rows absent from the file are made when
        the plan gives them cells; everything else is copied byte for byte."""
        xml, out, at = self.xml, [], self.data_open
        rows = self.rows()
        by_number = {r[0]: r for r in rows}
        spots, numbers = [r[1] for r in rows], [r[0] for r in rows]
        bounds = []
        for r in sorted(wanted):
            if r in by_number:
                number, start, end, empty = by_number[r]
                new = self._row(xml[start:end], r, empty, lambda cells: plan(r, cells), bounds)
                if new is None:
                    continue
                out.append(xml[at:start])
                out.append(new)
                at = end
            else:
                made = plan(r, {})
                if not made:
                    continue
                later = bisect.bisect_left(numbers, r)
                where = spots[later] if later < len(spots) else self.data_close
                where = max(where, at)
                out.append(xml[at:where])
                out.append(b'<%srow r="%d">%s</%srow>' % (self.p, r, b"".join(made[c] for c in sorted(made)), self.p))
                bounds.append((r, min(made), max(made)))
                at = where
        head = xml[:self.data_open]
        tail = xml[self.data_close:]
        if not out:
            return xml
        body = b"".join(out) + xml[at:self.data_close]
        if self.data_open == self.data_close and body:  # <sheetData/> gets its rows
            head = xml[:self.data_tag[0]] + xml[self.data_tag[0]:self.data_tag[1] - 2] + b">"
            tail = b"</" + self.p + b"sheetData>" + xml[self.data_close:]
        return _dimension(head, bounds) + body + tail

    def _row(self, raw: bytes, r: int, empty: bool, plan, bounds: list) -> bytes | None:
        start = self._row_re.match(raw)
        cells, col = {}, 0
        if not empty:
            for m in self._cell_re.finditer(raw, start.end()):
                ref = _REF.search(m.group(1))
                if ref:
                    letters = ref.group(1)
                    col = _COLUMNS.get(letters) or _COLUMNS.setdefault(letters, column_number(letters.decode()))
                else:
                    col += 1
                cells[col] = (m.group(1), m.group(0), m.start(), m.end())
        changed = plan({c: (v[0], v[1]) for c, v in cells.items()})
        if not changed:
            return None
        bounds.append((r, min(changed), max(changed)))
        tag = start.group(0)
        if empty:
            tag = tag[:-2] + b">"
        tag = _spans(tag, cells, changed)
        if all(c in cells for c in changed) and not empty:
            pieces, at = [tag], start.end()
            for c in sorted(changed):
                _, _, s, e = cells[c]
                pieces += [raw[at:s], changed[c]]
                at = e
            return b"".join(pieces) + raw[at:]
        merged = {c: v[1] for c, v in cells.items()}
        merged.update(changed)
        close = b"</" + self.p + b"row>"
        inner_end = len(raw) - len(close) if not empty else len(raw)
        # cells are re-ordered by column (§18.3.1.4); whatever else the row held after its cells is kept
        last = max((v[3] for v in cells.values()), default=start.end())
        rest = raw[last:inner_end] if not empty else b""
        return tag + b"".join(merged[c] for c in sorted(merged)) + rest + close


STYLE_ATTR = re.compile(rb'(?:^|\s)s\s*=\s*"(\d*)"')  # a cell's `s`


def style_of(attrs: bytes) -> int:
    """A cell's format index (its `s`, ECMA-376 Part 1 §18.3.1.4); 0 when it has none."""
    if b"s=" not in attrs:
        return 0
    m = STYLE_ATTR.search(attrs)
    return int(m.group(1) or 0) if m else 0


def _well_formed(wrap: bytes, xml: bytes, start: int, end: int) -> None:
    """Rows `xml[start:end]` are well-formed XML (expat builds nothing), fed a megabyte at a time."""
    parser = expat.ParserCreate()
    parser.Parse(b"<w " + wrap + b">", False)
    view = memoryview(xml)
    for at in range(start, end, 1 << 20):
        parser.Parse(bytes(view[at:min(at + (1 << 20), end)]), False)
    parser.Parse(b"</w>", True)


def _spans(tag: bytes, cells: dict, changed: dict) -> bytes:
    """`spans` is an optimisation hint (§18.3.1.73); when the row's cells go beyond it, it is widened."""
    m = re.search(rb'\bspans="(\d+):(\d+)"', tag)
    if not m:
        return tag
    cols = set(cells) | set(changed)
    lo, hi = min(int(m.group(1)), min(cols)), max(int(m.group(2)), max(cols))
    return tag[:m.start(1)] + b"%d:%d" % (lo, hi) + tag[m.end(2):]


def _dimension(head: bytes, bounds: list[tuple[int, int, int]]) -> bytes:
    """The sheet's used range (§18.3.1.35) widened to the cells written."""
    m = _DIMENSION.search(head)
    if not bounds or m is None:
        return head
    ref = m.group(2).decode().replace("$", "")
    parts = [_COORD.match(p) for p in ref.split(":")]
    if not all(parts):
        return head
    rows = [int(p.group(2)) for p in parts] + [b[0] for b in bounds]
    cols = [column_number(p.group(1)) for p in parts] + [c for b in bounds for c in b[1:]]
    new = f"{column_letter(min(cols))}{min(rows)}:{column_letter(max(cols))}{max(rows)}"
    if new == ref or (len(parts) == 1 and new == f"{ref}:{ref}"):
        return head
    return head[:m.start(2)] + new.encode() + head[m.end(2):]


def _prefixes(wrap: bytes) -> dict[str, bytes]:
    out = {}
    for prefix, uri in re.findall(rb'xmlns(?::([\w.-]+))?\s*=\s*"([^"]*)"', wrap):
        out[uri.decode()] = prefix + b":" if prefix else b""
    return out


def serialise(el: ET.Element, prefixes: dict[str, bytes]) -> bytes:
    """An element back to bytes with the part's own prefixes (ElementTree would invent ns0:)."""
    from kinerja_xl.adapters.part_values import escape, escape_attr

    def name(tag: str) -> bytes:
        if tag.startswith("{"):
            uri, local = tag[1:].split("}", 1)
            if uri == "http://www.w3.org/XML/1998/namespace":
                return b"xml:" + local.encode()
            return prefixes.get(uri, b"") + local.encode()
        return tag.encode()

    attrs = b"".join(b' %s="%s"' % (name(k), escape_attr(v).encode()) for k, v in el.attrib.items())
    inner = escape(el.text or "").encode() + b"".join(serialise(c, prefixes) + escape(c.tail or "").encode()
                                                      for c in el)
    tag = name(el.tag)
    return b"<%s%s>%s</%s>" % (tag, attrs, inner, tag) if inner else b"<%s%s/>" % (tag, attrs)


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"
