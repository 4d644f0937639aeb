"""The fault catalogue (docs/faults.md): each bad input or fault gets its message, its exit code, and an untouched file."""
from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import zipfile

import openpyxl
import pytest

from kinerja_xl.domain import names as N
from kinerja_xl.adapters import package
from kinerja_xl.entrypoints.cli import main
from tests.conftest import ROOT, SAMPLE_CSV, copy, digest, named_cells
from tests.flow import STEP1, STEP2, log_rows, to_step


def edit(book, name, r, c, value):
    """What a person (or a paste) does to a cell, bypassing Excel's validation."""
    wb = openpyxl.load_workbook(book, keep_vba=True)
    named_cells(wb, name)[r][c].value = value
    wb.save(book)


def refused(cli, book, *args, code=3, now="2026-10-05T10:30"):
    before = digest(book)
    r = cli(*args, now=now)
    assert r.code == code, (r.code, r.out, r.err)
    assert digest(book) == before, "a refusal changed the workbook"
    return r.err


@pytest.mark.parametrize("typed, message", [
    ("sepuluh", "bukan angka: 'sepuluh'"), ("-5", "tidak boleh negatif: '-5'"),
    ("10000000000000", "angka terlalu besar"), ("1.250", "angka ambigu"), ("=F14*2", "rumus tidak diterima"),
])
def test_bad_numbers_in_the_indicator_table(cli, book, typed, message):
    to_step(cli, book, 3)
    err = refused(cli, book, "set", book, f"indikator[1].target={typed}", "--as", "rahmah")
    assert message in err and "Target (baris 1) di '3 Input Data'!F13" in err


def test_percent_text_is_the_percentage_itself(cli, book):
    from tests.flow import value

    to_step(cli, book, 3)
    assert cli("set", book, "indikator[1].target=85%", "indikator[1].realisasi_tw4=85,5 %", "--as", "rahmah").code == 0
    assert value(book, "indikator")[0][5] == 85 and value(book, "indikator")[0][9] == 85.5


def test_blank_target_is_named_on_submit(cli, book):
    to_step(cli, book, 3)
    cli("import", book, SAMPLE_CSV, "--as", "rahmah")
    edit(book, "indikator", 2, 5, None)
    err = refused(cli, book, "submit", book, "--as", "rahmah")
    assert "Target (baris 3 Data Input Kinerja Organisasi) di '3 Input Data'!F15 wajib diisi" in err


def test_formula_typed_into_an_input_cell_is_refused(cli, book):
    cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00")
    edit(book, "disposisi_isi", 0, 0, "=B12&B13")
    err = refused(cli, book, "submit", book, "--as", "ardiansyah", now="2026-10-01T09:05")
    assert "Isi Disposisi di '1 Disposisi'!B15: rumus tidak diterima" in err


@pytest.mark.parametrize("typed, message", [
    ("31-02-2026", "tanggal tidak ada: '31-02-2026'"), ("kemarin", "bukan tanggal: 'kemarin'"),
    ("01-12-2026", "tanggal di masa depan"),
])
def test_bad_dates(cli, book, typed, message):
    err = refused(cli, book, "set", book, f"disposisi_tanggal={typed}", "--as", "ardiansyah", now="2026-10-01T09:00")
    assert message in err and "Tanggal Disposisi di '1 Disposisi'!B13" in err


def test_date_typed_as_indonesian_text_is_accepted(cli, book):
    assert cli("set", book, "disposisi_tanggal=1 Oktober 2026", "--as", "ardiansyah", now="2026-10-01T09:00").code == 0


@pytest.mark.parametrize("nip, message", [("1962071819830210", "harus 18 angka"),
                                          ("19621318198302 1 004", "tanggal lahir")])
def test_wrong_nip_in_pengaturan_is_named_with_its_cell(cli, book, nip, message):
    edit(book, N.OFFICIALS, 1, 1, nip)
    err = refused(cli, book, "set", book, *STEP1, "--as", "ardiansyah")
    assert message in err and "'Pengaturan'!B12" in err


