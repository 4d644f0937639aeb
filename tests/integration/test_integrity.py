"""`check` on a validated workbook: untouched is clean; each tamper made with openpyxl is found and named."""
from __future__ import annotations

import json

import pytest

from kinerja_xl.domain import names as N
from tests.conftest import named_cells
from tests.flow import log_rows, tamper


def set_cell(name, r, c, value):
    def edit(wb):
        named_cells(wb, name)[r][c].value = value
    return edit


def set_conf(key, value):
    def edit(wb):
        ws = wb[N.CONF_SHEET]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
        ws.cell(row, 2).value = value
    return edit


def test_a_changed_xlwings_conf_key_that_decides_which_python_runs_is_reported(cli, closed):
    tamper(closed, set_conf("ADD_WORKBOOK_TO_PYTHONPATH", "True"))
    r = cli("check", closed)
    assert r.code == 1 and "xlwings.conf, baris ADD_WORKBOOK_TO_PYTHONPATH: seharusnya 'False', sekarang 'True'" in r.out
    assert "Pengaturan xlwings.conf yang menentukan Python mana yang dijalankan berbeda dari saat buku kerja " \
           "dibangun" in r.out


def test_the_office_may_set_its_interpreter_and_check_shows_it(cli, closed):
    tamper(closed, set_conf("Interpreter_Win", r"C:\Python311\python.exe"))
    r = cli("check", closed)
    assert r.code == 0 and r"Interpreter_Win diisi 'C:\Python311\python.exe'" in r.out, r.out


@pytest.mark.parametrize("where", [r"\\server\share\python.exe", "https://x.example/python.exe"])
def test_an_interpreter_on_the_network_is_a_finding(cli, closed, where):
    tamper(closed, set_conf("Interpreter_Win", where))
    r = cli("check", closed)
    assert r.code == 1 and "Interpreter_Win menunjuk ke lokasi jaringan" in r.out, r.out


def test_untouched_validated_workbook_is_clean(cli, closed):
    r = cli("check", closed)
    assert r.code == 0 and "Tidak ada perubahan" in r.out
    notes = [line for line in r.out.splitlines() if line.startswith("Catatan")]
    assert len(notes) == 1 and "tidak ditandatangani secara elektronik" in notes[0]  # no keys in this office
    data = json.loads(cli("check", closed, "--json").out)
    assert data == {"$schema": "https://kinerja-xl/skema/check/1", "bersih": True, "masalah": [],
                    "tidak_terbukti": [notes[0].removeprefix("Catatan: ")]}


@pytest.mark.parametrize("edit, expected", [
    (set_cell("indikator", 0, 9, 55), "'3 Input Data'!J13 (Realisasi TW IV, baris 1 Data Input Kinerja Organisasi) diubah"),
    (set_cell("indikator", 2, 5, 80), "'3 Input Data'!F15 (Target, baris 3 Data Input Kinerja Organisasi) diubah"),
    (set_cell(N.SIGNATURE, 2, 0, "ORANG LAIN"), "'5 Validasi'!B18 (Tanda tangan: Nama) diubah"),
    (set_cell(N.OFFICIALS, 1, 3, "Sekretaris DPRD"), "(Pejabat: Peran, baris 2) diubah"),
])
def test_changed_locked_data_is_named_by_sheet_cell_and_label(cli, closed, edit, expected):
    tamper(closed, edit)
    r = cli("check", closed)
    assert r.code == 1 and expected in r.out, r.out


def test_edited_log_row_is_found(cli, closed):
    tamper(closed, set_cell(N.LOG, 1, 9, "catatan palsu"))
    r = cli("check", closed)
    assert r.code == 1 and "Log baris 3: isi baris diubah" in r.out


def test_deleted_log_row_is_found(cli, closed):
    tamper(closed, lambda wb: wb["Log"].delete_rows(3))
    r = cli("check", closed)
    assert r.code == 1 and "Log baris 3: nomor 3, seharusnya 2" in r.out


