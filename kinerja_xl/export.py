"""The validated result as files to file and send: a macro-free xlsx, its PDF, the log as CSV, a manifest.

Each export goes into its own folder under `ekspor/` (named by SOP, year, period and
time), so an earlier export is never overwritten; `manifest.json` holds the SHA-256 of
every file, the validated data digests and the log's chain head.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl import app
from kinerja_xl.core import audit, digest
from kinerja_xl.core.errors import FileProblem, Refused
from kinerja_xl.export_sheets import result_workbook
from kinerja_xl.integrity import MANIFEST
from kinerja_xl.sop import names as N
from kinerja_xl.sop.model import Definition
from kinerja_xl.workbook.openpyxl_adapter import FileWorkbook

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


def export_file(path, d: Definition, out_dir=None, *, draft: bool = False, clock,
                pdf_maker: PdfMaker | None | bool = None) -> ExportResult:
    """`pdf_maker`: None = LibreOffice, a callable (xlsx, pdf) e.g. Excel's own export when live, False = no PDF."""
    path = Path(path)
    with FileWorkbook.reading(path) as port:
        app.check_identity(port, d, path)
        ctx = app.context(port, d)
    if not ctx.state.closed and not draft:
        raise Refused("Ekspor hanya setelah Validasi & Tandatangani (langkah terakhir). Untuk melihat hasil sementara, "
                      "gunakan ekspor DRAFT (--draft): setiap halaman diberi tanda DRAFT.")
    now = clock()
    folder = _new_folder(Path(out_dir) if out_dir else path.parent / "ekspor", _base_name(d, ctx, now, draft))
    base = folder / folder.name
    files = [base.with_suffix(".xlsx"), base.with_name(folder.name + "_log.csv")]
    files[0].write_bytes(_xlsx_bytes(result_workbook(d, ctx, now, draft)))
    files[1].write_bytes(_log_csv(ctx.entries))
    if pdf_maker is not False:
        pdf = base.with_suffix(".pdf")
        (pdf_maker or libreoffice_pdf)(files[0], pdf)
        files.insert(1, pdf)
    manifest = folder / MANIFEST
    manifest.write_text(json.dumps(_manifest(d, ctx, now, draft, files), ensure_ascii=False, indent=2), encoding="utf-8")
    return ExportResult(folder, files, manifest)


def _base_name(d: Definition, ctx, now, draft: bool) -> str:
    year = ctx.settings.year or now.year
    period = f"TW-{ctx.settings.quarter}" if ctx.settings.quarter else "TAHUNAN"
    return f"{d.header.code}_{year}_{period}_{now:%Y%m%d-%H%M}" + ("_DRAFT" if draft else "")


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


def _log_csv(entries: list[audit.LogEntry]) -> bytes:
    """UTF-8 with BOM, so Excel shows Indonesian text correctly when the CSV is double-clicked."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(N.LOG_COLUMNS)
    writer.writerows(e.row() for e in entries)
    return buf.getvalue().encode("utf-8-sig")


def _manifest(d: Definition, ctx, now, draft: bool, files: list[Path]) -> dict:
    rows, head = audit.head(ctx.entries)
    return {"sop": d.header.code, "nomor_sop": d.header.number, "tahun": ctx.settings.year,
            "triwulan": ctx.settings.quarter, "dibuat": now.isoformat(timespec="seconds"), "draft": draft,
            "berkas": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files},
            "data": {str(s.no): digest.step_digest(d, s, ctx.blocks) for s in d.steps},
            "log": {"baris": rows, "hash": head}}
