"""The page layout of the official PDF without ReportLab's platypus: importing platypus costs about 50 ms a
process (its paragraph module compiles large regular expressions), more than laying out the whole document.

`build` flows a story onto pages exactly as platypus' BaseDocTemplate with one Frame does (the same padding,
space before and after, splitting, KeepTogether and PageBreak rules), so every page breaks where it always did;
the flowables here draw what platypus' Paragraph, Spacer and HRFlowable drew, at the same places. They keep
platypus' flowable protocol (wrap, split, drawOn, spaces), so a platypus document can still hold them."""
from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen import canvas as pdfcanvas

from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_ink import Ink

FUZZ = 1e-6  # ReportLab's _FUZZ: slack of layout arithmetic
PAD = 6      # ReportLab's default Frame padding, on every side


class LayoutError(Exception):
    """A flowable fits no page (platypus would raise its LayoutError)."""


class Flowable:
    """The part of platypus' Flowable protocol the document uses."""

    hAlign = "LEFT"
    width = height = 0
    spaceBefore = spaceAfter = 0

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def wrapOn(self, canv, avail_width, avail_height):  # noqa: N802 - platypus' names throughout
        self.canv = canv
        try:
            return self.wrap(avail_width, avail_height)
        finally:
            del self.canv

    def split(self, avail_width, avail_height):
        return []

    def splitOn(self, canv, avail_width, avail_height):  # noqa: N802
        self.canv = canv
        try:
            return self.split(avail_width, avail_height)
        finally:
            del self.canv

    def getSpaceBefore(self):  # noqa: N802
        return self.spaceBefore

    def getSpaceAfter(self):  # noqa: N802
        return self.spaceAfter

    def getKeepWithNext(self):  # noqa: N802
        return False

    def isIndexing(self):  # noqa: N802
        return 0

    def identity(self, max_len=None):
        return f"<{type(self).__name__}>"

    def draw(self) -> None:
        pass

    def drawOn(self, canv, x, y, _sW=0):  # noqa: N802, N803
        """As platypus draws a flowable: aligned in the room left (`_sW`), in its own translated coordinates."""
        if _sW and self.hAlign in ("CENTER", "CENTRE"):
            x += 0.5 * _sW
        elif _sW and self.hAlign == "RIGHT":
            x += _sW
        canv.saveState()
        canv.translate(x, y)
        self.canv = canv
        self.draw()
        del self.canv
        canv.restoreState()


class Spacer(Flowable):
    def __init__(self, width: float, height: float):
        self.width, self.height = width, height

    def drawOn(self, canv, x, y, _sW=0):  # noqa: N802, N803 - draws nothing
        pass


class PageBreak(Flowable):
    """The rest of the page left empty."""


class _FrameBreak(Flowable):
    """What a KeepTogether that does not fit puts before its content: the next page."""


class KeepTogether(Flowable):
    """Its flowables on one page when they fit on one: moved whole to the next page when they do not fit in what
    is left of this one (platypus' KeepTogether)."""

    def __init__(self, flowables: list):
        self.content = list(flowables)

    def wrap(self, avail_width, avail_height):
        return avail_width, 0xFFFFFF  # never fits as one piece: the frame always asks it to split (`_Frame._keep`)

    def getSpaceBefore(self):  # noqa: N802
        return self.content[0].getSpaceBefore() if self.content else 0

    def getSpaceAfter(self):  # noqa: N802
        return self.content[-1].getSpaceAfter() if self.content else 0

    def heights(self, avail_width: float) -> tuple[float, float]:
        """(the content's height with the space between its parts, the first part's height), as `_listWrapOn`."""
        total, first, after, top = 0.0, None, 0.0, True
        for f in self.content:
            h = f.wrap(avail_width, 0xfffffff)[1]
            first = h if first is None else first
            if h <= FUZZ:
                continue
            total += h
            if not top:
                total += max(f.getSpaceBefore() - after, 0)
            top = False
            after = f.getSpaceAfter()
            total += after
        return total - after, first or 0.0


