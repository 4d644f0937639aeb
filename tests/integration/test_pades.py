"""The validated PDF signed with PAdES by the validating official's key, ready for a later certified TTE (BSrE)
appended by incremental update; `check DIR` on signed rows and signed PDFs. Issue 17, parts 3-4.

One period per module goes through the whole SOP with every official's key registered (the CLI, each key in
a passphrase-protected PKCS#12 file as on the officials' PCs); the tests export it with and without the
validating official's key and edit copies of the folders.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import zipfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (BestAvailableEncryption, Encoding, NoEncryption,
                                                          PrivateFormat, pkcs12)
from cryptography.x509.oid import NameOID

from kinerja_xl.bootstrap import KEY_FILE_ENV, PASSPHRASE_ENV
from kinerja_xl.domain import signing
from kinerja_xl.export.folder import export_period
from kinerja_xl.service.folder_check import check_folder
from kinerja_xl.service.reading import read_period
from kinerja_xl.service.unit_of_work import FileUnitOfWork
from tests.conftest import runner
from tests.flow import validated

USERS = ("ardiansyah", "ridha", "rahmah", "fauzi")
PASSPHRASE = "frasa-sandi-uji-pades"
EXPORTED = dt.datetime.fromisoformat("2026-10-07T10:20:00+08:00")


@pytest.fixture(scope="module")
def period_keys(tmp_path_factory, demo_bytes):
    """The validated workbook with every official's key registered, and the officials' private keys."""
    folder = tmp_path_factory.mktemp("pades")
    book = folder / "Kinerja_SETWAN.xlsm"
    book.write_bytes(demo_bytes)
    keys = {user: Ed25519PrivateKey.generate() for user in USERS}
    store = folder / "kunci"
    store.mkdir()
    for user, key in keys.items():
        (store / f"{user}.p12").write_bytes(pkcs12.serialize_key_and_certificates(
            user.encode(), key, None, None, BestAvailableEncryption(PASSPHRASE.encode())))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(KEY_FILE_ENV, str(store))
        mp.setenv(PASSPHRASE_ENV, PASSPHRASE)
        run = runner(mp)
        cells = [f"pengaturan_kunci[{i}].{column}={value}" for i, user in enumerate(USERS, 1)
                 for column, value in (("pengguna", user), ("kunci_publik", signing.public_text(keys[user])))]
        assert run("set", book, *cells, "--as", "ardiansyah", now="2026-09-30T09:00").code == 0
        validated(run, book)
    return book, keys


def export(book, out, key=None, *, draft=False):
    with FileUnitOfWork(book, write=False) as uow:
        result = export_period(read_period(uow), uow.on_disk(), uow.definition_hash, out, draft=draft,
                               now=EXPORTED, pdf_key=key)
    return result.folder


@pytest.fixture(scope="module")
def exports(period_keys, tmp_path_factory):
    book, keys = period_keys
    out = tmp_path_factory.mktemp("ekspor")
    return export(book, out / "ditandatangani", keys["ardiansyah"]), export(book, out / "tanpa_kunci")


@pytest.fixture
def signed(exports, tmp_path):
    return shutil.copytree(exports[0], tmp_path / exports[0].name)


def pdf_of(folder):
    return next(folder.glob("*.pdf"))


def manifest(folder) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def signatures(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data)).embedded_signatures


def fields(data: bytes) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    return {name: (value, ref.get_object()) for name, value, ref in enumerate_sig_fields(PdfFileReader(io.BytesIO(data)))}


def report_text(report) -> str:
    return "\n".join(report.problems + report.unproven)


# ---------------------------------------------------------------- the signed PDF


def test_the_validated_pdf_verifies_with_pyhanko_and_the_official_key(exports, period_keys):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    data = pdf_of(exports[0]).read_bytes()
    [sig] = signatures(data)
    cert = sig.signer_cert
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(cert.dump())], moment=EXPORTED)
    status = validate_pdf_signature(sig, context)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.pkcs7_signature_mechanism == "ed25519" and status.md_algorithm == "sha512"
    assert sig.field_name == "TTE_Validasi" and sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    subject = cert.subject.native
    assert subject["common_name"] == "ARDIANSYAH, S.AP" and "19620718" in subject["serial_number"]
    assert subject["organization_name"] == "Sekretariat DPRD Kabupaten Balangan"
    key = period_keys[1]["ardiansyah"]
    assert cert.public_key.dump() == key.public_key().public_bytes(Encoding.DER, _spki())
    assert status.signer_reported_dt == EXPORTED


def _spki():
    from cryptography.hazmat.primitives.serialization import PublicFormat

    return PublicFormat.SubjectPublicKeyInfo


def test_the_signature_is_visible_over_the_signature_block_with_an_empty_bsre_field(exports):
    import pdfplumber

    data = pdf_of(exports[0]).read_bytes()
    found = fields(data)
    assert set(found) == {"TTE_Validasi", "TTE_BSrE"}
    value, ours = found["TTE_Validasi"]
    assert value is not None and found["TTE_BSrE"][0] is None
    rect = [float(v) for v in ours["/Rect"]]
    assert rect[2] - rect[0] > 100 and rect[3] - rect[1] > 40
    assert "/N" in ours["/AP"] and ours["/AP"]["/N"].get_object().data   # the stamp is drawn
    bsre = [float(v) for v in found["TTE_BSrE"][1]["/Rect"]]
    assert bsre[0] >= rect[2] and bsre[2] - bsre[0] > 100       # beside ours, not over it
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = next(p for p in pdf.pages if "ARDIANSYAH, S.AP" in (p.extract_text() or "")
                    and "Kepala log (anchor)" in p.extract_text())
        assert _page_index(data, ours["/P"]) == page.page_number - 1      # on the signature page
        words = page.extract_words()
        name = next(w for w in words if w["text"] == "ARDIANSYAH,")
        height = float(page.height)
        assert rect[1] >= height - name["top"] - 2       # the stamp sits above the printed name, in the room to sign
        text = page.extract_text()
    assert "Digest data tervalidasi" in text


def test_the_stamp_names_signer_nip_time_and_key_fingerprint(exports, period_keys):
    data = pdf_of(exports[0]).read_bytes()
    stamp = fields(data)["TTE_Validasi"][1]["/AP"]["/N"].get_object()
    drawn = _all_text(stamp)
    key = period_keys[1]["ardiansyah"]
    for expected in ("ARDIANSYAH, S.AP", "19620718 198302 1 004", "07-10-2026 10:20 WITA",
                     signing.fingerprint(signing.public_text(key))):
        assert expected.encode() in drawn, expected


def _all_text(stream) -> bytes:
    """The stamp's own content and its nested form XObjects, with PDF string escapes undone."""
    out = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), stream.data)
    out = re.sub(rb"\\([()\\])", rb"\1", out)
    resources = stream.get("/Resources")
    for value in (resources.get("/XObject", {}).values() if resources else []):
        out += _all_text(value.get_object())
    return out


