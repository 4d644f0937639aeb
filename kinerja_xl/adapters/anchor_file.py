"""The anchor: the log's chain head kept outside the workbook.

It is read from the sidecar beside the workbook (`<book>.anchor.json`, rewritten by every
action), an export's manifest, or a hash copied off a printout (`N:HASH` or `HASH`).

An action saves its workbook and its sidecar as one unit: first the sidecar gains a pending
record (`menunggu`: the new head and the SHA-256 of the workbook bytes about to be written),
then the workbook is replaced, then the sidecar is finalised. A process killed in between
leaves a pending record that tells which of the two the workbook is: the new bytes (the
action happened: the pending head counts) or the old ones (it did not: the old head counts).
`check` reads it so and says the last action was interrupted; the next action finishes it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from kinerja_xl.adapters import package
from kinerja_xl.domain.errors import UsageError
from kinerja_xl.domain.integrity import PACKED, Anchor, unpack_cells

MANIFEST = "manifest.json"
PENDING = "menunggu"
_HEAD = re.compile(r"^(?:(\d+)\s*:\s*)?([0-9a-fA-F]{64})$")
_MAX_BYTES = 50 * 1024 * 1024

AFTER_SAVE = ("Aksi terakhir terputus setelah buku kerja disimpan, sebelum berkas anchor selesai ditulis. Buku kerja "
              "sama persis dengan yang dicatat anchor yang tertunda, jadi anchor itu yang dipakai: ini bukan perubahan "
              "data.")
BEFORE_SAVE = ("Aksi terakhir terputus sebelum buku kerja disimpan: aksi itu tidak tercatat dan buku kerja tetap seperti "
               "sebelumnya; anchor yang tertunda diabaikan. Ulangi aksi itu bila perlu.")
CHANGED_SINCE = ("Aksi terakhir terputus saat menyimpan (berkas anchor masih mencatat penyimpanan yang tertunda), dan "
                 "buku kerja telah disimpan ulang sesudahnya (mis. di Excel). Anchor yang tertunda dipakai; bila "
                 "buku kerja disimpan ulang sebelum aksi itu sempat tersimpan, masalah di atas dapat berasal dari situ: "
                 "periksa juga dengan anchor dari ekspor atau cetakan.")


def sidecar_path(workbook: Path) -> Path:
    """Beside the real file: a workbook reached through a symbolic link has one sidecar."""
    real = Path(os.path.realpath(workbook))
    return real.with_name(real.name + ".anchor.json")


def _dump(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write_sidecar(workbook: Path, data: dict) -> None:
    package.atomic_write(sidecar_path(workbook), _dump(data), keep_backup=False)


def restamp(workbook: Path, sha: str) -> None:
    """After a save that logs nothing (set, import, a key registered): the sidecar names the workbook's new bytes,
    so the next action knows the file is as kinerja-xl left it. A sidecar that is missing, pending or not ours is
    left alone, and so is one that cannot be written: the next action then proves every completed step again."""
    data = _parse(_raw(sidecar_path(workbook)))
    if not isinstance(data, dict) or PENDING in data or "hash" not in data or "sha256_buku_kerja" not in data:
        return
    try:
        write_sidecar(workbook, {**data, "sha256_buku_kerja": sha})
    except OSError:
        pass


def sha256_of(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def write_pending(workbook: Path, anchor: dict, new_sha: str | None) -> bytes | None:
    """Record the save about to happen; returns the sidecar's previous bytes (None: there was none) to put back."""
    side = sidecar_path(workbook)
    previous = _raw(side)
    settled = _settled(_parse(previous))
    pending = {"anchor": anchor, "sha256": new_sha, "sha256_sebelum": sha256_of(workbook)}
    package.atomic_write(side, _dump({**settled, PENDING: pending}), keep_backup=False)
    return previous


def put_back(workbook: Path, previous: bytes | None) -> None:
    """Undo `write_pending` after a save that did not happen (best effort: a pending record left is read correctly)."""
    side = sidecar_path(workbook)
    try:
        if previous is None:
            side.unlink(missing_ok=True)
        else:
            package.atomic_write(side, previous, keep_backup=False)
    except OSError:
        pass


def finish_pending(workbook: Path) -> str | None:
    """Under the action lock, before an action: settle what an interrupted save left; a note for the user, or None."""
    side = sidecar_path(workbook)
    data = _parse(_raw(side))
    if not isinstance(data, dict) or not isinstance(data.get(PENDING), dict):
        return None
    outcome = _which(data[PENDING], workbook)
    if outcome == "before":
        settled = _settled(data)
        if settled:
            write_sidecar(workbook, settled)
        else:
            side.unlink(missing_ok=True)
        return "Aksi terakhir terputus sebelum buku kerja disimpan dan tidak tercatat; berkas anchor sudah dipulihkan."
    write_sidecar(workbook, data[PENDING]["anchor"])
    if outcome == "after":
        return "Aksi terakhir terputus setelah buku kerja disimpan; berkas anchor sudah dipulihkan."
    return ("Aksi terakhir terputus saat menyimpan, dan buku kerja disimpan ulang sesudahnya; berkas anchor dilengkapi "
            "dengan catatan aksi itu. Jalankan 'kinerja-xl check' untuk memastikan tidak ada yang berubah.")


