"""Opening a workbook file safely: clear messages for what is not ours (the lock lives in `lockfile`)."""
from __future__ import annotations

import os
import posixpath
import re
import stat
import zipfile
from pathlib import Path

from kinerja_xl.domain.errors import FileProblem

_CFB_MAGIC = b"\xd0\xcf\x11\xe0"


def load_checked(path: Path, read_only: bool = False):
    """openpyxl workbook with VBA kept (or, read-only, streamed: for export and check, which only
    read), or FileProblem saying what the file is and what to do."""
    require_regular(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise FileProblem(f"Berkas '{path}' tidak dapat dibaca: {exc.strerror}.") from None
    check_package(head, path, path)
    import openpyxl  # not at import: the part-level adapter opens files without it

    try:
        return openpyxl.load_workbook(path, read_only=True) if read_only else openpyxl.load_workbook(path, keep_vba=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged parts
        raise damaged(path, exc) from None


def check_package(head: bytes, source, path: Path, crc: bool = True) -> None:
    """What every file adapter checks before reading a workbook, with the messages staff read: `head` is the
    file's first bytes, `source` the file or its bytes (a path or a file object). `crc=False`: the members are
    not all inflated to test their checksums (the bytes are the ones kinerja-xl saved; a member read is still
    checked as it is read)."""
    if head[:4] == _CFB_MAGIC:
        raise FileProblem(f"Berkas '{path}' terlindungi kata sandi pembukaan (atau format .xls lama). "
                          "Buka di Excel, hapus kata sandi pembukaan, simpan sebagai .xlsm, lalu ulangi.")
    if not zipfile.is_zipfile(source):
        raise FileProblem(f"Berkas '{path}' bukan buku kerja Excel (.xlsm) atau rusak/terpotong. "
                          f"{restore_hint(path)}")
    try:
        with zipfile.ZipFile(source) as z:
            parts = set(z.namelist())
            if crc and z.testzip() is not None:
                raise zipfile.BadZipFile("crc")
            wanted = _referenced_parts(z, parts)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise FileProblem(f"Berkas '{path}' rusak atau terpotong. {restore_hint(path)}") from None
    if "xl/workbook.xml" not in parts:
        raise FileProblem(f"Berkas '{path}' bukan buku kerja Excel.")
    if "xl/vbaProject.bin" not in parts:
        raise FileProblem(f"Berkas '{path}' tidak memuat makro (mungkin disimpan sebagai .xlsx). "
                          "Gunakan berkas .xlsm aslinya atau bangun ulang dengan 'kinerja-xl build'.")
    missing = sorted(wanted - parts)
    if missing:
        raise FileProblem(f"Berkas '{path}' rusak atau tidak lengkap: bagian paket {', '.join(missing)} tidak ada, jadi "
                          f"buku kerja tidak dapat dibaca dengan benar. {restore_hint(path)}")


_REQUIRED_PARTS = {"[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
_TARGET = re.compile(rb"<Relationship\b[^>]*>")


def _referenced_parts(z: zipfile.ZipFile, parts: set[str]) -> set[str]:
    """Parts a workbook cannot be read without: the package's own, the styles (without them a date reads as a
    number) and every part the workbook's relationships point at (its sheets)."""
    wanted = set(_REQUIRED_PARTS)
    if "xl/_rels/workbook.xml.rels" in parts:
        for rel in _TARGET.findall(z.read("xl/_rels/workbook.xml.rels")):
            target = re.search(rb'Target="([^"]*)"', rel)
            if target is None or b'TargetMode="External"' in rel:
                continue
            name = target.group(1).decode("utf-8", "replace")
            wanted.add(name.lstrip("/") if name.startswith("/") else posixpath.normpath(posixpath.join("xl", name)))
    return wanted


def require_regular(path: Path) -> None:
    """A pipe, a device or a socket would be read forever (or block): refused before it is opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileProblem(f"Berkas '{path}' tidak ditemukan. Periksa nama dan foldernya.") from None
    except OSError as exc:
        raise FileProblem(f"Berkas '{path}' tidak dapat dibaca: {exc.strerror}.") from None
    if stat.S_ISDIR(mode):
        raise FileProblem(f"'{path}' adalah folder, bukan buku kerja.")
    if not stat.S_ISREG(mode):
        raise FileProblem(f"'{path}' bukan berkas biasa (pipa, perangkat atau soket), jadi tidak dibaca. Sebutkan "
                          "berkas buku kerja (.xlsm) atau berkas data yang sebenarnya.")


def refuse_special(path: Path) -> None:
    """For any path argument: a missing one or a folder is the command's business; a pipe or device never is."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        require_regular(path)


_NO_SHEET = re.compile(r"Worksheet (.+) does not exist")


def restore_hint(path: Path) -> str:
    """Where to get a good copy back: the backup a save leaves, when there is one."""
    backup = path.with_name(path.name + ".bak")
    if backup.is_file():
        return f"Pulihkan dari '{backup.name}' (cadangan dari penyimpanan sebelumnya) atau salinan terakhir."
    return "Pulihkan dari salinan terakhir (arsip, lampiran e-mail), atau bangun ulang dengan 'kinerja-xl build'."


def damaged(path: Path, exc: Exception) -> FileProblem:
    """A part that does not parse: at load, or (streamed, read-only) when its rows are read."""
    sheet = _NO_SHEET.search(str(exc)) if isinstance(exc, KeyError) else None
    if sheet:
        return FileProblem(f"Buku kerja '{path}' tidak utuh: lembar '{sheet.group(1)}' tidak ada. Jalankan "
                           f"'kinerja-xl check {path}' untuk rinciannya. {restore_hint(path)}")
    return FileProblem(f"Berkas '{path}' tidak dapat dibaca sebagai buku kerja: bagian paketnya rusak. "
                       f"{restore_hint(path)}")


def check_writable(path: Path) -> None:
    """Refuse before any work when the result could not be saved (a linked workbook is saved in its target's folder)."""
    real = Path(os.path.realpath(path))
    for owner in dict.fromkeys((path.with_name("~$" + path.name), real.with_name("~$" + real.name))):
        if owner.exists():
            raise FileProblem(f"Buku kerja '{path.name}' sedang dibuka di Excel ({_owner_name(owner)}). "
                              "Tutup buku kerja di Excel di komputer itu, lalu ulangi.")
    if not os.access(path, os.W_OK):
        raise FileProblem(f"Berkas '{path}' hanya-baca. Minta hak tulis atau salin ke folder Anda, lalu ulangi.")
    if not os.access(real.parent, os.W_OK):
        raise FileProblem(f"Folder '{real.parent}' hanya-baca: berkas sementara dan cadangan tidak dapat dibuat. "
                          "Pindahkan buku kerja ke folder yang dapat ditulisi.")


def _owner_name(owner: Path) -> str:
    try:
        if not stat.S_ISREG(os.stat(owner).st_mode):
            return "pengguna lain"
        with owner.open("rb") as fh:
            raw = fh.read(55)[1:55]
        return raw.split(b"\x00")[0].decode("latin-1").strip() or "pengguna lain"
    except OSError:
        return "pengguna lain"
