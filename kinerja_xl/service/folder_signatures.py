"""Electronic signatures in an export folder: every log CSV row's, and the official PDF's.

The manifest lists the registered public keys (`kunci`). Each CSV row must be signed by its user's key;
without keys the log is unsigned (a note: it proves order and content, not who acted). With the office's key
registry (`trusted`, `check DIR --kunci`) the manifest's keys are held to it, as in the workbook's own check.

The PDF may have grown after the export: a certified TTE through BSrE, or another signer, is appended by
incremental update, so the manifest's bytes (size and SHA-256) stay a prefix of the file. pyHanko's difference
analysis then says what the appended revisions did: signatures, signature fields, validation data (DSS) and
document timestamps pass; page content, annotations or anything else is a finding. Each signature is named
(certificate CN) and verified; ours (`TTE_Validasi`) must be by the key registered for the official who
validated. Other signers' certificates are not checked against their CA here (no trust list): that is for
the reader of a certified TTE (Acrobat, BSrE's verifier).
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from kinerja_xl.domain import audit, registry, signing
from kinerja_xl.domain.definition import ZONES
from kinerja_xl.domain.integrity import Report

OUR_FIELD = "TTE_Validasi"   # export/pdf_pades.SIGNATURE_FIELD (the service reads it without importing the export)
UNSIGNED_LOG = ("Log CSV tidak ditandatangani secara elektronik (manifest tidak mencatat kunci terdaftar): log "
                "membuktikan urutan dan isi, tetapi tidak membuktikan siapa yang bertindak.")
MAX_PDF = 256 << 20   # an export's PDF is well under a megabyte; a listed giant is not read into memory
Trusted = tuple[registry.Registry, str]


def manifest_keys(manifest: dict) -> tuple[dict[str, signing.RegisteredKey], list[str]]:
    """The manifest's `kunci` as keys by user, and a problem per entry that is not a usable key."""
    listed = manifest.get("kunci", [])
    if not isinstance(listed, list) or not all(isinstance(k, dict) for k in listed):
        return {}, ["manifest.json: 'kunci' harus berupa daftar objek (pengguna, kunci_publik, sidik_jari)"]
    rows = [(k.get("pengguna"), k.get("kunci_publik"), k.get("sidik_jari")) for k in listed]
    keys, problems = signing.parse_keys(rows, lambda r, c: f"manifest.json kunci[{r}]")
    return keys, [f"manifest.json: {p}" for p in problems]


def check_log(name: str, manifest: dict, entries: list[audit.LogEntry] | None, report: Report,
              trusted: Trusted | None = None) -> dict[str, signing.RegisteredKey]:
    """Every row of the log CSV signed by its user's key as the manifest (or `trusted`) lists it; the keys."""
    keys, problems = manifest_keys(manifest)
    report.problems += problems
    if entries is None:
        return keys
    if keys:
        report.problems += [f"Log CSV '{name}', {p[0].lower()}{p[1:]}" for p in signing.row_problems(entries, keys)]
    elif entries:
        report.unproven.append(UNSIGNED_LOG)
    if trusted is not None:
        judged = registry.judge(trusted[0], trusted[1], keys, entries, _zone(manifest))
        report.problems += judged.problems
        report.unproven += judged.notes
    return keys


def _zone(manifest: dict):
    return ZoneInfo(ZONES.get(str(manifest.get("zona")), ZONES["WIB"]))


# ---------------------------------------------------------------- the PDF


def grown_pdf(path: Path, size: object, expected: str, chunks) -> bool:
    """True when the file is longer than the manifest's size and its first `size` bytes hash to the manifest's
    SHA-256: something was appended (whether only signatures is for `check_pdf`)."""
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        return False
    h, total = hashlib.sha256(), 0
    for chunk in chunks(path):
        h.update(chunk[:max(0, size - total)])
        total += len(chunk)
    return total > size and h.hexdigest() == expected


def check_pdf(path: Path, original_size: int | None, manifest: dict, entries: list[audit.LogEntry] | None,
              keys: dict[str, signing.RegisteredKey], report: Report) -> None:
    """The PDF's signatures, and (when it grew) what its appended revisions changed."""
    name = path.name
    if path.stat().st_size > MAX_PDF:
        report.problems.append(f"Berkas '{name}' terlalu besar untuk PDF ekspor; tanda tangannya tidak diperiksa.")
        return
    try:
        with _quiet_pyhanko():
            found = _read_signatures(path.read_bytes(), original_size)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds for a damaged file; none may escape
        report.problems.append(f"Berkas '{name}': tanda tangan elektronik PDF tidak dapat diperiksa "
                               f"({exc.__class__.__name__}): PDF rusak atau diubah.")
        return
    signatures, appended_problem = found
    if appended_problem:
        report.problems.append(f"Berkas '{name}' diubah setelah ekspor dengan pembaruan bertahap yang bukan hanya "
                               f"tanda tangan ({appended_problem}): PDF ini tidak lagi sama dengan yang diekspor.")
    validator = _validator(entries, keys)
    ours = [s for s in signatures if s.field == OUR_FIELD]
    for sig in signatures:
        _judge_signature(name, sig, validator, report, manifest)
    if not ours and keys and not manifest.get("draft"):
        report.unproven.append(f"PDF '{name}' belum ditandatangani secara elektronik oleh pejabat yang memvalidasi "
                               f"(kolom {OUR_FIELD} kosong): ekspor dibuat bukan dari komputer pejabat itu.")