def pending_note(workbook: Path) -> str | None:
    """What `check` says about an interrupted save, when the sidecar holds one."""
    data = _parse(_raw(sidecar_path(workbook)))
    if not isinstance(data, dict) or not isinstance(data.get(PENDING), dict):
        return None
    return {"after": AFTER_SAVE, "before": BEFORE_SAVE}.get(_which(data[PENDING], workbook), CHANGED_SINCE)


def _which(pending: dict, workbook: Path) -> str:
    """'before': the workbook is the one the save was to replace; 'after': the one it wrote; 'changed': neither,
    saved again since. The pending record is written as late as possible (after the new bytes and the backup are
    on disk, right before the replace), so 'changed' almost always follows a completed save."""
    now = sha256_of(workbook)
    if not isinstance(pending.get("anchor"), dict) or (now is not None and now == pending.get("sha256_sebelum")):
        return "before"
    return "after" if now and now == pending.get("sha256") else "changed"


def _settled(data) -> dict:
    return {k: v for k, v in data.items() if k != PENDING} if isinstance(data, dict) else {}


def _raw(path: Path) -> bytes | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            return fh.read(_MAX_BYTES)
    except OSError:
        return None


def _parse(raw: bytes | None):
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        return None


def load_anchor(spec: str | None, workbook: Path) -> Anchor | None:
    """An explicit anchor (file or hash text), else the sidecar beside the workbook, else None."""
    if spec is None:
        side = sidecar_path(workbook)
        return _from_json(side, workbook) if side.exists() else None
    match = _HEAD.match(spec.strip())
    if match:
        return Anchor(int(match.group(1)) if match.group(1) else -1, match.group(2).lower())
    path = Path(spec)
    if not path.is_file():
        raise UsageError(f"Anchor '{spec}' bukan berkas maupun hash (bentuk: 7:<64 huruf hex> atau <64 huruf hex>).")
    return _from_json(path, workbook)


def _from_json(path: Path, workbook: Path) -> Anchor | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise UsageError(f"Anchor '{path}' bukan berkas biasa (pipa atau perangkat). Sebutkan berkas .anchor.json "
                             "atau manifest.json yang sebenarnya.")
        with open(path, "rb") as fh:
            data = json.loads(fh.read(_MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"Anchor '{path}' tidak dapat dibaca: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"'{path}' bukan anchor: isinya bukan objek JSON.")
    if isinstance(data.get(PENDING), dict):
        return _resolved(path, data, workbook)
    if "sel" in data:  # a sidecar: follows every action
        return _sidecar(path, data)
    try:
        if "log" in data:  # an export manifest: the head at export time
            return Anchor(_rows(data["log"]["baris"]), str(data["log"]["hash"]), definition=str(data.get("definisi", "")))
    except (KeyError, TypeError, ValueError):
        pass
    raise UsageError(f"'{path}' bukan anchor: tidak ada 'baris'/'hash' yang sah di dalamnya.")


def _resolved(path: Path, data: dict, workbook: Path) -> Anchor | None:
    """A sidecar left by an interrupted save: the old head while the workbook is the old one, else the new."""
    if _which(data[PENDING], workbook) != "before":
        return _sidecar(path, data[PENDING]["anchor"])
    settled = _settled(data)
    return _sidecar(path, settled) if settled else None


def _sidecar(path: Path, data) -> Anchor:
    try:
        raw = _cells(data["sel"])
        return Anchor(_rows(data["baris"]), str(data["hash"]), exact=True, cells=_Unpacked(raw),
                      definition=str(data.get("definisi", "")), packed=raw, workbook=str(data.get("sha256_buku_kerja", "")))
    except (KeyError, TypeError, ValueError):
        raise UsageError(f"'{path}' bukan anchor: tidak ada 'baris'/'hash'/'sel' yang sah di dalamnya.") from None


_CELL = re.compile(r"^\d+,\d+$")


def _rows(value) -> int:
    rows = int(value)
    if isinstance(value, bool) or rows < 0:
        raise ValueError(value)
    return rows


def _cells(raw) -> dict:
    """Step -> block -> packed digests (`integrity.packed_digests`) or, from an older sidecar, {"r,c": digest};
    anything else is not a sidecar of ours."""
    if not isinstance(raw, dict):
        raise TypeError("sel")
    for blocks in raw.values():
        if not isinstance(blocks, dict):
            raise TypeError("sel")
        for cells in blocks.values():
            if isinstance(cells, str) and cells.startswith(PACKED):
                continue
            if not isinstance(cells, dict) or not all(_CELL.match(str(k)) and isinstance(v, str) for k, v in cells.items()):
                raise TypeError("sel")
    return raw


class _Unpacked(Mapping):
    """Step -> block -> {"r,c": digest}, unpacked only when `check` looks at a step (an action only carries the
    packed text on). A block that does not unpack leaves its step unnamed, as a sidecar without it would."""

    def __init__(self, raw: dict):
        self._raw, self._open = raw, {}

    def __getitem__(self, step):
        if step not in self._open:
            try:
                self._open[step] = {name: unpack_cells(cells) if isinstance(cells, str) else cells
                                    for name, cells in self._raw[step].items()}
            except ValueError:
                raise KeyError(step) from None
        return self._open[step]

    def __iter__(self):
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)
