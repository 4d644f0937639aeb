"""An independent reader: LibreOffice headless opens the built xlsm and prints it to PDF."""
from __future__ import annotations

from kinerja_xl.builder import assemble as builder
from tests.readers import pdf_pages, pdf_text, to_pdf


def test_libreoffice_opens_the_workbook_and_prints_every_sheet(tmp_path, definition):
    book = builder.build(out=tmp_path / "Kinerja_SETWAN.xlsm")
    pdf = to_pdf(book, tmp_path)
    text = pdf_text(pdf)
    for expected in ("SOP PENGUMPULAN DATA KINERJA", "SOP Mekanisme Pengumpulan Data Kinerja",
                     "Sekretariat DPRD Kabupaten Balangan", "Status Pelaksanaan", "Capaian (%)", "Halaman 1 dari",
                     *(s.activity[:40] for s in definition.steps)):
        assert expected in " ".join(text.split()), expected
    assert len(pdf_pages(pdf, tmp_path / "page")) >= len(definition.steps) + 2


def test_libreoffice_reads_a_workbook_after_workflow_actions(tmp_path, cli, book):
    cli("set", book, "disposisi_nomor=005/SETWAN/X/2026", "disposisi_tanggal=01-10-2026",
        "disposisi_kepada=Kepala Bagian", "disposisi_isi=Segera", "--as", "ardiansyah", now="2026-10-01T09:00")
    assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    text = " ".join(pdf_text(to_pdf(book, tmp_path)).split())
    assert "005/SETWAN/X/2026" in text and "ARDIANSYAH, S.AP (Definitif)" in text