def test_without_the_key_the_pdf_has_both_fields_empty(exports):
    data = pdf_of(exports[1]).read_bytes()
    found = fields(data)
    assert set(found) == {"TTE_Validasi", "TTE_BSrE"} and all(v is None for v, _ in found.values())
    assert not signatures(data)
    report = check_folder(exports[1])
    assert report.clean, report.problems
    assert "belum ditandatangani secara elektronik oleh pejabat yang memvalidasi" in report_text(report)


def test_a_key_other_than_the_validating_officials_is_refused(period_keys, tmp_path):
    from kinerja_xl.domain.errors import Refused

    book, keys = period_keys
    with pytest.raises(Refused, match="ardiansyah"):
        export(book, tmp_path, keys["ridha"])
    assert not any(tmp_path.iterdir())


def test_the_manifest_lists_the_registered_keys_and_sizes(exports, period_keys):
    keys = period_keys[1]
    data = manifest(exports[0])
    assert data["kunci"] == [{"pengguna": u, "kunci_publik": signing.public_text(keys[u]),
                              "sidik_jari": signing.fingerprint(signing.public_text(keys[u]))} for u in sorted(USERS)]
    assert data["ukuran"] == {name: (exports[0] / name).stat().st_size for name in data["berkas"]}


def test_the_pdf_prints_the_registered_fingerprints(exports, period_keys):
    import pdfplumber

    with pdfplumber.open(pdf_of(exports[0])) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages[-2:])
    assert "Kunci tanda tangan elektronik terdaftar" in text
    for user, key in period_keys[1].items():
        assert signing.fingerprint(signing.public_text(key)) in text, user


