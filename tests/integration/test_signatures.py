"""Every log row signed by the official who acted (issue 17): keys per official, the office's registry outside
the workbook, and what the strongest forger can and cannot do. Threat model: docs/integrity.md."""
from __future__ import annotations

import json

import openpyxl
import pytest

from kinerja_xl.adapters.definition_file import from_embedded
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.domain import audit, digest, signing
from kinerja_xl.domain import names as N
from kinerja_xl.domain.integrity import anchor_data
from kinerja_xl.domain.period import load_period
from tests import keys
from tests.conftest import digest as file_digest, named_cells
from tests.keys import OFFICIALS, PASSPHRASE, enrol, registry_of, with_keys
from tests.flow import STEP1, log_rows, to_step, validated
from tests.integration.test_integrity import status_as_the_log_says

@pytest.fixture(scope="module")
def signed_folder(tmp_path_factory, demo_bytes):
    return keys.signed_folder(tmp_path_factory, demo_bytes, "signed", validated)


@pytest.fixture
def signed(signed_folder, tmp_path, monkeypatch):
    return keys.signed_copy(signed_folder, tmp_path, monkeypatch)


def test_every_row_is_signed_by_its_official_and_check_verifies_them(cli, signed):
    rows = log_rows(signed)
    keys = {k["pengguna"]: k["kunci_publik"] for k in json.loads(registry_of(signed).read_text())["kunci"]}
    assert set(keys) == set(OFFICIALS)
    for row in rows:
        assert signing.hash_signed(keys[row[2]], row[12], row[13]), row
    r = cli("check", signed, "--kunci", registry_of(signed))
    assert r.code == 0, r.out
    assert "ditandatangani penjaga 'inspektorat'" in r.out


def forge(book, *, own_keys=None):
    """The strongest forger: changes a realisasi in step 3, recomputes that step's digest, the whole chain, Beranda
    and the anchor sidecar. Without the officials' keys the old signatures stay (they cannot be remade); with
    `own_keys` (user -> key) the forger also replaces the registered keys in Pengaturan and re-signs every row."""
    wb = openpyxl.load_workbook(book, keep_vba=True)
    named_cells(wb, "indikator")[0][7].value = 99  # a realisasi of the first indicator
    if own_keys:
        for cells in named_cells(wb, N.KEYS):
            user = cells[0].value
            if user:
                public = signing.public_text(own_keys[user])
                cells[1].value, cells[2].value = public, signing.fingerprint(public)
    port = FileWorkbook(book, wb, None)
    meta = port.read([N.META_DEFINITION, N.META_DEFINITION_HASH])
    d, definition_hash = from_embedded([r[0] for r in meta[N.META_DEFINITION].values], meta[N.META_DEFINITION_HASH].value())
    blocks = port.read(list(port.names()))
    entries, _ = audit.parse_rows(blocks[N.LOG].values)
    last = {e.step: i for i, e in enumerate(entries) if e.action_id != "return"}
    forged = []
    for i, e in enumerate(entries):
        data = digest.step_digest(d, d.step(e.step), blocks) if last[e.step] == i else e.digest
        entry = audit.chain(forged, time=e.time, user=e.user, official=e.official, nip=e.nip, role=e.role,
                            capacity=e.capacity, action=e.action, step=e.step, note=e.note, digest=data)
        signature = signing.sign_hash(own_keys[e.user], entry.hash) if own_keys else e.signature
        forged.append(audit.LogEntry(*entry.row()[:13], signature))
    for cells, entry in zip(named_cells(wb, N.LOG), forged):
        for cell, value in zip(cells, entry.row()):
            cell.value = value
    status_as_the_log_says(wb)
    wb.save(book)
    blocks = FileWorkbook.open(book).read(list(port.names()))
    assert not load_period(d, blocks).state.current  # the forged workbook reads as a whole, closed period
    sidecar = book.with_name(book.name + ".anchor.json")
    sidecar.write_text(json.dumps(anchor_data(d, forged, blocks, definition_hash)), encoding="utf-8")


