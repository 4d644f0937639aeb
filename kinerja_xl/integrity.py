"""`kinerja-xl check`: a workbook's integrity from the file alone (no Excel, no VBA), or an export folder's.

The anchor — the chain head kept outside the workbook — is read from the sidecar
beside the workbook, a manifest, or a hash copied off a printout (`N:HASH` or `HASH`).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from kinerja_xl import app
from kinerja_xl.core.errors import UsageError
from kinerja_xl.core.integrity import Anchor, Report, check
from kinerja_xl.sop import names as N
from kinerja_xl.sop.layout import cell_label, expected_names, expected_sheets
from kinerja_xl.sop.model import Definition
from kinerja_xl.workbook import package
from kinerja_xl.workbook.openpyxl_adapter import FileWorkbook, resolve

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
    if "sel" in data:  # a sidecar: follows every action
        return Anchor(int(data["baris"]), data["hash"], exact=True, cells=data["sel"])
    if "log" in data:  # an export manifest: the head at export time
        return Anchor(int(data["log"]["baris"]), data["log"]["hash"])
    raise UsageError(f"'{path}' bukan anchor: tidak ada 'baris'/'hash' di dalamnya.")


def structure_problems(port: FileWorkbook, d: Definition) -> list[str]:
    problems = []
    sheets, wanted = port.sheet_names(), expected_sheets(d)
    if sheets != wanted:
        missing = [s for s in wanted if s not in sheets]
        extra = [s for s in sheets if s not in wanted]
        problems.append(f"Susunan lembar berubah: hilang {missing or '-'}, tambahan {extra or '-'}"
                        + ("" if missing or extra else ", urutan berbeda"))
    names = port.names()
    for name, (sheet, rows, cols) in expected_names(d).items():
        if name not in names:
            problems.append(f"Nama '{name}' hilang dari buku kerja.")
            continue
        where, min_col, min_row, max_col, max_row = resolve(port.wb, name)
        if (where, max_row - min_row + 1, max_col - min_col + 1) != (sheet, rows, cols):
            problems.append(f"Nama '{name}' dipindah atau diubah ukurannya (sekarang {names[name]}).")
    if N.NAME_MAP in names and resolve(port.wb, N.NAME_MAP)[0] in sheets:
        listed = {row[0]: row[1] for row in port.read([N.NAME_MAP])[N.NAME_MAP].values}
        if listed != {k: v for k, v in names.items() if k != N.NAME_MAP}:
            problems.append(f"Daftar nama di lembar tersembunyi '{N.MAP_SHEET}' tidak cocok dengan nama-nama buku kerja.")
    return problems


def check_file(path, d: Definition, anchor: str | None = None) -> Report:
    path = Path(path)
    with FileWorkbook.reading(path) as port:
        if N.HOME_SHEET in port.sheet_names():  # else the structure check below says what is missing
            app.check_identity(port, d, path)
        structure = structure_problems(port, d)
        sheets, names = set(port.sheet_names()), port.names()
        readable = [n for n in expected_names(d) if n in names and resolve(port.wb, n)[0] in sheets]
        blocks = port.read(readable)
    return check(d, blocks, structure, lambda name, r, c: cell_label(d, name, r, c), load_anchor(anchor, path))


def check_folder(folder: Path) -> Report:
    """An export folder against its manifest: every listed file present and unchanged."""
    manifest = Path(folder) / MANIFEST
    report = Report()
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        report.problems.append(f"'{manifest}' tidak ada atau tidak dapat dibaca.")
        return report
    for name, expected in data.get("berkas", {}).items():
        target = Path(folder) / name
        if not target.exists():
            report.problems.append(f"Berkas '{name}' yang tercatat di manifest tidak ada.")
        elif hashlib.sha256(target.read_bytes()).hexdigest() != expected:
            report.problems.append(f"Berkas '{name}' berubah (SHA-256 tidak cocok dengan manifest).")
    listed = set(data.get("berkas", {})) | {MANIFEST}
    others = sorted(p.name for p in Path(folder).iterdir() if p.is_file() and p.name not in listed)
    if others:
        report.unproven.append(f"Berkas lain di folder tidak tercatat di manifest ini: {', '.join(others)}.")
    return report
