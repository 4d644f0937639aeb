"""Text, fills and rules written straight into a page's content stream, for the parts of the PDF that grow with
the rows (the data tables, the capaian charts). A Paragraph in a Table cell or a chart widget costs ReportLab
hundreds of Python calls per word; here a cell is a few operators, and its text is encoded for the embedded font
with one `str.translate` (the font's subset codes learnt once per character, as ReportLab assigns them)."""
from __future__ import annotations

from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics

_ENCODINGS: WeakKeyDictionary = WeakKeyDictionary()  # document -> {font name: _Encoding}


class _Encoding:
    """One embedded TrueType font in one document: each character's subset and code, as PDF string text."""

    def __init__(self, font_name: str, doc):
        self.font, self.doc = pdfmetrics.getFont(font_name), doc
        self.known: set[str] = set()
        self.codes: dict[int, str] = {}
        self.subsets: dict[str, int] = {}
        self.beyond: set[str] = set()  # characters outside the first subset
        self.names: dict[int, str] = {}
        self.first: str | None = None  # the resource name of the first subset, once it is used

    def runs(self, text: str) -> list[tuple[str, str]]:
        """(font resource name, escaped string) pieces of `text`, one per subset."""
        if not self.known.issuperset(text):
            self._learn(text)
        if self.beyond.isdisjoint(text):  # the usual case: every character in the first subset
            return [(self.names[0], text.translate(self.codes))]
        out: list[tuple[str, str]] = []
        for ch in text:
            name = self.names[self.subsets[ch]]
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + self.codes[ord(ch)])
            else:
                out.append((name, self.codes[ord(ch)]))
        return out

    def _learn(self, text: str) -> None:
        for ch in dict.fromkeys(text):  # in the text's order: the codes, and so the bytes, do not vary by run
            if ch in self.known:
                continue
            [(subset, code)] = self.font.splitString(ch, self.doc)
            self.codes[ord(ch)] = _escaped(code[0])
            self.subsets[ch] = subset
            if subset:
                self.beyond.add(ch)
            if subset not in self.names:
                self.names[subset] = self.font.getSubsetInternalName(subset, self.doc)
                self.first = self.names.get(0)
            self.known.add(ch)


def _escaped(code: int) -> str:
    if code in (0x28, 0x29, 0x5C):
        return "\\" + chr(code)
    return chr(code) if 32 <= code < 127 else f"\\{code:03o}"


def _colour(colour) -> str:
    return f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f}"


class Ink:
    """Operators for one flowable's drawing, in its own coordinates; `done()` appends them to the page inside
    q … Q, so nothing of their state leaks into what ReportLab draws next."""

    def __init__(self, canv):
        self.canv = canv
        self.ops: list[str] = ["q"]
        self.encodings = _ENCODINGS.setdefault(canv._doc, {})
        self.in_text = False
        self.plain = False  # the text state (spacing, scaling, rise, rendering) set to its defaults
        self.font: tuple[str, float] | None = None
        self.colour = None  # the fill colour object last set (compared by identity: one per table or chart)
        self.fill: str | None = None

    def _fill(self, colour) -> None:
        self.colour = colour
        rgb = _colour(colour)
        if rgb != self.fill:
            self.ops.append(rgb + " rg")
            self.fill = rgb

    def _graphics(self) -> None:
        if self.in_text:
            self.ops.append("ET")
            self.in_text = False

    def text(self, x: float, y: float, text: str, font: str, size: float, colour) -> None:
        """`text` with its baseline starting at (x, y)."""
        if not text:
            return
        encoding = self.encodings.get(font) or self.encodings.setdefault(font, _Encoding(font, self.canv._doc))
        ops = self.ops
        if not self.in_text:
            ops.append("BT" if self.plain else "BT 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr")  # plain spacing, whatever came before
            self.in_text, self.plain, self.font = True, True, None
        if colour is not self.colour:
            self._fill(colour)
        if (self.font is not None and self.font[1] == size and self.font[0] == encoding.first
                and encoding.known.issuperset(text) and encoding.beyond.isdisjoint(text)):
            ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({text.translate(encoding.codes)}) Tj")  # the usual case
            return
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for name, chars in encoding.runs(text):
            if self.font != (name, size):
                ops.append(f"{name} {size:g} Tf")
                self.font = (name, size)
            ops.append(f"({chars}) Tj")

    def rect(self, x: float, y: float, w: float, h: float, colour) -> None:
        self._graphics()
        if colour is not self.colour:
            self._fill(colour)
        self.ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re f")

    def lines(self, segments, colour, width: float, dash: str = "[] 0", ends: int = 0) -> None:
        """Straight segments (x1, y1, x2, y2), stroked; each its own subpath, as ReportLab's canvas.lines. `ends`:
        the line cap and join (0 square, 1 round, as a ReportLab Table's grid)."""
        self._graphics()
        self.ops.append(f"{_colour(colour)} RG {width:g} w {dash} d {ends} J {ends} j n")
        self.ops += [f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" for x1, y1, x2, y2 in segments]
        self.ops.append("S")

    def done(self) -> None:
        self._graphics()
        self.ops.append("Q")
        self.canv._code.append("\n".join(self.ops))
        self.ops = []
