"""`kinerja-xl rekap --pdf`: the recap as a PDF (A4 landscape) with its kop, title and filters, the table with the
capaian per triwulan worked out here from the fixture's realisasi, the trend drawn as vector lines whose heights
follow those capaian, the 100 % line dashed at the height of 100, "Halaman n dari m" on every page, one kop per
OPD for a regency, and a folder given as the PDF refused (exit 4) with nothing written."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pdfplumber
import pytest

from tests.archive import generator as gen
from tests.archive.conftest import INDICATORS, LAST_YEAR_TW4

LINE_COLOUR = (0.121569, 0.305882, 0.470588)  # the capaian line: the workbook's header blue, #1F4E78
OPD = "Sekretariat DPRD Kabupaten Balangan"


def capaian(realisasi: str, target: str, arah: str) -> Decimal:
    """SOP-01's rule, as tests/archive/test_archive.py spells it out: naik R/T x 100, turun (2 - R/T) x 100
    floored at 0; two decimals."""
    ratio = Decimal(realisasi) / Decimal(target)
    value = ratio * 100 if arah == "naik" else max(Decimal(0), (2 - ratio) * 100)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def text2(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def expected() -> dict[str, dict]:
    """Per indicator number: its name, the capaian per triwulan of 2026, and last year's (TW IV 2025)."""
    out = {}
    for no, _sasaran, name, _unit, arah, target, real in INDICATORS:
        out[no] = {"name": name, "capaian": [capaian(r, target, arah) for r in real],
                   "last": capaian(LAST_YEAR_TW4[no], target, arah)}
    return out


def pages(path: Path) -> list:
    with pdfplumber.open(path) as pdf:
        return [{"text": p.extract_text() or "", "width": p.width, "height": p.height, "curves": p.curves,
                 "lines": p.lines, "words": p.extract_words()} for p in pdf.pages]


@pytest.fixture
def archived(cli, exports_copy, archive_spec):
    """The five real exports (TW I-IV 2026, TW IV 2025) in an archive on SQLite and on PostgreSQL."""
    folder = next(iter(exports_copy.values())).parent
    r = cli("arsip", folder, "--arsip", archive_spec)
    assert r.code == 0, r.err
    return archive_spec


def test_the_pdf_has_the_kop_title_filters_and_the_capaian_of_each_triwulan(cli, archived, tmp_path):
    out = tmp_path / "rekap_2026.pdf"
    r = cli("rekap", "--arsip", archived, "--tahun", 2026, "--pdf", out)
    assert r.code == 0, r.err
    assert f"Rekap PDF ditulis ke {out}" in r.out
    assert out.read_bytes().startswith(b"%PDF-")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    doc = pages(out)
    assert all(p["width"] > p["height"] for p in doc)                       # A4 landscape
    assert (round(doc[0]["width"]), round(doc[0]["height"])) == (842, 595)
    first, everything = doc[0]["text"], "\n".join(p["text"] for p in doc)
    assert first.startswith(OPD.upper())                                   # the kop
    assert "Rekapitulasi Capaian Kinerja 2026" in first
    assert "Tahun 2026" in first and "OPD semua OPD" in first and "Sasaran semua sasaran" in first
    assert "Dicetak 05-10-2026 10:00 WITA" in first
    for n, page in enumerate(doc, 1):
        assert f"Halaman {n} dari {len(doc)}" in page["text"]
    lines = first.splitlines()
    for no, want in expected().items():
        # the chart's title names the indicator whole; the table wraps it, so its first word starts the row
        assert f"{no}. {want['name']}" in everything
        row = next(line for line in lines if line.startswith(f"{no} {want['name'].split()[0]} "))
        shown = re.findall(r"\d+(?:\.\d{3})*,\d{2}", row)
        # per triwulan, then the year's capaian (the last triwulan's) and last year's
        assert shown == [text2(c) for c in want["capaian"]] + [text2(want["capaian"][-1]), text2(want["last"])]
    # the worked values of the issue: naik 95 %, turun 4 days on 3 = 66,67 %, 2,4 days = 120 %; a kuning year
    assert "95,00" in first and "66,67" in first and "120,00" in first
    assert re.search(r"^3 Indeks .* 80,00 87,50 Kuning memburuk$", first, re.M)
    assert re.search(r"^1 Persentase .* 95,00 90,00 Hijau membaik$", first, re.M)
    assert "Keterangan warna capaian:" in first and "Merah: capaian di bawah 70 %" in first


