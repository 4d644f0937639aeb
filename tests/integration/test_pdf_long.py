"""A PDF bigger than a page in every direction: an SOP of twenty steps (`tests/data/sop_panjang.toml`, four roles,
returns inside a page and across pages) whose Bagan Alir runs over several pages, and a 30,000-character note that
no table row can hold. Both once ended the export in a ReportLab LayoutError (exit 5)."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from kinerja_xl.adapters.definition_file import load_definition
from tests.flow import STEP2, to_step
from tests.readers import pdf_text

DATA = Path(__file__).parents[1] / "data"
DEFINITION = DATA / "sop_panjang.toml"
USERS = {"staf": "dewi", "kasubbag": "agus", "kabag": "rina", "sekretaris": "sutrisno"}
HEADER_WORDS = {"No", "Kegiatan", "Pelaksana", "Mutu", "Baku", "Kelengkapan", "Waktu", "Output", "Keterangan",
                "Sekretaris", "Dinas", "Kepala", "Bagian"}


def long_note(words: int) -> str:
    """Numbered words, so a cut shows where: `catatan00001 catatan00002 …`."""
    return " ".join(f"catatan{i:05d}" for i in range(1, words + 1))


NOTE = long_note(2500)  # 2,500 × 12 characters = 30,000
assert len(NOTE) >= 29_999


@pytest.fixture(scope="module")
def folder(tmp_path_factory, module_cli) -> Path:
    """The long SOP built with its office config and taken through the CLI to validation, which exports; on the
    way step 18 returns to 17 (on the same page) and 17 answers with the long note."""
    d = load_definition(DEFINITION)
    book = tmp_path_factory.mktemp("panjang") / "Persediaan.xlsm"
    r = module_cli("build", "--definition", DEFINITION, "--config", DATA / "sop_panjang_pengaturan.toml",
                   "--out", book)
    assert r.code == 0, r.out + r.err

    actions = []

    def act(no: int, *extra):
        """Step `no`'s forward button (or `extra`: verb and options), an hour after the action before."""
        step = d.step(no)
        verb = extra[0] if extra else next(b.action for b in step.buttons if b.action != "return")
        hour = len(actions)
        actions.append(verb)
        r = module_cli(verb, book, *extra[1:], "--as", USERS[step.role],
                       now=f"2026-01-{5 + hour // 8:02d}T{9 + hour % 8:02d}:00")
        assert r.code == 0, (no, verb, r.out[-500:], r.err[-2000:])
        return r

    for no in range(1, 18):
        act(no)
    act(18, "return", "--ke", "17", "--note", "Lengkapi rekap per jenis barang")
    act(17, "submit", "--note", NOTE)
    act(18)
    r = act(19)
    assert "ekspor" in (r.out + r.err).lower(), r.out
    [found] = (book.parent / "ekspor").iterdir()
    return found


@pytest.fixture(scope="module")
def pdf(folder) -> Path:
    return next(folder.glob("*.pdf"))


@pytest.fixture(scope="module")
def bagan(pdf) -> list[dict]:
    """The Bagan Alir's pages: their words, connector letters (top to bottom) and Kegiatan column text."""
    out = []
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        first = next(i for i, t in enumerate(texts) if "Lampiran I. Bagan Alir" in t)
        stop = next(i for i, t in enumerate(texts) if "Lampiran II. Log Audit" in t)
        for page in doc.pages[first:stop]:
            verticals = sorted({round(line["x0"], 1) for line in page.lines
                                if abs(line["x0"] - line["x1"]) < 0.1 and line["height"] > 150})
            kegiatan = page.crop((verticals[1], 0, verticals[2], page.height)).extract_text() or ""
            letters = [ch for ch in page.chars if "Bold" in ch["fontname"] and ch["size"] < 7]
            out.append({"words": {w["text"] for w in page.extract_words()}, "kegiatan": " ".join(kegiatan.split()),
                        "connectors": _labels(letters)})
    return out


def _labels(chars: list[dict]) -> list[str]:
    """Connector letters, one text per connector (letters of one label share a baseline and touch), top first."""
    chars = sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"]))
    labels: list[list[dict]] = []
    for ch in chars:
        if labels and abs(labels[-1][-1]["top"] - ch["top"]) < 0.5 and abs(labels[-1][-1]["x1"] - ch["x0"]) < 1:
            labels[-1].append(ch)
        else:
            labels.append([ch])
    return ["".join(c["text"] for c in label) for label in labels]


def test_the_long_sop_validates_and_exports_its_pdf(folder, pdf):
    assert pdf.stat().st_size > 10_000
    assert (folder / "manifest.json").exists()


def test_the_bagan_alir_runs_over_several_pages_each_with_the_header(bagan):
    assert len(bagan) >= 2
    for page in bagan:
        assert HEADER_WORDS <= page["words"], HEADER_WORDS - page["words"]


