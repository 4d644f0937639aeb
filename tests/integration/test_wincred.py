"""kinerja_xl.adapters.wincred against keyring's real WinVaultKeyring: the same in-memory Credential Manager
(tests/fakes/win32cred_memory.py) behind keyring's backend (through a fake pywin32-ctypes) and behind the product's
ctypes calls (through a fake advapi32), so a key saved by either is read by the other, for any history."""
from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (Encoding, NoEncryption, PrivateFormat,
                                                          load_pem_private_key)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from keyring.errors import PasswordDeleteError

from kinerja_xl.adapters import keystore, wincred
from kinerja_xl.domain import signing
from kinerja_xl.domain.errors import Refused
from tests.fakes import win32cred_memory as fake

SERVICE = keystore.SERVICE


def ours(vault: fake.Vault) -> tuple[wincred.Advapi32, fake.Advapi32]:
    """The product's ctypes binding over a fake advapi32 on `vault`."""
    dll = fake.Advapi32(vault)
    return wincred.Advapi32(dll, dll.get_last_error, dll.format_error), dll


@contextlib.contextmanager
def keyring_unloaded():
    """As in a fresh process, where keyring has not been imported (this test process has imported it)."""
    saved = sys.modules.pop("keyring")
    try:
        yield
    finally:
        sys.modules["keyring"] = saved


@pytest.fixture
def on_windows(monkeypatch, tmp_path):
    """A Windows PC where keyring would choose Credential Manager: no keyring configuration at all."""
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    for name in [n for n in os.environ if "KEYRING_PROPERTY_" in n]:
        monkeypatch.delenv(name)
    with fake.windows() as vault:
        yield vault


# ---------------------------------------------------------------- the structure, as wincred.h declares it

def test_the_credential_structure_is_laid_out_as_wincred_h_declares_it():
    theirs = {name: getattr(fake._CREDENTIALW, name).offset for name, _ in fake._CREDENTIALW._fields_}
    mine = wincred.Advapi32(fake.Advapi32(fake.Vault()), int, str).CREDENTIALW
    assert ctypes.sizeof(mine) == ctypes.sizeof(fake._CREDENTIALW) == (80 if sys.maxsize > 2**32 else 52)
    theirs["LastWrittenLow"], theirs["LastWrittenHigh"] = theirs["LastWritten"], theirs["LastWritten"] + 4
    assert {name: getattr(mine, name).offset for name, _ in mine._fields_} == \
        {name: offset for name, offset in theirs.items() if name != "LastWritten"}


# ---------------------------------------------------------------- any history, by either side

NAMES = st.sampled_from(["ardiansyah", "ridha", "rahmah", "fauzi", "i", "ı", "straße".casefold(), "ǆ", "kinerja-xl",
                         "a@kinerja-xl", "kinerja-xl@kinerja-xl"])
USERS = st.one_of(NAMES, st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                                 min_size=1, max_size=6).map(lambda s: s.strip().casefold()).filter(bool))
SECRETS = st.one_of(st.just("\ufeffdiawali BOM"), st.text(st.characters(blacklist_categories=("Cs",)), max_size=24),
                    st.builds(lambda: Ed25519PrivateKey.generate().private_bytes(
                        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode("ascii")))
OPS = st.lists(st.tuples(st.sampled_from(["keyring", "wincred"]), st.sampled_from(["save", "read", "delete"]),
                         USERS, SECRETS), max_size=12)


def outcome(call):
    """What a call gave, in terms both sides share."""
    try:
        return "ok", call()
    except (PasswordDeleteError, wincred.NotDeleted):
        return "not deleted", None
    except UnicodeDecodeError:
        return "undecodable", None


class Sides:
    def __init__(self, vault, keyring_backend):
        self.api, self.dll = ours(vault)
        self.keyring = keyring_backend

    def do(self, side, action, user, secret):
        if side == "keyring":
            call = {"save": lambda: self.keyring.set_password(SERVICE, user, secret),
                    "read": lambda: self.keyring.get_password(SERVICE, user),
                    "delete": lambda: self.keyring.delete_password(SERVICE, user)}[action]
        else:
            call = {"save": lambda: wincred.set_password(SERVICE, user, secret, api=self.api),
                    "read": lambda: wincred.get_password(SERVICE, user, api=self.api),
                    "delete": lambda: wincred.delete_password(SERVICE, user, api=self.api)}[action]
        result = outcome(call)
        assert not self.dll.blocks, "every CredRead block is freed"
        return result


@settings(max_examples=150, deadline=None)
@given(OPS)
@example([("wincred", "save", "ani", "\ufeffdiawali BOM"), ("keyring", "save", "ı", "x"),
          ("wincred", "save", "i", "y")])
def test_any_history_of_saves_reads_and_deletes_by_either_side_reads_the_same_on_both(ops):
    vault = fake.Vault()
    with fake.keyring_backend(vault) as backend:
        sides = Sides(vault, backend)
        users = set()
        for side, action, user, secret in ops:
            users.add(user)
            sides.do(side, action, user, secret)
            for someone in users:
                assert sides.do("keyring", "read", someone, None) == sides.do("wincred", "read", someone, None)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["save", "read", "delete"]), USERS, SECRETS), max_size=12))
