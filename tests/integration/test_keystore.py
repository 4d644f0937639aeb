"""Where an official's private key lives (adapters/keystore.py): a passphrase-protected PKCS#12 file (one file,
or a folder with one per user) and the system's credential store through `keyring`, with a real backend object
(tests/fakes/keyring_memory.py), and the backend keyring falls back to when the system has none."""
from __future__ import annotations

import contextlib
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (BestAvailableEncryption, Encoding, NoEncryption,
                                                          PrivateFormat, pkcs12)
from keyring.backends import fail

from kinerja_xl.adapters import keystore
from kinerja_xl.domain import signing
from kinerja_xl.domain.errors import Refused
from tests.fakes import keyring_memory
from tests.fakes.keyring_memory import MemoryKeyring

PASSPHRASE = "frasa-uji-yang-hanya-ada-di-tes"


def same(a, b) -> bool:
    return signing.public_text(a) == signing.public_text(b)


class Asked:
    """A passphrase prompt that counts how often it is asked."""

    def __init__(self, answer: str = PASSPHRASE):
        self.answer, self.times = answer, 0

    def __call__(self) -> str:
        self.times += 1
        return self.answer


# ---------------------------------------------------------------- PKCS#12 files


def test_a_folder_holds_one_file_per_user_readable_only_by_its_owner(tmp_path):
    asked = Asked()
    store = keystore.Pkcs12Store(tmp_path, asked)
    key, where = keystore.create(store, " Ani ")
    path = tmp_path / "ani.p12"
    assert where == f"berkas {path} (terlindung frasa sandi)"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ani.p12"]  # no temp file, no backup of a key
    assert same(store.load("ANI"), key) and same(store.load("ani"), key)
    assert store.load("budi") is None
    assert asked.times == 1  # asked once, when the key was written; read back with the same answer


def test_the_file_is_a_standard_pkcs12_opened_only_with_the_passphrase(tmp_path):
    key, _ = keystore.create(keystore.Pkcs12Store(tmp_path, Asked()), "ani")
    loaded, cert, more = pkcs12.load_key_and_certificates((tmp_path / "ani.p12").read_bytes(), PASSPHRASE.encode())
    assert same(loaded, key) and cert is None and more == []
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates((tmp_path / "ani.p12").read_bytes(), None)
    assert b"PRIVATE KEY" not in (tmp_path / "ani.p12").read_bytes()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    assert raw not in (tmp_path / "ani.p12").read_bytes()


@pytest.mark.parametrize("name", ["kunci_saya.p12", "kunci_saya.pfx", "kunci"])
def test_a_single_file_serves_whoever_uses_it(tmp_path, name):
    path = tmp_path / "token" / name
    path.parent.mkdir()
    store = keystore.Pkcs12Store(path, Asked())
    assert store.path("ani") == store.path("budi") == path
    assert store.load("ani") is None
    key, where = keystore.create(store, "ani")
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600 and str(path) in where
    assert same(keystore.Pkcs12Store(path, Asked()).load("ani"), key)


