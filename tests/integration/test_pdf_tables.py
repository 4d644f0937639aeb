"""The PDF's long tables and charts are written straight into the page content (`pdf_ink`), and an unsigned
export's empty signature fields are appended without pyHanko (`pdf_fields`): read back by independent readers
(pdfplumber, poppler, pyHanko), they say what ReportLab's Table and pyHanko wrote."""
from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from reportlab.platypus import SimpleDocTemplate

from kinerja_xl.export.pdf import MARGIN, PAGE, numbered_pages
from kinerja_xl.export.pdf_pades import BSRE_FIELD, SIGNATURE_FIELD, FieldPlace, with_empty_fields
from kinerja_xl.export.pdf_tables import grid_table

ROWS = 400
NOTE = " ".join(f"catatan{i:05d}" for i in range(1, 2501))
HEADER = ["No", "Uraian (teks)", "Nilai"]


def table_pdf(rows: int = ROWS) -> bytes:
    """A table several pages long: special characters, a note too long for any row, right-aligned numbers."""
    body = [[i, f"Baris {i:04d} (uji) \\ – é …", i * 1.5] for i in range(1, rows + 1)]
    body[5][1] = NOTE
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, invariant=1)
    doc.build([grid_table(HEADER, body, doc.width - 12, numeric={0, 2})], canvasmaker=numbered_pages("uji", False))
    return buf.getvalue()


@pytest.fixture(scope="module")
def pages() -> list:
    with pdfplumber.open(io.BytesIO(table_pdf())) as pdf:
        return [(p.extract_text() or "", p.extract_words(), float(p.width)) for p in pdf.pages]


def test_every_row_is_printed_once_under_a_header_on_every_page(pages):
    assert len(pages) >= 5
    text = "\n".join(t for t, _, _ in pages)
    for i in range(1, ROWS + 1):
        if i != 6:
            assert text.count(f"Baris {i:04d} (uji) \\ – é …") == 1, i
    for page_text, _, _ in pages:
        assert page_text.startswith("No Uraian (teks) Nilai"), page_text[:80]


def test_an_overlong_cell_is_cut_with_the_note(pages):
    text = " ".join(" ".join(t.split()) for t, _, _ in pages)
    assert "catatan00001" in text and "catatan02500" not in text and "teks dipotong;" in text


def test_numbers_are_written_the_indonesian_way_and_right_aligned(pages):
    _, words, _ = pages[-1]
    values = [w for w in words if w["text"].endswith(",5") or w["text"] == "600"]
    assert values and "600" in {w["text"] for w in values}
    assert max(w["x1"] for w in values) - min(w["x1"] for w in values) < 0.5


def test_the_bytes_do_not_depend_on_the_process(tmp_path):
    """Glyph codes are handed out in the text's order, never a set's: two processes hashing strings differently
    write the same file."""
    script = "import hashlib, sys; from tests.integration.test_pdf_tables import table_pdf; " \
             "print(hashlib.sha256(table_pdf(60)).hexdigest())"
    root = Path(__file__).parents[2]
    digests = {subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed)).stdout for seed in ("1", "2")}
    assert len(digests) == 1 and hashlib.sha256(table_pdf(60)).hexdigest() + "\n" in digests


def _fields(data: bytes) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(data), strict=True)
    pages = [reader.root["/Pages"]["/Kids"][i].get_object() for i in range(len(reader.root["/Pages"]["/Kids"]))]
    out = {}
    for name, value, ref in enumerate_sig_fields(reader):
        field = ref.get_object()
        page = next(i for i, p in enumerate(pages) if p == field["/P"].get_object())
        out[name] = (value, page, [round(float(v), 3) for v in field["/Rect"]])
    return out


def test_empty_fields_written_without_pyhanko_read_as_pyhankos_own():
    from kinerja_xl.export.pdf_pades import _fields as pyhanko_fields, _write
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf = table_pdf(120)
    place = FieldPlace(2, 426.94488, 349.75591, 360.42520, 58)
    ours = with_empty_fields(pdf, place)
    theirs = _write(pyhanko_fields(IncrementalPdfFileWriter(io.BytesIO(pdf)), place, ours=True))
    assert ours.startswith(pdf) and _fields(ours) == _fields(theirs)
    assert set(_fields(ours)) == {SIGNATURE_FIELD, BSRE_FIELD} and all(v is None for v, _, _ in _fields(ours).values())


def test_a_pdf_not_laid_out_as_reportlab_writes_it_gets_its_fields_through_pyhanko():
    """A page that already has annotations (a link) is left to pyHanko, which merges the fields into them."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAGE, invariant=1)
    c.drawString(100, 100, "tautan")
    c.linkURL("https://example.org", (100, 100, 200, 120))
    c.showPage()
    c.save()
    data = with_empty_fields(buf.getvalue(), FieldPlace(0, 400, 300, 300, 58))
    found = _fields(data)
    assert set(found) == {SIGNATURE_FIELD, BSRE_FIELD} and b"pyHanko" in data[len(buf.getvalue()):]


def test_the_text_is_in_the_embedded_font_and_every_page_renders(tmp_path):
    from tests.readers import pdf_pages

    path = tmp_path / "tabel.pdf"
    path.write_bytes(table_pdf(120))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    vera = [line for line in fonts if "BitstreamVera" in line]
    assert len(vera) == 2 and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in vera)  # embedded, subset
    pictures = pdf_pages(path, tmp_path / "hal")
    assert len(pictures) >= 2 and all(p.stat().st_size > 1000 for p in pictures)


def test_an_export_without_the_officials_key_makes_its_pdf_without_loading_pyhanko(closed, tmp_path):
    """pyHanko (half a second to import) is for signing and checking; the unsigned export's fields need none."""
    script = ("import json, sys; from kinerja_xl.entrypoints.cli import main; "
              f"code = main(['export', {str(closed)!r}, '--out', {str(tmp_path / 'ekspor')!r}]); "
              "print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] == 'pyhanko')]))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env=dict(os.environ, KINERJA_XL_NOW="2026-10-08T09:00+08:00")).stdout
    assert json.loads(out.splitlines()[-1]) == [0, []]
    [pdf] = (tmp_path / "ekspor").rglob("*.pdf")
    assert set(_fields(pdf.read_bytes())) == {SIGNATURE_FIELD, BSRE_FIELD}
