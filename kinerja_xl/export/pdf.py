"""The validated result as an official document (PDF, A4 landscape), made in Python with ReportLab from the
period itself: no office suite, the same bytes on Windows and Linux for the same data.

Kop and title, the SOP number and period; each step's data (indicator tables coloured by capaian band, with a
legend and a chart); each step's record (who, when, notes, how long, on time or late); the signature with a QR
code of the log head; then Lampiran I, the Bagan Alir, and Lampiran II, the Log with short hashes and the
registered signing keys' fingerprints. Every page: "Halaman n dari m" and the log head it belongs to.

Laid out by `pdf_layout` (platypus' page rules without importing platypus) and drawn straight into the pages
(`pdf_ink`): the pages are the ones platypus made, at a fraction of the time.
"""
from __future__ import annotations

import datetime as dt
import gc
import io
import zlib

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas

from kinerja_xl.domain import audit
from kinerja_xl.domain.inputs import filled_rows
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_chart import capaian_charts
from kinerja_xl.export.pdf_flow import BaganAlir
from kinerja_xl.export.pdf_ink import Ink
from kinerja_xl.export.pdf_layout import KeepTogether, PageBreak, Rule, Spacer, Text, build
from kinerja_xl.export.pdf_pades import FieldPlace
from kinerja_xl.export.pdf_records import keys_table, log_table, records_table
from kinerja_xl.export.pdf_sign import SignatureRoom, signature_page
from kinerja_xl.export.pdf_tables import data_table, key_values, legend
from kinerja_xl.export.series import indicator_points
from kinerja_xl.export.texts import period_text, short, time_text

PAGE = landscape(A4)
MARGIN = 15 * mm
FOOTER = S.colors.HexColor("#404040")


def pdf_bytes(period, now: dt.datetime, draft: bool) -> bytes:
    return pdf_document(period, now, draft)[0]


