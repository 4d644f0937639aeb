"""The .xlsm as a ZIP package: the parts openpyxl does not keep, deterministic bytes, atomic saves.

openpyxl keeps `xl/vbaProject.bin` and the `customUI/` part when loaded with
`keep_vba=True`, but rewrites `_rels/.rels` without the ribbon relationship, so
Excel would no longer show the ribbon tab. `finish()` puts it back on every save,
and writes every entry with a fixed timestamp so the same content gives the same bytes.
"""
from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_FIXED_TIME = (2021, 1, 2, 0, 0, 0)  # the SOP's effective date: any fixed value makes builds reproducible
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def finish(data: bytes, customui: bytes | None) -> bytes:
    """Return the package with the ribbon part and relationship in place, in canonical ZIP form."""
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
    with zipfile.ZipFile(path) as z:
        return z.read(name) if name in z.namelist() else None


REPLACE_ATTEMPTS = 8   # a held file gets about two seconds to be released
REPLACE_PAUSE = 0.25


def atomic_write(path: Path, data: bytes, *, keep_backup: bool = True, attempts: int | None = None,
                 pause: float | None = None) -> None:
    """Write beside the target, then replace it in one step; the old version stays as `.bak`.

    On Windows a replace fails while Excel, an antivirus or the indexer holds the
    file: retry briefly, then give up loudly. Never delete-then-rename: a crash in
    between would lose the workbook.
    """
    attempts = REPLACE_ATTEMPTS if attempts is None else attempts
    pause = REPLACE_PAUSE if pause is None else pause
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        if keep_backup and path.exists():
            backup = path.with_name(path.name + ".bak")
            _retry(lambda: _copy(path, backup), attempts, pause)
        _retry(lambda: os.replace(tmp, path), attempts, pause)
    finally:
        if tmp.exists():
            tmp.unlink()


def _copy(src: Path, dst: Path) -> None:
    tmp = dst.with_name(f".{dst.name}.tmp")
    try:
        tmp.write_bytes(src.read_bytes())
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