def test_the_trend_is_drawn_as_vector_lines_with_the_100_percent_line_dashed(cli, archived, tmp_path):
    out = tmp_path / "rekap.pdf"
    assert cli("rekap", "--arsip", archived, "--pdf", out).code == 0
    doc = pages(out)
    page = next(p for p in doc if "Grafik Tren Capaian per Triwulan (2026)" in p["text"])
    heading = next(w for w in page["words"] if w["text"] == "Grafik")
    # one polyline per indicator (four points, I-IV), in the chart area below the heading, left to right
    polylines = sorted((c for c in page["curves"] if len(c["pts"]) == 4 and c["top"] > heading["bottom"]
                        and tuple(round(v, 6) for v in c["stroking_color"] or ()) == LINE_COLOUR),
                       key=lambda c: c["x0"])
    dashed = sorted((ln for ln in page["lines"] if ln.get("dash") and ln["dash"][0] and ln["top"] > heading["bottom"]),
                    key=lambda ln: ln["x0"])
    assert len(polylines) == 3 and len(dashed) == 3
    for (no, want), line, hundred in zip(expected().items(), polylines, dashed):
        values = [float(c) for c in want["capaian"]]
        tops = [top for _x, top in line["pts"]]
        xs = [x for x, _top in line["pts"]]
        assert xs == sorted(xs) and len(set(xs)) == 4, no
        # heights are proportional to capaian: one scale (points per percent) fits every point
        scale = (tops[0] - tops[-1]) / (values[-1] - values[0])
        for top, value in zip(tops, values):
            assert tops[0] - top == pytest.approx(scale * (value - values[0]), abs=0.05), no
        # the dashed line is horizontal, spans the points, and sits at 100 % on the same scale
        assert hundred["top"] == pytest.approx(hundred["bottom"], abs=0.01)
        assert hundred["x0"] < min(xs) and hundred["x1"] > max(xs)
        assert tops[0] - hundred["top"] == pytest.approx(scale * (100 - values[0]), abs=0.05), no
        assert hundred["dash"][0] == [3, 2]
    assert "100 %" in page["text"]


def test_a_folder_as_the_pdf_is_exit_4_with_nothing_written(cli, exports_copy, tmp_path):
    spec = tmp_path / "arsip.sqlite"
    assert cli("arsip", next(iter(exports_copy.values())).parent, "--arsip", spec).code == 0
    folder = tmp_path / "keluaran"
    folder.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    r = cli("rekap", "--arsip", spec, "--pdf", folder)
    assert r.code == 4
    assert "Traceback" not in r.err + r.out and "adalah folder" in r.err
    assert not any(folder.iterdir()) and sorted(p.name for p in tmp_path.iterdir()) == before
    r = cli("rekap", "--arsip", spec, "--pdf", tmp_path / "tidak_ada" / "rekap.pdf")
    assert r.code == 4 and "Traceback" not in r.err + r.out and "tidak ada" in r.err
    assert not (tmp_path / "tidak_ada").exists()


def test_a_regency_recap_has_one_kop_per_opd_and_the_filters_it_was_asked_for(cli, tmp_path):
    opds = gen.regency(tmp_path / "kab", 2, [2026], periods=4, indicators=6)
    defs = [gen.write_definition(o, tmp_path / "def") for o in opds]
    spec = tmp_path / "arsip.sqlite"
    r = cli("arsip", tmp_path / "kab", "--arsip", spec, *[a for d in defs for a in ("--definisi", d)])
    assert r.code == 0, r.out + r.err
    out = tmp_path / "kabupaten.pdf"
    assert cli("rekap", "--arsip", spec, "--tahun", 2026, "--pdf", out).code == 0
    doc = pages(out)
    kops = [p["text"].splitlines()[0] for p in doc if p["text"].splitlines()[1] == "Rekapitulasi Capaian Kinerja 2026"]
    assert kops == ["DINAS CONTOH 01", "DINAS CONTOH 02"]
    for n, page in enumerate(doc, 1):
        assert f"Halaman {n} dari {len(doc)}" in page["text"] and "2 OPD" in page["text"]
    chart_pages = [p for p in doc if "Grafik Tren Capaian" in p["text"]]
    assert len(chart_pages) == 2
    assert sum(len([c for c in p["curves"] if len(c["pts"]) == 4 and c["stroking_color"]
                    and tuple(round(v, 6) for v in c["stroking_color"]) == LINE_COLOUR]) for p in doc) == 12

    one = tmp_path / "satu.pdf"
    assert cli("rekap", "--arsip", spec, "--opd", "contoh 02", "--pdf", one).code == 0
    doc = pages(one)
    text = "\n".join(p["text"] for p in doc)
    assert doc[0]["text"].startswith("DINAS CONTOH 02") and "DINAS CONTOH 01" not in text
    assert 'OPD yang namanya memuat "contoh 02"' in text


def test_no_indicator_after_the_filters_still_gives_a_pdf_that_says_so(cli, exports_copy, tmp_path):
    spec = tmp_path / "arsip.sqlite"
    assert cli("arsip", next(iter(exports_copy.values())).parent, "--arsip", spec).code == 0
    out = tmp_path / "kosong.pdf"
    assert cli("rekap", "--arsip", spec, "--sasaran", "tidak ada sasaran ini", "--pdf", out).code == 0
    text = pages(out)[0]["text"]
    assert "Rekapitulasi Capaian Kinerja 2026" in text
    assert "Tidak ada indikator untuk tahun 2026 dengan saringan ini." in text
    assert 'Sasaran yang memuat "tidak ada sasaran ini"' in text and "Halaman 1 dari 1" in text