def put_lines(ink: Ink, lines, x: float, top: float, room: float, size: float, bold: bool = False,
              colour=S.colors.black, align: int = S.LEFT, leading: float | None = None) -> list[tuple]:
    """`lines` where a Paragraph `room` wide with its top at `top` draws them: each baseline one font size under
    the line's top, left or centred; a line wider than its room (a Paragraph lets its spaces shrink a little)
    starts at the left edge, its spaces narrowed (Tw) to end at the room's edge. The (x1, y, x2, y) of each
    line's underline, `<u>`'s (an eighth of the font size under the baseline)."""
    leading, font, under = leading or size * 1.25, S.BOLD if bold else S.FONT, []
    at = pending = 0.0  # where a Paragraph's text cursor stands, and its last move when nothing followed it
    for k, line in enumerate(lines):
        wide = S.width(line, size, bold) if line else 0.0
        extra = room - wide
        spaces = line.count(" ") + line.count("\xa0") if extra <= -1e-8 else 0
        shift = extra / 2 if align == S.CENTER and not spaces else 0.0
        if abs(shift) > 1e-6:  # the cursor moves as ReportLab moves it, each move written rounded (`_moved`)
            at, pending = at - pending + _moved(shift + pending), 0.0
        if line:
            baseline = top - size - k * leading
            ink.text(x + at, baseline, line, font, size, colour, extra / spaces if spaces else 0.0)
            under.append((x + at, baseline - 0.125 * size, x + at + wide, baseline - 0.125 * size))
        pending = 0.0
        if abs(shift) > 1e-6:
            pending = _moved(-shift)
            at += pending
    return under


def _moved(dx: float) -> float:
    """A cursor move as ReportLab writes it (`fp_str`: at most 6 decimals, 7 significant digits) and so as a
    reader adds it up: a centred line of a Paragraph stands where those rounded moves put it."""
    return float(fp_str(dx))


class Text(Flowable):
    """Plain text as platypus' Paragraph lays it out and draws it: broken where a Paragraph breaks it
    (`pdf_style.wrap`), its first baseline one font size under its top, lines `leading` apart, left or centred;
    `underline` as `<u>` draws it (an eighth of the font size under the baseline, the current line width)."""

    def __init__(self, text, size: float = 9, bold: bool = False, align: int = S.LEFT, colour=S.colors.black,
                 leading: float | None = None, space_after: float = 0, underline: bool = False):
        self.text = "" if text is None else str(text)
        self.size, self.bold, self.align, self.colour = size, bold, align, colour
        self.leading = leading or size * 1.25
        self.spaceAfter, self.underline = space_after, underline
        self.lines: list[str] | None = None
        self._room: float | None = None
        self.breaks: set[int] | None = None  # lines that follow a line break of the text (None: from the text)

    @classmethod
    def of_lines(cls, lines, room: float, size: float, bold: bool = False, align: int = S.LEFT) -> Text:
        """Text already broken (and perhaps cut, `pdf_tables.clip_lines`) for a room `room` wide."""
        text = cls("\n".join(lines), size, bold, align)
        text.lines, text._room, text.breaks = list(lines), room, set()
        return text

    def _copy(self, lines: list[str], breaks: set[int]) -> Text:
        part = Text("\n".join(lines), self.size, self.bold, self.align, self.colour, self.leading, self.spaceAfter,
                    self.underline)
        part.lines, part._room, part.breaks = lines, self._room, breaks
        return part

    def _breaks(self) -> set[int]:
        """The lines that start a segment of the text after a line break."""
        if self.breaks is not None:
            return self.breaks
        out, k = set(), 0
        if "\n" in self.text:
            for segment in self.text.split("\n"):
                if k:
                    out.add(k)
                k += len(S.wrap(segment, self.size, self._room, self.bold)) or 1
        return out

    def wrap(self, avail_width, avail_height):
        if self._room != avail_width or self.lines is None:
            self.lines, self._room = S.wrap(self.text, self.size, avail_width, self.bold), avail_width
            self.breaks = None
        self.width, self.height = avail_width, len(self.lines) * self.leading
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """The lines that fit and the rest; never a single line left behind (platypus' allowOrphans=0)."""
        if not self.text or avail_width < FUZZ or avail_height < FUZZ:
            return []
        self.wrap(avail_width, avail_height)
        fit = int(avail_height / self.leading)
        if fit <= 1:
            return []
        if len(self.lines) <= fit:
            return [self]
        breaks = self._breaks()
        rest, shift = self.lines[fit:], -fit
        if fit in breaks:  # a Paragraph split just before a line break starts its rest with an empty line
            rest, shift = ["", *rest], 1 - fit
        return [self._copy(self.lines[:fit], {k for k in breaks if k < fit}),
                self._copy(rest, {k + shift for k in breaks if k > fit})]

    def draw(self) -> None:
        if not self.lines:
            return
        ink = Ink(self.canv, precise=True)
        under = put_lines(ink, self.lines, 0.0, self.height, self.width, self.size, self.bold, self.colour,
                          self.align, self.leading)
        if self.underline and under:
            ink.lines(under, self.colour, 1)
        ink.done()


