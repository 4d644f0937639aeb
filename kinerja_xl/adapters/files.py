"""Opening a workbook file safely: clear messages for what is not ours, and one actor at a time."""
from __future__ import annotations

import contextlib
import os
import time
import zipfile
from pathlib import Path

import openpyxl

from kinerja_xl.domain.errors import FileProblem

_CFB_MAGIC = b"\xd0\xcf\x11\xe0"
STALE_LOCK_SECONDS = 600


def load_checked(path: Path, read_only: bool = False):
    """openpyxl workbook with VBA kept (or, read-only, streamed: for export and check, which only
    read), or FileProblem saying what the file is and what to do."""
    if not path.exists():
        raise FileProblem(f"Berkas '{path}' tidak ditemukan. Periksa nama dan foldernya.")
    if path.is_dir():
        raise FileProblem(f"'{path}' adalah folder, bukan buku kerja.")
    try:
        head = path.open("rb").read(4)
    except OSError as exc:
        raise FileProblem(f"Berkas '{path}' tidak dapat dibaca: {exc.strerror}.") from None
    if head == _CFB_MAGIC:
        raise FileProblem(f"Berkas '{path}' terlindungi kata sandi pembukaan (atau format .xls lama). "
                          "Buka di Excel, hapus kata sandi pembukaan, simpan sebagai .xlsm, lalu ulangi.")
    if not zipfile.is_zipfile(path):
        raise FileProblem(f"Berkas '{path}' bukan buku kerja Excel (.xlsm) atau rusak/terpotong. "
                          f"Pulihkan dari '{path.name}.bak' atau salinan terakhir.")
    try:
        with zipfile.ZipFile(path) as z:
            parts = set(z.namelist())
            if z.testzip() is not None:
                raise zipfile.BadZipFile("crc")
    except (zipfile.BadZipFile, OSError):
        raise FileProblem(f"Berkas '{path}' rusak atau terpotong. Pulihkan dari '{path.name}.bak'.") from None
    if "xl/workbook.xml" not in parts:
        raise FileProblem(f"Berkas '{path}' bukan buku kerja Excel.")
    if "xl/vbaProject.bin" not in parts:
        raise FileProblem(f"Berkas '{path}' tidak memuat makro (mungkin disimpan sebagai .xlsx). "
                          "Gunakan berkas .xlsm aslinya atau bangun ulang dengan 'kinerja-xl build'.")
    try:
        return openpyxl.load_workbook(path, read_only=True) if read_only else openpyxl.load_workbook(path, keep_vba=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged parts
        raise damaged(path, exc) from None


def damaged(path: Path, exc: Exception) -> FileProblem:
    """A part that does not parse: at load, or (streamed, read-only) when its rows are read."""
    return FileProblem(f"Berkas '{path}' tidak dapat dibaca sebagai buku kerja: {exc}. "
                       f"Pulihkan dari '{path.name}.bak'.")


def check_writable(path: Path) -> None:
    """Refuse before any work when the result could not be saved."""
    owner = path.with_name("~$" + path.name)
    if owner.exists():
        raise FileProblem(f"Buku kerja '{path.name}' sedang dibuka di Excel ({_owner_name(owner)}). "
                          "Tutup Excel di komputer itu (atau gunakan tombol di ribbon), lalu ulangi.")
    if not os.access(path, os.W_OK):
        raise FileProblem(f"Berkas '{path}' hanya-baca. Minta hak tulis atau salin ke folder Anda, lalu ulangi.")
    if not os.access(path.parent, os.W_OK):
        raise FileProblem(f"Folder '{path.parent}' hanya-baca: berkas sementara dan cadangan tidak dapat dibuat. "
                          "Pindahkan buku kerja ke folder yang dapat ditulisi.")


def _owner_name(owner: Path) -> str:
    try:
        raw = owner.read_bytes()[1:55]
        return raw.split(b"\x00")[0].decode("latin-1").strip() or "pengguna lain"
    except OSError:
        return "pengguna lain"


@contextlib.contextmanager
def action_lock(path: Path):
    """One process acts on a workbook at a time; a lock left by a crash expires."""
    lock = path.with_name(f".{path.name}.kinerja-lock")
    if lock.exists() and time.time() - lock.stat().st_mtime > STALE_LOCK_SECONDS:
        lock.unlink(missing_ok=True)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        raise FileProblem(f"Buku kerja '{path.name}' sedang diproses oleh aksi lain. Tunggu sebentar, lalu ulangi.") from None
    except OSError as exc:
        raise FileProblem(f"Tidak dapat membuat berkas kunci di '{path.parent}': {exc.strerror}.") from None
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        lock.unlink(missing_ok=True)
