"""The recap as a PDF (A4 landscape), made with ReportLab in the export's own style (`export.pdf`): per OPD and
SOP a kop, the title "Rekapitulasi Capaian Kinerja <tahun>", the filters used, the recap table (target,
realisasi and capaian per period, the year's capaian and last year's, the band and the trend), coloured by band
with the export's legend, and the trend as a picture: one small line chart of capaian per period for each
indicator, drawn as vector graphics, with the 100 % line dashed. Every page: "Halaman n dari m".

Realisasi is cumulative, as in the xlsx (`export.recap_xlsx`); a figure taken from a later export, because the
period's own export is not archived, is marked with an asterisk.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, HRFlowable, KeepTogether, PageBreak, PageTemplate, Spacer
from reportlab.platypus import Table, TableStyle

from kinerja_xl.domain.recap import RecapRow
from kinerja_xl.domain.settings import PERIOD_LABELS
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf import MARGIN, PAGE, numbered_pages
from kinerja_xl.export.pdf_tables import band, fit_widths, key_values, legend
from kinerja_xl.export.texts import number_text

SIZE = 7                    # the table's font size
PANEL_HEIGHT = 120          # one indicator's chart, in points
LINE = S.HEADER_BG          # the capaian line
HUNDRED = colors.HexColor("#404040")
SASARAN_BG = colors.HexColor("#DDEBF7")
TREND_BASIS = {"tahun lalu": "thd. tahun lalu", "periode": "dalam tahun ini"}


@dataclass(frozen=True)
class Scale:
    """An SOP's band thresholds (its definition's merah_di_bawah / hijau_di_atas), as `pdf_tables.band` reads them."""

    red_below: float = 70
    green_above: float = 90


def recap_pdf_bytes(rows: list[RecapRow], labels: tuple[str, ...], unit: str, year: int,
                    filters: list[tuple[str, str]], scales: dict[tuple[str, str], Scale] | None = None) -> bytes:
    """`filters`: (label, text) lines under the title (the year, OPD and sasaran asked for, when printed);
    `scales`: (OPD, SOP) -> its thresholds (SOP-01's 70/90 when not given)."""
    S.fonts()
    scales, buf = scales or {}, io.BytesIO()
    title = f"Rekapitulasi Capaian Kinerja {year}"
    groups: dict[tuple[str, str], list[RecapRow]] = {}
    for r in rows:
        groups.setdefault((r.opd, r.sop), []).append(r)
    opds = sorted({opd for opd, _ in groups})
    who = opds[0] if len(opds) == 1 else f"{len(opds)} OPD" if opds else "arsip"
    doc = BaseDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN + 4 * mm, invariant=1, title=f"{title} — {who}", author=who,
                          subject="Rekapitulasi capaian kinerja per indikator", creator="kinerja-xl")
    frame = Frame(MARGIN, MARGIN + 4 * mm, PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - 4 * mm, id="isi")
    doc.addPageTemplates([PageTemplate("halaman", [frame])])
    avail = frame._width - 12
    story: list = []
    for n, ((opd, sop), group) in enumerate(groups.items()):
        scale = scales.get((opd, sop), Scale())
        story += ([PageBreak()] if n else []) + _kop(opd) + _heading(title, sop, unit, labels, filters, avail)
        story += [Spacer(1, 8), _table(group, labels, unit, year, scale, avail)]
        if any(q.source not in (None, k) for r in group for k, q in enumerate(r.quarters)):
            story.append(S.para("* realisasi diambil dari ekspor periode berikutnya (ekspor periode itu tidak ada "
                                "di arsip).", 7, space_after=0))
        story += [Spacer(1, 4), legend(scale), Spacer(1, 8)] + _charts(group, labels, unit, year, scale, avail)
    if not groups:
        story += _heading(title, "", unit, labels, filters, avail)
        story.append(S.para(f"Tidak ada indikator untuk tahun {year} dengan saringan ini.", 10, space_after=0))
    doc.build(story, canvasmaker=numbered_pages(f"{title} · {who}", draft=False))
    return buf.getvalue()


def _kop(opd: str) -> list:
    return [S.para(opd.upper(), 15, bold=True, align=S.CENTER),
            HRFlowable(width="100%", thickness=2, spaceBefore=4, spaceAfter=1, color=colors.black),
            HRFlowable(width="100%", thickness=0.6, spaceAfter=10, color=colors.black)]


def _heading(title: str, sop: str, unit: str, labels, filters, avail: float) -> list:
    periods = f"{PERIOD_LABELS.get(unit, unit.capitalize())} {labels[0]}–{labels[-1]}" if labels else ""
    sub = " · ".join(t for t in (sop, periods) if t)
    return [S.para(title, 12, bold=True, align=S.CENTER),
            S.para(sub, 10, align=S.CENTER, space_after=8),
            key_values(list(filters), avail) if filters else Spacer(1, 0)]


