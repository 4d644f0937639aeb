"""The anchor: the log's chain head kept outside the workbook.

It is read from the sidecar beside the workbook (`<book>.anchor.json`, rewritten by every
action), an export's manifest, or a hash copied off a printout (`N:HASH` or `HASH`).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from kinerja_xl.adapters import package
from kinerja_xl.domain.errors import UsageError
from kinerja_xl.domain.integrity import Anchor

MANIFEST = "manifest.json"
_HEAD = re.compile(r"^(?:(\d+)\s*:\s*)?([0-9a-fA-F]{64})$")


def sidecar_path(workbook: Path) -> Path:
    return Path(workbook).with_name(Path(workbook).name + ".anchor.json")


def write_sidecar(workbook: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    package.atomic_write(sidecar_path(workbook), text.encode("utf-8"), keep_backup=False)


def load_anchor(spec: str | None, workbook: Path) -> Anchor | None:
    """An explicit anchor (file or hash text), else the sidecar beside the workbook, else None."""
    if spec is None:
        side = sidecar_path(workbook)
        return _from_json(side) if side.exists() else None
    match = _HEAD.match(spec.strip())
    if match:
        return Anchor(int(match.group(1)) if match.group(1) else -1, match.group(2).lower())
    path = Path(spec)
    if not path.is_file():
        raise UsageError(f"Anchor '{spec}' bukan berkas maupun hash (bentuk: 7:<64 huruf hex> atau <64 huruf hex>).")
    return _from_json(path)


def _from_json(path: Path) -> Anchor:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"Anchor '{path}' tidak dapat dibaca: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"'{path}' bukan anchor: isinya bukan objek JSON.")
    try:
        if "sel" in data:  # a sidecar: follows every action
            return Anchor(int(data["baris"]), str(data["hash"]), exact=True, cells=data["sel"],
                          definition=str(data.get("definisi", "")))
        if "log" in data:  # an export manifest: the head at export time
            return Anchor(int(data["log"]["baris"]), str(data["log"]["hash"]), definition=str(data.get("definisi", "")))
    except (KeyError, TypeError, ValueError):
        pass
    raise UsageError(f"'{path}' bukan anchor: tidak ada 'baris'/'hash' yang sah di dalamnya.")