def test_a_recomputed_chain_with_a_new_sidecar_is_caught_by_the_signatures(cli, signed):
    forge(signed)
    r = cli("check", signed)
    assert r.code == 1
    assert "tanda tangan elektronik tidak sah" in r.out and "SITI RAHMAH" in r.out
    # the rows before the edited step keep their hashes and signatures; every row re-chained after it fails
    assert "Log baris 3 " not in r.out and all(f"Log baris {n} " in r.out for n in range(4, len(log_rows(signed)) + 2))


def test_replaced_keys_pass_inside_the_workbook_but_not_against_the_registry(cli, signed):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forge(signed, own_keys={u: Ed25519PrivateKey.generate() for u in OFFICIALS})
    assert cli("check", signed).code == 0  # what the workbook alone cannot tell: docs/integrity.md
    r = cli("check", signed, "--kunci", registry_of(signed))
    assert r.code == 1
    for user in ("ardiansyah", "ridha", "rahmah"):
        assert f"Kunci pengguna '{user}' di lembar Pengaturan" in r.out and "tidak ada di daftar kunci kantor" in r.out


def test_acting_as_another_official_without_their_key_is_refused_and_nothing_changes(cli, book, monkeypatch, tmp_path):
    with_keys(monkeypatch, book.parent)
    enrol(cli, book)
    mine = book.parent / "kunci" / "ardiansyah.p12"
    mine.rename(tmp_path / "elsewhere.p12")  # the Sekretaris' key is on the Sekretaris' PC, not this one
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    before = file_digest(book)
    r = cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05")
    assert r.code == 3
    assert "tidak ada di komputer ini" in r.err and "ARDIANSYAH" in r.err
    assert file_digest(book) == before
    (tmp_path / "other").mkdir()
    monkeypatch.setenv("KINERJA_XL_BERKAS_KUNCI", str(tmp_path / "other"))
    assert cli("keygen", "--as", "ardiansyah").code == 0  # another key under the same name
    r = cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05")
    assert r.code == 3 and "bukan kunci yang terdaftar" in r.err
    assert file_digest(book) == before


def test_step_one_waits_until_everyone_who_may_act_has_a_key(cli, book, monkeypatch):
    with_keys(monkeypatch, book.parent)
    (book.parent / "kunci").mkdir()
    assert cli("keygen", "--as", "ardiansyah").code == 0
    assert cli("register-key", book, "--as", "ardiansyah").code == 0
    assert cli("set", book, *STEP1, "--as", "ardiansyah", now="2026-10-01T09:00").code == 0
    r = cli("submit", book, "--as", "ardiansyah", now="2026-10-01T09:05")
    assert r.code == 3
    for user in ("ridha", "rahmah", "fauzi"):
        assert f"(pengguna '{user}') belum mendaftarkan kunci" in r.err


def test_keys_are_sealed_by_step_one(cli, signed, monkeypatch, tmp_path):
    (tmp_path / "baru").mkdir()
    monkeypatch.setenv("KINERJA_XL_BERKAS_KUNCI", str(tmp_path / "baru"))
    assert cli("keygen", "--as", "ridha").code == 0
    before = file_digest(signed)
    r = cli("register-key", signed, "--as", "ridha")
    assert r.code == 3 and "periode berikutnya" in r.err
    assert file_digest(signed) == before


def test_a_plh_signs_with_their_own_key(cli, book, monkeypatch):
    """The Plh. registered for 21–31 December validates with the Plh.'s own key; the row names both."""
    with_keys(monkeypatch, book.parent)
    enrol(cli, book)
    to_step(cli, book, 5)
    assert cli("set", book, "validasi_tempat=Paringin", "validasi_tanggal=22-12-2026", "--as", "fauzi",
               now="2026-12-22T09:00").code == 0
    assert cli("validate", book, "--as", "fauzi", now="2026-12-22T09:05").code == 0
    last = log_rows(book)[-1]
    registered = {k["pengguna"]: k["kunci_publik"] for k in json.loads(registry_of(book).read_text())["kunci"]}
    assert last[2] == "fauzi" and "Plh." in last[6]
    assert signing.hash_signed(registered["fauzi"], last[12], last[13])
    assert cli("check", book, "--kunci", registry_of(book)).code == 0