def test_the_same_history_by_each_side_alone_writes_the_same_credentials(ops):
    """Target, user name, blob, comment and persistence: a credential looks the same whoever wrote it."""
    by_keyring, by_us = fake.Vault(), fake.Vault()
    with fake.keyring_backend(by_keyring) as backend:
        theirs, mine = Sides(by_keyring, backend), Sides(by_us, backend)
        for action, user, secret in ops:
            assert theirs.do("keyring", action, user, secret) == mine.do("wincred", action, user, secret)
    assert by_keyring.state() == by_us.state()


# ---------------------------------------------------------------- not found, failures, an odd blob

def test_nothing_saved_reads_as_none_and_deletes_as_nothing_to_delete():
    vault = fake.Vault()
    with fake.keyring_backend(vault) as backend:
        sides = Sides(vault, backend)
        assert sides.do("keyring", "read", "ani", None) == sides.do("wincred", "read", "ani", None) == ("ok", None)
        assert sides.do("keyring", "delete", "ani", None) == sides.do("wincred", "delete", "ani", None) \
            == ("not deleted", None)


@pytest.mark.parametrize("funcname, winerror", [("CredRead", 5), ("CredRead", 1312), ("CredWrite", 1312)])
def test_a_failing_credential_manager_raises_as_keyring_does(funcname, winerror):
    """Anything but ERROR_NOT_FOUND from CredRead is raised as it came, by keyring as pywintypes.error and here as
    CredentialError with the same fields; neither is a KeyringError, so neither becomes a refusal."""
    vault = fake.Vault()
    vault.failing[funcname] = winerror
    api, _ = ours(vault)
    with fake.keyring_backend(vault) as backend:
        if funcname == "CredWrite":
            theirs, mine = (lambda: backend.set_password(SERVICE, "ani", "x"),
                            lambda: wincred.set_password(SERVICE, "ani", "x", api=api))
        else:
            theirs, mine = (lambda: backend.get_password(SERVICE, "ani"),
                            lambda: wincred.get_password(SERVICE, "ani", api=api))
        with pytest.raises(sys.modules["win32ctypes.pywin32.pywintypes"].error) as by_keyring:
            theirs()
        with pytest.raises(wincred.CredentialError) as by_us:
            mine()
    assert (by_us.value.winerror, by_us.value.funcname, by_us.value.strerror) == \
        (by_keyring.value.winerror, by_keyring.value.funcname, by_keyring.value.strerror) == \
        (winerror, funcname, fake.MESSAGES[winerror].strip())


def test_a_utf8_blob_written_by_another_tool_reads_the_same_with_keyrings_warning(caplog):
    vault = fake.Vault()
    odd = "ani€!".encode()  # 7 bytes: not UTF-16
    vault.write({"Type": 1, "TargetName": SERVICE, "UserName": "ani", "CredentialBlob": odd,
                 "Comment": None, "Persist": 2})
    api, _ = ours(vault)
    with fake.keyring_backend(vault) as backend, caplog.at_level(logging.WARNING, "keyring.backends.Windows"):
        assert backend.get_password(SERVICE, "ani") == wincred.get_password(SERVICE, "ani", api=api) == "ani€!"
    assert [r.name for r in caplog.records] == ["keyring.backends.Windows"] * 2


# ---------------------------------------------------------------- the product's key store on Windows