def test_no_private_key_material_in_the_exports(exports, period_keys):
    needles = []
    for key in period_keys[1].values():
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        needles += [raw, der, pem, base64.b64encode(raw), base64.b64encode(der), raw.hex().encode()]
    for folder in exports:
        for path in folder.iterdir():
            blobs = [path.read_bytes()]
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as z:
                    blobs += [z.read(n) for n in z.namelist()]
            for blob in blobs:
                assert b"PRIVATE KEY" not in blob, path.name
                assert not any(n in blob for n in needles), path.name


# ---------------------------------------------------------------- check DIR


def test_check_dir_accepts_the_signed_export_and_names_the_signer(signed, cli):
    r = cli("check", signed)
    assert r.code == 0, r.out + r.err
    assert "TTE_Validasi oleh ARDIANSYAH, S.AP, 07-10-2026 10:20 WITA: utuh, dengan kunci terdaftar" in r.out
    assert "Traceback" not in r.out + r.err


def test_a_bsre_signature_appended_later_still_passes_and_both_signers_are_named(signed, cli):
    pdf = pdf_of(signed)
    before = pdf.read_bytes()
    pdf.write_bytes(append_signature(before, "TTE_BSrE"))
    assert pdf.read_bytes().startswith(before) and pdf.stat().st_size > len(before)
    r = cli("check", signed)
    assert r.code == 0, r.out + r.err
    assert "kolom TTE_BSrE oleh Penanda Uji BSrE" in r.out and "(ditambahkan setelah ekspor)" in r.out
    assert "TTE_Validasi oleh ARDIANSYAH, S.AP" in r.out
    assert "Traceback" not in r.out + r.err


def test_an_unsigned_export_accepts_a_signature_appended_into_the_empty_field(exports, tmp_path):
    folder = shutil.copytree(exports[1], tmp_path / "f")
    pdf = pdf_of(folder)
    pdf.write_bytes(append_signature(pdf.read_bytes(), "TTE_BSrE"))
    report = check_folder(folder)
    assert report.clean, report.problems
    assert "Penanda Uji BSrE" in report_text(report)


def test_a_page_content_change_appended_is_a_finding(signed):
    pdf = pdf_of(signed)
    pdf.write_bytes(append_content(pdf.read_bytes()))
    report = check_folder(signed)
    assert any(f"Berkas '{pdf.name}' diubah setelah ekspor dengan pembaruan bertahap yang bukan hanya tanda tangan" in p
               for p in report.problems), report.problems


def test_an_annotation_appended_then_signed_over_is_a_finding(signed):
    pdf = pdf_of(signed)
    pdf.write_bytes(append_signature(append_annotation(pdf.read_bytes()), "TTE_BSrE"))
    report = check_folder(signed)
    assert any("bukan hanya tanda tangan" in p for p in report.problems), report.problems


def test_garbage_appended_is_a_finding(signed):
    pdf = pdf_of(signed)
    pdf.write_bytes(pdf.read_bytes() + b"\n% sisipan\n%%EOF\n")
    report = check_folder(signed)
    assert any(pdf.name in p and "diubah" in p for p in report.problems), report.problems   # not "berubah": judged


def test_a_pdf_re_signed_with_another_key_and_the_manifest_rehashed_is_a_finding(period_keys, tmp_path):
    """A forger who rewrites the PDF and the manifest but lacks the validating official's key."""
    book, keys = period_keys
    folder = export(book, tmp_path, keys["ardiansyah"])
    pdf = pdf_of(folder)
    pdf.write_bytes(_resign(pdf.read_bytes(), Ed25519PrivateKey.generate()))
    rehash(folder, pdf)
    report = check_folder(folder)
    assert any("ditandatangani dengan kunci lain, bukan kunci terdaftar pengguna 'ardiansyah'" in p
               for p in report.problems), report.problems


