"""`check FOLDER`: every way of editing an export folder is caught and named in Bahasa Indonesia, never a traceback.

One real export (the whole SOP with its PDF) is made per module; each case edits a copy of it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal

import pytest

from tests.flow import validated


@pytest.fixture(scope="module")
def original(module_cli, tmp_path_factory, demo_bytes):
    book = tmp_path_factory.mktemp("ekspor") / "Kinerja_SETWAN.xlsm"
    book.write_bytes(demo_bytes)
    validated(module_cli, book)
    folder = next((book.parent / "ekspor").iterdir())
    keep = tmp_path_factory.mktemp("arsip") / "manifest.json"     # the copy sent by e-mail
    shutil.copy(folder / "manifest.json", keep)
    return book, folder, keep


@pytest.fixture
def folder(original, tmp_path):
    return shutil.copytree(original[1], tmp_path / original[1].name, symlinks=True)


def manifest(folder) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(folder, data) -> None:
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def one(folder, suffix):
    return next(p for p in folder.iterdir() if p.name.endswith(suffix))


def rehash(folder, path) -> None:
    """What a careful forger does after editing a file: make the manifest agree with it."""
    data = manifest(folder)
    data["berkas"][path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    write_manifest(folder, data)


def head(folder) -> str:
    log = manifest(folder)["log"]
    return f"{log['baris']}:{log['hash']}"


def check(cli, folder, *anchor, code=1):
    r = cli("check", folder, *(("--anchor", anchor[0]) if anchor else ()))
    assert r.code == code, (r.code, r.out, r.err)
    assert "Traceback" not in r.out + r.err
    return r.out + r.err


# ---------------------------------------------------------------- edits, each with what it must say

def change_xlsx(f):
    p = one(f, ".xlsx")
    p.write_bytes(p.read_bytes() + b"\0")
    return f"Berkas '{p.name}' berubah"


def truncate_pdf(f):
    p = one(f, ".pdf")
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    return f"Berkas '{p.name}' berubah"


def truncate_pdf_and_rehash(f):
    p = one(f, ".pdf")
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    rehash(f, p)
    return f"Berkas '{p.name}' bukan PDF utuh"


def edit_csv(f):
    p = one(f, "_log.csv")
    p.write_bytes(p.read_bytes().replace(b"ARDIANSYAH", b"ARDIANSYAx", 1))
    return f"Berkas '{p.name}' berubah"


def edit_csv_and_rehash(f):
    p = one(f, "_log.csv")
    p.write_bytes(p.read_bytes().replace(b"ARDIANSYAH", b"ARDIANSYAx", 1))
    rehash(f, p)
    return f"Log CSV '{p.name}', baris 2: isi baris diubah"


def remove_csv(f):
    p = one(f, "_log.csv")
    p.unlink()
    return f"Berkas '{p.name}' yang tercatat di manifest tidak ada"


def add_forged_pdf(f):
    (f / "Hasil_revisi.pdf").write_bytes(b"%PDF-1.4 palsu")
    return "Berkas 'Hasil_revisi.pdf' tidak tercatat di manifest"


def add_folder(f):
    (f / "lampiran").mkdir()
    return "'lampiran' tidak tercatat di manifest"


def rename_xlsx(f):
    p = one(f, ".xlsx")
    p.rename(f / "Hasil.xlsx")
    return f"Berkas '{p.name}' yang tercatat di manifest tidak ada; 'Hasil.xlsx' berisi sama persis (diganti nama)"


def xlsx_replaced_by_the_workbook(f, book):
    p = one(f, ".xlsx")
    shutil.copy(book, p)
    return f"Berkas '{p.name}' berubah"


def xlsx_replaced_by_the_workbook_and_rehashed(f, book):
    p = one(f, ".xlsx")
    shutil.copy(book, p)
    rehash(f, p)
    return f"Berkas '{p.name}' memuat makro"


def traversal(f):
    outside = f.parent / "outside.txt"
    outside.write_text("di luar folder")
    data = manifest(f)
    data["berkas"]["../outside.txt"] = hashlib.sha256(outside.read_bytes()).hexdigest()
    write_manifest(f, data)
    return "'../outside.txt' bukan nama berkas di dalam folder ekspor"


def absolute(f):
    data = manifest(f)
    data["berkas"]["/etc/hostname"] = "0" * 64
    write_manifest(f, data)
    return "'/etc/hostname' bukan nama berkas di dalam folder ekspor"


def device(f):
    data = manifest(f)
    data["berkas"]["/dev/zero"] = "0" * 64
    write_manifest(f, data)
    return "'/dev/zero' bukan nama berkas di dalam folder ekspor"


def symlink_to_a_device(f):
    os.symlink("/dev/zero", f / "nol.pdf")
    data = manifest(f)
    data["berkas"]["nol.pdf"] = "0" * 64
    write_manifest(f, data)
    return "Berkas 'nol.pdf' adalah tautan simbolik"


def symlink_outside(f):
    outside = f.parent / "outside.txt"
    outside.write_text("di luar folder")
    os.symlink(outside, f / "luar.txt")
    data = manifest(f)
    data["berkas"]["luar.txt"] = hashlib.sha256(outside.read_bytes()).hexdigest()
    write_manifest(f, data)
    return "Berkas 'luar.txt' adalah tautan simbolik"


def fifo(f):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(f / "pipa.pdf")
    data = manifest(f)
    data["berkas"]["pipa.pdf"] = "0" * 64
    write_manifest(f, data)
    return "Berkas 'pipa.pdf' bukan berkas biasa"


def windows_names(f):
    data = manifest(f)
    data["berkas"] |= {"NUL.pdf": "0" * 64, "Hasil.pdf:aliran": "0" * 64}
    write_manifest(f, data)
    return "'NUL.pdf' bukan nama berkas di dalam folder ekspor (nama perangkat Windows"


def list_manifest(f):
    write_manifest(f, [manifest(f)])
    return "manifest.json bukan objek JSON"


def not_json(f):
    (f / "manifest.json").write_text("{\"berkas\": ", encoding="utf-8")
    return "manifest.json bukan JSON yang sah"


def missing_manifest(f):
    (f / "manifest.json").unlink()
    return "manifest.json tidak ada"


def missing_keys(f):
    data = manifest(f)
    del data["berkas"], data["log"]
    write_manifest(f, data)
    return "manifest.json: kunci 'berkas' tidak ada"


def ill_typed_keys(f):
    data = manifest(f)
    data["berkas"] = {name: 5 for name in data["berkas"]}
    data["log"] = {"baris": "lima", "hash": None}
    write_manifest(f, data)
    return "bukan SHA-256"


def duplicate_key(f):
    text = (f / "manifest.json").read_text(encoding="utf-8")
    (f / "manifest.json").write_text(text.replace('"berkas": {', '"berkas": {"a.pdf": "' + "0" * 64 + '", "a.pdf": "'
                                                  + "1" * 64 + '",', 1), encoding="utf-8")
    return "kunci 'a.pdf' ganda"


def manifest_head_rewritten(f):
    data = manifest(f)
    data["log"]["hash"] = "ab" * 32
    write_manifest(f, data)
    return "Kepala log di manifest (5:abababababab…) tidak sama dengan log CSV"


CASES = [change_xlsx, truncate_pdf, truncate_pdf_and_rehash, edit_csv, edit_csv_and_rehash, remove_csv,
         add_forged_pdf, add_folder, rename_xlsx, traversal, absolute, device, symlink_to_a_device, symlink_outside,
         fifo, windows_names, list_manifest, not_json, missing_manifest, missing_keys, ill_typed_keys, duplicate_key,
         manifest_head_rewritten]


@pytest.fixture
def alarm():
    """A FIFO or a device that is opened would block or never end: fail instead of hanging."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("check hung: it opened a FIFO or a device"))
    signal.alarm(60)
    yield
    signal.alarm(0)


