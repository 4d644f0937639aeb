"""The validated PDF signed with PAdES (baseline B) by the validating official's own Ed25519 key, through pyHanko.

The signature sits in a visible field over the room left for the signature in the signature block (where
ReportLab drew it: `pdf_sign.SignatureRoom`), with a stamp naming the signer, NIP, time and key fingerprint.
Beside it an empty field, `TTE_BSrE`, waits for a later certified TTE through BSrE (BSSN): that signature is
appended by incremental update, so the bytes the export's manifest hashed stay a prefix of the signed file
(`check DIR` accepts that, `service/folder_signatures.py`).

The certificate is made on the fly and self-signed: it only carries the key. What makes it trusted is that
its public key is the one registered for the official in Pengaturan (printed in the PDF with its fingerprint)
and in the office's key registry, not any CA. pyHanko is heavy to import, so it is imported only here, and
only when a PDF is signed (the empty fields of an unsigned export are written by `pdf_fields`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kinerja_xl.domain import signing
from kinerja_xl.domain.errors import FileProblem
from kinerja_xl.export.pdf_fields import NotPlain, append_empty_fields

if TYPE_CHECKING:  # X.509 is loaded only when a PDF is signed
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SIGNATURE_FIELD = "TTE_Validasi"   # ours: the validating official's signature
BSRE_FIELD = "TTE_BSrE"            # left empty for a certified TTE through BSrE, appended later
CERT_YEARS = 10                    # the archive keeps the PDF; the key's trust comes from its registration


@dataclass(frozen=True)
class FieldPlace:
    """Where the signature block left room to sign: page index (from 0) and the room in PDF points."""

    page: int
    x: float
    y: float
    width: float
    height: float

    def boxes(self) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
        """Our field on the left of the room, BSrE's beside it on the right."""
        split = self.x + self.width * 0.55
        top = self.y + self.height
        return (self.x, self.y, split - 2, top), (split + 2, self.y, self.x + self.width, top)


@dataclass(frozen=True)
class Signatory:
    """Who signs, as the signature block prints them."""

    name: str
    nip: str
    title: str
    instansi: str


