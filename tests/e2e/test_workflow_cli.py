"""Every transition and refusal of SOP-01/SETWAN, through the CLI as a user runs it."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from pyopenvba import ExcelFile

from kinerja_xl.domain import names as N
from kinerja_xl.adapters import package
from tests.conftest import SAMPLE_CSV, digest, named_cells
from tests.flow import KELENGKAPAN, STEP1, STEP2, log_rows, to_step, value

def test_full_sop_with_a_return_closes_the_period_and_keeps_the_history(cli, book):
    to_step(cli, book, 4)
    r = cli("return", book, "--as", "ridha", "--note", "Lengkapi bukti indikator 4", now="2026-10-06T09:00")
    assert r.code == 0 and "langkah 3" in r.out
    assert cli("submit", book, "--as", "rahmah", now="2026-10-06T14:00").code == 0
    to_step_5 = [f"reviu[{i}].hasil=sesuai" for i in range(1, 9)]
    assert cli("set", book, "verifikasi_tanggal=07-10-2026", *to_step_5, "--as", "ridha", now="2026-10-07T09:00").code == 0
    assert cli("verify", book, "--as", "ridha", now="2026-10-07T09:05").code == 0
    assert cli("set", book, "validasi_tempat=Paringin", "validasi_tanggal=08-10-2026", "--as", "ardiansyah",
               now="2026-10-08T10:00").code == 0
    r = cli("validate", book, "--as", "ardiansyah", now="2026-10-08T10:05")
    assert r.code == 0, r.err
    actions = [(row[7], row[8]) for row in log_rows(book)]
    assert actions == [("Kirim", 1), ("Kirim", 2), ("Kirim", 3), ("Kembalikan", 4), ("Kirim", 3), ("Verifikasi", 4),
                       ("Validasi", 5)]
    assert [row[3] for row in value(book, N.STATUS)] == ["selesai"] * 5
    signature = [row[0] for row in value(book, N.SIGNATURE)]
    assert signature[:4] == ["Paringin, 08 Oktober 2026", "Sekretaris DPRD Kabupaten Balangan", "ARDIANSYAH, S.AP",
                             "NIP. 19620718 198302 1 004"]
    r = cli("submit", book, "--as", "ardiansyah", now="2026-10-09T10:00")
    assert r.code == 3 and "sudah ditutup" in r.err


def test_actions_keep_the_vba_project_and_the_ribbon(cli, book):
    with ExcelFile(book) as before:
        modules = before.vba_modules()
    ribbon = package.read_part(book, package.CUSTOMUI_PART)
    to_step(cli, book, 4)
    with ExcelFile(book) as after:
        assert after.vba_modules() == modules
    assert package.read_part(book, package.CUSTOMUI_PART) == ribbon
    assert package.CUSTOMUI_REL.encode() in package.read_part(book, "_rels/.rels")


def test_log_rows_are_timestamped_in_wita_with_official_role_and_digest(cli, book):
    to_step(cli, book, 2)
    row = log_rows(book)[0]
    assert row[1] == "2026-10-01T09:05:00+08:00"
    assert row[2:9] == ["ardiansyah", "ARDIANSYAH, S.AP", "19620718 198302 1 004", "Sekretaris DPRD", "Definitif",
                        "Kirim", 1]
    assert len(row[10]) == 64 and len(row[12]) == 64 and row[11] == "0" * 64


def test_capaian_is_computed_from_the_period_quarter(cli, book):
    to_step(cli, book, 4)
    rows = value(book, "indikator")
    capaian = {r[0]: r[10] for r in rows if r[0] is not None}
    assert capaian[1] == 100 and capaian[3] == pytest.approx(97.78) and capaian[6] == 0
    assert capaian[8] == pytest.approx(106.67)


def test_submitted_step_locks_and_next_step_unlocks(cli, book):
    to_step(cli, book, 2)
    wb = openpyxl.load_workbook(book)

    def locked(name):
        return named_cells(wb, name)[0][0].protection.locked

    assert locked("disposisi_nomor") and not locked("perintah_isi") and locked(N.YEAR)


@pytest.mark.parametrize("user, expected", [
    ("ridha", "bukan Sekretaris DPRD"),
    ("orang_asing", "tidak terdaftar di lembar Pengaturan"),
])
def test_wrong_or_unknown_user_is_refused_with_whose_turn_and_file_untouched(cli, book, user, expected):
    cli("set", book, *STEP1, "--as", "ardiansyah")
    before = digest(book)
    r = cli("submit", book, "--as", user)
    assert r.code == 3 and expected in r.err
    assert "Giliran sekarang: langkah 1 (1 Disposisi) oleh Sekretaris DPRD (ARDIANSYAH, S.AP)" in r.err
    assert digest(book) == before


def test_missing_inputs_are_listed_with_label_sheet_and_cell(cli, book):
    before = digest(book)
    r = cli("submit", book, "--as", "ardiansyah")
    assert r.code == 3
    assert "Nomor Surat Disposisi di '1 Disposisi'!B12 wajib diisi" in r.err
    assert "Isi Disposisi di '1 Disposisi'!B15 wajib diisi" in r.err
    assert digest(book) == before


def test_future_date_and_bad_number_each_get_their_message(cli, book):
    r = cli("set", book, "disposisi_tanggal=01-12-2026", "--as", "ardiansyah", now="2026-10-01T09:00")
    assert r.code == 3 and "masa depan" in r.err
    to_step(cli, book, 3)
    r = cli("set", book, "indikator[1].target=sepuluh", "--as", "rahmah")
    assert r.code == 3 and "'sepuluh'" in r.err and "'3 Input Data'!F" in r.err


def test_wrong_action_for_step_and_return_without_note_are_refused(cli, book):
    r = cli("verify", book, "--as", "ardiansyah")
    assert r.code == 3 and "'kinerja-xl submit'" in r.err
    to_step(cli, book, 4)
    before = digest(book)
    r = cli("return", book, "--as", "ridha", "--note", "  ", now="2026-10-06T09:00")
    assert r.code == 3 and "Catatan pengembalian wajib diisi" in r.err
    assert digest(book) == before


def test_stand_in_acts_for_the_secretary_and_is_named_in_log_and_signature(cli, book):
    to_step(cli, book, 5)
    cli("set", book, "validasi_tempat=Paringin", "validasi_tanggal=22-12-2026", "--as", "fauzi", now="2026-12-22T09:00")
    r = cli("validate", book, "--as", "fauzi", now="2026-12-22T09:05")
    assert r.code == 0, r.err
    last = log_rows(book)[-1]
    assert last[3] == "AHMAD FAUZI, S.H." and last[6] == "Plh. menggantikan ARDIANSYAH, S.AP"
    signature = [row[0] for row in value(book, N.SIGNATURE)]
    assert signature[1] == "Plh. Sekretaris DPRD Kabupaten Balangan" and signature[2] == "AHMAD FAUZI, S.H."
    assert "menggantikan ARDIANSYAH, S.AP" in signature[4]


def test_stand_in_outside_the_registered_dates_is_refused(cli, book):
    cli("set", book, *STEP1, "--as", "ardiansyah")
    r = cli("submit", book, "--as", "fauzi", now="2026-10-01T09:00")
    assert r.code == 3 and "Plh./Plt." in r.err


def test_status_json_reports_turn_and_log_head(cli, book):
    import json

    to_step(cli, book, 2)
    r = cli("status", book, "--json")
    data = json.loads(r.out)
    assert data["giliran"].startswith("Giliran sekarang: langkah 2 (2 Perintah) oleh Kepala Bagian")
    assert data["langkah"][0]["status"] == "selesai" and data["log"]["baris"] == 1


def test_missing_file_and_non_workbook_exit_4(cli, tmp_path):
    assert cli("status", tmp_path / "tidak_ada.xlsm").code == 4
    junk = tmp_path / "bukan.xlsm"
    junk.write_text("halo")
    r = cli("submit", junk, "--as", "ardiansyah")
    assert r.code == 4 and "bukan buku kerja" in r.err
    assert junk.read_text() == "halo"


def test_usage_errors_exit_2(cli, book):
    assert cli("set", book, "tanpa_sama_dengan", "--as", "ardiansyah").code == 2
    assert cli("bukan-perintah").code == 2


def test_status_counts_working_days_and_a_return_restarts_step_three_clock(cli, book):
    to_step(cli, book, 4)  # step 3 sent Mon 5 Oct 10:10
    r = cli("status", book, "--json", now="2026-10-06T08:00")
    import json

    steps = json.loads(r.out)["langkah"]
    assert steps[0]["sisa_terlambat"] == "selesai tepat waktu"
    assert steps[1]["batas_waktu"] == "" and steps[1]["sisa_terlambat"] == "tanpa batas waktu"
    assert steps[3]["batas_waktu"] == "08-10-2026 23:59" and steps[3]["sisa_terlambat"] == "sisa 2 hari"
    cli("return", book, "--as", "ridha", "--note", "Perbaiki", now="2026-10-09T15:00")  # Friday
    steps = json.loads(cli("status", book, "--json", now="2026-10-15T09:00").out)["langkah"]
    assert steps[2]["status"] == "dikembalikan"
    assert steps[2]["batas_waktu"] == "14-10-2026 23:59"          # Mon 12, Tue 13, Wed 14
    assert steps[2]["sisa_terlambat"] == "terlambat 1 hari"
    assert steps[3]["status"] == "belum dimulai" and steps[3]["batas_waktu"] == ""


def test_pengaturan_edited_after_the_period_started_is_refused(cli, book):
    """Someone unprotects Pengaturan and gives themselves the Kepala Bagian role after step 1 was sent."""
    to_step(cli, book, 2)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    officials = named_cells(wb, N.OFFICIALS)
    officials[3][0].value, officials[3][1].value, officials[3][2].value = "PENYUSUP", "19800101 200501 1 001", "Kabag"
    officials[3][3].value, officials[3][4].value = "Kepala Bagian", "penyusup"
    wb.save(book)
    r = cli("set", book, *STEP2, "--as", "penyusup")
    assert r.code == 3 and "langkah 1 (1 Disposisi, termasuk Pengaturan)" in r.err
    log = log_rows(book)
    assert log[0][3:6] == ["ARDIANSYAH, S.AP", "19620718 198302 1 004", "Sekretaris DPRD"]


def test_import_from_xlsx_and_semicolon_csv(cli, book, tmp_path):
    to_step(cli, book, 3)
    rows = [line.split(",") for line in SAMPLE_CSV.read_text(encoding="utf-8").splitlines()]
    xlsx = tmp_path / "pk.xlsx"
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(xlsx)
    r = cli("import", book, xlsx, "--as", "rahmah")
    assert r.code == 0 and "8 indikator diimpor" in r.out
    semicolon = tmp_path / "pk.csv"
    semicolon.write_bytes("\n".join(";".join(r) for r in rows).replace("Persentase", "Persentase é").encode("cp1252"))
    r = cli("import", book, semicolon, "--as", "rahmah")
    assert r.code == 0, r.err
    assert value(book, "indikator")[0][2] == "Persentase é rapat DPRD yang terfasilitasi tepat waktu"


def test_import_with_a_missing_column_names_it_and_changes_nothing(cli, book, tmp_path):
    to_step(cli, book, 3)
    bad = tmp_path / "pk.csv"
    bad.write_text("no,indikator_kinerja,target\n1,A,100\n", encoding="utf-8")
    before = digest(book)
    r = cli("import", book, bad, "--as", "rahmah")
    assert r.code == 3 and "kolom wajib tidak ada: sasaran_strategis, satuan, arah, sumber_data" in r.err
    assert digest(book) == before


def test_protection_password_comes_from_the_environment_and_is_never_stored_in_clear(cli, book, monkeypatch):
    import zipfile

    monkeypatch.setenv("KINERJA_XL_SANDI", "rahasia-kantor-42")
    to_step(cli, book, 2)
    wb = openpyxl.load_workbook(book)
    assert wb["1 Disposisi"].protection.sheet and wb["1 Disposisi"].protection.password  # Excel's hash
    with zipfile.ZipFile(book) as z:
        assert not any(b"rahasia-kantor-42" in z.read(n) for n in z.namelist())


def test_cuti_bersama_in_pengaturan_and_national_holidays_push_the_deadline(cli, book):
    """Step 3 starts Tue 22 Dec 2026: 23 Dec counts, 24 Dec is cuti bersama (Pengaturan), 25 Dec Natal,
    then the weekend: the third working day is Tue 29 Dec."""
    import json

    step1 = [a.replace("01-10-2026", "21-12-2026") for a in STEP1]
    assert cli("set", book, *step1, "--as", "ardiansyah", now="2026-12-21T09:00").code == 0
    assert cli("submit", book, "--as", "ardiansyah", now="2026-12-21T10:00").code == 0
    step2 = [a.replace("02-10-2026", "22-12-2026") for a in STEP2]
    assert cli("set", book, *step2, "--as", "ridha", now="2026-12-22T09:00").code == 0
    assert cli("submit", book, "--as", "ridha", now="2026-12-22T10:00").code == 0
    steps = json.loads(cli("status", book, "--json", now="2026-12-28T09:00").out)["langkah"]
    assert steps[2]["batas_waktu"] == "29-12-2026 23:59" and steps[2]["sisa_terlambat"] == "sisa 1 hari"


def test_deadlines_come_from_the_workbook_alone_whatever_holidays_package_a_pc_has(cli, book, monkeypatch):
    """Build writes the nation's holidays and cuti bersama into Pengaturan; after that no PC asks `holidays`."""
    import json
    import sys

    listed = {row[0].date() if hasattr(row[0], "date") else row[0]: row[1] for row in value(book, N.OFF_DAYS) if row[0]}
    assert "Kemerdekaan" in listed[dt.date(2026, 8, 17)]
    assert "Natal" in listed[dt.date(2026, 12, 25)] and dt.date(2027, 1, 1) in listed  # and next year's first quarter
    to_step(cli, book, 3)
    before = json.loads(cli("status", book, "--json", now="2026-10-05T09:00").out)
    monkeypatch.setitem(sys.modules, "holidays", None)  # no package at all: importing it fails
    after = json.loads(cli("status", book, "--json", now="2026-10-05T09:00").out)
    assert before == after