def test_values_pasted_beside_a_table_change_nothing_and_into_a_locked_step_are_refused(cli, book):
    to_step(cli, book, 3)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb["3 Input Data"]["N13"] = "tempelan"          # right of the indicator table
    named_cells(wb, "disposisi_isi")[0][0].value = "diubah setelah dikirim"
    wb.save(book)
    err = refused(cli, book, "import", book, SAMPLE_CSV, "--as", "rahmah")
    assert "langkah 1 (1 Disposisi, termasuk Pengaturan)" in err


def test_duplicate_and_empty_indicator_rows(cli, book, tmp_path):
    to_step(cli, book, 3)
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "pk.csv"
    data.write_text("\n".join([lines[0], lines[1], ",,,,,,,,,,", lines[2].replace("2,", "1,", 1)]) + "\n",
                    encoding="utf-8")
    err = refused(cli, book, "import", book, data, "--as", "rahmah")   # the empty line is skipped, not counted
    assert "pk.csv baris 2 dan baris 4: No '1' ganda" in err
    assert cli("import", book, SAMPLE_CSV, "--as", "rahmah").code == 0
    assert cli("set", book, "indikator[2].no=1", "--as", "rahmah").code == 0  # typed in the sheet, not imported
    err = refused(cli, book, "submit", book, "--as", "rahmah")
    assert "No '1' ganda di '3 Input Data'!A13 dan '3 Input Data'!A14" in err


def test_csv_with_extra_columns_is_loaded_and_says_what_it_ignored(cli, book, tmp_path):
    to_step(cli, book, 3)
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "pk.csv"
    data.write_text("\n".join([lines[0] + ",catatan_internal"] + [line + ",x" for line in lines[1:]]), encoding="utf-8")
    r = cli("import", book, data, "--as", "rahmah")
    assert r.code == 0 and "Kolom diabaikan: catatan_internal" in r.out


def test_csv_with_an_unknown_delimiter_says_so(cli, book, tmp_path):
    to_step(cli, book, 3)
    data = tmp_path / "pk.csv"
    data.write_text(SAMPLE_CSV.read_text(encoding="utf-8").replace(",", "|"), encoding="utf-8")
    err = refused(cli, book, "import", book, data, "--as", "rahmah")
    assert "kolom wajib tidak ada" in err and "pemisah kolom" in err


def test_truncated_workbook(cli, book):
    book.write_bytes(book.read_bytes()[:20000])
    assert "terpotong" in refused(cli, book, "submit", book, "--as", "ardiansyah", code=4)


@pytest.mark.parametrize("command", ["submit", "check", "export"])
def test_a_sheet_that_does_not_parse_is_exit_4_for_full_and_streamed_reads(cli, book, command):
    """submit loads the whole workbook; check and export stream it, so the damage shows while reading."""
    damaged = io.BytesIO()
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet5.xml" else data)
    book.write_bytes(damaged.getvalue())
    extra = ("--as", "ardiansyah") if command == "submit" else ("--draft", "--no-pdf") if command == "export" else ()
    err = refused(cli, book, command, book, *extra, code=4)
    assert "tidak dapat dibaca sebagai buku kerja" in err and "Pulihkan dari" in err


@pytest.mark.parametrize("member, cut", [("xl/worksheets/sheet5.xml", b"</sheetData>"), ("docProps/app.xml", b"</")])
def test_check_refuses_a_part_broken_away_from_every_named_block(cli, book, member, cut):
    """`check` reads only the named blocks, yet a part broken anywhere (past a table's last row, or a part no block
    lives in) is refused as a full load refuses it, never passed over as a clean workbook."""
    damaged = io.BytesIO()
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == member:
                at = data.rindex(cut)
                data = data[:at] + b"<row><c>" + data[at:]  # unclosed elements where no block reads
            zout.writestr(item, data)
    book.write_bytes(damaged.getvalue())
    err = refused(cli, book, "check", book, code=4)
    assert "tidak dapat dibaca sebagai buku kerja" in err