class _Signature:
    def __init__(self, field, signer, when, intact, valid, public, appended):
        self.field, self.signer, self.when = field, signer, when
        self.intact, self.valid, self.public, self.appended = intact, valid, public, appended


def _read_signatures(data: bytes, original_size: int | None) -> tuple[list[_Signature], str | None]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    base = None
    problem = None
    if original_size is not None:
        base = PdfFileReader(io.BytesIO(data[:original_size]), strict=False).total_revisions - 1
        problem = _appended_changes(reader, base, data)
    return [_signature(s, base) for s in reader.embedded_signatures], problem


def _appended_changes(reader, base: int, data: bytes) -> str | None:
    """What the revisions after `base` changed beyond signatures, signature fields and validation data."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification

    if not data.rstrip().endswith(b"%%EOF"):
        return "ada data setelah akhir PDF"
    if reader.total_revisions - 1 <= base:
        return "ada data tambahan yang bukan revisi PDF"
    try:
        result = DEFAULT_DIFF_POLICY.review_file(reader, base)
    except SuspiciousModification as exc:
        return f"perubahan mencurigakan: {exc}"
    if isinstance(result, SuspiciousModification):
        return f"perubahan mencurigakan: {result}"
    if result.modification_level > ModificationLevel.FORM_FILLING:
        return {ModificationLevel.ANNOTATIONS: "anotasi ditambahkan atau diubah"}.get(
            result.modification_level, "isi halaman atau struktur dokumen diubah")
    return None


def _signature(embedded, base: int | None) -> _Signature:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    cert = embedded.signer_cert
    # Trust is not pyHanko's to judge here: ours by the registered key, others' by their CA's verifier.
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[cert], allow_fetching=False),
                                    skip_diff=True)
    subject = cert.subject.native
    public = cert.public_key.dump()
    return _Signature(str(embedded.field_name), str(subject.get("common_name") or cert.subject.human_friendly),
                      status.signer_reported_dt, bool(status.intact), bool(status.valid), public,
                      base is not None and embedded.signed_revision > base)


def _validator(entries, keys: dict[str, signing.RegisteredKey]) -> tuple[str, signing.RegisteredKey | None] | None:
    validated = next((e for e in reversed(entries or []) if e.action_id == "validate"), None)
    return None if validated is None else (validated.user, keys.get(validated.user))


def _judge_signature(name: str, sig: _Signature, validator, report: Report, manifest: dict) -> None:
    zone = str(manifest.get("zona")) if manifest.get("zona") in ZONES else "UTC"
    local = sig.when.astimezone(_zone(manifest) if zone != "UTC" else ZoneInfo("UTC")) if sig.when else None
    when = f", {local:%d-%m-%Y %H:%M} {zone}" if local else ""
    said = f"Tanda tangan PDF '{name}' kolom {sig.field} oleh {sig.signer}{when}"
    later = " (ditambahkan setelah ekspor)" if sig.appended else ""
    if not (sig.intact and sig.valid):
        report.problems.append(f"{said}{later}: TIDAK UTUH atau tidak sah (isi yang ditandatangani berubah).")
        return
    if sig.field == OUR_FIELD:
        problem = _our_key_problem(sig, validator)
        if problem:
            report.problems.append(f"{said}{later}: {problem}.")
        else:
            report.unproven.append(f"{said}{later}: utuh, dengan kunci terdaftar pejabat yang memvalidasi "
                                   f"('{validator[0]}', sidik jari {validator[1].fingerprint}).")
        return
    report.unproven.append(f"{said}{later}: utuh dan sah secara kriptografis; sertifikatnya tidak diperiksa terhadap "
                           "penerbitnya (mis. BSrE) oleh kinerja-xl: periksa dengan aplikasi verifikasi TTE.")


def _our_key_problem(sig: _Signature, validator) -> str | None:
    if validator is None:
        return "log tidak mencatat validasi, jadi penanda tangan yang sah tidak diketahui"
    user, key = validator
    if key is None:
        return f"pengguna yang memvalidasi ('{user}') tidak punya kunci terdaftar di manifest"
    if not _same_key(sig.public, key.public):
        return (f"ditandatangani dengan kunci lain, bukan kunci terdaftar pengguna '{user}' (sidik jari "
                f"{key.fingerprint})")
    return None


def _same_key(spki_der: bytes, public: str) -> bool:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        key = load_der_public_key(spki_der)
    except (ValueError, TypeError):
        return False
    return isinstance(key, Ed25519PublicKey) and signing.public_text(key) == public


@contextlib.contextmanager
def _quiet_pyhanko():
    """pyHanko logs a failed certificate path with its traceback; what matters is reported as findings."""
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
