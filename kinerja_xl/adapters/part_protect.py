"""Sheet and workbook protection on the parts' bytes, as `openpyxl_book.apply_locks` sets it: every sheet protected
(`sheet="1"`, columns left widenable, the password's legacy hash or none), the internal sheets very hidden, xlwings.conf
hidden, the structure locked. Only what differs is changed, so a workbook already protected keeps its bytes.
"""
from __future__ import annotations

import re

from kinerja_xl.adapters.part_cells import unescape
from kinerja_xl.adapters.part_styles import _set_attr
from kinerja_xl.domain import names as N

# what openpyxl writes for a sheet it protects (its SheetProtection defaults), with the columns left widenable
_NEW_PROTECTION = (b'selectLockedCells="0" selectUnlockedCells="0" sheet="1" objects="0" insertRows="1" '
                   b'insertHyperlinks="1" autoFilter="1" scenarios="0" formatColumns="0" deleteColumns="1" '
                   b'insertColumns="1" pivotTables="1" deleteRows="1" formatCells="1" formatRows="1" sort="1"')


def hash_password(plain: str) -> str:
    """Excel's legacy sheet-protection hash (ECMA-376 Part 1 §18.3.1.85 `password`; the algorithm is given under
    `workbookProtection`, §18.2.29), as openpyxl computes it (`openpyxl.utils.protection.hash_password`)."""
    value = 0
    for idx, char in enumerate(plain, 1):
        bits = ord(char) << idx
        value ^= (bits & 0x7FFF) | (bits >> 15)
    value ^= len(plain) ^ 0xCE4B
    return hex(value).upper()[2:]


_PROTECTION = re.compile(rb"<((?:\w+:)?)sheetProtection\b([^>]*?)/?>")


def protected(xml: bytes, password: str | None) -> bytes:
    """The sheet protected as `apply_locks` protects it: sheet="1", formatColumns="0", the password's hash or
    none; any other attribute kept. A sheet without protection gets openpyxl's attributes (ECMA-376 Part 1
    §18.3.1.85: the element follows sheetData and sheetCalcPr)."""
    m = _protection_tag(xml)
    if m is None:
        prefix = re.search(rb"<(\w+:)?worksheet\b", xml).group(1) or b""
        close = re.search(rb"</" + re.escape(prefix) + rb"sheetData>|<" + re.escape(prefix) + rb"sheetData\b[^>]*/>",
                          xml)
        at = close.end()
        calc = re.compile(rb"\s*<" + re.escape(prefix) + rb"sheetCalcPr\b[^>]*/>").match(xml, at)
        at = calc.end() if calc else at
        tag = b"<" + prefix + b"sheetProtection " + _NEW_PROTECTION + b"/>"
        if password:
            tag = _set_attr(tag, b"password", password.encode())
        return xml[:at] + tag + xml[at:]
    tag = m.group(0)
    new = _set_attr(_set_attr(tag, b"sheet", b"1"), b"formatColumns", b"0")
    if password:
        new = _set_attr(new, b"password", password.encode())
    else:
        new = re.sub(rb'\spassword\s*=\s*"[^"]*"', b"", new)
    if _attrs_of(new) == _attrs_of(tag):
        return xml
    return xml[:m.start()] + new + xml[m.end():]


def _protection_tag(xml: bytes) -> re.Match | None:
    """The sheetProtection start tag, found by its name first: text in a cell cannot hold a raw '<', so the name
    preceded by '<' and a prefix is the element, and the search does not stop at every tag of a large sheet."""
    at = xml.find(b"sheetProtection")
    while at >= 0:
        start = xml.rfind(b"<", max(0, at - 64), at)
        m = _PROTECTION.match(xml, start) if start >= 0 else None
        if m is not None and m.start(2) > at:
            return m
        at = xml.find(b"sheetProtection", at + 1)
    return None


def _attrs_of(tag: bytes) -> dict[bytes, bytes]:
    values = dict(re.findall(rb'([\w:]+)\s*=\s*"([^"]*)"', tag))
    for key in (b"sheet", b"formatColumns"):
        if key in values:
            values[key] = b"1" if values[key].lower() in (b"1", b"true") else b"0"
    return values


def restored_structure(xml: bytes) -> bytes:
    """`openpyxl_book._restore_structure` on the bytes: the internal sheets very hidden, xlwings.conf hidden,
    the structure locked; only what differs is changed."""
    states = {N.DEFINITION_SHEET: b"veryHidden", N.MAP_SHEET: b"veryHidden", N.CONF_SHEET: b"hidden"}

    def sheet(m: re.Match) -> bytes:
        tag = m.group(0)
        name = re.search(rb'\bname\s*=\s*"([^"]*)"', tag)
        title = unescape(name.group(1)) if name else None
        if title not in states:
            return tag
        state = re.search(rb'\bstate\s*=\s*"([^"]*)"', tag)
        if state and state.group(1) == states[title]:
            return tag
        return _set_attr(tag, b"state", states[title])

    xml = re.sub(rb"<(?:\w+:)?sheet\b[^>]*>", sheet, xml)
    m = re.search(rb"<((?:\w+:)?)workbookProtection\b[^>]*>", xml)
    if m:
        lock = re.search(rb'\blockStructure\s*=\s*"([^"]*)"', m.group(0))
        if lock and lock.group(1).lower() in (b"1", b"true"):
            return xml
        return xml[:m.start()] + _set_attr(m.group(0), b"lockStructure", b"1") + xml[m.end():]
    prefix = re.search(rb"<(\w+:)?workbook\b", xml).group(1) or b""
    tag = b"<" + prefix + b'workbookProtection lockStructure="1"/>'
    after = None
    for name in (b"workbookPr", b"fileSharing", b"fileVersion"):
        found = re.search(rb"<" + re.escape(prefix) + name + rb"\b[^>]*?(?:/>|>.*?</" + re.escape(prefix) + name
                          + rb">)", xml, re.S)
        if found:
            after = found.end()
            break
    if after is None:
        after = re.search(rb"<(?:\w+:)?workbook\b[^>]*>", xml).end()
    return xml[:after] + tag + xml[after:]