def test_check_names_a_vba_project_it_cannot_read(cli, book):
    """A vbaProject.bin that does not parse is one finding (exit 1), not an unexpected error."""
    damaged = io.BytesIO()
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, b"garbage" * 100 if item.filename == "xl/vbaProject.bin" else zin.read(item.filename))
    book.write_bytes(damaged.getvalue())
    r = cli("check", book)
    assert r.code == 1 and "Proyek VBA (xl/vbaProject.bin) rusak" in r.out + r.err, r.out + r.err


def test_a_damaged_workbook_names_its_backup_only_when_there_is_one(cli, book, tmp_path):
    other = tmp_path / "data.csv"
    other.write_text("no,indikator\n1,x\n", encoding="utf-8")
    err = refused(cli, other, "status", other, code=4)
    assert ".bak" not in err and "Pulihkan dari salinan terakhir" in err
    (tmp_path / "data.csv.bak").write_bytes(b"x")
    assert "Pulihkan dari 'data.csv.bak'" in refused(cli, other, "status", other, code=4)


def test_xlsx_without_vba(cli, book, tmp_path):
    plain = tmp_path / "tanpa_makro.xlsx"
    openpyxl.load_workbook(book).save(plain)
    assert "tidak memuat makro" in refused(cli, plain, "submit", plain, "--as", "ardiansyah", code=4)


def test_password_protected_file(cli, tmp_path):
    locked = tmp_path / "terkunci.xlsm"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    assert "kata sandi pembukaan" in refused(cli, locked, "submit", locked, "--as", "ardiansyah", code=4)


def test_newer_workbook_format_is_refused(cli, book):
    edit(book, N.META_FORMAT, 0, 0, 99)
    assert "format buku kerja versi 99" in refused(cli, book, "status", book, code=4)


