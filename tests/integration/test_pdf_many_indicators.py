"""A full indicator table (200 rows) through validation: the automatic export's PDF lays out every indicator's
bar, one chart per page's worth, instead of one drawing taller than the page (which ReportLab cannot place)."""
from __future__ import annotations

import csv

from kinerja_xl.export.pdf_chart import BARS_PER_CHART
from tests.flow import KELENGKAPAN, to_step
from tests.readers import pdf_text

ROWS = 200


def test_two_hundred_indicators_validate_and_export_with_every_bar(cli, book, tmp_path):
    data = tmp_path / "pk_200.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["no", "sasaran_strategis", "indikator_kinerja", "satuan", "arah", "target", "realisasi_tw1",
                      "realisasi_tw2", "realisasi_tw3", "realisasi_tw4", "sumber_data"])
        for n in range(1, ROWS + 1):
            out.writerow([n, "Sasaran uji", f"Indikator uji nomor {n:03d}", "%", "naik", 100, 20, 40, 60, n % 130,
                          "Bagian Umum"])
    to_step(cli, book, 3)
    assert cli("import", book, data, "--as", "rahmah", now="2026-10-05T10:00").code == 0
    assert cli("set", book, *KELENGKAPAN, "--as", "rahmah", now="2026-10-05T10:05").code == 0
    assert cli("submit", book, "--as", "rahmah", now="2026-10-05T10:10").code == 0
    review = [f"reviu[{i}].hasil=sesuai" for i in range(1, ROWS + 1)]
    assert cli("set", book, "verifikasi_tanggal=06-10-2026", *review, "--as", "ridha", now="2026-10-06T09:00").code == 0
    assert cli("verify", book, "--as", "ridha", now="2026-10-06T09:05").code == 0
    assert cli("set", book, "validasi_tempat=Paringin", "validasi_tanggal=07-10-2026", "--as", "ardiansyah",
               now="2026-10-07T10:00").code == 0
    r = cli("validate", book, "--as", "ardiansyah", now="2026-10-07T10:05")
    assert r.code == 0 and "Hasil diekspor ke" in r.out, r.err
    pdf = next((book.parent / "ekspor").glob("*/*.pdf"))
    text = pdf_text(pdf)
    assert text.count("Grafik Capaian per Indikator") == 1
    for n in (1, BARS_PER_CHART, BARS_PER_CHART + 1, ROWS):  # the first and last bar of a chart, and the next chart's
        assert f"Indikator uji nomor {n:03d}" in text
