"""Fonts, paragraph styles and colours of the PDF: one embedded font family, so every reader shows the same."""
from __future__ import annotations

import os
from functools import lru_cache
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

FONT, BOLD, ITALIC = "Vera", "Vera-Bold", "Vera-Italic"
HEADER_BG = colors.HexColor("#1F4E78")  # the workbook's header colour
GRID = colors.HexColor("#7F7F7F")
BANDS = {"merah": colors.HexColor("#F8CBAD"), "kuning": colors.HexColor("#FFE699"), "hijau": colors.HexColor("#C6E0B4")}
BAR_BANDS = {"merah": colors.HexColor("#C0504D"), "kuning": colors.HexColor("#E3B505"), "hijau": colors.HexColor("#4E9A3A")}
PAD = 3


@lru_cache(maxsize=1)
def fonts() -> None:
    """Bitstream Vera ships inside ReportLab: embedded (subset), the same glyphs on Windows and Linux."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf"), ("Vera-BoldItalic", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="Vera-BoldItalic")


def style(size: float = 9, bold: bool = False, align=TA_LEFT, colour=colors.black, leading: float | None = None,
          space_after: float = 0) -> ParagraphStyle:
    fonts()
    return ParagraphStyle(f"s{size}{bold}{align}", fontName=BOLD if bold else FONT, fontSize=size,
                          leading=leading or size * 1.25, alignment=align, textColor=colour, spaceAfter=space_after)


def para(text, size: float = 9, bold: bool = False, align=TA_LEFT, colour=colors.black, **kw) -> Paragraph:
    """Plain text as a paragraph: escaped (a note is never markup), line breaks kept."""
    body = escape("" if text is None else str(text)).replace("\n", "<br/>")
    return Paragraph(body, style(size, bold, align, colour, **kw))


def markup(text: str, size: float = 9, bold: bool = False, align=TA_LEFT, **kw) -> Paragraph:
    """Trusted markup written by this package (bold, underline)."""
    return Paragraph(text, style(size, bold, align, **kw))


def width(text: str, size: float, bold: bool = False) -> float:
    fonts()
    return pdfmetrics.stringWidth(text, BOLD if bold else FONT, size)


CENTER = TA_CENTER
