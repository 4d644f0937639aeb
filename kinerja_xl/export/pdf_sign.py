"""The signature page: the block in the right half (place and date, jabatan with Plh./Plt., room to sign, the
name bold and underlined, NIP) and, on the left, a QR code holding the log head as `check --anchor` takes it,
with the validated data digest beside it.

The room to sign is a `SignatureRoom`: drawing it records where it landed (page and box), so the PAdES
signature fields (`pdf_pades`) are placed exactly over it."""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from functools import lru_cache
from itertools import groupby

import reportlab
from reportlab.lib import colors

from kinerja_xl.domain import audit
from kinerja_xl.domain import names as N
from kinerja_xl.domain.inputs import blank
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_ink import Ink
from kinerja_xl.export.pdf_layout import Flowable, KeepTogether, Spacer, Text
from kinerja_xl.export.pdf_tables import clip_lines
from kinerja_xl.export.texts import date_text

QR_SIZE = 96
QUIET = 4  # modules of white around the code, as the QR standard asks
ROOM = 58  # points left between the jabatan and the name: the signature (and its PAdES stamp) goes there
LINE_MAX = 60  # points: the tallest one line of the block may grow (a typed place of 30,000 characters is cut)


class SignatureRoom(Flowable):
    """Empty room to sign that remembers where ReportLab put it (`place`: page index from 0, x, y, width, height
    in PDF points), for the signature fields laid over it afterwards."""

    def __init__(self, height: float = ROOM):
        self.height = height
        self.place: tuple[int, float, float, float, float] | None = None

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.place = (self.canv.getPageNumber() - 1, x, y, self.width, self.height)


def anchor_text(entries: list[audit.LogEntry]) -> str:
    """`N:HASH`, exactly what `kinerja-xl check BUKU --anchor` accepts."""
    rows, head = audit.head(entries)
    return f"{rows}:{head}"


def signature_page(period, avail: float, room: SignatureRoom | None = None) -> KeepTogether:
    """`room`: where the validated block leaves room to sign (read its `place` after the build); a draft has none."""
    half = avail / 2
    table = SignatureTable(_qr(period, half), _block(period, room or SignatureRoom(), half - 12), half)
    return KeepTogether([Spacer(1, 12), table])


class SignatureTable(Flowable):
    """The QR cell and the signature block side by side, each `half` wide, top aligned, where a ReportLab Table of
    those two cells (padding 6 across, 3 above and below; the block's cell centred) put them."""

    hAlign = "CENTER"

    def __init__(self, left: list, right: list, half: float):
        self.cells, self.half = (left, right), half
        self.width = 2 * half

    def _sizes(self, cell: list) -> list[tuple[float, float]]:
        return [f.wrapOn(getattr(self, "canv", None), self.half - 12, 72000 - 6) for f in cell]

    def wrap(self, avail_width, avail_height):
        self.height = max(sum(h for _, h in self._sizes(cell)) for cell in self.cells) + 6
        return self.width, self.height

    def draw(self) -> None:
        for column, cell in enumerate(self.cells):
            y = self.height - 3
            for f, (w, h) in zip(cell, self._sizes(cell)):
                x = 6 if column == 0 else self.half + (self.half - w) / 2
                y -= h
                f.drawOn(self.canv, x, y)


def _block(period, room: SignatureRoom, width: float) -> list:
    """`width`: the cell's room for text; no line may make the block taller than a page (it is kept together)."""
    def line(text, bold: bool = False) -> Text:
        return Text.of_lines(clip_lines(text, 10, width, LINE_MAX, bold=bold), width, 10, bold, S.CENTER)

    lines = [r[0] for r in period.blocks[N.SIGNATURE].values]
    validated = next((e for e in reversed(period.entries) if e.action_id == "validate"), None)
    if validated is None or blank(lines[2] if len(lines) > 2 else None):
        role = period.d.role(period.d.signing_step.role).label
        return [line(role), Spacer(1, 50), Text("(belum ditandatangani — DRAFT)", 10, align=S.CENTER)]
    place_date, title, name, nip = (str(v or "") for v in lines[:4])
    day = dt.datetime.fromisoformat(validated.time).astimezone(period.d.tz).date()
    place = place_date.rsplit(", ", 1)[0] if ", " in place_date else ""
    dated = f"{place}, {date_text(day)}" if place else date_text(day)
    signer = Text(name, 10, bold=True, align=S.CENTER, underline=True)
    if signer.wrap(width, 1e9)[1] > LINE_MAX:  # a name too long for the block: cut like any other line
        signer = line(name, bold=True)
    return [line(dated), line(title), room, signer, line(nip)]


def _qr(period, half: float) -> list:
    text = anchor_text(period.entries)
    digest = period.entries[-1].digest if period.entries else ""
    return [QrCode(text), Text(f"Kepala log (anchor): {text}", 6.5),
            Text(f"Digest data tervalidasi (log baris {len(period.entries) + 1}): {digest or '-'}", 6.5),
            Text("Pemeriksaan: kinerja-xl check BUKU_KERJA --anchor <isi kode QR>", 6.5)]


@lru_cache(maxsize=1)
def _qrencoder():
    """ReportLab's QR encoder, a module of its own (re and itertools only), loaded without its package, whose
    `__init__` imports every barcode widget and with them platypus (some 60 ms a process)."""
    name = "reportlab.graphics.barcode.qrencoder"
    if name in sys.modules:
        return sys.modules[name]
    path = os.path.join(os.path.dirname(reportlab.__file__), "graphics", "barcode", "qrencoder.py")
    spec = importlib.util.spec_from_file_location("kinerja_xl.export._qrencoder", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class QrCode(Flowable):
    """`text` as a QR code (error correction M) QR_SIZE points square with its four-module quiet zone, as
    ReportLab's QrCodeWidget draws it; the code is computed once and its dark runs written straight to the page."""

    def __init__(self, text: str, size: float = QR_SIZE):
        qrencoder = _qrencoder()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(text)
        code.make()
        self.modules = [[bool(m) for m in row] for row in code.modules]
        self.width = self.height = size
        self.hAlign = "LEFT"

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        ink, box = Ink(self.canv), self.width / (len(self.modules) + 2 * QUIET)
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in groupby(row):
                count = len(list(run))
                if dark:
                    ink.rect((c + QUIET) * box, self.height - (r + QUIET + 1) * box, count * box, box, colors.black)
                c += count
        ink.done()