def test_a_replaced_key_keeps_the_file_private_and_leaves_no_old_copy(tmp_path):
    store = keystore.Pkcs12Store(tmp_path, Asked())
    old, _ = keystore.create(store, "ani")
    os.chmod(tmp_path / "ani.p12", 0o644)  # loosened by hand, or copied from elsewhere
    new, _ = keystore.create(store, "ani", replace=True)
    assert not same(old, new) and same(keystore.Pkcs12Store(tmp_path, Asked()).load("ani"), new)
    assert stat.S_IMODE((tmp_path / "ani.p12").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ani.p12"]


def test_an_existing_key_is_not_overwritten_without_replace(tmp_path):
    store = keystore.Pkcs12Store(tmp_path, Asked())
    key, _ = keystore.create(store, "ani")
    before = (tmp_path / "ani.p12").read_bytes()
    with pytest.raises(Refused) as exc:
        keystore.create(store, "ANI")
    assert exc.value.message.startswith("Pengguna 'ANI' sudah punya kunci di berkas kunci.")
    assert "--ganti" in exc.value.message
    assert (tmp_path / "ani.p12").read_bytes() == before and same(store.load("ani"), key)


def test_a_wrong_passphrase_is_refused_in_indonesian_and_asked_only_once(tmp_path):
    keystore.create(keystore.Pkcs12Store(tmp_path, Asked()), "ani")
    asked = Asked("salah")
    store = keystore.Pkcs12Store(tmp_path, asked)
    for _ in range(2):
        with pytest.raises(Refused) as exc:
            store.load("ani")
        assert exc.value.message == (f"Berkas kunci '{tmp_path / 'ani.p12'}' tidak dapat dibuka: frasa sandi salah "
                                     "atau berkas rusak.")
    assert asked.times == 1


def test_a_damaged_file_is_refused_like_a_wrong_passphrase(tmp_path):
    (tmp_path / "ani.p12").write_bytes(b"bukan pkcs12")
    with pytest.raises(Refused, match="frasa sandi salah atau berkas rusak"):
        keystore.Pkcs12Store(tmp_path, Asked()).load("ani")


def test_no_passphrase_is_asked_when_no_key_is_read_or_written(tmp_path):
    store = keystore.Pkcs12Store(tmp_path, lambda: pytest.fail("the passphrase was asked for"))
    assert store.load("ani") is None
    assert store.path("ani") == tmp_path / "ani.p12"


def test_the_passphrase_is_asked_once_for_many_keys(tmp_path):
    asked = Asked()
    store = keystore.Pkcs12Store(tmp_path, asked)
    keys = {u: keystore.create(store, u)[0] for u in ("ani", "budi", "cici")}
    assert all(same(store.load(u), k) for u, k in keys.items())
    assert asked.times == 1


def test_a_file_holding_another_kind_of_key_is_refused(tmp_path):
    other = generate_private_key(SECP256R1())
    (tmp_path / "ani.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"ani", other, None, None, BestAvailableEncryption(PASSPHRASE.encode())))
    with pytest.raises(Refused, match="tidak berisi kunci Ed25519"):
        keystore.Pkcs12Store(tmp_path, Asked()).load("ani")


# ---------------------------------------------------------------- the system's credential store


@pytest.fixture
def installed():
    """Install a keyring backend for the test, and put back whatever was there."""
    with contextlib.ExitStack() as stack:
        yield lambda backend: stack.enter_context(keyring_memory.installed(backend))


def test_a_key_kept_in_the_credential_store_under_the_service_and_the_user(installed):
    backend = installed(MemoryKeyring())
    store = keystore.KeyringStore()
    key, where = keystore.create(store, " Ani ")
    assert where.startswith("penyimpanan kredensial sistem (kinerja-xl, ")
    assert list(backend.entries) == [("kinerja-xl", "ani")]
    assert same(store.load("ANI"), key)
    assert store.load("budi") is None


def test_an_existing_credential_is_not_overwritten_without_replace(installed):
    backend = installed(MemoryKeyring())
    store = keystore.KeyringStore()
    key, _ = keystore.create(store, "ani")
    before = dict(backend.entries)
    with pytest.raises(Refused, match="sudah punya kunci di penyimpanan kredensial sistem"):
        keystore.create(store, "ani")
    assert backend.entries == before
    new, _ = keystore.create(store, "ani", replace=True)
    assert not same(new, key) and same(store.load("ani"), new)


def test_a_credential_that_is_not_an_ed25519_key_is_refused(installed):
    backend = installed(MemoryKeyring())
    other = generate_private_key(SECP256R1())
    backend.entries[("kinerja-xl", "ani")] = other.private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                                 NoEncryption()).decode()
    with pytest.raises(Refused, match="bukan kunci Ed25519. Buat ulang dengan 'kinerja-xl "):
        keystore.KeyringStore().load("ani")


def test_a_damaged_credential_is_refused_in_indonesian(installed):
    backend = installed(MemoryKeyring())
    backend.entries[("kinerja-xl", "ani")] = "bukan PEM"
    with pytest.raises(Refused, match="Buat ulang dengan 'kinerja-xl "):
        keystore.KeyringStore().load("ani")


def test_without_a_credential_store_the_official_is_told_to_use_a_key_file(installed):
    installed(fail.Keyring())
    store = keystore.KeyringStore()
    for call in (lambda: store.load("ani"), lambda: store.save("ani", Ed25519PrivateKey.generate()),
                 lambda: keystore.create(store, "ani")):
        with pytest.raises(Refused) as exc:
            call()
        assert "Penyimpanan kredensial sistem tidak dapat dipakai (NoKeyringError)" in exc.value.message
        assert "--berkas-kunci" in exc.value.message and "KINERJA_XL_FRASA_SANDI" in exc.value.message


def test_the_memory_store_keeps_keys_by_casefolded_user():
    store = keystore.MemoryStore()
    key, where = keystore.create(store, "Ani")
    assert store.load(" ANI ") is key and where == "memori (contoh)"
    with pytest.raises(Refused):
        keystore.create(store, "ani")


# ---------------------------------------------------------------- the commands the messages name


def test_every_command_a_key_message_names_exists():
    """An official told to run a command must find it: every `'kinerja-xl VERB` quoted in the key code is a verb."""
    import re
    from pathlib import Path

    import kinerja_xl
    from kinerja_xl.entrypoints.cli import cli

    root = Path(kinerja_xl.__file__).parent
    named = {}
    for rel in ("domain/signing.py", "domain/registry.py", "adapters/keystore.py", "service/key_registry.py",
                "builder/assemble.py"):
        for verb in re.findall(r"kinerja-xl ([a-z][\w-]*)", (root / rel).read_text(encoding="utf-8")):
            named.setdefault(verb, rel)
    assert "keygen" in named or "kunci" in named  # the scan reads what it should
    assert {v: f for v, f in named.items() if v not in cli.commands} == {}