def pdf_document(period, now: dt.datetime, draft: bool) -> tuple[bytes, FieldPlace | None]:
    """The PDF, and where its signature block left room to sign (None: a draft, or not validated yet).

    Without the cyclic garbage collector while it is made: the document allocates hundreds of thousands of small
    objects, which would set off a full collection over everything the process holds (the workbook's cells)
    for garbage it does not make; collection resumes as soon as the PDF is there."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _document(period, now, draft)
    finally:
        if collecting:
            gc.enable()


def _document(period, now: dt.datetime, draft: bool) -> tuple[bytes, FieldPlace | None]:
    S.fonts(italic=False)
    d, buf = period.d, io.BytesIO()
    rows, head = audit.head(period.entries)
    footer = ("DRAFT · " if draft else "") + f"{d.header.number} · {period_text(d, period.settings)} · log {rows}:{short(head)}"
    frame = (MARGIN, MARGIN + 4 * mm, PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - 4 * mm)
    avail = frame[2] - 12  # the frame's padding, 6 points each side
    story = _front(period, now, draft, avail) + _steps(period, avail)
    room = SignatureRoom()
    story += [Spacer(1, 10), Text("Pelaksanaan dan Durasi per Langkah", 11, bold=True, space_after=4),
              records_table(period, avail), signature_page(period, avail, room), PageBreak()]
    story += [Text("Lampiran I. Bagan Alir", 11, bold=True), Text(d.header.chart_title, 10, bold=True,
              align=S.CENTER, space_after=6), BaganAlir(d, avail), PageBreak()]
    story += [Text("Lampiran II. Log Audit", 11, bold=True),
              Text("Hash disingkat menjadi 16 huruf pertama; hash lengkap ada di berkas log CSV.", 8, space_after=4),
              log_table(d, period.entries, avail), *keys_table(period, avail)]
    build(buf, story, PAGE, frame, numbered_pages(footer, draft), title=_title(period, draft), author=d.header.unit,
          subject=d.header.name, creator="kinerja-xl")
    return buf.getvalue(), None if draft or room.place is None else FieldPlace(*room.place)


def _title(period, draft: bool) -> str:
    return ("DRAFT — " if draft else "") + f"{period.d.header.name} {period_text(period.d, period.settings)}"


def _front(period, now: dt.datetime, draft: bool, avail: float) -> list:
    d, h = period.d, period.d.header
    address = [Text(period.settings.address, 9, align=S.CENTER)] if period.settings.address else []
    kop = [Text(h.unit.upper(), 15, bold=True, align=S.CENTER), *address,
           Rule(2, S.colors.black, space_before=4, space_after=1), Rule(0.6, S.colors.black, space_after=10)]
    title = [Text(("DRAFT — " if draft else "") + h.name.upper(), 12, bold=True, align=S.CENTER),
             Text(f"Nomor SOP: {h.number}", 10, align=S.CENTER),
             Text(period_text(d, period.settings), 10, align=S.CENTER, space_after=10)]
    identity = key_values([("Satuan Kerja", h.unit), ("Nomor SOP", h.number), ("Nama SOP", h.name),
                           ("Periode", period_text(d, period.settings)), ("Tanggal Efektif SOP", h.effective),
                           ("Disahkan Oleh", h.approved_by), ("Dicetak", time_text(d, now))], avail)
    return kop + title + [identity]


def _steps(period, avail: float) -> list:
    d, out = period.d, []
    charts = {t.name: points for t, points in indicator_points(d, period.blocks)}
    for step in d.steps:
        if not step.fields and not step.tables:
            continue
        out += [Spacer(1, 8), Text(f"Langkah {step.no}: {step.activity}", 10, bold=True, space_after=3)]
        if step.fields:
            out.append(key_values([(f.label, period.blocks[f.name].value()) for f in step.fields], avail))
        for table in step.tables:
            out += _table(period, table, avail, charts.get(table.name))
    return out


def _table(period, table, avail: float, points) -> list:
    d, block = period.d, period.blocks[table.name]
    rows = [list(block.values[r]) for r in filled_rows(d, table, block)]
    if table.totals:
        rows.append(list(period.blocks[table.total_name].values[0]))
    out = [Spacer(1, 4), Text(table.label, 9, bold=True, space_after=2), data_table(d, d.columns_of(table), rows, avail)]
    if table.kind == "indikator":
        out += [Spacer(1, 3), legend(d)]
        if points:
            title = Text(f"Grafik Capaian per Indikator ({period_text(d, period.settings)})", 9, bold=True,
                         space_after=2)
            first, *more = capaian_charts(d, points, avail)
            out += [Spacer(1, 6), KeepTogether([title, first]), *[item for chart in more for item in (Spacer(1, 6), chart)]]
    return out


class _FastDeflate(pdfdoc.PDFStreamFilterZCompress):
    """Flate at zlib's fastest level: the same page content for every reader, deflated in half the time of
    ReportLab's default level (about 10 % bigger), the same bytes for the same content."""

    def encode(self, text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


_FAST_DEFLATE = _FastDeflate()


def numbered_pages(footer: str, draft: bool):
    """Two passes over the pages: "Halaman n dari m" needs m."""
    class Numbered(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self._decorate(number, len(self._pages))
                super().showPage()
            a85, rl_config.useA85 = rl_config.useA85, 0  # page streams deflated only: ASCII85 is slow and bigger
            deflate, pdfdoc.PDFZCompress = pdfdoc.PDFZCompress, _FAST_DEFLATE
            try:
                super().save()
            finally:
                rl_config.useA85, pdfdoc.PDFZCompress = a85, deflate

        def _decorate(self, number: int, total: int) -> None:
            width, page = self._pagesize[0], f"Halaman {number} dari {total}"
            ink = Ink(self)
            ink.text(MARGIN, 8 * mm, footer, S.FONT, 7, FOOTER)
            ink.text(width - MARGIN - S.width(page, 7), 8 * mm, page, S.FONT, 7, FOOTER)
            ink.done()
            if draft:
                self.saveState()
                self.setFont(S.BOLD, 90)
                self.setFillColor(S.colors.Color(0.8, 0.1, 0.1, alpha=0.18))
                self.translate(width / 2, self._pagesize[1] / 2)
                self.rotate(30)
                self.drawCentredString(0, -30, "DRAFT")
                self.restoreState()
    return Numbered