def test_swapped_log_rows_are_found(cli, closed):
    def swap(wb):
        log = named_cells(wb, N.LOG)
        for a, b in zip(log[1], log[2]):
            a.value, b.value = b.value, a.value
    tamper(closed, swap)
    r = cli("check", closed)
    assert r.code == 1 and "Log baris 3" in r.out and "Log baris 4" in r.out


def test_cut_log_tail_with_matching_data_edit_is_caught_only_through_the_anchor(cli, closed, tmp_path):
    """Drop the validation row and re-sign: the chain inside the file is still whole."""
    manifest = next((closed.parent / "ekspor").glob("*/manifest.json"))
    last = len(log_rows(closed))

    def cut(wb):
        for cell in named_cells(wb, N.LOG)[last - 1]:
            cell.value = None
        named_cells(wb, N.SIGNATURE)[2][0].value = "ORANG LAIN"
    tamper(closed, cut)
    sidecar = closed.with_name(closed.name + ".anchor.json")
    moved = tmp_path / "anchor.json"
    sidecar.rename(moved)
    r = cli("check", closed)
    assert r.code == 1 and "Tabel status di Beranda baris 5 (langkah 5) tidak sesuai dengan log" in r.out
    tamper(closed, status_as_the_log_says)  # a careful forger also rewrites Beranda
    r = cli("check", closed)
    assert r.code == 0 and "tidak dapat membuktikan" in r.out           # says what it could not prove
    for anchor in (moved, manifest):
        r = cli("check", closed, "--anchor", anchor)
        assert r.code == 1 and f"Log hanya {last - 1} baris, anchor mencatat {last}" in r.out
    head = json.loads(manifest.read_text())["log"]
    r = cli("check", closed, "--anchor", f"{head['baris']}:{head['hash']}")
    assert r.code == 1


def status_as_the_log_says(wb):
    """Beranda's status and turn recomputed from the (forged) log, as an action would write them."""
    from kinerja_xl.adapters.openpyxl_book import FileWorkbook
    from kinerja_xl.adapters.definition_file import from_embedded
    from kinerja_xl.domain import audit, status
    from kinerja_xl.domain.period import load_period

    port = FileWorkbook("forged.xlsm", wb, None)
    meta = port.read([N.META_DEFINITION, N.META_DEFINITION_HASH])
    d, _ = from_embedded([r[0] for r in meta[N.META_DEFINITION].values], meta[N.META_DEFINITION_HASH].value())
    blocks = port.read(list(port.names()))
    entries = [e for e in audit.parse_rows(blocks[N.LOG].values)[0]]
    period = load_period(d, blocks)
    rows = status.rows(d, period.state, entries, period.settings, audit.moment(entries[-1]).astimezone(d.tz))
    for cells, row in zip(named_cells(wb, N.STATUS), rows):
        for cell, value in zip(cells, row):
            cell.value = value
    named_cells(wb, N.TURN)[0][0].value = status.turn(d, period.state, period.people)


def test_renamed_sheet_is_a_structural_problem(cli, closed):
    tamper(closed, lambda wb: setattr(wb["4 Verifikasi"], "title", "Verifikasi"))
    r = cli("check", closed)
    assert r.code == 1 and "Susunan lembar berubah" in r.out and "'4 Verifikasi'" in r.out


def test_log_rewritten_from_scratch_is_caught_by_a_printed_hash(cli, closed):
    from kinerja_xl.domain import audit

    rows = log_rows(closed)
    printed = rows[-1][12]
    entries, _ = audit.parse_rows([tuple(r) for r in rows])
    forged = []
    for e in entries:  # same actions, a different note, re-chained consistently
        forged.append(audit.chain(forged, time=e.time, user=e.user, official=e.official, nip=e.nip, role=e.role,
                                  capacity=e.capacity, action=e.action, step=e.step, note=e.note + " ", digest=e.digest))

    def rewrite(wb):
        for cells, entry in zip(named_cells(wb, N.LOG), forged):
            for cell, v in zip(cells, entry.row()):
                cell.value = v
    tamper(closed, rewrite)
    assert cli("check", closed, "--anchor", "/dev/null/none").code == 2
    r = cli("check", closed, "--anchor", printed)
    assert r.code == 1 and "Hash anchor tidak ditemukan" in r.out


