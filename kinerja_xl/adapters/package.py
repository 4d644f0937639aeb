"""The .xlsm as a ZIP package: the parts openpyxl does not keep, deterministic bytes, atomic saves.

openpyxl keeps `xl/vbaProject.bin` and the `customUI/` part when loaded with
`keep_vba=True`, but rewrites `_rels/.rels` without the ribbon relationship, so
Excel would no longer show the ribbon tab. `finish()` puts it back on every save,
and writes every entry with a fixed timestamp so the same content gives the same bytes.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path

from kinerja_xl.domain.errors import FileProblem

CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_FIXED_TIME = (2021, 1, 2, 0, 0, 0)  # the SOP's effective date: any fixed value makes builds reproducible
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def finish(data: bytes, customui: bytes | None) -> bytes:
    """Return the package with the ribbon part and relationship in place, in canonical ZIP form."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    if customui is not None:
        parts[CUSTOMUI_PART] = customui
        parts["_rels/.rels"] = _with_ribbon_relationship(parts["_rels/.rels"])
    if "xl/vbaProject.bin" in parts:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(PLAIN_MAIN.encode(), MACRO_MAIN.encode())
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = _CORE_DATES.sub(rb"\g<1>2021-01-02T00:00:00Z\3", parts["docProps/core.xml"])
    return canonical_zip(parts)


def canonical_zip(parts: dict[str, bytes]) -> bytes:
    """Content types first (Office expects it), then the rest by name, all with one timestamp."""
    import zipfile

    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


def _with_ribbon_relationship(rels: bytes) -> bytes:
    if CUSTOMUI_REL.encode() in rels:
        return rels
    ids = {int(m) for m in re.findall(rb'Id="rId(\d+)"', rels)}
    rel = f'<Relationship Id="rId{max(ids, default=0) + 1}" Type="{CUSTOMUI_REL}" Target="{CUSTOMUI_PART}"/>'
    return rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def read_part(path: str | Path, name: str) -> bytes | None:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name) if name in z.namelist() else None


REPLACE_ATTEMPTS = 8   # a held file gets about two seconds to be released
REPLACE_PAUSE = 0.25


def atomic_write(path: Path, data: bytes, *, keep_backup: bool = True, attempts: int | None = None,
                 pause: float | None = None, before_replace: Callable[[], None] | None = None) -> None:
    """Write beside the target, then replace it in one step; the old version stays as `.bak`.

    A symbolic link stays a link: its target is written, in the target's own folder (a rename
    is atomic only within one folder). The target keeps its permissions, and its owner and group
    where the process may set them (root). On Windows a replace fails while Excel, an antivirus
    or the indexer holds the file: retry briefly, then give up loudly. Never delete-then-rename:
    a crash in between would lose the workbook. On any failure (a full disk included) the temp
    file is removed and the target is as it was. `before_replace` runs when everything but the
    replace itself is done (the unit of work records its pending anchor there).
    """
    attempts = REPLACE_ATTEMPTS if attempts is None else attempts
    pause = REPLACE_PAUSE if pause is None else pause
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode_and_owner(target, tmp)
        if keep_backup and target.exists():
            backup = target.with_name(target.name + ".bak")
            _retry(lambda: _copy(target, backup), attempts, pause)
        if before_replace is not None:
            before_replace()
        _retry(lambda: os.replace(tmp, target), attempts, pause)
    finally:
        tmp.unlink(missing_ok=True)


def _keep_mode_and_owner(target: Path, tmp: Path) -> None:
    """A new file gets the process's defaults; the replaced one's permissions (and owner) are what people set."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    if hasattr(os, "chown") and (st.st_uid, st.st_gid) != _owner(tmp):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except PermissionError:  # not root: at least the group, when the process belongs to it
            with contextlib.suppress(OSError):
                os.chown(tmp, -1, st.st_gid)
        os.chmod(tmp, stat.S_IMODE(st.st_mode))  # chown clears set-id bits


def _owner(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


def _copy(src: Path, dst: Path) -> None:
    """`dst` becomes the file `src` is now: a second name for it where the file system has hard links (the save
    then gives `src` a new file and `dst` keeps the old one, so nothing is copied, however large the workbook),
    else a copy of its bytes (FAT drives, some network shares)."""
    tmp = dst.with_name(f".{dst.name}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        try:
            os.link(src, tmp)
        except OSError:
            tmp.write_bytes(src.read_bytes())
            with contextlib.suppress(OSError):
                shutil.copymode(src, tmp)
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)


def _retry(fn, attempts: int, pause: float) -> None:
    for attempt in range(attempts):
        try:
            return fn()
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(pause)


DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_HELD = {errno.EACCES, errno.EPERM, errno.EBUSY, getattr(errno, "ETXTBSY", errno.EBUSY)}


def save_problem(path: Path, exc: OSError, what: str = "Buku kerja") -> FileProblem:
    """What a failed save means for the person at the keyboard; the caller has already put everything back."""
    name, folder = Path(path).name, Path(os.path.realpath(path)).parent
    code = getattr(exc, "errno", None)
    if code in DISK_FULL:
        return FileProblem(f"{what} '{name}' tidak dapat disimpan: disk penuh (ruang di '{folder}' habis). Kosongkan "
                           "ruang disk atau pindahkan buku kerja ke folder lain, lalu ulangi. Tidak ada yang berubah.")
    if code == errno.EROFS:
        return FileProblem(f"{what} '{name}' tidak dapat disimpan: '{folder}' berada di media hanya-baca. Salin buku "
                           "kerja ke folder yang dapat ditulisi, lalu ulangi. Tidak ada yang berubah.")
    if isinstance(exc, PermissionError) or code in _HELD:
        return FileProblem(f"{what} '{name}' tidak dapat disimpan ({exc.strerror or exc}): berkas sedang dipakai "
                           "program lain atau folder tidak dapat ditulisi. Tutup buku kerja di Excel (dan tunggu "
                           "sinkronisasi selesai), lalu ulangi. Tidak ada yang berubah.")
    return FileProblem(f"{what} '{name}' tidak dapat disimpan di '{folder}' ({exc.strerror or exc}). Periksa folder dan "
                       "disknya, lalu ulangi. Tidak ada yang berubah.")
