"""Cells as bytes: their values read as openpyxl reads them, and written as the reference writes them.

A cell's tags are found by `part_sheet.Sheet.cells` (the rows checked well-formed first); here its attributes and
content become the value openpyxl's `WorkSheetParser.parse_cell` gives, and a value becomes the `<c>` element: strings
always inline (ECMA-376 Part 1 §18.3.1.53), numbers as openpyxl writes them, dates as serials.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal

from kinerja_xl.adapters import part_values as V
from kinerja_xl.adapters.part_sheet import STYLE_ATTR, Sheet, cell_ref, style_of
from kinerja_xl.adapters.part_styles import Styles, _set_attr

BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False}  # as openpyxl_book._as_engine_reads


_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _entity(m: re.Match) -> str:
    name = m.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


def unescape(raw: bytes) -> str:
    """Element text as an XML parser gives it: line ends normalised (XML 1.0 §2.11), then references replaced."""
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ENTITY.sub(_entity, text) if "&" in text else text


_ATTR_R = re.compile(rb'(?:^|\s)r\s*=\s*"([^"]*)"')

class CellReader:
    """openpyxl's `WorkSheetParser.parse_cell` on a cell's bytes (its tags found by `Sheet.cells`, the rows checked
    well-formed), then `_as_engine_reads` for the two boolean formulas."""

    _ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')

    def __init__(self, p: bytes, styles: Callable[[], Styles], epoch, shared: Callable[[], list[str]]):
        q = re.escape(p)
        self.styles, self.epoch, self.shared, self.formula_mark = styles, epoch, shared, b"<" + p + b"f"
        self.f = re.compile(rb"<" + q + rb"f\b([^>]*?)(?:/>|>(.*?)</" + q + rb"f>)", re.S)
        self.v = re.compile(rb"<" + q + rb"v\b[^>]*?(?:/>|>(.*?)</" + q + rb"v>)", re.S)
        self.inline = re.compile(rb"<" + q + rb"is\b[^>]*?(?:/>|>(.*?)</" + q + rb"is>)", re.S)
        self.phonetic = re.compile(rb"<" + q + rb"rPh\b.*?(?:/>|</" + q + rb"rPh>)", re.S)
        self.t = re.compile(rb"<" + q + rb"t\b[^>]*?(?:/>|>(.*?)</" + q + rb"t>)", re.S)
        # the form every writer we know uses for plain text: one <t>, nothing else
        self.plain = re.compile(rb"<" + q + rb"is><" + q + rb't(?: xml:space="preserve")?>([^<]*)</' + q + rb"t></"
                                + q + rb"is>$")
        self._kind = re.compile(rb'(?:^|\s)t\s*=\s*"([^"]*)"')
        self._style = re.compile(rb'(?:^|\s)s\s*=\s*"(\d*)"')
        self._v_open, self._v_close = b"<" + p + b"v>", b"</" + p + b"v>"
        self._attrs: dict[bytes, tuple[bytes, int]] = {}  # a sheet's cells share a handful of attribute strings

    def _kind_and_style(self, attrs: bytes) -> tuple[bytes, int]:
        known = self._attrs.get(attrs)
        if known is None:
            kind = self._kind.search(attrs) if b"t=" in attrs else None
            style = self._style.search(attrs) if b"s=" in attrs else None
            known = self._attrs[attrs] = (kind.group(1) if kind else b"n", int(style.group(1) or 0) if style else 0)
        return known

    def value(self, attrs: bytes, content: bytes | None, sheet: Sheet):
        if not content:
            return None
        kind, style = self._kind_and_style(attrs)
        if self.formula_mark in content:
            f = self.f.search(content)
            if f:
                text = "=" + (unescape(f.group(2)) if f.group(2) else "")
                fa = dict(self._ATTR.findall(f.group(1)))
                if fa.get(b"t") == b"shared":
                    ref = _ATTR_R.search(attrs)
                    text = shared_formula(sheet, fa.get(b"si", b"").decode(), ref.group(1).decode() if ref else None,
                                           text)
                return BOOLEAN_FORMULAS.get(text, text)
        if kind == b"inlineStr":
            plain = self.plain.match(content)
            if plain:
                return unescape(plain.group(1))
            inline = self.inline.search(content)
            if inline is None:
                return None
            body = self.phonetic.sub(b"", inline.group(1) or b"")
            return "".join(unescape(t) for t in self.t.findall(body) if t)
        raw = content[len(self._v_open):-len(self._v_close)]
        if content.startswith(self._v_open) and content.endswith(self._v_close) and b"<" not in raw:
            value = unescape(raw) if raw else None  # the usual form: <v>text</v> and nothing else
        else:
            v = self.v.search(content)
            value = unescape(v.group(1)) if v and v.group(1) else None
        if not value:
            return None
        if kind == b"n":
            number = V.cast_number(value)
            styles = self.styles()
            if style in styles.dates:
                try:
                    return V.from_excel(number, self.epoch, timedelta=style in styles.timedeltas)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == b"s":
            return self.shared()[int(value)]
        if kind == b"b":
            return bool(int(value))
        if kind == b"d":
            return V.from_iso(value)
        return value  # str, e (an error's text) and anything else: the text as it is

def text_of(el: ET.Element, ns: str) -> str:
    """openpyxl's `Text.content`: the plain text and the runs' text, phonetic runs left out."""
    parts = []
    for child in el:
        if child.tag == ns + "t":
            if child.text is not None:
                parts.append(child.text)
        elif child.tag == ns + "r":
            t = child.find(ns + "t")
            if t is not None and t.text is not None:
                parts.append(t.text)
    return "".join(parts)

def shared_formula(sheet: Sheet, si: str, ref: str | None, text: str) -> str:
    """A shared formula's text at its cell, translated from its master cell as openpyxl does (rare: only then
    is openpyxl's translator imported)."""
    master = re.search(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f\b[^>]*?'
                       rb'\bsi="' + re.escape(si.encode()) + rb'"[^>]*?(?<!/)>([^<]+)</', sheet.xml, re.S)
    if master is None or ref is None:
        return text
    from openpyxl.formula.translate import Translator

    origin, master_text = master.group(1).decode(), "=" + unescape(master.group(2))
    return master_text if origin == ref else Translator(master_text, origin).translate_formula(ref)

