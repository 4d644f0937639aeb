"""The Bagan Alir sheet: the PermenPAN-RB 35/2012 matrix drawn with cells from the definition alone, with the
step whose turn it is marked in `bagan_status` by every action (and highlighted by conditional formatting)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kinerja_xl.adapters import sheet_style as style
from kinerja_xl.adapters.definition_file import load_definition
from kinerja_xl.builder.flow_sheet import FIRST_STEP_ROW, HEADER_ROW
from kinerja_xl.domain import names as N
from kinerja_xl.domain.status import DONE_MARK, TURN_MARK
from kinerja_xl.entrypoints.demo import steps
from tests.conftest import named_cells
from tests.flow import to_step
from tests.readers import pdf_text, to_pdf

DATA = Path(__file__).parents[1] / "data"
RETURNED = f"{TURN_MARK} (dikembalikan)"


def marks(path) -> list[str]:
    return [row[0].value or "" for row in named_cells(openpyxl.load_workbook(path), N.FLOW_STATUS)]


def lanes(ws) -> list[str]:
    """The pelaksana columns: the second header row's labels under 'Pelaksana'."""
    first = next(c.column for c in ws[HEADER_ROW] if c.value == "Pelaksana")
    mutu = next(c.column for c in ws[HEADER_ROW] if c.value == "Mutu Baku")
    return [ws.cell(HEADER_ROW + 1, col).value for col in range(first, mutu)]


def symbols(ws, d) -> list[tuple[str, str, object]]:
    """(pelaksana column label, text, fill colour) of each step's symbol: the non-arrow cell in the lanes."""
    labels = lanes(ws)
    out = []
    for i, _ in enumerate(d.steps):
        row = FIRST_STEP_ROW + i
        found = [(labels[j], ws.cell(row, 3 + j)) for j in range(len(labels))
                 if ws.cell(row, 3 + j).value not in (None, "→", "←")]
        assert len(found) == 1, found
        label, cell = found[0]
        out.append((label, cell.value, cell.fill.fgColor.rgb[-6:]))
    return out


def spj_book(tmp_path, cli, until: str):
    """The SPJ story (tests/data/spj_demo.toml) through the CLI, up to and including the step described `until`."""
    book = tmp_path / "SPJ.xlsm"
    for when, what, argv in steps(DATA / "spj_demo.toml", book):
        r = cli(*argv, now=when or "2026-06-01T07:00")
        assert r.code == 0, (what, r.out, r.err)
        if what == until:
            return book
    raise AssertionError(until)


# -- the matrix ------------------------------------------------------------------------------------

def test_the_sheet_has_no_kegiatan_one_column_per_pelaksana_mutu_baku_and_keterangan(built, definition):
    ws = openpyxl.load_workbook(built)[N.FLOW_SHEET]
    assert [ws.cell(HEADER_ROW, c).value for c in (1, 2)] == ["No", "Kegiatan"]
    assert lanes(ws) == ["Sekretaris DPRD", "Kepala Bagian", "Kepala Sub Bagian"]
    heads = [c.value for c in ws[HEADER_ROW]] + [c.value for c in ws[HEADER_ROW + 1]]
    assert {"Pelaksana", "Mutu Baku", "Kelengkapan", "Waktu", "Output", "Keterangan", "Status"} <= set(heads)
    for i, step in enumerate(definition.steps):
        row = [c.value for c in ws[FIRST_STEP_ROW + i]]
        assert row[:2] == [step.no, step.activity]
        assert row[5:8] == [step.documents, step.time.label if step.time else None, step.output]


def test_first_and_last_are_terminators_decisions_name_their_return(built, definition):
    ws = openpyxl.load_workbook(built)[N.FLOW_SHEET]
    drawn = symbols(ws, definition)
    assert [(who, text.split("\n")[0]) for who, text, _ in drawn] == [
        ("Sekretaris DPRD", "Mulai"), ("Kepala Bagian", "Proses"), ("Kepala Sub Bagian", "Proses"),
        ("Kepala Bagian", "◇ Sesuai?"), ("Sekretaris DPRD", "◇ Sesuai?")]
    fills = {style.TERMINATOR_FILL.fgColor.rgb[-6:]: "terminator", style.PROCESS_FILL.fgColor.rgb[-6:]: "process",
             style.DECISION_FILL.fgColor.rgb[-6:]: "decision"}
    assert [fills[f] for _, _, f in drawn] == ["terminator", "process", "process", "decision", "decision"]
    assert all("Tidak: kembali ke langkah 3" in text for _, text, _ in drawn[3:])
    assert ws.cell(FIRST_STEP_ROW, 3).border.left.style == "medium"  # the terminator's heavy frame
    # the last step is a decision, so a terminator row below it ends the chart, in the same column
    end = ws.cell(FIRST_STEP_ROW + len(definition.steps), 3)
    assert end.value == "Selesai" and end.fill.fgColor.rgb[-6:] == style.TERMINATOR_FILL.fgColor.rgb[-6:]
    keterangan = [c.value for c in ws[FIRST_STEP_ROW + 3]]
    assert "Bila tidak sesuai, dikembalikan ke langkah 3" in keterangan
    assert ws.cell(FIRST_STEP_ROW + 1, 3).value == "→"  # the hand-over from the Sekretaris to the Kabag