class Rule(Flowable):
    """A horizontal line the whole width across (platypus' HRFlowable with a round cap)."""

    hAlign = "CENTER"

    def __init__(self, thickness: float, colour, space_before: float = 1, space_after: float = 1):
        self.thickness, self.colour = thickness, colour
        self.spaceBefore, self.spaceAfter = space_before, space_after

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.thickness

    def draw(self) -> None:
        ink = Ink(self.canv, precise=True)
        ink.lines([(0, 0, self.width, 0)], self.colour, self.thickness, ends=1)
        ink.done()


class _Frame:
    """Where the next flowable goes on the current page (platypus' Frame, its padding and its space rules)."""

    def __init__(self, x1: float, y1: float, width: float, height: float):
        self.x, self.top, self.bottom = x1 + PAD, y1 + height - PAD, y1 + PAD
        self.avail_width = width - 2 * PAD
        self.reset()

    def reset(self) -> None:
        self.y, self.at_top, self.after = self.top, True, 0.0

    def space(self, f) -> float:
        return 0 if self.at_top else max(f.getSpaceBefore() - self.after, 0)

    def add(self, f, canv) -> bool:
        s = self.space(f)
        h = self.y - self.bottom - s
        if h <= 0:
            return False
        w, h = f.wrap(self.avail_width, h)
        y = self.y - h - s
        if y < self.bottom - FUZZ:
            return False
        f.drawOn(canv, self.x, y, _sW=self.avail_width - w)
        after = f.getSpaceAfter()
        y -= after
        self.after = after
        if y != self.y:
            self.at_top = False
        self.y = y
        return True

    def split(self, f) -> list:
        h = self.y - self.bottom - self.space(f)
        if h <= 0:
            return []
        if isinstance(f, KeepTogether):
            return self._keep(f, h)
        return f.split(self.avail_width, h)

    def _keep(self, f: KeepTogether, h: float) -> list:
        """The content itself, after a page break when it does not fit here (and this page is not fresh)."""
        total, first = f.heights(self.avail_width)
        if total > h and not self.at_top or first > h and total <= h:
            return [_FrameBreak(), *f.content]
        return list(f.content)


def build(buf, story: list, pagesize, frame: tuple[float, float, float, float], canvasmaker=pdfcanvas.Canvas,
          **info) -> None:
    """`story` onto pages of `pagesize` through one frame (x, y, width, height), as platypus' BaseDocTemplate
    with `invariant=1` builds it; `info`: title, author, subject, creator."""
    canv = canvasmaker(buf, pagesize=pagesize, invariant=1)
    canv.setEncrypt(None)
    canv._cropMarks = None
    canv.setAuthor(info.get("author"))
    canv.setTitle(info.get("title"))
    canv.setSubject(info.get("subject"))
    canv.setCreator(info.get("creator"))
    canv.setProducer(None)
    canv.setKeywords([])
    place = _Frame(*frame)
    pending, started, postponed = list(story), False, set()
    while pending:
        f = pending.pop(0)
        if not started:
            place.reset()
            started = True
        if isinstance(f, (PageBreak, _FrameBreak)):
            _end_page(canv)
            started = False
        elif place.add(f, canv):
            continue
        elif parts := place.split(f):
            if isinstance(parts[0], _FrameBreak):
                pending[0:0] = parts
            elif not place.add(parts[0], canv):
                raise LayoutError(f"{parts[0].identity()} does not fit after splitting")
            else:
                pending[0:0] = parts[1:]
        elif f in postponed:
            raise LayoutError(f"{f.identity()} is too large for a page")
        else:
            postponed.add(f)  # held, so no later flowable can share its id
            pending.insert(0, f)
            _end_page(canv)
            started = False
    if started:
        _end_page(canv)
    canv.save()


def _end_page(canv) -> None:
    canv.setPageRotation(0)
    canv.showPage()