def test_every_step_is_drawn_once(bagan):
    d = load_definition(DEFINITION)
    text = " ".join(page["kegiatan"] for page in bagan)
    for step in d.steps:
        assert text.count(step.activity) == 1, step.activity


def test_off_page_connectors_come_in_pairs_and_carry_the_flow_to_the_next_page(bagan):
    counts = Counter(label for page in bagan for label in page["connectors"])
    assert counts and set(counts.values()) == {2}, counts
    for before, after in zip(bagan, bagan[1:]):
        assert before["connectors"][-1] == after["connectors"][0]  # bottom of one page, top of the next
    forward = len(bagan) - 1
    assert len(counts) > forward  # and the return from step 18 to step 1 goes through a pair of its own
    assert sorted(counts) == [chr(ord("A") + i) for i in range(len(counts))]


def test_the_long_note_is_cut_in_the_pdf_and_whole_in_the_log_csv(pdf, folder):
    text = " ".join(pdf_text(pdf).split())
    assert "teks dipotong;" in text and "xlsx/CSV]" in text
    assert "catatan00001" in text and "catatan02500" not in text
    rows = list(csv.reader(next(folder.glob("*_log.csv")).read_text(encoding="utf-8-sig").splitlines()))
    assert any(NOTE in row for row in rows)


def test_a_long_note_on_the_packaged_sop_still_exports_a_draft(cli, book, tmp_path):
    """SOP-01, whose Bagan Alir fits a page: the note alone once overflowed the record and log tables."""
    to_step(cli, book, 2)
    assert cli("set", book, *STEP2, "--as", "ridha", now="2026-10-02T08:00").code == 0
    r = cli("submit", book, "--note", NOTE, "--as", "ridha", now="2026-10-02T08:05")
    assert r.code == 0, r.err
    r = cli("export", book, "--draft", "--out", tmp_path / "draf", now="2026-10-02T09:00")
    assert r.code == 0, r.out + r.err
    [pdf] = (tmp_path / "draf").rglob("*.pdf")
    text = " ".join(pdf_text(pdf).split())
    assert "teks dipotong;" in text and "catatan00001" in text and "catatan02500" not in text


def test_a_place_of_30000_characters_is_cut_in_the_fields_and_the_signature_and_still_exports(cli, book):
    """The signing place is a typed field: it shows in the step's fields and in the signature block, which is kept
    together on one page."""
    to_step(cli, book, 5)
    place = long_note(2500)
    assert cli("set", book, f"validasi_tempat={place}", "validasi_tanggal=07-10-2026", "--as", "ardiansyah",
               now="2026-10-07T10:00").code == 0
    r = cli("validate", book, "--as", "ardiansyah", now="2026-10-07T10:05")
    assert r.code == 0, r.out + r.err
    [pdf] = (book.parent / "ekspor").rglob("*.pdf")
    text = " ".join(pdf_text(pdf).split())
    assert text.count("teks dipotong;") >= 2 and "catatan02500" not in text
    assert "ARDIANSYAH, S.AP" in text


def test_a_chart_of_seven_roles_and_very_long_texts_still_lays_out(tmp_path):
    """Lanes narrow for many roles (the Kegiatan column keeps its room), and a step's text or a role's label
    too long for a page is cut: every piece of the chart fits its page."""
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from kinerja_xl.adapters.definition_file import read_raw
    from kinerja_xl.domain.definition_rules import parse_definition
    from kinerja_xl.export.pdf import PAGE
    from kinerja_xl.export.pdf_flow import KEGIATAN, BaganAlir

    raw = read_raw(DEFINITION)
    raw["peran"] += [{"id": f"tim{i}", "label": f"Anggota Tim {i} " + "sangat panjang " * (200 if i == 5 else 1)}
                     for i in range(5, 8)]
    for i, step in enumerate(raw["langkah"][5:12]):
        step["pelaksana"] = f"tim{5 + i % 3}"
    raw["langkah"][3]["kegiatan"] = long_note(1500)
    raw["langkah"][4]["output"] = long_note(1500)
    d = parse_definition(raw)
    assert len(d.lanes) == 7
    out = tmp_path / "bagan.pdf"
    doc = SimpleDocTemplate(str(out), pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=19 * mm)
    chart = BaganAlir(d, doc.width - 12)
    doc.build([chart])
    assert chart.chart.widths[1] >= KEGIATAN and abs(sum(chart.chart.widths) - (doc.width - 12)) < 0.01
    with pdfplumber.open(out) as pdf:
        texts = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    assert len(texts) >= 3 and all("Pelaksana" in t and "Keterangan" in t for t in texts)
    whole = " ".join(texts)
    assert whole.count("teks dipotong;") >= 2 and "catatan01500" not in whole  # the kegiatan and the output
