"""A second office's SOP, shaped unlike SOP-01, built and run from its definition alone.

`tests/data/sop_spj.toml`: a Dinas in WIB, monthly, four roles, six steps, an item table in
rupiah with a total, returns to two different steps, a step timed in jam and two steps after
the signature. It runs through the CLI with no `--definition` (the workbook carries it) and
through the ribbon stand-in, with one return per return target, the export and `check`.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from kinerja_xl.adapters.definition_file import load_definition, read_raw
from kinerja_xl.builder.assemble import build_bytes
from kinerja_xl.builder.office_config import load_config
from kinerja_xl.domain import names as N
from kinerja_xl.entrypoints import live
from kinerja_xl.entrypoints.cli import main
from kinerja_xl.entrypoints.demo import run_demo, steps
from tests.conftest import digest, named_cells
from tests.fakes import xlwings_standin as standin

DATA = Path(__file__).parents[1] / "data"
SCRIPT = DATA / "spj_demo.toml"
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The whole story once, through the CLI exactly as typed (tests read the result)."""
    out = tmp_path_factory.mktemp("spj")
    assert run_demo(out, main, SCRIPT) == 0
    return out / "SPJ_Disdik_demo.xlsm"


def cells(path, name):
    return [[c.value for c in row] for row in named_cells(openpyxl.load_workbook(path), name)]


def logged(path):
    return [row for row in cells(path, N.LOG) if row[0] is not None]


def test_every_action_is_logged_in_wib_with_each_return_naming_its_target(ran):
    rows = logged(ran)
    assert [(r[7], r[8]) for r in rows] == [
        ("Kirim", 1), ("Kembalikan", 2), ("Kirim", 1), ("Verifikasi", 2), ("Kembalikan ke langkah 2", 3),
        ("Verifikasi", 2), ("Kembalikan ke langkah 1", 3), ("Kirim", 1), ("Verifikasi", 2), ("Verifikasi", 3),
        ("Kembalikan", 4), ("Verifikasi", 3), ("Validasi", 4), ("Kirim", 5), ("Kirim", 6)]
    assert rows[0][1] == "2026-06-01T09:10:00+07:00"
    wb = openpyxl.load_workbook(ran)
    assert wb[N.LOG_SHEET]["B1"].value == "Waktu (WIB)"


def test_the_rupiah_items_are_typed_as_amounts_and_totalled(ran):
    rows = [r for r in cells(ran, "spj") if r[0] is not None]
    assert [r[4] for r in rows] == [1250000, 3475500, 9120000]
    assert cells(ran, "spj_total")[0][0] == "Jumlah" and cells(ran, "spj_total")[0][4] == 13845500
    wb = openpyxl.load_workbook(ran)
    sheet, ref = next(iter(wb.defined_names["spj"].destinations))
    first = wb[sheet][ref.split(":")[0].replace("$", "")]
    assert wb[sheet].cell(first.row, 5).number_format == '"Rp "#,##0'


def test_the_signature_comes_from_the_signing_step_and_the_office_in_pengaturan(ran):
    signature = [r[0] for r in cells(ran, N.SIGNATURE)]
    assert signature[:4] == ["Purwokerto, 08 Juni 2026", "Kepala Dinas Pendidikan Kabupaten Banyumas",
                             "Drs. BAMBANG SURYONO, M.Pd.", "NIP. 19680512 199303 1 007"]
    assert signature[4].endswith("14:05 WIB")


