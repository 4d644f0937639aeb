"""One actor per workbook: a lock file beside it that says who holds it, so a lock left by a killed
process is broken at once instead of blocking everyone for ten minutes.

The lock records the holder's process id, computer name, when it was taken and (where the system
tells it) when that process started. A holder on this computer whose process is gone, or whose
process id now belongs to another process, is stale at once. A holder on another computer cannot
be asked, so its lock expires after `STALE_LOCK_SECONDS`, as does a lock whose content cannot be read.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import stat
import time
from pathlib import Path

from kinerja_xl.adapters.package import DISK_FULL
from kinerja_xl.domain.errors import FileProblem

STALE_LOCK_SECONDS = 600
EMPTY_LOCK_SECONDS = 10  # a lock is written right after it is created: one still empty this long was cut off
_BREAKER_SECONDS = 30


def lock_path(path: Path) -> Path:
    """Beside the real file, so a workbook reached through a symbolic link has one lock."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.kinerja-lock")


@contextlib.contextmanager
def action_lock(path: Path):
    """Hold the workbook's lock for the duration of one action."""
    lock = lock_path(path)
    _break_if_stale(lock)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise FileProblem(_held_message(path, lock)) from None
    except OSError as exc:
        raise FileProblem(f"Tidak dapat membuat berkas kunci di '{lock.parent}': {exc.strerror}. Pastikan folder dapat "
                          "ditulisi dan disk tidak penuh, lalu ulangi.") from None
    try:
        try:
            os.write(fd, json.dumps(_me()).encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        lock.unlink(missing_ok=True)
        full = "disk penuh" if getattr(exc, "errno", None) in DISK_FULL else exc.strerror
        raise FileProblem(f"Berkas kunci '{lock.name}' di '{lock.parent}' tidak dapat ditulis ({full}). Kosongkan ruang "
                          "disk atau periksa hak tulis folder, lalu ulangi. Tidak ada yang berubah.") from None
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _me() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(), "mulai": dt.datetime.now().astimezone().isoformat(
        timespec="seconds"), "proses_mulai": _process_started(os.getpid())}


def _read(lock: Path) -> tuple[bytes, dict | None] | None:
    """The lock's bytes and what they say (None when not ours to read); None when there is no lock."""
    try:
        st = os.stat(lock)
        if not stat.S_ISREG(st.st_mode):
            return b"", None
        with open(lock, "rb") as fh:
            raw = fh.read(4096)
    except FileNotFoundError:
        return None
    except OSError:
        return b"", None
    try:
        info = json.loads(raw.decode("utf-8"))
    except ValueError:
        return raw, None
    return raw, info if isinstance(info, dict) and isinstance(info.get("pid"), int) else None


def _age(lock: Path) -> float:
    try:
        return time.time() - os.stat(lock).st_mtime
    except OSError:
        return 0.0


def is_stale(lock: Path, info: dict | None, raw: bytes) -> bool:
    age = _age(lock)
    if info is None:
        return age > (EMPTY_LOCK_SECONDS if not raw else STALE_LOCK_SECONDS)
    if info.get("host") != socket.gethostname():
        return age > STALE_LOCK_SECONDS
    pid = info["pid"]
    if not _alive(pid):
        return True
    recorded, now = info.get("proses_mulai"), _process_started(pid)
    if recorded and now:
        return recorded != now  # the number was given to another process: the holder is gone
    return age > STALE_LOCK_SECONDS  # cannot tell a reused number from the holder: the old rule


def _break_if_stale(lock: Path) -> None:
    """Remove a stale lock; a second file makes sure two actors breaking it at once do not both go on."""
    seen = _read(lock)
    if seen is None or not is_stale(lock, seen[1], seen[0]):
        return
    breaker = lock.with_name(lock.name + ".putus")
    if breaker.exists() and _age(breaker) > _BREAKER_SECONDS:
        breaker.unlink(missing_ok=True)
    try:
        os.close(os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except OSError:
        return  # another actor is breaking it: the creation below decides
    try:
        again = _read(lock)
        if again is not None and again[0] == seen[0] and is_stale(lock, again[1], again[0]):
            lock.unlink(missing_ok=True)
    finally:
        breaker.unlink(missing_ok=True)


def _held_message(path: Path, lock: Path) -> str:
    seen = _read(lock)
    info = seen[1] if seen else None
    name = Path(path).name
    if info is None:
        return (f"Buku kerja '{name}' sedang diproses oleh aksi lain. Tunggu sebentar, lalu ulangi. Kunci '{lock.name}' "
                f"yang tertinggal karena aksi terhenti kedaluwarsa {STALE_LOCK_SECONDS // 60} menit setelah dibuat.")
    who = f"proses {info['pid']} di komputer {info.get('host') or 'tidak dikenal'}, sejak {info.get('mulai') or '?'}"
    if info.get("host") == socket.gethostname():
        return (f"Buku kerja '{name}' sedang diproses oleh aksi lain ({who}). Tunggu sampai aksi itu selesai, lalu "
                f"ulangi. Bila proses itu macet, hentikan proses {info['pid']}; kuncinya lalu dilepas otomatis.")
    return (f"Buku kerja '{name}' sedang diproses oleh aksi lain ({who}). Tunggu sampai aksi itu selesai, lalu ulangi. "
            f"Bila komputer itu mati di tengah aksi, kunci '{lock.name}' kedaluwarsa {STALE_LOCK_SECONDS // 60} menit "
            "setelah dibuat.")


def _alive(pid: int) -> bool:
    if not 0 < pid < 2 ** 31:  # a number no process has (a hand-edited lock)
        return False
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return _proc_state(pid) != "Z"  # a zombie has finished: only its exit status is left


def _alive_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel = ctypes.windll.kernel32
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        return not kernel.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
    finally:
        kernel.CloseHandle(handle)


def _proc_fields(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (Linux); None elsewhere."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()


def _proc_state(pid: int) -> str | None:
    fields = _proc_fields(pid)
    return fields[0] if fields else None


def _process_started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux): tells a reused process id from the holder."""
    fields = _proc_fields(pid)
    return fields[19] if fields and len(fields) > 19 else None