def test_the_key_store_on_windows_saves_what_keyring_reads_and_reads_what_keyring_saved(on_windows):
    store = keystore.KeyringStore()
    with keyring_unloaded():
        assert wincred.chosen()
        key, where = keystore.create(store, " Ani ")
    assert where == "penyimpanan kredensial sistem (kinerja-xl, ani)"
    other = Ed25519PrivateKey.generate()
    with fake.keyring_backend(on_windows) as backend:
        pem = backend.get_password(SERVICE, "ani")
        assert signing.public_text(load_pem_private_key(pem.encode("ascii"), None)) == signing.public_text(key)
        backend.set_password(SERVICE, "budi", other.private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                                  NoEncryption()).decode("ascii"))
    with keyring_unloaded():
        assert signing.public_text(store.load("BUDI")) == signing.public_text(other)
        assert signing.public_text(store.load("ani")) == signing.public_text(key)
        assert store.load("cici") is None
        on_windows.write({"Type": 1, "TargetName": f"cici@{SERVICE}", "UserName": "cici",
                          "CredentialBlob": "bukan PEM".encode("utf-16-le"), "Comment": None, "Persist": 3})
        with pytest.raises(Refused, match="bukan kunci Ed25519. Buat ulang dengan 'kinerja-xl keygen --ganti'"):
            store.load("cici")
        on_windows.failing["CredRead"] = 1312
        with pytest.raises(wincred.CredentialError):  # as keyring's pywintypes.error: not turned into a refusal
            store.load("ani")


def test_the_key_store_asks_keyring_wherever_keyring_might_not_choose_credential_manager(on_windows, monkeypatch,
                                                                                         tmp_path):
    def chosen():
        with keyring_unloaded():
            return wincred.chosen()

    assert chosen()
    assert not wincred.chosen()  # keyring already loaded in this process: it decides
    with monkeypatch.context() as m:
        m.setattr(wincred, "WINDOWS", False)
        assert not chosen()
    for name, value in (("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring"), ("KEYRING_PROPERTY_PERSIST",
                                                                                      "session")):
        with monkeypatch.context() as m:
            m.setenv(name, value)
            assert not chosen()
    config = tmp_path / "AppData" / "Local" / "Python Keyring" / "keyringrc.cfg"
    config.parent.mkdir(parents=True)
    config.write_text("[backend]\ndefault-keyring=keyring.backends.Windows.WinVaultKeyring\n")
    assert not chosen()
    with monkeypatch.context() as m:  # keyring falls back to ProgramData without LOCALAPPDATA
        m.delenv("LOCALAPPDATA")
        m.setenv("ProgramData", str(tmp_path / "ProgramData"))
        assert chosen()
        (tmp_path / "ProgramData" / "Python Keyring").mkdir(parents=True)
        (tmp_path / "ProgramData" / "Python Keyring" / "keyringrc.cfg").write_text("")
        assert not chosen()
    config.unlink()
    plugins = tmp_path / "site"
    (plugins / "keyring-25.7.0.dist-info").mkdir(parents=True)
    (plugins / "keyring-25.7.0.dist-info" / "entry_points.txt").write_text("[keyring.backends]\nWindows = x\n")
    (plugins / "keyrings.alt-5.0.2.dist-info").mkdir()
    with monkeypatch.context() as m:
        m.setattr(sys, "path", [str(plugins), *sys.path])
        assert chosen()  # keyring's own backends, and a package that adds none
        (plugins / "keyrings.alt-5.0.2.dist-info" / "entry_points.txt").write_text(
            "[console_scripts]\nx = y\n\n[keyring.backends]\nWindows (alt) = keyrings.alt.Windows\n")
        m.setattr(sys, "path", [str(plugins), *sys.path])  # a new path: looked at afresh
        assert not chosen()
    with monkeypatch.context() as m:
        m.setattr(sys, "path", [str(tmp_path / "plugins.zip"), *sys.path])
        (tmp_path / "plugins.zip").write_bytes(b"PK")
        assert not chosen()
    with monkeypatch.context() as m:  # neither pywin32-ctypes nor pywin32: keyring has no backend and refuses
        for name in ("win32ctypes", "win32ctypes.pywin32", "win32ctypes.pywin32.win32cred",
                     "win32ctypes.pywin32.pywintypes"):
            m.delitem(sys.modules, name)
        assert not chosen()
