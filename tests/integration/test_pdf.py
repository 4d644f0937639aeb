"""The PDF as an official document, read back by independent readers: poppler (text, pages as pictures),
pdfplumber (where each word sits) and zxing-cpp (the QR code). Made by `kinerja-xl demo` with no LibreOffice
on PATH, the way an office PC without it runs."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import SAMPLE_CSV
from tests.readers import pdf_pages, pdf_text

SIGNER, NIP = "ARDIANSYAH, S.AP", "NIP. 19620718 198302 1 004"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """`kinerja-xl demo` in a subprocess whose PATH holds only the virtualenv's scripts: no soffice."""
    scripts = Path(sys.executable).parent
    env = dict(os.environ, PATH=str(scripts))
    assert shutil.which("soffice", path=env["PATH"]) is None and shutil.which("libreoffice", path=env["PATH"]) is None
    out = tmp_path_factory.mktemp("tanpa_soffice") / "demo"
    r = subprocess.run([str(scripts / "kinerja-xl"), "demo", "--out", str(out)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    return out


@pytest.fixture(scope="module")
def folder(demo) -> Path:
    [found] = (demo / "ekspor").iterdir()
    return found


@pytest.fixture(scope="module")
def pdf(folder) -> Path:
    return next(folder.glob("*.pdf"))


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [" ".join(p.split()) for p in pdf_text(pdf).split("\f") if p.strip()]


def test_without_libreoffice_the_demo_makes_the_pdf_and_manifest_and_the_folder_checks_clean(demo, folder):
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert any(name.endswith(".pdf") for name in manifest["berkas"])
    scripts = Path(sys.executable).parent
    r = subprocess.run([str(scripts / "kinerja-xl"), "check", str(folder)], env=dict(os.environ, PATH=str(scripts)),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_text_has_the_kop_every_indicator_the_signer_and_the_bagan_alir(pages):
    text = " ".join(pages)
    with open(SAMPLE_CSV, encoding="utf-8-sig", newline="") as fh:
        indicators = [row["indikator_kinerja"] for row in csv.DictReader(fh)]
    assert len(indicators) == 8
    assert pages[0].startswith("SEKRETARIAT DPRD KABUPATEN BALANGAN Paringin, Kabupaten Balangan, Kalimantan Selatan")
    for expected in ["SOP MEKANISME PENGUMPULAN DATA KINERJA", "Nomor SOP: SOP – 01/SETWAN", "Triwulan IV Tahun 2026",
                     *indicators, SIGNER, NIP, "Paringin, 8 Oktober 2026", "Sekretaris DPRD Kabupaten Balangan",
                     "Lampiran I. Bagan Alir", "Mutu Baku", "Kelengkapan", "Keterangan", "Lampiran II. Log Audit",
                     "Keterangan warna capaian", "Grafik Capaian per Indikator", "Durasi per Langkah",
                     "(2 putaran)", "08-10-2026 10:05 WITA"]:
        assert expected in text, expected
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", text)  # never ISO in the document
    assert "+08:00" not in text and "WITA WITA" not in text


def test_every_page_says_halaman_n_dari_m_with_the_log_head(pages, folder):
    head = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["log"]
    for n, page in enumerate(pages, 1):
        assert f"Halaman {n} dari {len(pages)}" in page
        assert f"log {head['baris']}:{head['hash'][:16]}" in page


def test_the_bagan_alir_page_has_a_column_per_pelaksana_and_every_step(pages):
    [page] = [p for p in pages if "Lampiran I. Bagan Alir" in p]
    for expected in ("SOP PENGUMPULAN DATA KINERJA", "Pelaksana", "Sekretaris", "Kepala Bagian", "Kepala Sub",
                     "Waktu", "Output", "Bila tidak sesuai,", "dikembalikan ke", "Tidak", "Ya",
                     "Verifikasi, Validasi dan penandatanganan"):
        assert expected in page, expected


def test_the_log_appendix_has_short_hashes_and_the_csv_the_full_ones(pages, folder):
    appendix = next(i for i, p in enumerate(pages) if "Lampiran II. Log Audit" in p)
    text = " ".join(pages[appendix:])
    rows = list(csv.reader(next(folder.glob("*_log.csv")).read_text(encoding="utf-8-sig").splitlines()))
    for row in rows[1:]:
        assert row[12][:16] in text and row[12] not in text


def _header_words_outside_their_cells(page) -> tuple[int, list]:
    """Words of the indicator table's header row that do not sit wholly inside one header cell."""
    table = next(t for t in page.find_tables() if "Indikator Kinerja" in " ".join(c or "" for c in t.extract()[0]))
    cells = [c for c in table.rows[0].cells if c]
    top, bottom = min(c[1] for c in cells), max(c[3] for c in cells)
    words = [w for w in page.extract_words() if w["top"] >= top - 0.5 and w["bottom"] <= bottom + 0.5]
    outside = [w["text"] for w in words
               if not any(c[0] - 0.5 <= w["x0"] and w["x1"] <= c[2] + 0.5 and c[1] - 0.5 <= w["top"] and
                          w["bottom"] <= c[3] + 0.5 for c in cells)]
    return len(words), outside


def test_no_header_word_leaves_its_cell_and_the_header_repeats_on_the_next_page(pdf):
    with pdfplumber.open(pdf) as doc:
        indicator_pages = [p for p in doc.pages if "Sasaran Strategis" in (p.extract_text() or "")
                           and "Realisasi" in (p.extract_text() or "")]
        assert len(indicator_pages) >= 2  # the table runs over a page and its header comes again
        for page in indicator_pages:
            count, outside = _header_words_outside_their_cells(page)
            assert count >= 13 and outside == [], outside


def test_the_signature_sits_in_the_right_half_of_the_last_page_before_the_appendix(pdf):
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        appendix = next(i for i, t in enumerate(texts) if "Lampiran I. Bagan Alir" in t)
        page = doc.pages[appendix - 1]
        words = page.extract_words()
        dated = next(w for w in words if w["text"] == "Paringin,")
        block = [w for w in words if w["top"] >= dated["top"] - 1 and w["text"] in ("ARDIANSYAH,", "S.AP", "NIP.",
                                                                                    "19620718", "Paringin,", "Oktober")]
        assert len(block) == 6 and all(w["x0"] >= page.width / 2 for w in block), block
        name = next(w for w in block if w["text"] == "ARDIANSYAH,")
        underline = [r for r in page.lines + page.rects if abs(r["top"] - name["bottom"]) < 4
                     and r["x0"] <= name["x0"] + 1 and r["x1"] >= name["x1"] - 1]
        assert underline, "the signer's name is underlined"


def test_the_qr_code_carries_the_log_head_that_check_accepts_as_anchor(pdf, demo, folder, tmp_path):
    import zxingcpp
    from PIL import Image

    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
    number = next(i for i, t in enumerate(texts) if "Lampiran I. Bagan Alir" in t)  # 1-based: the page before
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(number), "-l", str(number), str(pdf),
                    str(tmp_path / "ttd")], check=True)
    [png] = tmp_path.glob("ttd*.png")
    found = zxingcpp.read_barcodes(Image.open(png))
    assert [b.format.name for b in found] == ["QRCode"]
    text = found[0].text
    head = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["log"]
    assert text == f"{head['baris']}:{head['hash']}"
    scripts = Path(sys.executable).parent
    r = subprocess.run([str(scripts / "kinerja-xl"), "check", str(demo / "Kinerja_SETWAN_demo.xlsm"), "--anchor", text],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_page_renders(pdf, tmp_path):
    pictures = pdf_pages(pdf, tmp_path / "hal")
    assert len(pictures) >= 5 and all(p.stat().st_size > 1000 for p in pictures)