def test_a_note_and_a_text_with_windows_line_breaks_keep_the_log_whole(cli, book):
    """A CR written to the file comes back as LF (XML end-of-line handling): stored as a cell keeps it."""
    assert cli("set", book, *[a for a in STEP1 if not a.startswith("disposisi_isi")], "disposisi_isi=Segera\r\ndiisi",
               "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    assert value(book, "disposisi_isi") == "Segera\ndiisi"
    assert cli("set", book, *STEP2, "--as", "ridha", now="2026-10-02T08:00").code == 0
    assert cli("submit", book, "--as", "ridha", now="2026-10-02T08:05").code == 0
    assert cli("import", book, SAMPLE_CSV, "--as", "rahmah", now="2026-10-05T10:00").code == 0
    assert cli("set", book, *KELENGKAPAN, "--as", "rahmah", now="2026-10-05T10:05").code == 0
    assert cli("submit", book, "--as", "rahmah", now="2026-10-05T10:10").code == 0
    r = cli("return", book, "--as", "ridha", "--note", "baris satu\r\nbaris dua", now="2026-10-06T09:00")
    assert r.code == 0, r.err
    assert log_rows(book)[-1][9] == "baris satu\nbaris dua"
    r = cli("check", book)
    assert r.code == 0, r.out


def test_an_action_timed_before_the_last_logged_one_is_refused_and_changes_nothing(cli, book):
    to_step(cli, book, 3)  # step 2 was sent at 2026-10-02 08:05 WITA
    assert cli("import", book, SAMPLE_CSV, "--as", "rahmah", now="2026-10-05T10:00").code == 0
    assert cli("set", book, *KELENGKAPAN, "--as", "rahmah", now="2026-10-05T10:05").code == 0
    before = digest(book)
    r = cli("submit", book, "--as", "rahmah", now="2026-10-02T08:00")
    assert r.code == 3 and "lebih awal dari aksi terakhir di log (02-10-2026 08:05" in r.err, r.err
    assert digest(book) == before


def test_sending_a_step_twice_says_it_was_already_sent(cli, book):
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    before = digest(book)
    r = cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:06")
    assert r.code == 3 and "Langkah 1 (1 Disposisi) sudah Anda kirim pada 01-10-2026 09:05 WITA" in r.err, r.err
    assert digest(book) == before


def test_a_misspelt_field_table_or_column_gets_a_suggestion(cli, book):
    r = cli("set", book, "disposisi_nomer=005", "--as", "ardiansyah")
    assert r.code == 3 and "Maksud Anda 'disposisi_nomor'?" in r.err, r.err
    to_step(cli, book, 3)
    r = cli("set", book, "kelengkapn[1].ada=Ada", "--as", "rahmah")
    assert r.code == 3 and "Maksud Anda 'kelengkapan'?" in r.err, r.err
    r = cli("set", book, "kelengkapan[1].referensii=Dok", "--as", "rahmah")
    assert r.code == 3 and "Maksud Anda 'referensi'?" in r.err, r.err