def test_a_csv_row_with_a_forged_signature_is_named_with_its_person(signed):
    csv_path = next(signed.glob("*_log.csv"))
    text = csv_path.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    cells = lines[2].split(",")            # log row 3: ridha's step 2
    entry_hash, signature = cells[-2], cells[-1]
    forged = signing.sign_hash(Ed25519PrivateKey.generate(), entry_hash)
    lines[2] = lines[2].replace(signature, forged)
    csv_path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    rehash(signed, csv_path)
    report = check_folder(signed)
    assert any("log baris 3" in p and "MUHAMMAD RIDHA, S.E." in p and "tanda tangan elektronik tidak sah" in p
               for p in report.problems), report.problems


def test_a_manifest_without_keys_notes_the_log_is_unsigned(signed):
    data = manifest(signed)
    data["kunci"] = []
    (signed / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    report = check_folder(signed)
    assert "Log CSV tidak ditandatangani secara elektronik" in report_text(report)
    assert any("pengguna yang memvalidasi ('ardiansyah') tidak punya kunci terdaftar" in p for p in report.problems)


# ---------------------------------------------------------------- helpers: what a later signer or a forger does


def rehash(folder, path) -> None:
    data = manifest(folder)
    data["berkas"][path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    data["ukuran"][path.name] = path.stat().st_size
    (folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _ca_signer():
    """A test CA (ECDSA P-256) and a signer certificate it issued, as a pyHanko signer."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Uji BSrE")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Penanda Uji BSrE")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    load = asn1_x509.Certificate.load
    return signers.SimpleSigner(
        signing_cert=load(leaf.public_bytes(Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([load(ca.public_bytes(Encoding.DER))]))


def append_signature(data: bytes, field: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields as sig_fields
    from pyhanko.sign import signers

    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=sig_fields.SigSeedSubFilter.PADES)
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=_ca_signer(),
                            existing_fields_only=True).getvalue()


def append_content(data: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    stream = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 50 re f Q"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def append_annotation(data: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    note = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (50, 50, 80, 80)]),
        generic.NameObject("/Contents"): generic.TextStringObject("Angka diganti")}))
    annots = page.get("/Annots")
    if annots is None:
        page[generic.NameObject("/Annots")] = generic.ArrayObject([note])
    else:
        annots.get_object().append(note)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _resign(data: bytes, key: Ed25519PrivateKey) -> bytes:
    """The forger's PDF: the same document signed in TTE_Validasi with another Ed25519 key, the certificate
    naming the official."""
    from kinerja_xl.export import pdf_pades

    first, place = _first_revision(data), _place_of(data)
    who = pdf_pades.Signatory("ARDIANSYAH, S.AP", "NIP. 19620718 198302 1 004", "Sekretaris DPRD",
                              "Sekretariat DPRD Kabupaten Balangan")
    return pdf_pades.sign_pdf(first, key, who, EXPORTED, place, "WITA")


def _first_revision(data: bytes) -> bytes:
    """The ReportLab PDF before any signature: up to its first %%EOF."""
    end = data.index(b"%%EOF") + len(b"%%EOF")
    return data[:end] + b"\n"


def _place_of(data: bytes):
    from kinerja_xl.export.pdf_pades import FieldPlace

    _value, ours = fields(data)["TTE_Validasi"]
    x1, y1, _x2, y2 = (float(v) for v in ours["/Rect"])
    _b1, _b2, bx2, _b4 = (float(v) for v in fields(data)["TTE_BSrE"][1]["/Rect"])
    page = _page_index(data, ours["/P"])
    return FieldPlace(page, x1, y1, bx2 - x1, y2 - y1)


def _page_index(data: bytes, page_ref) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    refs = [reader.root["/Pages"]]
    pages = []
    while refs:
        node = refs.pop(0).get_object()
        if node.get("/Type") == "/Pages":
            refs[0:0] = list(node["/Kids"])
        else:
            pages.append(node)
    target = page_ref.get_object()
    return next(i for i, p in enumerate(pages) if p == target)
