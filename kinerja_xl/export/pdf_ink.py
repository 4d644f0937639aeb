"""Text, fills and rules written straight into a page's content stream, for the parts of the PDF that grow with
the rows (the data tables, the capaian charts). A Paragraph in a Table cell or a chart widget costs ReportLab
hundreds of Python calls per word; here a cell is a few operators, and its text is encoded for the embedded font
with one `str.translate` (the font's subset codes learnt once per character, as ReportLab assigns them)."""
from __future__ import annotations

from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import fp_str
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

    def learn(self, text: str) -> None:
        """Codes for the characters of `text` not met yet, in its order."""
        if not self.known.issuperset(text):
            self._learn(text)

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

    def __init__(self, canv, precise: bool = False):
        """`precise`: positions as ReportLab writes them (a paragraph's), not rounded to hundredths (a table's)."""
        self.canv, self.precise = canv, precise
        self.ops: list[str] = ["q"]
        self.encodings = _ENCODINGS.setdefault(canv._doc, {})
        self.in_text = False
        self.plain = False  # the text state (spacing, scaling, rise, rendering) set to its defaults
        self.font: tuple[str, float] | None = None
        self.colour = None  # the fill colour object last set (compared by identity: one per table or chart)
        self.fill: str | None = None

    def _fill(self, colour) -> None:
        self.colour = colour
        rgb = fp_str(colour.red, colour.green, colour.blue) if self.precise else _colour(colour)
        if rgb != self.fill:
            self.ops.append(rgb + " rg")
            self.fill = rgb

    def _graphics(self) -> None:
        if self.in_text:
            self.ops.append("ET")
            self.in_text = False

    def text(self, x: float, y: float, text: str, font: str, size: float, colour, spacing: float = 0.0) -> None:
        """`text` with its baseline starting at (x, y); `spacing`: points added to each space (Tw; negative to
        squeeze a line into its room, as a Paragraph does with a line its spaces may shrink into)."""
        if not text:
            return
        encoding = self.encodings.get(font) or self.encodings.setdefault(font, _Encoding(font, self.canv._doc))
        ops = self.ops
        if not self.in_text:
            ops.append("BT" if self.plain else "BT 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr")  # plain spacing, whatever came before
            self.in_text, self.plain, self.font = True, True, None
        if colour is not self.colour:
            self._fill(colour)
        if spacing:
            ops.append(f"{fp_str(spacing)} Tw")
        if (self.font is not None and self.font[1] == size and self.font[0] == encoding.first
                and encoding.known.issuperset(text) and (not encoding.beyond or encoding.beyond.isdisjoint(text))):
            if self.precise:  # the usual case: one string
                ops.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm ({text.translate(encoding.codes)}) Tj")
            else:
                ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({text.translate(encoding.codes)}) Tj")
        else:
            ops.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm" if self.precise else f"1 0 0 1 {x:.2f} {y:.2f} Tm")
            for name, chars in encoding.runs(text):
                if self.font != (name, size):
                    ops.append(f"{name} {size:g} Tf")
                    self.font = (name, size)
                ops.append(f"({chars}) Tj")
        if spacing:
            ops.append("0 Tw")

    def encoding(self, font: str) -> _Encoding:
        return self.encodings.get(font) or self.encodings.setdefault(font, _Encoding(font, self.canv._doc))

    def use(self, font: str, size: float, colour) -> None:
        """Inside BT, `colour` set and `font` at `size` in its first subset (which must be in use): what follows
        may be written as "x y Tm (codes) Tj" strings of that subset's codes."""
        encoding = self.encoding(font)
        if not self.in_text:
            self.ops.append("BT" if self.plain else "BT 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr")
            self.in_text, self.plain, self.font = True, True, None
        if colour is not self.colour:
            self._fill(colour)
        if self.font != (encoding.first, size):
            self.ops.append(f"{encoding.first} {size:g} Tf")
            self.font = (encoding.first, size)

    def encoded(self, text: str, font: str, size: float, colour) -> str | None:
        """`text` as the string of a `Tj`, when it can be written after the text state this Ink is in (inside BT,
        `font` at `size` in its first subset, `colour` set): what a table caches per cell text; else None."""
        encoding = self.encodings.get(font)
        if (not self.in_text or colour is not self.colour or encoding is None or self.font is None
                or self.font[1] != size or self.font[0] != encoding.first or not encoding.known.issuperset(text)
                or not encoding.beyond.isdisjoint(text)):
            return None
        return text.translate(encoding.codes)

    def rect(self, x: float, y: float, w: float, h: float, colour) -> None:
        self._graphics()
        if colour is not self.colour:
            self._fill(colour)
        if self.precise:
            self.ops.append(f"{fp_str(x)} {fp_str(y)} {fp_str(w)} {fp_str(h)} re f")
            return
        self.ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re f")

    def lines(self, segments, colour, width: float, dash: str = "[] 0", ends: int = 0, apart: bool = False) -> None:
        """Straight segments (x1, y1, x2, y2), stroked; each its own subpath, as ReportLab's canvas.lines. `ends`:
        the line cap and join (0 square, 1 round, as a ReportLab Table's grid). `apart`: each stroked on its own,
        as a Table's BOX is (where two meet, their anti-aliased ends then blend as they always did)."""
        self._graphics()
        rgb = fp_str(colour.red, colour.green, colour.blue) if self.precise else _colour(colour)
        self.ops.append(f"{rgb} RG {width:g} w {dash} d {ends} J {ends} j n")
        if self.precise:
            self.ops += [f"{fp_str(x1)} {fp_str(y1)} m {fp_str(x2)} {fp_str(y2)} l" + (" S" if apart else "")
                         for x1, y1, x2, y2 in segments]
        else:
            self.ops += [f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" + (" S" if apart else "")
                         for x1, y1, x2, y2 in segments]
        if not apart:
            self.ops.append("S")

    def path(self, segments: list[str], colour, width: float, dash: str = "[] 0", ends: int = 0) -> None:
        """As `lines`, the segments already written ("x1 y1 m x2 y2 l", positions in hundredths)."""
        self._graphics()
        self.ops.append(f"{_colour(colour)} RG {width:g} w {dash} d {ends} J {ends} j n")
        self.ops += segments
        self.ops.append("S")

    def done(self) -> None:
        self._graphics()
        self.ops.append("Q")
        self.canv._code.append("\n".join(self.ops))
        self.ops = []