@pytest.mark.parametrize("edit", CASES, ids=lambda e: e.__name__)
def test_each_edit_is_caught_and_named(module_cli, folder, edit, alarm):
    expected = edit(folder)
    assert expected in check(module_cli, folder)


@pytest.mark.parametrize("edit", [xlsx_replaced_by_the_workbook, xlsx_replaced_by_the_workbook_and_rehashed],
                         ids=lambda e: e.__name__)
def test_the_xlsx_replaced_by_the_macro_workbook_is_caught(module_cli, original, folder, edit):
    assert edit(folder, original[0]) in check(module_cli, folder)


def test_an_untouched_folder_is_clean_with_every_kind_of_anchor(module_cli, original, folder):
    book, _, kept = original
    out = check(module_cli, folder, code=0)
    assert "Tanpa --anchor" in out
    for anchor in (head(folder), head(folder).split(":")[1], kept, str(book) + ".anchor.json"):
        out = check(module_cli, folder, anchor, code=0)
        assert "Tanpa --anchor" not in out
        notes = [line for line in out.splitlines() if line.startswith("Catatan")]
        assert len(notes) == 1 and "tidak ditandatangani secara elektronik" in notes[0]  # this office registers no keys
    assert "manifest folder itu sendiri" in check(module_cli, folder, folder / "manifest.json", code=0)


