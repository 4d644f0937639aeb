"""The validated result as files to file and send: a macro-free xlsx, its PDF, the log as CSV, a manifest.

Each export goes into its own folder under `ekspor/` (named by SOP, year, period and
time), so an earlier export is never overwritten; the folder appears whole or not at all.
`manifest.json` holds the SHA-256 and size of every file, the validated data digests, the log's chain head and
the registered signing keys. The official PDF is signed with PAdES by the validating official's key when the
exporter is that official (`pdf_key`); otherwise its signature fields stay empty (`export/pdf_pades.py`).
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kinerja_xl.adapters.anchor_file import MANIFEST

from kinerja_xl.domain import audit, digest, integrity, rollover, signing, workflow
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.errors import FileProblem, Refused
from kinerja_xl.domain.period import Period
from kinerja_xl.export import log_csv
from kinerja_xl.export.workbook import result_workbook

if TYPE_CHECKING:  # an export without a PDF needs neither cryptography nor ReportLab
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PdfMaker = Callable[[Path, Path], None]
STAGING = ".sementara-"


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    files: list[Path]
    manifest: Path


def export_period(period: Period, source: Path, definition_hash: str, out_dir=None, *, draft: bool = False,
                  now: dt.datetime, pdf_maker: PdfMaker | None | bool = None,
                  pdf_key: Ed25519PrivateKey | None = None) -> ExportResult:
    """Everything is made in memory, written into a hidden staging folder beside the archive (manifest last)
    and renamed into place only when complete: a failure leaves no folder, and no earlier export is touched.

    `pdf_maker`: None (or True) = the official document made by ReportLab (`export.pdf`); a callable
    (xlsx, pdf) such as Excel's own export when live; False = no PDF.
    `pdf_key`: the validating official's private key, given only when the exporter is that official: the
    ReportLab PDF of a validated (not draft) period is then signed with PAdES; without it the PDF keeps its
    signature fields empty. A key other than the one registered for the validating official is refused."""
    d = period.d
    name = _base_name(period, now, draft)
    contents = {".xlsx": _xlsx_bytes(result_workbook(d, period, now, draft))}
    if pdf_maker is None or pdf_maker is True:
        contents[".pdf"] = _official_pdf(period, now, draft, pdf_key)
    contents["_log.csv"] = _log_csv(d, period.entries)
    parent = Path(out_dir) if out_dir else Path(source).parent / "ekspor"
    _attempt(f"membuat folder {parent}", lambda: parent.mkdir(parents=True, exist_ok=True))
    for candidate in _free_names(parent, name):
        staging = Path(_attempt(f"membuat folder sementara di {parent}",
                                lambda: tempfile.mkdtemp(prefix=f".{candidate}{STAGING}", dir=parent)))
        try:
            files = _stage(staging, candidate, contents, pdf_maker)
            manifest = staging / MANIFEST
            data = _manifest(period, definition_hash, now, draft, files)
            _attempt(f"menulis {MANIFEST}", lambda: _write(manifest, json.dumps(data, ensure_ascii=False,
                                                                                    indent=2).encode("utf-8")))
            folder = parent / candidate
            if not _attempt(f"memindahkan folder ekspor ke {folder}", lambda: _rename(staging, folder)):
                _remove(staging)
                continue  # another export took the name meanwhile: the next one
        except BaseException:
            _remove(staging)
            raise
        _sync_dir(parent)
        return ExportResult(folder, [folder / f.name for f in files], folder / MANIFEST)
    raise FileProblem(f"Terlalu banyak ekspor bernama {name} di {parent}.")


def _official_pdf(period: Period, now: dt.datetime, draft: bool, pdf_key: Ed25519PrivateKey | None) -> bytes:
    from kinerja_xl.export import pdf_pades
    from kinerja_xl.export.pdf import pdf_document

    pdf, place = pdf_document(period, now, draft)
    if place is None or draft or not period.state.signed:
        return pdf
    if pdf_key is None:
        return pdf_pades.with_empty_fields(pdf, place)
    validated = next(e for e in reversed(period.entries) if e.action_id == "validate")
    registered = period.keys.get(validated.user)
    if registered is None or registered.public != signing.public_text(pdf_key):
        raise Refused(f"PDF hanya dapat ditandatangani dengan kunci yang terdaftar untuk pejabat yang memvalidasi "
                      f"('{validated.user}'). Ekspor tanpa tanda tangan PDF, atau ekspor dari komputer pejabat itu.")
    lines = [str(r[0] or "") for r in period.blocks[N.SIGNATURE].values][:4]
    _place_date, title, name, nip = lines + [""] * (4 - len(lines))
    who = pdf_pades.Signatory(name, nip, title, period.d.header.unit)
    return pdf_pades.sign_pdf(pdf, pdf_key, who, now.astimezone(period.d.tz), place, period.d.header.zone)


def _stage(staging: Path, name: str, contents: dict[str, bytes], pdf_maker) -> list[Path]:
    """The files in the staging folder, in the manifest's order: xlsx, PDF, log CSV."""
    files = []
    for suffix, raw in contents.items():
        path = staging / (name + suffix)
        _attempt(f"menulis {path.name}", lambda: _write(path, raw))
        files.append(path)
    if callable(pdf_maker) and pdf_maker is not True:
        pdf = staging / (name + ".pdf")
        pdf_maker(files[0], pdf)
        files.insert(1, pdf)
    return files