def test_interrupted_save_leaves_the_original_whole(cli, book, monkeypatch):
    before = digest(book)

    def crash(src, dst):
        raise KeyboardInterrupt  # Ctrl+C, or the machine going down, between temp file and replace

    monkeypatch.setattr(os, "replace", crash)
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and digest(book) == before
    assert [p.name for p in book.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_process_killed_before_replace_leaves_the_original_whole(book, tmp_path):
    """A hard kill leaves a hidden temp file behind; the workbook itself is the original, whole."""
    before = digest(book)
    script = (
        "import os, sys; from kinerja_xl.entrypoints.cli import main\n"
        "os.replace = lambda src, dst: os._exit(9)\n"
        f"sys.exit(main(['set', {str(book)!r}, *{STEP1!r}, '--as', 'ardiansyah']))\n"
    )
    env = dict(os.environ, KINERJA_XL_NOW="2026-10-01T09:00+08:00")
    assert subprocess.run([sys.executable, "-c", script], env=env).returncode == 9
    assert digest(book) == before
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None and "xl/vbaProject.bin" in z.namelist()
    leftovers = [p.name for p in book.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers and all(p.startswith(".") for p in leftovers)   # hidden, never named like the workbook
    assert package.read_part(book, package.CUSTOMUI_PART)


def test_control_characters_are_refused_not_a_traceback(cli, book):
    err = refused(cli, book, "set", book, "disposisi_isi=a\x01b", "--as", "ardiansyah", now="2026-10-01T09:00")
    assert "karakter kontrol" in err and "'1 Disposisi'!B15" in err


# --- issue 14: integrity without holes (disk and process faults) -------------------------------------------

@pytest.fixture(autouse=True)
def _log_here(tmp_path, monkeypatch):
    """Details of an unexpected error (exit 5) go to the test's folder, not the home directory."""
    monkeypatch.setenv("KINERJA_XL_LOG_DIR", str(tmp_path / "log"))


def killed_at(book, argv, point, now):
    """Run `kinerja-xl ARGV` in a child that SIGKILLs itself at `point` ('book': as the workbook is about to be
    replaced; 'anchor-after-book': as the sidecar is about to be replaced after the workbook was)."""
    script = (
        "import os, signal, sys\n"
        "from kinerja_xl.entrypoints.cli import main\n"
        f"book, point = {str(book)!r}, {point!r}\n"
        "real, done = os.replace, []\n"
        "def replace(src, dst):\n"
        "    if str(dst) == book:\n"
        "        if point == 'book':\n"
        "            os.kill(os.getpid(), signal.SIGKILL)\n"
        "        done.append(dst)\n"
        "    elif str(dst).endswith('.anchor.json') and done and point == 'anchor-after-book':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(src, dst)\n"
        "os.replace = replace\n"
        f"sys.exit(main({[str(a) for a in argv]!r}))\n"
    )
    env = dict(os.environ, KINERJA_XL_NOW=now + "+08:00")
    return subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)


def test_a_lock_left_by_a_killed_process_is_broken_at_once(cli, book):
    r = killed_at(book, ["set", book, *STEP1, "--as", "ardiansyah"], "book", "2026-10-01T09:00")
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert book.with_name(f".{book.name}.kinerja-lock").exists()          # the killed holder could not remove it
    r = cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00")
    assert r.code == 0, r.err
    assert not book.with_name(f".{book.name}.kinerja-lock").exists()


def test_a_lock_held_by_a_live_process_is_kept_and_named(cli, book):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = book.with_name(f".{book.name}.kinerja-lock")
        lock.write_text(json.dumps({"pid": holder.pid, "host": socket.gethostname(), "mulai": "2026-10-01T08:59:00+08:00"}))
        err = refused(cli, book, "set", book, *STEP1, "--as", "ardiansyah", code=4)
        assert f"proses {holder.pid} di komputer {socket.gethostname()}" in err and "Tunggu" in err
        assert lock.exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_from_another_computer_keeps_the_age_rule(cli, book):
    lock = book.with_name(f".{book.name}.kinerja-lock")
    lock.write_text(json.dumps({"pid": 999999, "host": "komputer-lain", "mulai": "2026-10-01T08:59:00+08:00"}))
    err = refused(cli, book, "set", book, *STEP1, "--as", "ardiansyah", code=4)
    assert "komputer komputer-lain" in err and "10 menit" in err and lock.exists()
    old = time.time() - 11 * 60
    os.utime(lock, (old, old))
    assert cli("set", book, *STEP1, "--as", "ardiansyah").code == 0


def _two_steps_then_killed(cli, book, point):
    to_step(cli, book, 2)
    assert cli("set", book, *STEP2, "--as", "ridha", now="2026-10-02T08:00").code == 0
    r = killed_at(book, ["submit", book, "--as", "ridha"], point, "2026-10-02T08:05")
    assert r.returncode == -signal.SIGKILL, r.stderr


def test_a_kill_between_the_workbook_and_its_anchor_is_interrupted_not_tampering(cli, book):
    _two_steps_then_killed(cli, book, "anchor-after-book")
    assert len(log_rows(book)) == 2                                      # the action itself was saved
    r = cli("check", book)
    assert r.code == 0, r.out
    assert "terputus" in r.out and "tidak ikut diperbarui" not in r.out
    r = cli("set", book, "indikator[1].target=10", "--as", "rahmah", now="2026-10-05T10:00")
    assert r.code == 0 and "terputus setelah buku kerja disimpan; berkas anchor sudah dipulihkan" in r.err
    assert "menunggu" not in book.with_name(book.name + ".anchor.json").read_text(encoding="utf-8")
    r = cli("check", book)
    assert r.code == 0 and "terputus" not in r.out


def test_a_kill_before_the_workbook_is_replaced_keeps_the_old_pair(cli, book):
    _two_steps_then_killed(cli, book, "book")
    assert len(log_rows(book)) == 1
    r = cli("check", book)
    assert r.code == 0 and "terputus sebelum buku kerja disimpan" in r.out, r.out
    r = cli("set", book, *STEP2, "--as", "ridha", now="2026-10-02T08:06")
    assert r.code == 0 and "terputus sebelum buku kerja disimpan dan tidak tercatat" in r.err, r.err
    assert "menunggu" not in book.with_name(book.name + ".anchor.json").read_text(encoding="utf-8")
    assert cli("submit", book, "--as", "ridha", now="2026-10-02T08:07").code == 0
    assert cli("check", book).code == 0


def test_a_pending_anchor_still_catches_a_cut_log_tail(cli, book):
    """An interrupted pair is read by its bytes: a workbook edited afterwards is not excused as 'interrupted'."""
    _two_steps_then_killed(cli, book, "anchor-after-book")
    wb = openpyxl.load_workbook(book, keep_vba=True)
    for cell in named_cells(wb, N.LOG)[1]:
        cell.value = None
    wb.save(book)
    r = cli("check", book)
    assert r.code == 1 and "Log hanya 1 baris, anchor mencatat 2" in r.out


def test_a_full_disk_is_exit_4_disk_penuh_with_no_temp_file(cli, book, monkeypatch):
    """Always on: ENOSPC stood in where a full disk shows (the data reaching the disk)."""
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    before = digest(book)
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "disk penuh" in r.err and "sedang dipakai" not in r.err
    assert digest(book) == before
    assert sorted(p.name for p in book.parent.iterdir()) == [book.name]


def test_a_full_disk_while_taking_the_lock_is_exit_4_not_a_traceback(cli, book, monkeypatch):
    real = os.write

    def full(fd, data):
        if str(os.getpid()).encode() in bytes(data):  # the lock's content
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", full)
    r = cli("set", book, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "disk penuh" in r.err
    assert sorted(p.name for p in book.parent.iterdir()) == [book.name]


@pytest.fixture
def small_disk(tmp_path):
    """A real 120 KB tmpfs (root and a kernel that allows it); skipped, with the reason shown, where not."""
    where = tmp_path / "kecil"
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"tmpfs cannot be mounted here ({done.stderr.decode().strip()}); "
                    "test_a_full_disk_is_exit_4_disk_penuh_with_no_temp_file covers ENOSPC")
    try:
        yield where
    finally:  # lazily, should a handle still be open: a mount left behind would outlive the test run
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=True)