def test_a_manifest_rewritten_to_match_a_changed_file_is_caught_by_the_kept_manifest(module_cli, original, folder):
    xlsx = one(folder, ".xlsx")
    xlsx.write_bytes(xlsx.read_bytes() + b"\0")
    rehash(folder, xlsx)
    out = check(module_cli, folder, code=0)
    assert "Tanpa --anchor" in out      # said plainly: without an anchor this cannot be proven
    out = check(module_cli, folder, original[2])
    assert f"Manifest berbeda dari manifest anchor: berkas '{xlsx.name}'" in out


def test_a_manifest_whose_log_head_differs_from_the_printed_anchor_is_caught(module_cli, folder):
    printed = head(folder)
    rows, digest = printed.split(":")
    other = "cd" * 32
    assert "berbeda dari anchor" in check(module_cli, folder, f"{rows}:{other}")
    assert "Hash anchor tidak ditemukan di log ekspor ini" in check(module_cli, folder, other)
    assert "anchor mencatat 6 baris" in check(module_cli, folder, f"6:{digest}")


def test_a_log_cut_in_the_csv_and_the_manifest_together_is_caught_by_the_printed_anchor(module_cli, folder):
    printed = head(folder)
    csv_file = one(folder, "_log.csv")
    lines = csv_file.read_bytes().split(b"\r\n")
    csv_file.write_bytes(b"\r\n".join(lines[:-2] + [b""]))        # the validation row is gone
    rehash(folder, csv_file)
    data = manifest(folder)
    data["log"] = {"baris": 4, "hash": lines[-3].split(b",")[-2].decode()}
    write_manifest(folder, data)
    check(module_cli, folder, code=0)                                 # consistent in itself
    assert "anchor mencatat 5 baris log, manifest ekspor ini hanya 4" in check(module_cli, folder, printed)


def test_a_broken_anchor_file_is_a_usage_error_not_a_traceback(module_cli, folder, tmp_path):
    sidecar = tmp_path / "buku.xlsm.anchor.json"
    sidecar.write_text(json.dumps({"sel": {}, "hash": "ab" * 32}), encoding="utf-8")   # no 'baris'
    assert "bukan anchor" in check(module_cli, folder, sidecar, code=2)
    sidecar.write_text("[1, 2]", encoding="utf-8")
    assert "bukan anchor" in check(module_cli, folder, sidecar, code=2)
    sidecar.write_text(json.dumps({"sel": {}, "baris": -3, "hash": "bukan hash"}), encoding="utf-8")
    out = check(module_cli, folder, sidecar, code=2)
    assert "buku.xlsm.anchor.json" in out and ("tidak sah" in out or "bukan anchor" in out)


def test_an_earlier_printed_hash_covers_the_rows_up_to_it_and_says_so(module_cli, folder):
    csv_file = one(folder, "_log.csv")
    third = csv_file.read_bytes().split(b"\r\n")[3].split(b",")[-2].decode()
    assert "2 baris setelahnya tidak dijamin" in check(module_cli, folder, third, code=0)
    assert "2 baris setelah anchor (3 baris)" in check(module_cli, folder, f"3:{third}", code=0)
    assert "Log baris 4 di ekspor ini tidak sama dengan anchor" in check(module_cli, folder, f"3:{'ef' * 32}")


def test_operating_system_litter_is_mentioned_not_a_finding(module_cli, folder):
    (folder / "Thumbs.db").write_bytes(b"\0" * 10)
    assert "Berkas sistem 'Thumbs.db' di folder diabaikan" in check(module_cli, folder, code=0)


def test_json_output_of_a_folder_check(module_cli, folder):
    remove_csv(folder)
    r = module_cli("check", folder, "--json")
    result = json.loads(r.out)
    assert r.code == 1 and not result["bersih"] and "tidak ada" in result["masalah"][0]
