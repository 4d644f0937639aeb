"""The theme of the exported xlsx: Office's default colours, fonts and line widths, without gradients or shadows.

Readers take what a chart does not set (gridlines, axis lines, legend keys, the width of a line) from the theme:
without one, LibreOffice draws the Grafik chart with no gridlines and a hairline 100 % line."""
from __future__ import annotations

_COLOURS = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
            ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'), ("dk2", "1F497D"), ("lt2", "EEECE1"),
            ("accent1", "4F81BD"), ("accent2", "C0504D"), ("accent3", "9BBB59"), ("accent4", "8064A2"),
            ("accent5", "4BACC6"), ("accent6", "F79646"), ("hlink", "0000FF"), ("folHlink", "800080"))
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'


def _colour(value: str) -> str:
    return value if value.startswith("<") else f'<a:srgbClr val="{value}"/>'


def _font(kind: str, typeface: str) -> str:
    return f'<a:{kind}><a:latin typeface="{typeface}"/><a:ea typeface=""/><a:cs typeface=""/></a:{kind}>'


THEME = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>'
    '<a:clrScheme name="Office">' + "".join(f"<a:{k}>{_colour(v)}</a:{k}>" for k, v in _COLOURS) + "</a:clrScheme>"
    '<a:fontScheme name="Office">' + _font("majorFont", "Cambria") + _font("minorFont", "Calibri") + "</a:fontScheme>"
    '<a:fmtScheme name="Office"><a:fillStyleLst>' + _FILL * 3 + "</a:fillStyleLst><a:lnStyleLst>"
    + "".join(f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{_FILL}<a:prstDash val="solid"/></a:ln>'
              for w in (9525, 25400, 38100))
    + "</a:lnStyleLst><a:effectStyleLst>" + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    + "</a:effectStyleLst><a:bgFillStyleLst>" + _FILL * 3 + "</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
    "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")
