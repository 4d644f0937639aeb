"""`xl/styles.xml` as the part-level adapter needs it: which cell formats are dates, which are locked, the twin of
a format that differs in one property only (locked, its parent cell style, or the number format a date needs),
and a lock group's formats relocked all at once.

A twin that is not there yet is appended to `cellXfs` (ECMA-376 Part 1 §18.8.10, §18.8.45: a cell's `s` is an
index into `cellXfs`), so existing indices never move and only the cells that change are touched. Locked or
not is read as openpyxl reads it: the xf's `<protection>` child, `locked` true unless it says "0"/"false"
(§18.8.33), and locked when there is no child.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kinerja_xl.adapters.part_values import BUILTIN_FORMATS, escape_attr, is_date_format, is_timedelta_format

_ATTRS = r'(?:[^>"\'/]|"[^"]*"|\'[^\']*\'|/(?!>))*'
_FALSE = {"0", "false"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Styles:
    def __init__(self, xml: bytes):
        self.xml = xml
        root = ET.fromstring(xml)
        self._prefix = _prefix_of(xml, b"styleSheet")
        self._wrap = namespaces(xml, self._prefix + b"styleSheet")
        self._formats: dict[int, str] = {}
        self._named: dict[str, int] = {}
        for el in root.iter():
            if _local(el.tag) == "numFmt" and el.get("numFmtId", "").isdigit():
                self._formats[int(el.get("numFmtId"))] = el.get("formatCode")
            elif _local(el.tag) == "cellStyle" and el.get("xfId", "").isdigit():
                self._named.setdefault(el.get("name"), int(el.get("xfId")))
        span = _element_span(xml, self._prefix + b"cellXfs")
        self._raw: list[bytes] = _children(xml, span, self._prefix + b"xf") if span else []
        self._parsed = [_parse_xf(raw, self._wrap) for raw in self._raw]
        self._added_xfs: list[bytes] = []
        self._relocked = False  # some existing formats changed (a lock group): cellXfs is written whole
        self._added_formats: list[tuple[int, str]] = []
        self._keys: dict[tuple, int] | None = None
        self._twins: dict[tuple, int] = {}
        self.dates, self.timedeltas = set(), set()
        for i, xf in enumerate(self._parsed):
            self._classify(i, xf)

    def _classify(self, i: int, xf: dict) -> None:
        fmt_id = xf["numFmtId"]
        fmt = self._formats.get(fmt_id) if fmt_id in self._formats else BUILTIN_FORMATS.get(fmt_id)
        if is_date_format(fmt):
            self.dates.add(i)
        if is_timedelta_format(fmt):
            self.timedeltas.add(i)

    def __len__(self) -> int:
        return len(self._parsed)

    def locked(self, style: int) -> bool:
        return self._parsed[style]["locked"]

    def fits(self, style: int, locked: bool, parent: int | None) -> bool:
        """Whether format `style` is locked as wanted and, when `parent` is given, has that parent cell style."""
        xf = self._parsed[style] if self._parsed else {"locked": True, "parent": 0}
        return xf["locked"] == locked and (parent is None or xf["parent"] == parent)

    def format_code(self, style: int) -> str | None:
        fmt_id = self._parsed[style]["numFmtId"]
        return self._formats.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))

    def group_parent(self, name: str | None) -> int | None:
        """The `cellStyleXfs` index of the named cell style `name` (a lock group's), None when there is none."""
        return self._named.get(name) if name is not None else None

    def relock_group(self, parent: int, locked: bool) -> None:
        """Every format whose parent cell style is `parent` (a lock group's, which only the group's cells use)
        locked or unlocked: the whole group changes without touching a cell."""
        for i, xf in enumerate(self._parsed):
            if xf["parent"] == parent and xf["locked"] != locked:
                self._raw[i] = _with_protection(self._raw[i], self._prefix, locked, xf["hidden"])
                self._parsed[i] = _parse_xf(self._raw[i], self._wrap)
                self._relocked = True
        self._keys, self._twins = None, {}

    def twin(self, style: int, *, locked: bool | None = None, format_code: str | None = None,
             parent: int | None = None) -> int:
        """The index of the format equal to `style` but for `locked`, the number format and/or the parent cell
        style; appended when new."""
        memo = (style, locked, format_code, parent)
        if memo not in self._twins:
            self._twins[memo] = self._twin(style, locked, format_code, parent)
        return self._twins[memo]

    def _twin(self, style: int, locked: bool | None, format_code: str | None, parent: int | None) -> int:
        xf = self._parsed[style] if self._parsed else {"attrs": (), "align": None, "locked": True, "hidden": False,
                                                        "numFmtId": 0, "other": (), "parent": 0}
        fmt_id = xf["numFmtId"] if format_code is None else self._format_id(format_code)
        want_locked = xf["locked"] if locked is None else locked
        want_parent = xf["parent"] if parent is None else parent
        if fmt_id == xf["numFmtId"] and want_locked == xf["locked"] and want_parent == xf["parent"]:
            return style
        key = _key(xf, fmt_id, want_locked, want_parent)
        if self._keys is None:
            self._keys = {}
            for i, other in enumerate(self._parsed):
                self._keys.setdefault(_key(other, other["numFmtId"], other["locked"], other["parent"]), i)
        if key in self._keys:
            return self._keys[key]
        base = self._raw[style] if self._raw else b"<" + self._prefix + b"xf/>"
        raw = _with_protection(base, self._prefix, want_locked, xf["hidden"])
        if fmt_id != xf["numFmtId"]:
            raw = _set_attr(raw, b"numFmtId", str(fmt_id).encode())
            raw = _set_attr(raw, b"applyNumberFormat", b"1")
        if want_parent != xf["parent"]:
            raw = _set_attr(raw, b"xfId", str(want_parent).encode())
        new = len(self._parsed)
        self._raw.append(raw)
        self._parsed.append(_parse_xf(raw, self._wrap))
        self._added_xfs.append(raw)
        self._classify(new, self._parsed[new])
        self._keys[key] = new
        return new

    def _format_id(self, code: str) -> int:
        for fmt_id, known in BUILTIN_FORMATS.items():
            if known == code:
                return fmt_id
        for fmt_id, known in self._formats.items():
            if known == code:
                return fmt_id
        fmt_id = max([163, *self._formats]) + 1
        self._formats[fmt_id] = code
        self._added_formats.append((fmt_id, code))
        return fmt_id

    def changed(self) -> bool:
        return bool(self._added_xfs or self._added_formats or self._relocked)

    def to_bytes(self) -> bytes:
        xml = self.xml
        p = self._prefix
        if self._added_formats:
            new = b"".join(b'<%snumFmt numFmtId="%d" formatCode="%s"/>' % (p, i, escape_attr(c).encode())
                           for i, c in self._added_formats)
            xml = _append_children(xml, p + b"numFmts", new, len(self._added_formats),
                                   fallback_after=_start_tag_end(xml, p + b"styleSheet"))
        if self._relocked:
            xml = _replace_children(xml, p + b"cellXfs", b"".join(self._raw), len(self._raw))
        elif self._added_xfs:
            xml = _append_children(xml, p + b"cellXfs", b"".join(self._added_xfs), len(self._added_xfs))
        return xml


def _key(xf: dict, fmt_id: int, locked: bool, parent: int) -> tuple:
    return (tuple(sorted((k, v) for k, v in xf["attrs"] if k not in ("applyProtection", "numFmtId",
                                                                        "applyNumberFormat", "xfId"))),
            fmt_id, xf["align"], locked, xf["hidden"], xf["other"], parent)


def namespaces(xml: bytes, root: bytes) -> bytes:
    """The namespace declarations of the part's root element, to parse a piece of the part on its own."""
    m = re.search(rb"<" + root + rb"\b" + _ATTRS.encode() + rb"/?>", xml)
    return b" ".join(re.findall(rb'xmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|\'[^\']*\')', m.group(0))) if m else b""


def _parse_xf(raw: bytes, wrap: bytes) -> dict:
    el = ET.fromstring(b"<w " + wrap + b">" + raw + b"</w>")[0]
    locked, hidden, align, other = True, False, None, []
    for child in el:
        name = _local(child.tag)
        if name == "protection":
            locked = child.get("locked", "1") not in _FALSE
            hidden = child.get("hidden", "0") not in _FALSE
        elif name == "alignment":
            align = tuple(sorted(child.attrib.items()))
        else:
            other.append(ET.tostring(child))
    fmt, parent = el.get("numFmtId", "0"), el.get("xfId", "0")
    return {"attrs": tuple(el.attrib.items()), "numFmtId": int(fmt) if fmt.isdigit() else 0, "locked": locked,
            "hidden": hidden, "align": align, "other": tuple(other), "parent": int(parent) if parent.isdigit() else 0}


def _prefix_of(xml: bytes, root: bytes) -> bytes:
    m = re.search(rb"<(\w+:)?" + root + rb"\b", xml)
    return m.group(1) or b"" if m else b""


def _element_span(xml: bytes, tag: bytes) -> tuple[int, int] | None:
    """(end of the start tag, start of the end tag) of the first `tag`, or None."""
    m = re.search(rb"<" + tag + rb"\b" + _ATTRS.encode() + rb"(/?)>", xml)
    if not m:
        return None
    if m.group(1):
        return m.end(), m.end()
    return m.end(), xml.index(b"</" + tag + b">", m.end())


def _children(xml: bytes, span: tuple[int, int], tag: bytes) -> list[bytes]:
    pattern = re.compile(rb"<" + tag + rb"\b" + _ATTRS.encode() + rb"(?:/>|>.*?</" + tag + rb">)", re.S)
    return pattern.findall(xml, span[0], span[1])


def _start_tag_end(xml: bytes, tag: bytes) -> int:
    m = re.search(rb"<" + tag + rb"\b" + _ATTRS.encode() + rb">", xml)
    return m.end()


def _append_children(xml: bytes, tag: bytes, new: bytes, added: int, fallback_after: int | None = None) -> bytes:
    m = re.search(rb"<" + tag + rb"\b(" + _ATTRS.encode() + rb")(/?)>", xml)
    if m is None:
        local = tag.rsplit(b":", 1)[-1]
        return xml[:fallback_after] + b'<%s count="%d">%s</%s>' % (tag, added, new, tag) + xml[fallback_after:] \
            if local == b"numFmts" else xml
    attrs = m.group(1)
    count = re.search(rb'\bcount="(\d+)"', attrs)
    if count:
        attrs = attrs[:count.start(1)] + str(int(count.group(1)) + added).encode() + attrs[count.end(1):]
    if m.group(2):  # <cellXfs/>: no children yet
        return xml[:m.start()] + b"<" + tag + attrs + b">" + new + b"</" + tag + b">" + xml[m.end():]
    close = xml.index(b"</" + tag + b">", m.end())
    return xml[:m.start()] + b"<" + tag + attrs + b">" + xml[m.end():close] + new + xml[close:]


def _replace_children(xml: bytes, tag: bytes, children: bytes, count: int) -> bytes:
    """`tag`'s children replaced by `children`, its count set to `count` (the element exists: its formats were read)."""
    m = re.search(rb"<" + tag + rb"\b(" + _ATTRS.encode() + rb")(/?)>", xml)
    attrs = re.sub(rb'\bcount="\d+"', b'count="%d"' % count, m.group(1))
    end = m.end() if m.group(2) else xml.index(b"</" + tag + b">", m.end()) + len(tag) + 3
    return xml[:m.start()] + b"<" + tag + attrs + b">" + children + b"</" + tag + b">" + xml[end:]


def _set_attr(start: bytes, name: bytes, value: bytes) -> bytes:
    """Set an attribute in the first start tag of `start` (an element's bytes)."""
    end = re.match(rb"<[\w:]+" + _ATTRS.encode(), start).end()
    m = re.compile(rb'\s' + name + rb'\s*=\s*("[^"]*"|\'[^\']*\')').search(start, 0, end)
    if m:
        return start[:m.start(1)] + b'"' + value + b'"' + start[m.end(1):]
    return start[:end] + b" " + name + b'="' + value + b'"' + start[end:]


def _with_protection(raw: bytes, prefix: bytes, locked: bool, hidden: bool) -> bytes:
    raw = _set_attr(raw, b"applyProtection", b"1")
    prot = b'<%sprotection locked="%s" hidden="%s"/>' % (prefix, b"1" if locked else b"0", b"1" if hidden else b"0")
    raw = re.sub(rb"<" + prefix + rb"protection\b" + _ATTRS.encode() + rb"(?:/>|>.*?</" + prefix + rb"protection>)",
                 b"", raw, flags=re.S)
    if raw.endswith(b"/>"):
        return raw[:-2] + b">" + prot + b"</" + prefix + b"xf>"
    ext = raw.find(b"<" + prefix + b"extLst")
    at = ext if ext >= 0 else raw.rindex(b"</")
    return raw[:at] + prot + raw[at:]