def test_a_really_full_disk_tmpfs(cli, book, small_disk):
    """Only where tmpfs can be mounted (root): a real ENOSPC, first at the lock, then at the temp file."""
    target = copy(book, small_disk / book.name)
    filler = small_disk / "isi"
    with open(filler, "wb", buffering=0) as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 1024)
    before = digest(target)
    r = cli("set", target, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "disk penuh" in r.err, r.err
    filler.write_bytes(b"\0" * 16 * 1024)  # now the lock fits but a second copy of the workbook does not
    r = cli("set", target, *STEP1, "--as", "ardiansyah")
    assert r.code == 4 and "disk penuh" in r.err and "sedang dipakai" not in r.err, r.err
    assert digest(target) == before
    assert sorted(p.name for p in small_disk.iterdir()) == sorted([target.name, filler.name])


@pytest.mark.skipif(not hasattr(os, "chown"), reason="POSIX owners")
def test_a_save_keeps_the_mode_and_owner(cli, book):
    os.chmod(book, 0o640)
    if os.geteuid() == 0:
        os.chown(book, 4321, 4322)
    before = os.stat(book)
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    assert cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    after = os.stat(book)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def test_a_symlinked_workbook_is_written_through_and_stays_a_link(cli, book, tmp_path):
    shared = tmp_path / "bersama"
    shared.mkdir()
    real = copy(book, shared / book.name)
    link = tmp_path / "pintasan.xlsm"
    link.symlink_to(real)
    before = digest(real)
    assert cli("set", link, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    assert cli("submit", link, "--as", "ardiansyah", now="2026-10-01T09:05").code == 0
    assert link.is_symlink() and link.resolve() == real
    assert digest(real) != before and len(log_rows(real)) == 1
    assert not list(tmp_path.glob(".*.tmp")) and not list(shared.glob(".*.tmp"))
    assert cli("check", link).code == 0 and cli("check", real).code == 0


def cli_child(*argv, timeout=30):
    """`kinerja-xl ARGV` in a child with a time and memory limit: a command that blocks or reads forever fails
    the test instead of hanging it or exhausting the machine."""
    def limits():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    try:
        return subprocess.run([sys.executable, "-m", "kinerja_xl.entrypoints.cli", *map(str, argv)], cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout, preexec_fn=limits,
                              env=dict(os.environ, KINERJA_XL_NOW="2026-10-05T10:00+08:00"))
    except subprocess.TimeoutExpired:
        pytest.fail(f"kinerja-xl {' '.join(map(str, argv))} does not finish")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
@pytest.mark.parametrize("command", [["check"], ["status"], ["set", "disposisi_isi=x", "--as", "ardiansyah"]])
def test_a_fifo_is_refused_before_it_is_opened(tmp_path, command):
    fifo = tmp_path / "Kinerja_SETWAN.xlsm"
    os.mkfifo(fifo)
    r = cli_child(command[0], fifo, *command[1:])
    assert r.returncode == 4 and "bukan berkas biasa" in r.stderr and "Traceback" not in r.stderr, r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="POSIX devices")
def test_a_device_as_workbook_or_data_is_refused(cli, book):
    r = cli_child("check", "/dev/zero")
    assert r.returncode == 4 and "bukan berkas biasa" in r.stderr, r.stderr
    to_step(cli, book, 3)
    before = digest(book)
    r = cli_child("import", book, "/dev/zero", "--as", "rahmah")
    assert r.returncode == 4 and "bukan berkas biasa" in r.stderr, r.stderr
    assert digest(book) == before


def run_main(monkeypatch, capsys, argv, now):
    monkeypatch.setenv("KINERJA_XL_NOW", now)
    capsys.readouterr()
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("now", ["kemarin", "9999-12-31T23:59-12:00", "0001-01-01T00:00+12:00", "1850-01-01T09:00"])
def test_a_bad_fixed_clock_is_a_usage_error_naming_the_variable(monkeypatch, capsys, book, now):
    before = digest(book)
    code, err = run_main(monkeypatch, capsys, ["set", book, *STEP1, "--as", "ardiansyah"], now)
    assert code == 2 and "KINERJA_XL_NOW" in err and "YYYY-MM-DDTHH:MM" in err, err
    assert digest(book) == before


def test_a_fixed_clock_outside_test_mode_is_refused_so_nobody_dates_the_log_at_will(monkeypatch, capsys, book):
    monkeypatch.delenv("KINERJA_XL_MODE_UJI")
    before = digest(book)
    code, err = run_main(monkeypatch, capsys, ["set", book, *STEP1, "--as", "ardiansyah"], "2026-10-01T09:00")
    assert code == 2 and "hanya berlaku untuk demo dan pengujian" in err and "Hapus variabel KINERJA_XL_NOW" in err
    assert digest(book) == before


def test_a_fixed_clock_in_another_zone_is_logged_in_the_office_zone(monkeypatch, capsys, book):
    from tests.flow import value

    assert run_main(monkeypatch, capsys, ["set", book, *STEP1, "--as", "ardiansyah"], "2026-09-30T16:00-12:00")[0] == 0
    assert run_main(monkeypatch, capsys, ["submit", book, "--as", "ardiansyah"], "2026-09-30T16:05-12:00")[0] == 0
    assert value(book, "aksi_1")[1][0] == "01-10-2026 12:05 WITA"
    assert log_rows(book)[0][1] == "2026-10-01T12:05:00+08:00"


def without_part(book, part):
    data = io.BytesIO()
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != part:
                zout.writestr(item, zin.read(item.filename))
    book.write_bytes(data.getvalue())


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/worksheets/sheet8.xml"])
@pytest.mark.parametrize("command", [["check"], ["status"], ["export", "--draft", "--no-pdf"]])
def test_a_missing_package_part_is_exit_4_for_every_command(cli, book, part, command):
    """A part the package points at but does not hold: the file cannot be read (4), not an integrity finding (1)."""
    without_part(book, part)
    err = refused(cli, book, command[0], book, *command[1:], code=4)
    assert f"bagian paket {part} tidak ada" in err and "Pulihkan dari" in err


def test_a_deleted_sheet_is_a_finding_for_check_and_unreadable_for_the_rest(cli, book):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    del wb["Log"]
    wb.save(book)
    r = cli("check", book)
    assert r.code == 1 and "Susunan lembar berubah" in r.out
    err = refused(cli, book, "status", book, code=4)
    assert "lembar 'Log' tidak ada" in err and "kinerja-xl check" in err and "Worksheet" not in err
