"""`kinerja-xl check FOLDER`: an export folder against its manifest."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kinerja_xl.adapters.anchor_file import MANIFEST
from kinerja_xl.domain.integrity import Report


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