def test_a_rotated_key_still_proves_what_it_signed_and_a_revoked_one_does_not(cli, signed):
    registry = registry_of(signed)
    fingerprint = next(k["sidik_jari"] for k in json.loads(registry.read_text())["kunci"] if k["pengguna"] == "rahmah")
    assert cli("registry", registry, "--cabut", fingerprint, "--sejak", "01-01-2027", "--alasan", "rotasi",
               "--as", "inspektorat").code == 0
    r = cli("check", signed, "--kunci", registry)
    assert r.code == 0
    assert "kini tidak berlaku lagi" in r.out and "sah karena aksinya sebelum tanggal itu" in r.out
    assert cli("registry", registry, "--cabut", fingerprint, "--sejak", "05-10-2026", "--alasan", "hilang",
               "--as", "inspektorat").code == 0
    r = cli("check", signed, "--kunci", registry)
    assert r.code == 1 and "tidak berlaku sejak 05-10-2026 (hilang)" in r.out and "SITI RAHMAH" in r.out


def test_a_changed_registry_or_another_keeper_is_refused(cli, signed, monkeypatch, tmp_path):
    registry = registry_of(signed)
    data = json.loads(registry.read_text())
    data["kunci"][0]["berlaku_mulai"] = "2020-01-01"
    registry.write_text(json.dumps(data), encoding="utf-8")
    r = cli("check", signed, "--kunci", registry)
    assert r.code == 1 and "tidak utuh" in r.out
    assert cli("keygen", "--as", "penyusup").code == 0
    before = file_digest(registry)
    r = cli("registry", registry, "--dari", signed, "--as", "penyusup")
    assert r.code == 3 and file_digest(registry) == before


def test_a_workbook_without_keys_checks_clean_with_a_note_but_not_against_a_registry(cli, closed, signed_folder):
    r = cli("check", closed)
    assert r.code == 0 and "tidak membuktikan siapa yang bertindak" in r.out
    r = cli("check", closed, "--kunci", signed_folder / "daftar_kunci.json")
    assert r.code == 1 and "Log tidak ditandatangani secara elektronik" in r.out


def test_no_private_key_material_leaves_the_officials_pcs(signed_folder, monkeypatch):
    """The keys as the officials hold them, then every file the workbook, its sidecar, exports and registry made."""
    import base64
    import zipfile

    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12

    secrets = []
    for p12 in (signed_folder / "kunci").glob("*.p12"):
        key, _, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), PASSPHRASE.encode())
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        secrets += [raw, der, raw.hex().encode(), base64.b64encode(raw), base64.b64encode(der), b"PRIVATE KEY"]
    assert len(secrets) == 6 * 5
    scanned = [p for p in signed_folder.rglob("*") if p.is_file() and "kunci" not in p.relative_to(signed_folder).parts]
    assert any(p.suffix == ".pdf" for p in scanned) and any(p.suffix == ".xlsm" for p in scanned)
    for path in scanned:
        blobs = [path.read_bytes()]
        if path.suffix in (".xlsm", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                blobs += [z.read(n) for n in z.namelist()]
        for blob in blobs:
            for secret in secrets:
                assert secret not in blob, (path, secret[:8])


def test_an_export_folder_is_held_to_the_registry_too(cli, signed):
    folder = next((signed.parent / "ekspor").iterdir())
    r = cli("check", folder, "--kunci", registry_of(signed))
    assert r.code == 0 and "ditandatangani penjaga 'inspektorat'" in r.out, r.out
    fingerprint = next(k["sidik_jari"] for k in json.loads(registry_of(signed).read_text())["kunci"]
                       if k["pengguna"] == "ridha")
    assert cli("registry", registry_of(signed), "--cabut", fingerprint, "--sejak", "02-10-2026", "--alasan", "hilang",
               "--as", "inspektorat").code == 0
    r = cli("check", folder, "--kunci", registry_of(signed))
    assert r.code == 1 and "tidak berlaku sejak 02-10-2026 (hilang)" in r.out and "MUHAMMAD RIDHA" in r.out
