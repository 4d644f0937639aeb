"""Fonts, paragraph styles and colours of the PDF: one embedded font family, so every reader shows the same.

The official document draws its text itself (`pdf_layout.Text`, `wrap`); `para` and `markup` make ReportLab
Paragraphs for the documents still laid out by platypus (the recap), importing platypus only when called."""
from __future__ import annotations

import os
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

FONT, BOLD, ITALIC = "Vera", "Vera-Bold", "Vera-Italic"
HEADER_BG = colors.HexColor("#1F4E78")  # the workbook's header colour
GRID = colors.HexColor("#7F7F7F")
BANDS = {"merah": colors.HexColor("#F8CBAD"), "kuning": colors.HexColor("#FFE699"), "hijau": colors.HexColor("#C6E0B4")}
BAR_BANDS = {"merah": colors.HexColor("#C0504D"), "kuning": colors.HexColor("#E3B505"), "hijau": colors.HexColor("#4E9A3A")}
PAD = 3
_SPACES = re.compile(r"(?:[^\S\xa0]|\u200b)+")  # ReportLab's white space: all but the no-break space
SPACE_SHRINK = 0.05  # ReportLab's spaceShrinkage: a line may run this share of a space per space past its room


@cache
def _face(name: str, file: str) -> None:
    pdfmetrics.registerFont(TTFont(name, os.path.join(os.path.dirname(reportlab.__file__), "fonts", file)))


@lru_cache(maxsize=2)
def fonts(italic: bool = True) -> None:
    """Bitstream Vera ships inside ReportLab: embedded (subset), the same glyphs on Windows and Linux. The
    official document writes upright text only (`italic=False`: two fonts read, not four); the family, with
    its italics, is for platypus paragraphs and the recap."""
    _face(FONT, "Vera.ttf")
    _face(BOLD, "VeraBd.ttf")
    if italic:
        _face(ITALIC, "VeraIt.ttf")
        _face("Vera-BoldItalic", "VeraBI.ttf")
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="Vera-BoldItalic")


def style(size: float = 9, bold: bool = False, align=TA_LEFT, colour=colors.black, leading: float | None = None,
          space_after: float = 0) -> ParagraphStyle:
    from reportlab.lib.styles import ParagraphStyle

    fonts()
    return ParagraphStyle(f"s{size}{bold}{align}", fontName=BOLD if bold else FONT, fontSize=size,
                          leading=leading or size * 1.25, alignment=align, textColor=colour, spaceAfter=space_after)


def para(text, size: float = 9, bold: bool = False, align=TA_LEFT, colour=colors.black, **kw) -> Paragraph:
    """Plain text as a paragraph: escaped (a note is never markup), line breaks kept."""
    import html

    from reportlab.platypus import Paragraph

    body = html.escape("" if text is None else str(text), quote=False).replace("\n", "<br/>")
    return Paragraph(body, style(size, bold, align, colour, **kw))


def markup(text: str, size: float = 9, bold: bool = False, align=TA_LEFT, **kw) -> Paragraph:
    """Trusted markup written by this package (bold, underline)."""
    from reportlab.platypus import Paragraph

    return Paragraph(text, style(size, bold, align, **kw))


class _Advances(dict):
    """A font's advance widths (thousandths of the size) by character, each looked up once in the font."""

    def __init__(self, font: str):
        super().__init__()
        face = pdfmetrics.getFont(font).face
        self.widths, self.default = face.charWidths, face.defaultWidth

    def __missing__(self, ch: str) -> float:
        self[ch] = self.widths.get(ord(ch), self.default)
        return self[ch]


@lru_cache(maxsize=8)
def _advances(font: str) -> _Advances:
    fonts(italic=False)
    return _Advances(font)


_UNITS: dict[bool, dict[str, float]] = {False: {}, True: {}}  # text -> its advance in thousandths, per boldness


def width(text: str, size: float, bold: bool = False) -> float:
    """ReportLab's stringWidth, with the per-character loop in C, each text's sum kept (a table measures a text
    to size its column, to break it into lines and to right-align it)."""
    known = _UNITS[bold]
    units = known.get(text)
    if units is None:
        if len(known) > 200_000:  # a long-running process laying out many documents
            known.clear()
        units = known[text] = sum(map(_advances(BOLD if bold else FONT).__getitem__, text))
    return 0.001 * size * units


def wrap(text, size: float, room: float, bold: bool = False) -> list[str]:
    """`text` broken into lines at most `room` points wide, as a plain Paragraph breaks it: at spaces, at line
    breaks, and inside a word longer than a whole line."""
    text = "" if text is None else str(text)
    if "\n" not in text and width(text, size, bold) <= room:
        words = _words(text)
        return [" ".join(words)] if words else []
    space, out = width(" ", size, bold), []
    shrink = SPACE_SHRINK * space  # each space of a full line may give this much, as ReportLab lets it
    segments = text.split("\n")
    if len(segments) > 1 and not _words(segments[-1]):
        segments.pop()  # a break at the very end adds no line
    for segment in segments:
        line: list[str] = []
        used = -space
        for word in _words(segment):
            wide = width(word, size, bold)
            if used + space + wide <= room + shrink * len(line):
                line.append(word)
                used += space + wide
                continue
            if wide <= room:
                if line:
                    out.append(" ".join(line))
                line, used = [word], wide
                continue
            pieces = _pieces(word, size, room, bold, used + space)  # its first piece fills this line
            out += [" ".join(line + [p for p in pieces[:1] if p])] if line or pieces[0] else []
            out += pieces[1:-1]
            line, used = [pieces[-1]], width(pieces[-1], size, bold)
        out.append(" ".join(line))
    return [] if out == [""] else out


def _words(text: str) -> list[str]:
    """Words as a Paragraph splits them: at any white space, but never at a no-break space."""
    return [w for w in _SPACES.split(text) if w] if "\xa0" in text else text.split()


def _pieces(word: str, size: float, room: float, bold: bool, used: float) -> list[str]:
    """A word too long for a line, cut at characters as ReportLab cuts it: the first piece fills what is left of
    the current line (`used` points taken), each next one a whole line."""
    out, piece = [], ""
    for ch in word:
        wide = width(ch, size, bold)
        if used + wide > room and (piece or wide <= room):
            out.append(piece)
            piece, used = "", 0.0
        piece += ch
        used += wide
    out.append(piece)
    return out


LEFT, CENTER = TA_LEFT, TA_CENTER