def test_the_status_block_is_one_column_per_step_highlighted_by_conditional_formatting(built, definition):
    wb = openpyxl.load_workbook(built)
    sheet, ref = next(iter(wb.defined_names[N.FLOW_STATUS].destinations))
    cells = named_cells(wb, N.FLOW_STATUS)
    assert sheet == N.FLOW_SHEET and len(cells) == len(definition.steps) and all(len(r) == 1 for r in cells)
    assert marks(built) == [TURN_MARK, "", "", "", ""]
    column = ref.split(":")[0].replace("$", "").rstrip("0123456789")
    rules = [(str(cf.sqref), rule.formula[0], rule.dxf.fill.fgColor.rgb[-6:])
             for cf in wb[N.FLOW_SHEET].conditional_formatting for rule in cf.rules]
    giliran = [r for r in rules if f'SEARCH("giliran",${column}{FIRST_STEP_ROW})' in r[1]]
    covered = " ".join(r[0] for r in giliran)
    assert f"A{FIRST_STEP_ROW}:B" in covered and f"{column}{FIRST_STEP_ROW}:{column}" in covered  # row and status
    assert style.ACTIVE_FILL.fgColor.rgb[-6:] in {r[2] for r in giliran}


def test_each_action_moves_the_mark_to_the_step_whose_turn_it_is(cli, book):
    assert marks(book) == [TURN_MARK, "", "", "", ""]
    to_step(cli, book, 3)
    assert marks(book) == [DONE_MARK, DONE_MARK, TURN_MARK, "", ""]
    r = cli("check", book)
    assert r.code == 0 and "Tidak ada perubahan" in r.out, r.out + r.err


def test_a_return_marks_the_step_it_goes_back_to(cli, book):
    to_step(cli, book, 5)
    assert marks(book) == [DONE_MARK] * 4 + [TURN_MARK]
    r = cli("return", book, "--note", "Lengkapi bukti indikator 4", "--as", "ardiansyah", now="2026-10-07T09:00")
    assert r.code == 0, r.err
    assert marks(book) == [DONE_MARK, DONE_MARK, RETURNED, "", ""]
    assert cli("check", book).code == 0


# -- any SOP: the SPJ definition ------------------------------------------------------------------

def test_the_spj_definition_draws_its_own_matrix(tmp_path, cli):
    d = load_definition(DATA / "sop_spj.toml")
    book = spj_book(tmp_path, cli, "Membangun buku kerja baru dengan pengaturan contoh")
    ws = openpyxl.load_workbook(book)[N.FLOW_SHEET]
    assert lanes(ws) == ["Bendahara Pengeluaran", "PPTK", "PPK-SKPD", "Kepala Dinas"]
    assert [c.value for c in ws[FIRST_STEP_ROW + 5]][:2] == [6, d.step(6).activity]
    drawn = symbols(ws, d)
    assert [(who, text.split("\n")[0]) for who, text, _ in drawn] == [
        ("Bendahara Pengeluaran", "Mulai"), ("PPTK", "◇ Sesuai?"), ("PPK-SKPD", "◇ Sesuai?"),
        ("Kepala Dinas", "◇ Sesuai?"), ("Bendahara Pengeluaran", "Proses"), ("PPK-SKPD", "Selesai")]
    assert drawn[1][1].endswith("kembali ke langkah 1") and drawn[2][1].endswith("kembali ke langkah 1 atau 2")
    assert ws.cell(FIRST_STEP_ROW + 6, 1).value is None and not any(c.value for c in ws[FIRST_STEP_ROW + 6])
    assert marks(book) == [TURN_MARK] + [""] * 5


@pytest.mark.parametrize("until, expected", [
    ("PPTK mengembalikan ke Bendahara", [RETURNED, "", "", "", "", ""]),
    ("PPTK meneruskan ke PPK", [DONE_MARK, DONE_MARK, TURN_MARK, "", "", ""]),
])
def test_the_spj_mark_follows_its_actions_and_returns(tmp_path, cli, until, expected):
    book = spj_book(tmp_path, cli, until)
    assert marks(book) == expected
    assert cli("check", book).code == 0


# -- printing ---------------------------------------------------------------------------------------

def test_the_printed_workbook_has_the_bagan_alir_one_page_of_each_table_and_no_system_sheet(built, tmp_path):
    """Before: 17 pages (4 of them the empty indicator rows, 2 of xlwings.conf); now 12 with the Bagan Alir."""
    pages = pdf_text(to_pdf(built, tmp_path)).split("\f")
    pages = [" ".join(p.split()) for p in pages if p.strip()]
    sheets = openpyxl.load_workbook(built).sheetnames
    by_sheet: dict[str, int] = {}
    for page in pages:
        sheet = next(s for s in sheets if f"SOP – 01/SETWAN {s} " in page)
        by_sheet[sheet] = by_sheet.get(sheet, 0) + 1
    assert N.CONF_SHEET not in by_sheet and not any("Interpreter_Win" in p for p in pages)
    assert by_sheet["3 Input Data"] == 2  # the header, fields and first indicator rows; then Kelengkapan
    assert by_sheet["4 Verifikasi"] == 1 and by_sheet[N.FLOW_SHEET] == 1
    [flow] = [p for p in pages if f"SOP – 01/SETWAN {N.FLOW_SHEET} " in p]
    assert all(text in flow for text in ("Mutu Baku", "Keterangan", "Mulai", "Sesuai?", "Selesai", TURN_MARK))
    assert len(pages) == 12