def certificate(key: Ed25519PrivateKey, who: Signatory, when: dt.datetime) -> x509.Certificate:
    """A self-signed X.509 certificate for the official's key: CN name, serialNumber NIP, title, O instansi."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    parts = [(NameOID.COMMON_NAME, who.name), (NameOID.SERIAL_NUMBER, who.nip), (NameOID.TITLE, who.title),
             (NameOID.ORGANIZATION_NAME, who.instansi)]
    subject = x509.Name([x509.NameAttribute(oid, value[:64]) for oid, value in parts if value.strip()]
                        + [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")])
    public = signing.public_text(key)
    serial = int.from_bytes(hashlib.sha256(f"{public}|{when.isoformat()}".encode()).digest()[:16], "big") >> 1
    start = when.astimezone(dt.timezone.utc) - dt.timedelta(days=1)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(serial or 1).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * CERT_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, None))


def with_empty_fields(pdf: bytes, place: FieldPlace) -> bytes:
    """The PDF with both signature fields visible but empty (the exporter is not the validating official): the
    incremental update pyHanko would append, written by `pdf_fields` without importing pyHanko; pyHanko itself
    only for a PDF not laid out as ReportLab writes it."""
    mine, bsre = place.boxes()
    try:
        return append_empty_fields(pdf, place.page, [(SIGNATURE_FIELD, mine), (BSRE_FIELD, bsre)])
    except NotPlain:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        return _guarded(lambda: _write(_fields(IncrementalPdfFileWriter(io.BytesIO(pdf)), place, ours=True)))


def sign_pdf(pdf: bytes, key: Ed25519PrivateKey, who: Signatory, when: dt.datetime, place: FieldPlace,
             zone: str) -> bytes:
    """The PDF signed (PAdES B-B, Ed25519 over SHA-512) into the visible field `TTE_Validasi`, with the empty
    `TTE_BSrE` field added in the same revision. `when` is the signing time in the office's zone (`zone` its
    label, e.g. WITA); it is also the CMS signing time."""
    return _guarded(lambda: _sign(pdf, key, who, when, place, zone))


def _sign(pdf: bytes, key: Ed25519PrivateKey, who: Signatory, when: dt.datetime, place: FieldPlace,
          zone: str) -> bytes:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = asn1_x509.Certificate.load(certificate(key, who, when).public_bytes(Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    signer = signers.SimpleSigner(signing_cert=cert, signing_key=private,
                                  cert_registry=SimpleCertificateStore.from_certs([cert]))
    writer = _fields(IncrementalPdfFileWriter(io.BytesIO(pdf)), place, ours=False)
    meta = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha512", name=_ascii(who.name),
                                        reason="Validasi hasil SOP", location=_ascii(who.instansi))
    style = TextStampStyle(stamp_text="%(teks)s", border_width=1, text_box_style=TextBoxStyle(font_size=6))
    pdf_signer = _AtTime(meta, signer, when=when, stamp_style=style,
                         new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD, on_page=place.page,
                                                            box=place.boxes()[0]))
    out = pdf_signer.sign_pdf(writer, appearance_text_params={"teks": stamp_text(key, who, when, zone)})
    return out.getvalue()


def stamp_text(key: Ed25519PrivateKey, who: Signatory, when: dt.datetime, zone: str) -> str:
    """What the visible stamp says (plain ASCII: the stamp's standard font has no other glyphs)."""
    nip = who.nip if who.nip.upper().startswith("NIP") else f"NIP {who.nip}" if who.nip else ""
    lines = ["Ditandatangani secara elektronik oleh", who.name, nip,
             f"{when:%d-%m-%Y %H:%M} {zone}", f"Kunci {signing.fingerprint(signing.public_text(key))}"]
    return "\n".join(_ascii(line) for line in lines if line)


def _fields(writer, place: FieldPlace, *, ours: bool):
    """Empty signature fields on the signature page: BSrE's always, ours only when it is not being signed now.
    The form is marked append-only (SigFlags 3, as a signature would mark it), so a later signature changes
    nothing but its own field and pyHanko's difference analysis sees only form filling."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields

    mine, bsre = place.boxes()
    if ours:
        fields.append_signature_field(writer, fields.SigFieldSpec(SIGNATURE_FIELD, on_page=place.page, box=mine))
    fields.append_signature_field(writer, fields.SigFieldSpec(BSRE_FIELD, on_page=place.page, box=bsre))
    form = writer.root["/AcroForm"]
    form[generic.NameObject("/SigFlags")] = generic.NumberObject(3)
    writer.update_container(form)
    return writer


def _write(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")


def _guarded(do) -> bytes:
    """pyHanko's own errors become a file problem in Bahasa Indonesia (no traceback): the export is not made."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.general import SigningError

    try:
        return do()
    except (PdfError, SigningError, ValueError) as exc:
        raise FileProblem(f"PDF hasil tidak dapat ditandatangani secara elektronik ({exc.__class__.__name__}: {exc}). "
                          "Tidak ada folder ekspor yang dibuat; ulangi ekspor, atau ekspor tanpa tanda tangan oleh "
                          "pengguna lain lalu laporkan ke admin.") from None


def _signer_at(base):
    class AtTime(base):
        """pyHanko dates a signature by the system clock; the export dates it by its own clock (test mode too)."""

        def __init__(self, *args, when: dt.datetime, **kwargs):
            super().__init__(*args, **kwargs)
            self._when = when

        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self._when
            return session
    return AtTime


def _AtTime(*args, **kwargs):  # noqa: N802 - a class made lazily, so pyHanko is not imported with this module
    from pyhanko.sign.signers import PdfSigner

    return _signer_at(PdfSigner)(*args, **kwargs)