def test_renamed_home_sheet_is_reported_not_a_crash(cli, closed):
    tamper(closed, lambda wb: setattr(wb["Beranda"], "title", "Depan"))
    r = cli("check", closed)
    assert r.code == 1 and "'Beranda'" in r.out
    assert cli("status", closed).code == 4


def move_sheet(title, offset):
    return lambda wb: wb.move_sheet(title, offset)


def add_sheet(wb):
    wb.create_sheet("Lembar Tambahan")


def delete_name(name):
    def edit(wb):
        del wb.defined_names[name]
    return edit


def backdate_and_rechain(wb):
    """The Verifikasi row dated before the Kirim above it, and every later hash recomputed."""
    from kinerja_xl.domain import audit

    cells = named_cells(wb, N.LOG)
    entries, _ = audit.parse_rows([tuple(c.value for c in row) for row in cells])
    forged = []
    for e in entries:
        time = "2026-10-01T08:00:00+08:00" if e.action == "Verifikasi" else e.time
        forged.append(audit.chain(forged, time=time, user=e.user, official=e.official, nip=e.nip, role=e.role,
                                  capacity=e.capacity, action=e.action, step=e.step, note=e.note, digest=e.digest))
    for row, entry in zip(cells, forged):
        for cell, value in zip(row, entry.row()):
            cell.value = value


def append_log_row(wb):
    row = named_cells(wb, N.LOG)[len([r for r in named_cells(wb, N.LOG) if r[0].value])]
    for cell, value in zip(row, (99, "2026-10-09T09:00:00+08:00", "x", "X", "1", "R", "Definitif", "Kirim", 1, "",
                                 "0" * 64, "0" * 64, "0" * 64)):
        cell.value = value


@pytest.mark.parametrize("edit, expected", [
    (set_cell("perintah_isi", 0, 0, "Perintah lain"), "(Isi Perintah) diubah"),
    (set_cell(N.record(3), 0, 0, "ORANG LAIN"), "'3 Input Data'!"),
    (set_cell("kelengkapan", 0, 1, "Tidak ada"), "'3 Input Data'!B216"),
    (set_cell("reviu", 0, 5, "perlu perbaikan"), "'4 Verifikasi'!F16"),
    (set_cell(N.PERIOD, 0, 0, "TW I"), "Data langkah 1 (1 Disposisi) berubah setelah dikunci"),
    (set_cell(N.META_DEFINITION_HASH, 0, 0, "0" * 64), "Definisi SOP di dalam buku kerja telah diubah"),
    (set_cell(N.META_DEFINITION, 0, 0, '{"definisi":'), "Definisi SOP di dalam buku kerja telah diubah"),
    (set_cell(N.LOG, 2, 12, "f" * 64), "Log baris 4"),
    (append_log_row, "Log baris"),
    (backdate_and_rechain, "lebih awal dari aksi sebelumnya"),
    (move_sheet("Log", -3), "urutan berbeda"),
    (add_sheet, "tambahan ['Lembar Tambahan']"),
    (delete_name("reviu"), "Nama 'reviu' hilang dari buku kerja"),
    (set_cell(N.SIGNATURE, 3, 0, "NIP. 000000000000000000"), "(Tanda tangan: NIP) diubah"),
])
def test_more_edits_of_a_validated_workbook_are_found_and_named(cli, closed, edit, expected):
    tamper(closed, edit)
    r = cli("check", closed)
    assert r.code == 1 and expected in r.out, r.out
