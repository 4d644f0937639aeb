"""The ribbon path: buttons pressed in a stand-in of the open workbook do what the CLI does."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from zoneinfo import ZoneInfo

from kinerja_xl.entrypoints import live
from kinerja_xl.entrypoints.cli import main
from kinerja_xl.domain.digest import canonical
from kinerja_xl.domain.locks import all_input_names
from kinerja_xl.domain import names as N
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.adapters.tabular import read_table
from tests.conftest import SAMPLE_CSV, digest
from tests.fakes import xlwings_standin as standin

CSV_HEADER, CSV_ROWS = read_table(SAMPLE_CSV)
COLUMNS = ["no", "sasaran_strategis", "indikator_kinerja", "satuan", "arah", "target", "realisasi_tw1",
           "realisasi_tw2", "realisasi_tw3", "realisasi_tw4", "capaian", "sumber_data", "keterangan"]
STORY = [  # (WITA time, user, what, payload)
    ("2026-10-01T09:00", "ardiansyah", "type", {"disposisi_nomor": "005", "disposisi_tanggal": "01-10-2026",
                                                "disposisi_kepada": "Kepala Bagian", "disposisi_isi": "Segera"}),
    ("2026-10-01T09:05", "ardiansyah", "press", "L1_submit"),
    ("2026-10-02T08:00", "ridha", "type", {"perintah_kepada": "Kasubbag", "perintah_tanggal": "02-10-2026",
                                           "perintah_isi": "Input data"}),
    ("2026-10-02T08:05", "ridha", "press", "L2_submit"),
    ("2026-10-05T10:00", "rahmah", "import", None),
    ("2026-10-05T10:05", "rahmah", "type", {f"kelengkapan[{i}].{c}": v for i in (1, 2, 3)
                                            for c, v in (("ada", "Ada"), ("referensi", "Dok"))}),
    ("2026-10-05T10:10", "rahmah", "press", "L3_submit"),
    ("2026-10-06T09:00", "ridha", "press", ("L4_return", "Lengkapi bukti indikator 4")),
    ("2026-10-06T14:00", "rahmah", "type", {"indikator[4].keterangan": "LHE SAKIP"}),
    ("2026-10-06T14:05", "rahmah", "press", "L3_submit"),
    ("2026-10-07T09:00", "ridha", "type", {"verifikasi_tanggal": "07-10-2026",
                                           **{f"reviu[{i}].hasil": "sesuai" for i in range(1, 9)}}),
    ("2026-10-07T09:05", "ridha", "press", "L4_verify"),
    ("2026-10-08T10:00", "ardiansyah", "type", {"validasi_tempat": "Paringin", "validasi_tanggal": "08-10-2026"}),
    ("2026-10-08T10:05", "ardiansyah", "press", "L5_validate"),
]
CLI_VERBS = {"L1_submit": "submit", "L2_submit": "submit", "L3_submit": "submit", "L4_verify": "verify",
             "L4_return": "return", "L5_validate": "validate", "L5_return": "return"}


WITA = ZoneInfo("Asia/Makassar")


def fixed(when: str):
    return lambda: dt.datetime.fromisoformat(when).replace(tzinfo=WITA)


def type_cells(book: standin.Book, values: dict, definition) -> None:
    for key, value in values.items():
        if "[" in key:
            table, rest = key.split("[")
            row, column = rest.split("].")
            columns = [c.name for c in definition.columns_of(definition.table(table))]
            book.type_into(table, int(row) - 1, columns.index(column), value)
        else:
            book.type_into(key, 0, 0, value)


def run_live(path, definition, monkeypatch, story=STORY):
    book = standin.Book(path)
    for when, user, what, payload in story:
        monkeypatch.setenv("USERNAME", user)
        if what == "type":
            type_cells(book, payload, definition)
        elif what == "import":  # the Kasubbag pastes the PK rows into the table
            for r, row in enumerate(CSV_ROWS):
                for name, value in zip(CSV_HEADER, row):
                    book.type_into("indikator", r, COLUMNS.index(name), value)
        else:
            button, note = payload if isinstance(payload, tuple) else (payload, None)
            if note:
                book.app.answers.append(note)
            live.press(book, button, clock=fixed(when))
    return book


def run_cli(path, cli):
    for when, user, what, payload in STORY:
        if what == "type":
            args = ["set", path, *(f"{k}={v}" for k, v in payload.items())]
        elif what == "import":
            args = ["import", path, SAMPLE_CSV]
        else:
            button, note = payload if isinstance(payload, tuple) else (payload, None)
            args = [CLI_VERBS[button], path] + (["--note", note] if note else [])
        r = cli(*args, "--as", user, now=when)
        assert r.code == 0, (args, r.err)


def snapshot(path, definition) -> dict:
    port = FileWorkbook.open(path)
    names = [n for n in port.names() if n not in (N.NAME_MAP,)]
    values = {n: [[canonical(v) for v in row] for row in b.values] for n, b in port.read(names).items()}
    locks = {n: port.wb[b.sheet].cell(b.row, b.col).protection.locked for n, b in port.read(all_input_names(definition)).items()}
    return {"values": values, "locks": locks}


def test_buttons_run_the_whole_sop_with_the_same_values_locks_and_log_as_the_cli(tmp_path, book, cli, definition,
                                                                                    monkeypatch):
    live_path = tmp_path / "live" / book.name
    live_path.parent.mkdir()
    shutil.copy(book, live_path)
    standin_book = run_live(live_path, definition, monkeypatch)
    assert [a for a in standin_book.app.alerts if a[3] == "critical"] == []
    run_cli(book, cli)
    ours, theirs = snapshot(live_path, definition), snapshot(book, definition)
    logged = [row for row in theirs["values"][N.LOG] if row[0]]
    assert [row[7] for row in logged] == ["Kirim", "Kirim", "Kirim", "Kembalikan", "Kirim", "Verifikasi", "Validasi"]
    assert ours["values"][N.LOG] == theirs["values"][N.LOG]          # same chain, hash for hash
    assert ours["locks"] == theirs["locks"]
    for name in theirs["values"]:
        assert ours["values"][name] == theirs["values"][name], name
    assert (live_path.parent / "ekspor").exists() is False  # live export is its own button


def test_calls_into_excel_do_not_grow_with_rows(tmp_path, book, definition, monkeypatch):
    counts = []
    for extra in (0, 150):
        path = tmp_path / f"k{extra}.xlsm"
        shutil.copy(book, path)
        story = STORY[:6]
        live_book = run_live(path, definition, monkeypatch, story)
        for r in range(8, 8 + extra):
            for c, v in enumerate([r + 1, "S", f"I{r}", "%", "naik", 100, None, None, None, 90]):
                live_book.type_into("indikator", r, c, v)
            live_book.type_into("indikator", r, 11, "Bagian")
        live_book.rec.reset()
        monkeypatch.setenv("USERNAME", "rahmah")
        live.press(live_book, "L3_submit", clock=fixed("2026-10-05T10:10"))
        assert live_book.app.alerts[-1][3] == "info", live_book.app.alerts[-1]
        counts.append(live_book.rec.total)
    assert counts[0] == counts[1]


def test_a_refusal_is_a_dialog_and_leaves_the_book_untouched_and_protected(book, monkeypatch):
    live_book = standin.Book(book)
    before = digest(book)
    monkeypatch.setenv("USERNAME", "ridha")
    live.press(live_book, "L1_submit", clock=fixed("2026-10-01T09:00"))
    prompt, title, _, mode = live_book.app.alerts[-1]
    assert mode == "critical" and title == "Kinerja SETWAN" and "bukan Sekretaris DPRD" in prompt
    assert digest(book) == before and live_book.saves == 0
    assert all(s.protected for s in live_book.sheets if s.name != N.CONF_SHEET)


def test_a_button_of_another_step_says_whose_turn_it_is(book, monkeypatch):
    live_book = standin.Book(book)
    monkeypatch.setenv("USERNAME", "ridha")
    live.press(live_book, "L4_verify", clock=fixed("2026-10-01T09:00"))
    assert "Tombol ini untuk langkah 4" in live_book.app.alerts[-1][0]
    assert "Giliran sekarang: langkah 1" in live_book.app.alerts[-1][0]


def test_cancelled_return_note_does_nothing(book, monkeypatch, definition):
    live_book = run_live(book, definition, monkeypatch, STORY[:7])
    saves = live_book.saves
    monkeypatch.setenv("USERNAME", "ridha")
    live.press(live_book, "L4_return", clock=fixed("2026-10-06T09:00"))  # no answer queued: Cancel
    assert live_book.saves == saves and live_book.app.prompts


def test_unexpected_error_is_a_friendly_dialog_with_a_log_file_and_the_book_restored(book, monkeypatch, tmp_path):
    live_book = standin.Book(book)
    type_cells(live_book, STORY[0][3], None)
    monkeypatch.setenv("USERNAME", "ardiansyah")
    monkeypatch.setenv(live.LOG_DIR_ENV, str(tmp_path / "logs"))
    before = live_book.value_of("disposisi_tanggal")

    def broken_save(path=None, password=None):
        raise standin.ComError("Excel sedang sibuk")

    monkeypatch.setattr(live_book, "save", broken_save)
    live.press(live_book, "L1_submit", clock=fixed("2026-10-01T09:05"))
    prompt = live_book.app.alerts[-1][0]
    assert "kesalahan tak terduga" in prompt and "Traceback" not in prompt
    log = tmp_path / "logs" / "kinerja-xl.log"
    assert str(log) in prompt and "ComError: Excel sedang sibuk" in log.read_text()
    assert live_book.value_of("disposisi_tanggal") == before          # normalised date put back
    assert live_book.value_of(N.LOG)[0][0] is None                    # no log row left behind


def test_version_mismatch_says_what_to_do(book, monkeypatch):
    live_book = standin.Book(book)
    live_book.type_into(N.META_XLWINGS, 0, 0, "0.30.0")
    live.press(live_book, "status", clock=fixed("2026-10-01T09:00"))
    prompt = live_book.app.alerts[-1][0]
    assert "xlwings 0.30.0" in prompt and "pip install xlwings==0.30.0" in prompt and "kinerja-xl build" in prompt


def test_status_check_and_export_buttons(book, monkeypatch, definition, tmp_path):
    live_book = run_live(book, definition, monkeypatch)
    live.press(live_book, "status", clock=fixed("2026-10-08T11:00"))
    assert "Periode sudah ditutup" in live_book.app.alerts[-1][0]
    live.press(live_book, "check", clock=fixed("2026-10-08T11:00"))
    assert live_book.app.alerts[-1][0].startswith("Tidak ada perubahan")
    live.press(live_book, "export", clock=fixed("2026-10-08T11:05"))
    prompt = live_book.app.alerts[-1][0]
    assert "Hasil diekspor ke" in prompt
    folder = Path(prompt.split("\n", 1)[1])
    assert sorted(p.suffix for p in folder.iterdir()) == [".csv", ".json", ".pdf", ".xlsx"]
    assert main(["check", str(folder)]) == 0
    assert live_book.app.status_bar is False


def test_ribbon_tekan_attaches_to_the_calling_book(book, monkeypatch):
    import xlwings

    from kinerja_xl.entrypoints import ribbon

    live_book = standin.Book(book)
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: live_book))
    ribbon.tekan("status")
    assert "Giliran sekarang: langkah 1" in live_book.app.alerts[-1][0]


def test_a_read_only_copy_refuses_an_action_before_asking_anything_and_never_saves(book, monkeypatch, definition):
    """Excel opens a read-only copy when someone else has the file open; saving it would meet the Save As
    dialog (ReadOnlySaveAs in the stand-in) in the middle of the action."""
    path = run_live(book, definition, monkeypatch, STORY[:7]).fullname
    live_book = standin.Book(path, read_only=True)
    before = digest(book)
    monkeypatch.setenv("USERNAME", "ridha")
    live.press(live_book, "L4_return", clock=fixed("2026-10-06T09:00"))
    prompt, _, _, mode = live_book.app.alerts[-1]
    assert mode == "critical" and "hanya-baca" in prompt and "Tombol Status tetap dapat dipakai" in prompt
    assert live_book.app.prompts == [] and live_book.saves == 0 and digest(book) == before
    live.press(live_book, "status", clock=fixed("2026-10-06T09:00"))
    live.press(live_book, "check", clock=fixed("2026-10-06T09:00"))
    assert live_book.app.alerts[-1][0].startswith("Tidak ada perubahan") and digest(book) == before


@pytest.mark.parametrize("note", ["2", "1/2", "01-10-2026 09:05", "=A1"])
def test_a_note_excel_would_parse_is_logged_as_typed_and_the_log_stays_whole(book, monkeypatch, definition, note):
    live_book = run_live(book, definition, monkeypatch, STORY[:7] + [("2026-10-06T09:00", "ridha", "press",
                                                                      ("L4_return", note))])
    assert live_book.app.alerts[-1][3] == "info", live_book.app.alerts[-1]
    logged = [row for row in live_book.value_of(N.LOG) if row[0]]
    assert note in logged[-1]
    live.press(live_book, "check", clock=fixed("2026-10-06T09:10"))
    assert live_book.app.alerts[-1][0].startswith("Tidak ada perubahan"), live_book.app.alerts[-1][0]


def test_excel_refusing_a_write_is_an_indonesian_message_not_a_vba_dialog(book, monkeypatch):
    """A sheet protected with a password this computer does not know: Excel refuses to re-protect it. The
    macro answers the refusal; an unhandled VBA error would stop at Excel's End/Debug dialog."""
    live_book = standin.Book(book)
    type_cells(live_book, STORY[0][3], None)
    live_book.sheets["1 Disposisi"].password = "sandi-lain"
    monkeypatch.setenv("USERNAME", "ardiansyah")
    live.press(live_book, "L1_submit", clock=fixed("2026-10-01T09:05"))
    prompt, _, _, mode = live_book.app.alerts[-1]
    assert mode == "critical" and "Excel menolak" in prompt and "KINERJA_XL_SANDI" in prompt
    assert "tak terduga" not in prompt and live_book.saves == 0
    assert live_book.value_of(N.LOG)[0][0] is None
