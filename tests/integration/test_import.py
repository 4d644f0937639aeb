"""`import` (and typed text) without holes: what cannot be imported as it is, is refused with its row and column.

Each refusal is exit 3 and leaves the workbook byte-identical.
"""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from tests.conftest import SAMPLE_CSV, digest
from tests.flow import STEP1, to_step, value

LINES = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
HEADER = LINES[0].split(",")
SAVE_AS_UTF8 = "CSV UTF-8"


@pytest.fixture
def at_step3(cli, book):
    to_step(cli, book, 3)
    return book


def refused(cli, book, *args, code=3):
    before = digest(book)
    r = cli(*args, now="2026-10-05T10:30")
    assert r.code == code, (r.code, r.out, r.err)
    assert digest(book) == before, "a refusal changed the workbook"
    assert "Traceback" not in r.err
    return r.err


def xlsx(path, rows, long=None):
    """`long`: (cell, text) stored whole, as Excel-compatible writers other than openpyxl may (openpyxl cuts at 32,767)."""
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    if long:
        wb.active[long[0]]._value = long[1]
    wb.save(path)
    return path


def test_a_header_only_csv_is_refused_and_the_table_stays(cli, at_step3, tmp_path):
    assert cli("import", at_step3, SAMPLE_CSV, "--as", "rahmah").code == 0
    for name, text in (("judul.csv", LINES[0] + "\n"), ("kosong.csv", LINES[0] + "\n,,,,,,,,,,\n\n")):
        data = tmp_path / name
        data.write_text(text, encoding="utf-8")
        err = refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah")
        assert f"{name}: berkas tidak berisi baris data" in err
    assert value(at_step3, "indikator")[0][0] == 1     # the earlier import is still there


def test_a_header_only_xlsx_is_refused(cli, at_step3, tmp_path):
    data = xlsx(tmp_path / "pk.xlsx", [HEADER])
    assert "pk.xlsx: berkas tidak berisi baris data" in refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah")


@pytest.mark.parametrize("encoding, named", [("koi8-r", "Windows-1252"), ("cp1251", "Windows-1252"),
                                             ("utf-16", "UTF-16")])
def test_a_csv_in_another_encoding_is_refused_and_says_how_to_save_it(cli, at_step3, tmp_path, encoding, named):
    data = tmp_path / "pk.csv"
    rows = [LINES[0], LINES[1].replace("Persentase rapat", "Процент заседаний")]
    data.write_bytes("\n".join(rows).encode(encoding))
    err = refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah")
    assert "pk.csv" in err and "bukan teks UTF-8" in err and named in err and SAVE_AS_UTF8 in err
    if encoding != "utf-16":
        assert "baris 2" in err


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_with_or_without_bom_and_plain_windows_1252_are_read_as_written(cli, at_step3, tmp_path, encoding):
    data = tmp_path / "pk.csv"
    data.write_bytes("\n".join([LINES[0], LINES[1].replace("Persentase", "Persentase – Café")]).encode(encoding))
    r = cli("import", at_step3, data, "--as", "rahmah")
    assert r.code == 0, r.err
    assert value(at_step3, "indikator")[0][2].startswith("Persentase – Café rapat")


def test_duplicate_numbers_are_refused_at_import_naming_both_rows(cli, at_step3, tmp_path):
    data = tmp_path / "pk.csv"
    data.write_text("\n".join([LINES[0], LINES[1], ",,,,,,,,,,", LINES[2], LINES[3].replace("3,", "1,", 1)]) + "\n",
                    encoding="utf-8")
    err = refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah")
    assert "pk.csv baris 2 dan baris 5: No '1' ganda" in err


def test_duplicate_numbers_in_an_xlsx_are_refused_too(cli, at_step3, tmp_path):
    rows = [line.split(",") for line in LINES[:3]]
    rows[2][0] = "01"   # the same number once parsed
    data = xlsx(tmp_path / "pk.xlsx", rows)
    assert "pk.xlsx baris 2 dan baris 3: No '1' ganda" in refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah")


def test_text_longer_than_an_excel_cell_is_refused_with_row_and_column(cli, at_step3, tmp_path):
    long = "x" * 40_000
    data = tmp_path / "pk.csv"
    data.write_text("\n".join([LINES[0], LINES[1], LINES[2].replace("Persentase", long, 1)]), encoding="utf-8")
    err = refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah")
    assert ("pk.csv baris 3, kolom 'indikator_kinerja': terlalu panjang: 40.041 karakter, "
            "Excel menyimpan paling banyak 32.767 per sel") in err
    data = xlsx(tmp_path / "pk.xlsx", [line.split(",") for line in LINES[:2]], long=("K2", long))
    err = refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah")
    assert "pk.xlsx baris 2, kolom 'sumber_data': terlalu panjang: 40.000 karakter" in err


def test_typed_text_and_notes_longer_than_an_excel_cell_are_refused_before_anything_is_written(cli, book):
    long = "y" * 32_768
    err = refused(cli, book, "set", book, f"disposisi_isi={long}", "--as", "ardiansyah")
    assert "Isi Disposisi di '1 Disposisi'!B15: terlalu panjang: 32.768 karakter" in err
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    err = refused(cli, book, "submit", book, "--as", "ardiansyah", "--note", long)
    assert "Catatan: terlalu panjang: 32.768 karakter" in err


def test_an_xlsx_without_a_readable_first_sheet_is_exit_4_not_a_traceback(cli, at_step3, tmp_path):
    good = xlsx(tmp_path / "baik.xlsx", [HEADER])
    damaged = io.BytesIO()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            if not item.filename.startswith("xl/worksheets/"):
                zout.writestr(item, zin.read(item.filename))
    data = tmp_path / "pk.xlsx"
    data.write_bytes(damaged.getvalue())
    err = refused(cli, at_step3, "import", at_step3, data, "--as", "rahmah", code=4)
    assert "'pk.xlsx'" in err and "simpan ulang" in err