def stored(value) -> tuple | None:
    """What a value is in the file: ('s', text), ('n', digits), ('b', '1'/'0'), ('d', date) or None (empty)."""
    if value is None:
        return None
    if value.__class__ is bool:
        return ("b", "1" if value else "0")
    if isinstance(value, (int, float, Decimal)):
        text = V.number_text(value)
        return ("n", text) if text else None
    if isinstance(value, str):
        text = V.checked_text(value)
        return ("s", text) if text else None  # openpyxl writes "" as a cell without a value
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        if getattr(value, "tzinfo", None) is not None:
            raise TypeError("Excel does not support timezones in datetimes. "
                            "The tzinfo in the datetime/time object must be set to None.")
        return ("d", value)
    raise ValueError(f"Cannot convert {value!r} to Excel")

_KIND = re.compile(rb'(?:^|\s)t\s*=\s*"([^"]*)"')
_V_TEXT = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def inline_text(content: bytes, p: bytes) -> str | None:
    m = re.match(rb"<" + re.escape(p) + rb"is><" + re.escape(p) + rb't(?: xml:space="preserve")?>([^<]*)</', content)
    return unescape(m.group(1)) if m else None

def restyled(element: bytes, style: int) -> bytes:
    m = STYLE_ATTR.search(element, 0, element.index(b">"))
    if m:
        return element[:m.start(1)] + (str(style).encode() if style else b"0") + element[m.end(1):]
    return _set_attr(element, b"s", str(style).encode())


def cell_xml(p: bytes, r: int, c: int, style: int, stored: tuple | None, epoch) -> bytes:
    """The `<c>` element of a value as `stored` gives it (None: a cell with its format only)."""
    ref = cell_ref(r, c).encode()
    s = b' s="%d"' % style if style else b""
    if stored is None:
        return b'<%sc r="%s"%s/>' % (p, ref, s)
    kind, value = stored
    if kind == "s":
        return (b'<%sc r="%s"%s t="inlineStr"><%sis><%st xml:space="preserve">%s</%st></%sis></%sc>'
                % (p, ref, s, p, p, V.escape(value).encode(), p, p, p))
    if kind == "b":
        return b'<%sc r="%s"%s t="b"><%sv>%s</%sv></%sc>' % (p, ref, s, p, value.encode(), p, p)
    text = V.number_text(V.to_excel(value, epoch)) if kind == "d" else value
    return b'<%sc r="%s"%s><%sv>%s</%sv></%sc>' % (p, ref, s, p, text.encode(), p, p)


def unchanged(stored: tuple | None, attrs: bytes, content: bytes, p: bytes, dates: set[int], epoch) -> bool:
    """Whether writing `stored` into the cell read as (attributes, content) would give the same cell."""
    if stored is None:
        return not content
    if not content or b"<" + p + b"f" in content:
        return False
    kind = _KIND.search(attrs) if b"t=" in attrs else None
    kind = kind.group(1) if kind else b"n"
    if stored[0] == "s":
        return kind == b"inlineStr" and inline_text(content, p) == stored[1]
    v = _V_TEXT.search(content)
    text = v.group(1).decode() if v else None
    if stored[0] == "b":
        return kind == b"b" and text == stored[1]
    if kind != b"n":
        return False
    if stored[0] == "d":
        return style_of(attrs) in dates and text == V.number_text(V.to_excel(stored[1], epoch))
    return text == stored[1]