# ---------------------------------------------------------------- the table


def _table(rows: list[RecapRow], labels, unit: str, year: int, scale: Scale, avail: float) -> Table:
    """Two header rows (each period spans Realisasi and Capaian), a shaded row where the sasaran changes, capaian
    cells and the category coloured by band."""
    name = PERIOD_LABELS.get(unit, unit.capitalize())
    lead = ["No", "Indikator", "Satuan", "Target"]
    tail = [f"Capaian Tahun {year} (%)", f"Capaian Tahun {year - 1} (%)", "Kategori", "Tren"]
    per = [w for _ in labels for w in ("Realisasi", "Capaian (%)")]
    columns = len(lead) + len(per) + len(tail)
    body, fills, sasaran_rows = [], {}, []
    seen = None
    for r in rows:
        if r.sasaran and r.sasaran != seen:
            seen = r.sasaran
            sasaran_rows.append(len(body))
            body.append([f"Sasaran: {r.sasaran}"] + [""] * (columns - 1))
        cells = [r.key, r.indikator, r.satuan, number_text(r.target) or "–"]
        for k, q in enumerate(r.quarters):
            mark = "*" if q.source not in (None, k) else ""
            cells += [(number_text(q.realisasi) + mark) if q.realisasi is not None else "–", _percent(q.capaian)]
            if band(scale, q.capaian):
                fills[(len(body), len(lead) + 2 * k + 1)] = S.BANDS[band(scale, q.capaian)]
        cells += [_percent(r.result), _percent(r.last_year), (r.band or "–").capitalize(),
                  r.trend or "–"]
        at = len(lead) + len(per)
        if band(scale, r.result):
            fills[(len(body), at)] = S.BANDS[band(scale, r.result)]
        if band(scale, r.last_year):
            fills[(len(body), at + 1)] = S.BANDS[band(scale, r.last_year)]
        if r.band:
            fills[(len(body), at + 2)] = S.BANDS[r.band]
        body.append(cells + [r])   # the row itself rides along for the indikator and tren paragraphs
    texts = [[c for c in b[:columns]] if i not in sasaran_rows else [""] * columns for i, b in enumerate(body)]
    widths = fit_widths(lead + per + tail, texts, avail, SIZE)
    head = lambda t: S.para(t, SIZE, bold=True, align=S.CENTER, colour=colors.white)  # noqa: E731
    top = [head(t) for t in lead] + [x for p in labels for x in (head(f"{name} {p}"), "")] + [head(t) for t in tail]
    second = [""] * len(lead) + [head(t) for t in per] + [""] * len(tail)
    numeric = set(range(3, len(lead) + len(per) + 2))
    data = [top, second]
    for i, b in enumerate(body):
        if i in sasaran_rows:
            data.append([S.para(b[0], SIZE, bold=True)] + [""] * (columns - 1))
            continue
        r = b[-1]
        cells = [S.para(t, SIZE, align=2 if c in numeric else 0) for c, t in enumerate(b[:columns])]
        cells[1] = S.markup(f"{escape(r.indikator)}<br/><font size={SIZE - 1} color='#595959'>arah {escape(r.arah)}"
                            "</font>", SIZE)
        if r.trend:
            cells[-1] = S.markup(f"{escape(r.trend)}<br/><font size={SIZE - 1} color='#595959'>"
                                 f"{escape(TREND_BASIS.get(r.trend_basis, r.trend_basis or ''))}</font>", SIZE)
        data.append(cells)
    table = Table(data, colWidths=widths, repeatRows=2)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, S.GRID), ("BACKGROUND", (0, 0), (-1, 1), S.HEADER_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"), ("VALIGN", (0, 0), (-1, 1), "MIDDLE")]
    commands += [(side, (0, 0), (-1, -1), S.PAD) for side in ("LEFTPADDING", "RIGHTPADDING")]
    commands += [("SPAN", (c, 0), (c, 1)) for c in list(range(len(lead))) + list(range(columns - len(tail), columns))]
    commands += [("SPAN", (len(lead) + 2 * k, 0), (len(lead) + 2 * k + 1, 0)) for k in range(len(labels))]
    for i in sasaran_rows:
        commands += [("SPAN", (0, i + 2), (-1, i + 2)), ("BACKGROUND", (0, i + 2), (-1, i + 2), SASARAN_BG)]
    commands += [("BACKGROUND", (c, r + 2), (c, r + 2), fill) for (r, c), fill in fills.items()]
    table.setStyle(TableStyle(commands))
    return table


def _percent(value: Decimal | None) -> str:
    """Capaian with two decimals, Indonesian: `1.234,50`; none: a dash."""
    if value is None:
        return "–"
    return f"{Decimal(value):,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


# ---------------------------------------------------------------- the trend picture


def _charts(rows: list[RecapRow], labels, unit: str, year: int, scale: Scale, avail: float) -> list:
    """Small multiples: one line chart per indicator, four (or three) to a row; each row one drawing, so a page
    breaks between rows, never inside a chart."""
    name = PERIOD_LABELS.get(unit, unit.capitalize())
    title = S.para(f"Grafik Tren Capaian per {name} ({year})", 10, bold=True, space_after=2)
    note = S.para(f"Garis: capaian (%) tiap {name.lower()} (realisasi kumulatif); titik diwarnai menurut kategori; "
                  "garis putus-putus: 100 %.", 7.5, space_after=4)
    per_row = 4 if avail >= 700 else 3
    out: list = []
    for start in range(0, len(rows), per_row):
        drawing = Drawing(avail, PANEL_HEIGHT)
        for i, r in enumerate(rows[start:start + per_row]):
            _panel(drawing, r, labels, scale, i * avail / per_row, avail / per_row - 6)
        out.append(drawing)
        out.append(Spacer(1, 6))
    return [KeepTogether([title, note, *out[:1]]), *out[1:]] if out else []


def _panel(drawing: Drawing, r: RecapRow, labels, scale: Scale, x0: float, width: float) -> None:
    drawing.add(Rect(x0, 0, width, PANEL_HEIGHT, strokeColor=S.GRID, strokeWidth=0.3, fillColor=None))
    lines = _wrap(f"{r.key}. {r.indikator}", width - 8, 7, 2)
    for n, text in enumerate(lines):
        drawing.add(String(x0 + 4, PANEL_HEIGHT - 10 - 8.5 * n, text, fontName=S.BOLD, fontSize=7))
    points = [(k + 1, float(q.capaian)) for k, q in enumerate(r.quarters) if q.capaian is not None]
    px, py, pw, ph = x0 + 26, 18, width - 26 - 24, PANEL_HEIGHT - 18 - 30
    if not points:
        drawing.add(String(x0 + width / 2, py + ph / 2, "belum ada capaian", fontName=S.ITALIC, fontSize=7,
                           textAnchor="middle", fillColor=HUNDRED))
        return
    top = max(120, math.ceil(max(v for _, v in points) * 1.1 / 20) * 20)
    step = 20 if top <= 140 else 50 if top <= 300 else math.ceil(top / 6 / 50) * 50
    top = math.ceil(top / step) * step
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = px, py, pw, ph
    plot.data = [points]
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = LINE, 1.4
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax, x_axis.valueSteps = 0.5, len(labels) + 0.5, list(range(1, len(labels) + 1))
    x_axis.labelTextFormat = lambda v: labels[int(round(v)) - 1] if 1 <= round(v) <= len(labels) else ""
    y_axis.valueMin, y_axis.valueMax, y_axis.valueStep = 0, top, step
    y_axis.labelTextFormat = "%d"
    y_axis.visibleGrid, y_axis.gridStrokeColor, y_axis.gridStrokeWidth = 1, colors.HexColor("#E0E0E0"), 0.3
    for axis in (x_axis, y_axis):
        axis.labels.fontName, axis.labels.fontSize = S.FONT, 6.5
        axis.strokeColor, axis.strokeWidth = S.GRID, 0.5
    drawing.add(plot)
    drawing.add(String(px - 4, py + ph + 4, "%", fontName=S.FONT, fontSize=6.5, textAnchor="end"))
    y100 = py + ph * 100 / top
    drawing.add(Line(px, y100, px + pw, y100, strokeColor=HUNDRED, strokeWidth=0.8, strokeDashArray=[3, 2]))
    drawing.add(String(px + pw + 2, y100 - 2, "100 %", fontName=S.FONT, fontSize=6, fillColor=HUNDRED))
    for k, value in points:
        x, y = px + pw * (k - 0.5) / len(labels), py + ph * value / top
        colour = S.BAR_BANDS.get(band(scale, value), LINE)
        drawing.add(Circle(x, y, 2.6, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
        drawing.add(String(x, y - 9 if abs(y + 4 - y100) < 7 else y + 4, number_text(round(value, 2)),
                           fontName=S.FONT, fontSize=6, textAnchor="middle"))


def _wrap(text: str, width: float, size: float, most: int) -> list[str]:
    """At most `most` lines of `text` within `width`; the last one cut with an ellipsis when it does not fit."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if S.width(trial, size, True) <= width or not line:
            line = trial
            continue
        lines.append(line)
        line = word
    lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] += "…"
    while S.width(lines[-1], size, True) > width and len(lines[-1]) > 2:
        lines[-1] = lines[-1][:-2].rstrip() + "…"
    return lines
