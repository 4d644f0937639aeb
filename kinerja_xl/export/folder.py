"""The validated result as files to file and send: a macro-free xlsx, its PDF, the log as CSV, a manifest.

Each export goes into its own folder under `ekspor/` (named by SOP, year, period and
time), so an earlier export is never overwritten; `manifest.json` holds the SHA-256 of
every file, the validated data digests and the log's chain head.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl.adapters.anchor_file import MANIFEST
from kinerja_xl.domain import audit, digest
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.errors import FileProblem
from kinerja_xl.domain.period import Period
from kinerja_xl.export import log_csv
from kinerja_xl.export.workbook import result_workbook

PdfMaker = Callable[[Path, Path], None]
INSTALL_LIBREOFFICE = ("LibreOffice tidak ditemukan, jadi PDF tidak dapat dibuat. Pasang LibreOffice "
                       "(Windows: libreoffice.org; Debian/Ubuntu: apt-get install libreoffice-calc-nogui) "
                       "dan pastikan 'soffice' ada di PATH, lalu ulangi ekspor.")


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    files: list[Path]
    manifest: Path


def libreoffice_pdf(xlsx: Path, pdf: Path) -> None:
    """Headless PDF through LibreOffice, in a private profile so parallel runs do not collide."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileProblem(INSTALL_LIBREOFFICE)
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profil"
        try:
            subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                            "--outdir", tmp, str(xlsx)], check=True, capture_output=True, timeout=300)
        except (subprocess.SubprocessError, OSError) as exc:
            raise FileProblem(f"LibreOffice gagal membuat PDF: {exc}") from None
        made = Path(tmp) / (xlsx.stem + ".pdf")
        if not made.exists():
            raise FileProblem("LibreOffice tidak menghasilkan PDF. Coba buka berkas xlsx-nya di LibreOffice.")
        shutil.move(str(made), pdf)


def export_period(period: Period, source: Path, definition_hash: str, out_dir=None, *, draft: bool = False,
                  now: dt.datetime, pdf_maker: PdfMaker | None | bool = None) -> ExportResult:
    """`pdf_maker`: None = LibreOffice, a callable (xlsx, pdf) e.g. Excel's own export when live, False = no PDF."""
    d = period.d
    folder = _new_folder(Path(out_dir) if out_dir else Path(source).parent / "ekspor", _base_name(period, now, draft))
    base = folder / folder.name
    files = [base.with_suffix(".xlsx"), base.with_name(folder.name + "_log.csv")]
    files[0].write_bytes(_xlsx_bytes(result_workbook(d, period, now, draft)))
    files[1].write_bytes(_log_csv(d, period.entries))
    if pdf_maker is not False:
        pdf = base.with_suffix(".pdf")
        (pdf_maker or libreoffice_pdf)(files[0], pdf)
        files.insert(1, pdf)
    manifest = folder / MANIFEST
    manifest.write_text(json.dumps(_manifest(period, definition_hash, now, draft, files), ensure_ascii=False, indent=2),
                        encoding="utf-8")
    return ExportResult(folder, files, manifest)


def _base_name(period: Period, now: dt.datetime, draft: bool) -> str:
    d = period.d
    year = period.settings.year or now.year
    return f"{d.header.code}_{year}_{period.settings.period_tag(d)}_{now:%Y%m%d-%H%M}" + ("_DRAFT" if draft else "")


def _new_folder(parent: Path, name: str) -> Path:
    """Never reuse a folder: a second export in the same minute gets a suffix."""
    parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        folder = parent / (name if n == 1 else f"{name}-{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise FileProblem(f"Terlalu banyak ekspor bernama {name} di {parent}.")


def _xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _log_csv(d: Definition, entries: list[audit.LogEntry]) -> bytes:
    """UTF-8 with BOM; text that would start a formula is neutralised (`log_csv`)."""
    return log_csv.to_bytes(N.log_columns(d.header.zone), (e.row() for e in entries))


def _manifest(period: Period, definition_hash: str, now, draft: bool, files: list[Path]) -> dict:
    d = period.d
    rows, head = audit.head(period.entries)
    return {"sop": d.header.code, "nomor_sop": d.header.number, "tahun": period.settings.year,
            "periode": period.settings.period, "satuan_periode": d.header.period_unit,
            "dibuat": now.isoformat(timespec="seconds"), "draft": draft, "definisi": definition_hash,
            "berkas": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files},
            "data": {str(s.no): digest.step_digest(d, s, period.blocks) for s in d.steps},
            "log": {"baris": rows, "hash": head}}