def test_status_knows_jam_and_calendar_days_and_the_period_is_closed_after_the_last_step(ran, capsys):
    capsys.readouterr()
    assert main(["status", str(ran), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ditutup"] and report["ditandatangani"]
    steps_ = report["langkah"]
    assert steps_[1]["batas_waktu"] == "05-06-2026 10:00"  # 24 jam after step 1 was sent at 10:00
    assert steps_[4]["batas_waktu"] == "11-06-2026 23:59"  # 3 hari kalender from 8 June
    assert all(s["status"] == "selesai" for s in steps_)


def test_export_names_the_month_and_check_passes_on_workbook_and_folder(ran, capsys):
    folders = sorted((ran.parent / "ekspor").iterdir())
    assert [f.name for f in folders] == ["SOP-07-DISDIK_2026_BLN-05_20260608-1405"]
    manifest = json.loads((folders[0] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["periode"] == "Mei" and manifest["satuan_periode"] == "bulan"
    assert main(["check", str(ran)]) == 0
    assert main(["check", str(folders[0])]) == 0


def test_no_verb_but_build_takes_a_definition(ran, capsys):
    assert all("--definition" not in argv for _, _, argv in steps(SCRIPT, ran)[1:])
    assert main(["status", str(ran), "--definition", str(DATA / "sop_spj.toml")]) == 2
    assert "Opsi tidak dikenal: --definition" in capsys.readouterr().err


def test_a_changed_embedded_definition_is_found_by_check_and_refused_by_actions(ran, tmp_path, capsys):
    book = tmp_path / ran.name
    shutil.copy(ran, book)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb[N.DEFINITION_SHEET]
    ws["A1"] = ws["A1"].value.replace('"waktu":24', '"waktu":240')
    wb.save(book)
    capsys.readouterr()
    assert main(["check", str(book)]) == 1
    assert "Definisi SOP di dalam buku kerja telah diubah" in capsys.readouterr().out
    before = digest(book)
    assert main(["status", str(book)]) == 3
    assert "definisi SOP di dalam buku kerja telah diubah" in capsys.readouterr().err
    assert digest(book) == before


# -- the same SOP through the ribbon stand-in ---------------------------------------------------------------

def _story():
    """The demo script as (time, user, argv) without the build, status and check."""
    raw = tomllib.loads(SCRIPT.read_text(encoding="utf-8"))
    return [(s["waktu"], s["perintah"][-1], s["perintah"][:-2]) for s in raw["langkah"] if s["perintah"][0] not in
            ("status", "check")]


def _type(book, definition, assignments):
    for item in assignments:
        key, _, value = item.partition("=")
        if "[" in key:
            table, rest = key.split("[")
            row, column = rest.split("].")
            columns = [c.name for c in definition.columns_of(definition.table(table))] if table != N.OFF_DAYS else \
                ["tanggal", "keterangan"]
            if table == N.OFF_DAYS and column == "tanggal":  # Excel makes a typed date a date in a date cell
                value = dt.datetime.strptime(value, "%d-%m-%Y")
            book.type_into(table, int(row) - 1, columns.index(column), value)
        else:
            book.type_into(key, 0, 0, value)


def test_the_ribbon_runs_the_same_story_to_the_same_log(ran, tmp_path, monkeypatch):
    d = load_definition(DATA / "sop_spj.toml")
    path = tmp_path / "SPJ_Disdik.xlsm"
    path.write_bytes(build_bytes(read_raw(DATA / "sop_spj.toml"), load_config(DATA / "spj_pengaturan.toml", d)))
    book = standin.Book(path)
    header, *rows = [line.split(";") for line in (DATA / "spj_mei_2026.csv").read_text(encoding="utf-8").splitlines()]
    pressed = []
    for when, user, argv in _story():
        monkeypatch.setenv("USERNAME", user)
        verb = argv[0]
        if verb == "set":
            _type(book, d, argv[2:])
            continue
        if verb == "import":  # the Bendahara pastes the rows into the table
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    book.type_into("spj", r, c, value)
            continue
        note = argv[argv.index("--note") + 1] if "--note" in argv else None
        to = argv[argv.index("--ke") + 1] if "--ke" in argv else None
        button = _button(d, verb, when, book, to)
        if note:
            book.app.answers.append(note)
        live.press(book, button, clock=lambda when=when: dt.datetime.fromisoformat(when).replace(tzinfo=WIB))
        pressed.append(button)
        assert book.app.alerts[-1][3] == "info", book.app.alerts[-1]
    assert "L3_return_1" in pressed and "L3_return_2" in pressed and "L2_return" in pressed and "L4_return" in pressed
    assert [r[7:9] for r in logged(path)] == [r[7:9] for r in logged(ran)]
    assert [r[12] for r in logged(path)] == [r[12] for r in logged(ran)]  # the same chain, hash for hash
    assert book.app.alerts[-1][1] == "SPJ Disdik"  # dialogs carry the definition's own title


def _button(d, verb, when, book, to):
    """The button of the current step for a CLI verb, read from the Beranda status the last press wrote."""
    from kinerja_xl.adapters.openpyxl_book import FileWorkbook
    from kinerja_xl.domain import buttons

    statuses = [row[3] for row in FileWorkbook.open(book.fullname).read([N.STATUS])[N.STATUS].values]
    current = 1 + next(i for i, s in enumerate(statuses) if s in ("aktif", "dikembalikan", "belum dimulai"))
    step = d.step(current)
    button = next(b for b in step.buttons if b.action == verb and (to is None or b.to == int(to)))
    return buttons.button_id(step, button)


def test_an_action_at_a_clock_with_microseconds_leaves_beranda_as_check_recomputes_it(cli, tmp_path):
    """A real clock has microseconds, the log keeps whole seconds: a step timed in jam would otherwise show
    'sisa 23 jam' on Beranda where check, from the log, expects 'sisa 24 jam'."""
    book = tmp_path / "spj.xlsm"
    assert cli("build", "--definition", DATA / "sop_spj.toml", "--config", DATA / "spj_pengaturan.toml",
               "--out", book).code == 0
    assert cli("set", book, "spj_nomor=SPJ-05/2026", "spj_tanggal=01-06-2026", "--as", "dewi",
               now="2026-06-01T09:00").code == 0
    assert cli("import", book, DATA / "spj_mei_2026.csv", "--as", "dewi", now="2026-06-01T09:05").code == 0
    assert cli("submit", book, "--as", "dewi", now="2026-06-01T09:10:00.400000").code == 0
    r = cli("check", book)
    assert r.code == 0, r.out