def _attempt(what: str, do):
    """A write the export cannot do is a file problem that says what failed; nothing is left behind."""
    try:
        return do()
    except OSError as exc:
        raise FileProblem(f"Ekspor gagal saat {what}: {exc.strerror or exc}. Tidak ada folder ekspor yang dibuat; "
                          "ekspor sebelumnya tidak berubah. Periksa ruang disk dan izin folder, lalu ulangi.") from None


def _write(path: Path, raw: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())


def _rename(staging: Path, folder: Path) -> bool:
    """False when the name is taken (never replaces a folder with content: an archive stays)."""
    if folder.exists():
        return False
    try:
        os.rename(staging, folder)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
            return False
        raise
    return True


def _remove(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _sync_dir(folder: Path) -> None:
    """The rename itself made durable where the system allows (POSIX); best effort."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _base_name(period: Period, now: dt.datetime, draft: bool) -> str:
    d = period.d
    year = period.settings.year or now.year
    return f"{d.header.code}_{year}_{period.settings.period_tag(d)}_{now:%Y%m%d-%H%M}" + ("_DRAFT" if draft else "")


def _free_names(parent: Path, name: str):
    """Never reuse a folder: a second export in the same minute gets a suffix."""
    for n in range(1, 1000):
        candidate = name if n == 1 else f"{name}-{n}"
        if not (parent / candidate).exists():
            yield candidate


def _xlsx_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _log_csv(d: Definition, entries: list[audit.LogEntry]) -> bytes:
    """UTF-8 with BOM; text that would start a formula is neutralised (`log_csv`)."""
    return log_csv.to_bytes(N.log_columns(d.header.zone), (e.row() for e in entries))


def _manifest(period: Period, definition_hash: str, now, draft: bool, files: list[Path]) -> dict:
    d = period.d
    rows, head = audit.head(period.entries, rollover.genesis(period.blocks))
    return {"sop": d.header.code, "nomor_sop": d.header.number, "tahun": period.settings.year,
            "periode": period.settings.period, "satuan_periode": d.header.period_unit,
            "dibuat": now.isoformat(timespec="seconds"), "draft": draft, "definisi": definition_hash,
            "zona": d.header.zone,
            "berkas": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files},
            "ukuran": {f.name: f.stat().st_size for f in files},
            "data": {str(s.no): _data_digest(period, s) for s in d.steps},
            "log": {"baris": rows, "hash": head},
            "kunci": [{"pengguna": k.user, "kunci_publik": k.public, "sidik_jari": k.fingerprint}
                      for _user, k in sorted(period.keys.items())],
            **({"sebelumnya": link.text()} if (link := _link(period)) else {})}


def _data_digest(period: Period, step) -> str:
    """A completed step's digest is the one logged when it completed, which the period was proven to match when
    read (or by the signing action); any other step's data is hashed here."""
    if period.proven and period.state.statuses[step.no - 1] == workflow.DONE:
        logged = integrity.last_logged(period.entries, step.no)
        if logged is not None:
            return logged.digest
    return digest.step_digest(period.d, step, period.blocks)


def _link(period: Period):
    """The period this one continues, as the workbook records it (its log's first row links to that head)."""
    value = period.blocks[N.META_PREVIOUS].value() if N.META_PREVIOUS in period.blocks else None
    return rollover.parse_link(value)
