"""The cell styles of the exported xlsx: a fixed set, looked up by index (`xlsx_writer.Sheet.row`).

They are adapters.sheet_style's TITLE, BOLD, header row (HEADER_FONT, HEADER_FILL, BOX, CENTER), WRAP and
NUMBER_FORMATS written as openpyxl wrote them, copied as plain values because that module imports openpyxl;
tests/integration/test_export_xlsx.py reads them back and compares them with sheet_style's.
"""
from __future__ import annotations

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# How typed numbers show (sheet_style.NUMBER_FORMATS): Excel puts the office locale's separators in.
NUMBER_FORMATS = {"rupiah": '"Rp "#,##0', "bulat": "#,##0", "tanggal": "DD-MM-YYYY"}
_BUILTIN_FORMATS = {"0.00": 2, "#,##0": 3}

# openpyxl's default font, then TITLE, BOLD, HEADER_FONT; fills: none, gray125 (both required), HEADER_FILL.
_FONTS = ('<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/><scheme val="minor"/></font>',
          '<font><b val="1"/><sz val="14"/><name val="Calibri"/></font>',
          '<font><b val="1"/><name val="Calibri"/></font>',
          '<font><b val="1"/><color rgb="00FFFFFF"/><name val="Calibri"/></font>')
_FILLS = ('<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>',
          '<fill><patternFill patternType="solid"><fgColor rgb="001F4E78"/></patternFill></fill>')
_THIN = '<{0} style="thin"><color rgb="00808080"/></{0}>'
_BORDERS = ("<border><left/><right/><top/><bottom/><diagonal/></border>",
            "<border>" + "".join(_THIN.format(side) for side in ("left", "right", "top", "bottom")) + "</border>")
_WRAP = '<alignment vertical="top" wrapText="1"/>'
_CENTER = '<alignment horizontal="center" vertical="center" wrapText="1"/>'

# Cell styles by index (cellXfs): (number format, font, fill, border, alignment).
DEFAULT, TITLE, WRAP, BOLD, HEADER, WRAP_BOLD, TWO_DECIMALS = range(7)
_XFS = [("General", 0, 0, 0, ""), ("General", 1, 0, 0, ""), ("General", 0, 0, 0, _WRAP), ("General", 2, 0, 0, ""),
        ("General", 3, 2, 1, _CENTER), ("General", 2, 0, 0, _WRAP), ("0.00", 0, 0, 0, "")]
# a column type of NUMBER_FORMATS -> the wrapped style with its number format
WRAP_NUMBER = {kind: len(_XFS) + i for i, kind in enumerate(NUMBER_FORMATS)}
_XFS += [(fmt, 0, 0, 0, _WRAP) for fmt in NUMBER_FORMATS.values()]
COUNT = len(_XFS)


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _styles_xml() -> str:
    """Built-in formats by their id, the others numbered from 164 (the first id Excel leaves to a file)."""
    formats = {fmt: _BUILTIN_FORMATS.get(fmt, 0) for fmt, *_ in _XFS}
    custom = [fmt for fmt in formats if fmt != "General" and fmt not in _BUILTIN_FORMATS]
    formats.update({fmt: 164 + i for i, fmt in enumerate(custom)})
    num_fmts = "".join(f'<numFmt numFmtId="{formats[f]}" formatCode="{_attr(f)}"/>' for f in custom)
    xfs = "".join(
        f'<xf numFmtId="{formats[fmt]}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        + (' applyNumberFormat="1"' if formats[fmt] else "") + (' applyFont="1"' if font else "")
        + (' applyFill="1"' if fill else "") + (' applyBorder="1"' if border else "")
        + (f' applyAlignment="1">{align}</xf>' if align else "/>")
        for fmt, font, fill, border, align in _XFS)
    return (f'{XML}<styleSheet xmlns="{MAIN}"><numFmts count="{len(custom)}">{num_fmts}</numFmts>'
            f'<fonts count="{len(_FONTS)}">{"".join(_FONTS)}</fonts><fills count="{len(_FILLS)}">{"".join(_FILLS)}'
            f'</fills><borders count="{len(_BORDERS)}">{"".join(_BORDERS)}</borders><cellStyleXfs count="1">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(_XFS)}">{xfs}</cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


STYLES = _styles_xml()
