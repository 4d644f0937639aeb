"""The official PDF is laid out without platypus (`pdf_layout`, `pdf_tables.KeyValues`/`Legend`), which costs a
process some 50 ms to import: the same story laid out by platypus (Paragraph, Table, KeepTogether, PageBreak) and by
`pdf_layout` must break its pages in the same places and put every character at the same place."""
from __future__ import annotations

import io
import random

import pdfplumber
import pytest
from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from kinerja_xl.export import pdf_layout as L
from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf import MARGIN, PAGE, numbered_pages
from kinerja_xl.export.pdf_tables import CELL_MAX, HEAD_MAX, clipped, key_values

WORDS = ["Meningkatnya", "akuntabilitas", "kinerja", "dan", "DPRD", "a", "(b)", "–", "é", "100", "97,78", "x" * 40,
         "catatan00001catatan00002catatan00003", "nilai\xa0tetap", "ÆØÅ"]
FRAME = (MARGIN, MARGIN, PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN)


def _items(seed: int) -> list[tuple]:
    rnd = random.Random(seed)
    out = []
    for _ in range(90):
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.choice([1, 3, 8, 20, 60, 150])))
        if rnd.random() < 0.2:
            text = text.replace(" dan ", "\ndan ", 1)
        out.append((text, rnd.choice([6.5, 7.5, 8.5, 10, 12, 15]), rnd.random() < 0.3, rnd.choice([S.LEFT, S.CENTER]),
                    rnd.choice([0, 0, 2, 10]), rnd.choice([0, 0, 5, 12])))
    return out


def _story(items, platypus: bool) -> list:
    out = []
    for k, (text, size, bold, align, after, gap) in enumerate(items):
        if gap:
            out.append(Spacer(1, gap) if platypus else L.Spacer(1, gap))
        para = (S.para(text, size, bold, align, space_after=after) if platypus
                else L.Text(text, size, bold, align, space_after=after))
        if k % 23 == 5:
            out.append(KeepTogether([para, Spacer(1, 30)]) if platypus else L.KeepTogether([para, L.Spacer(1, 30)]))
        else:
            out.append(para)
        if k % 41 == 40:
            out.append(PageBreak() if platypus else L.PageBreak())
    return out


def _platypus(story) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, invariant=1)
    doc.build(story, canvasmaker=numbered_pages("uji", False))
    return buf.getvalue()


def _ours(story) -> bytes:
    buf = io.BytesIO()
    L.build(buf, story, PAGE, FRAME, numbered_pages("uji", False))
    return buf.getvalue()


def _chars(data: bytes) -> list[list[tuple]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [[(c["text"], c["x0"], c["top"], c["fontname"], c["size"]) for c in page.chars] for page in pdf.pages]


def _same_places(a: bytes, b: bytes) -> None:
    pages_a, pages_b = _chars(a), _chars(b)
    assert len(pages_a) == len(pages_b)
    for n, (one, two) in enumerate(zip(pages_a, pages_b), 1):
        assert [c[0] for c in one] == [c[0] for c in two], f"page {n}"
        for x, y in zip(one, two):
            assert x[3:] == y[3:] and abs(x[1] - y[1]) < 1e-3 and abs(x[2] - y[2]) < 1e-3, (n, x, y)


@pytest.mark.parametrize("seed", [1, 9, 24])
def test_text_breaks_and_splits_across_pages_as_platypus_paragraphs_do(seed):
    """Left and centred, bold, line breaks (a split just before one starts the rest with an empty line, as a
    Paragraph's does), lines squeezed into their room, KeepTogether, PageBreak, space after."""
    items = _items(seed)
    _same_places(_platypus(_story(items, True)), _ours(_story(items, False)))


def test_key_values_and_cut_cells_stand_where_a_reportlab_table_put_them():
    pairs = [(f"Label {i}" + (" panjang" * 12 if i == 3 else ""), ("nilai panjang " * (i * 9)) + "ÆØÅ é")
             for i in range(14)] + [("Catatan", " ".join(f"catatan{i:05d}" for i in range(1, 2501)))]
    avail = FRAME[2] - 12
    ours = key_values(pairs, avail)
    label_w = ours.label_w
    rows = [[clipped(k, 8.5, label_w - 2 * S.PAD, HEAD_MAX, bold=True, note=" …"),
             clipped(str(v), 8.5, avail - label_w - 2 * S.PAD, CELL_MAX)] for k, v in pairs]
    table = Table(rows, colWidths=[label_w, avail - label_w], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), S.PAD),
                               ("RIGHTPADDING", (0, 0), (-1, -1), S.PAD)]))
    _same_places(_platypus([table]), _ours([ours]))


def test_the_document_does_not_import_platypus():
    import subprocess
    import sys

    probe = ("import sys, json; import kinerja_xl.export.pdf, kinerja_xl.export.pdf_sign; "
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith('reportlab.platypus') "
             "or m.startswith('reportlab.graphics'))))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
