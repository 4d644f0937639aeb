"""Where an official's private signing key lives: the system's credential store, or a PKCS#12 file.

On Windows it is kept in Credential Manager, readable only by that Windows account, as `keyring` keeps it
(`wincred` reads and writes it directly where keyring would use Credential Manager itself, without keyring's import);
a passphrase-protected PKCS#12 file (`--berkas-kunci`) serves a PC without one, or a key
carried on a token drive. Never in the workbook, its exports or the repository.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kinerja_xl.domain.errors import FileProblem, Refused

if TYPE_CHECKING:  # cryptography's serialization, PKCS#12 and X.509 load only when a key is read or written
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SERVICE = "kinerja-xl"  # the credential's name in Credential Manager: kinerja-xl, with the Windows user


class KeyringStore:
    """The operating system's credential store, one key per Windows user."""

    def load(self, user: str) -> Ed25519PrivateKey | None:
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        pem = self._call(lambda keyring: keyring.get_password(SERVICE, user.strip().casefold()))
        if not pem:
            return None
        try:
            key = load_pem_private_key(pem.encode("ascii"), password=None)
        except (ValueError, TypeError, UnicodeEncodeError, UnsupportedAlgorithm):
            key = None  # a damaged credential: refused below like a key of another kind
        if not isinstance(key, Ed25519PrivateKey):
            raise Refused(f"Kredensial '{SERVICE}' untuk '{user}' bukan kunci Ed25519. Buat ulang dengan 'kinerja-xl keygen --ganti'.")
        return key

    def save(self, user: str, key: Ed25519PrivateKey) -> str:
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode("ascii")
        name = user.strip().casefold()
        self._call(lambda keyring: keyring.set_password(SERVICE, name, pem))
        return f"penyimpanan kredensial sistem ({SERVICE}, {name})"

    @staticmethod
    def _call(fn):
        """`fn` with keyring's module functions (get_password, set_password); failures of keyring become refusals."""
        from kinerja_xl.adapters import wincred

        if wincred.chosen():  # what keyring would do, without importing it; its failures are those of keyring's
            return fn(wincred)  # Windows backend, which are no KeyringError either
        import keyring
        from keyring.errors import KeyringError

        try:
            return fn(keyring)
        except KeyringError as exc:
            raise Refused(f"Penyimpanan kredensial sistem tidak dapat dipakai ({exc.__class__.__name__}). Pakai berkas "
                          "kunci: --berkas-kunci BERKAS.p12 (frasa sandi dari KINERJA_XL_FRASA_SANDI atau ditanyakan).") from None


class Pkcs12Store:
    """Passphrase-protected PKCS#12 files: `place` is one user's file, or a folder holding `<user>.p12` for
    each. The passphrase is asked for only when a key is actually read or written."""

    def __init__(self, place: Path, passphrase: Callable[[], str]):
        self.place, self._passphrase, self._asked = Path(place), passphrase, None

    def path(self, user: str) -> Path:
        return self.place / f"{user.strip().casefold()}.p12" if self.place.is_dir() else self.place

    def passphrase(self) -> bytes:
        if self._asked is None:
            self._asked = self._passphrase().encode("utf-8")
        return self._asked

    def load(self, user: str) -> Ed25519PrivateKey | None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import pkcs12

        path = self.path(user)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise FileProblem(f"Berkas kunci '{path}' tidak dapat dibaca: {exc.strerror or exc}.") from None
        try:
            key, _cert, _more = pkcs12.load_key_and_certificates(data, self.passphrase())
        except ValueError:
            raise Refused(f"Berkas kunci '{path}' tidak dapat dibuka: frasa sandi salah atau berkas rusak.") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise Refused(f"Berkas kunci '{path}' tidak berisi kunci Ed25519.")
        return key

    def save(self, user: str, key: Ed25519PrivateKey) -> str:
        from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

        from kinerja_xl.adapters.package import atomic_write

        path = self.path(user)
        data = pkcs12.serialize_key_and_certificates(user.strip().casefold().encode("utf-8"), key, None, None,
                                                     BestAvailableEncryption(self.passphrase()))
        if not path.exists():  # atomic_write keeps the target's mode: the key file is the owner's alone from the start
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        atomic_write(path, data, keep_backup=False)  # a replaced key is not kept lying about
        os.chmod(path, 0o600)
        return f"berkas {path} (terlindung frasa sandi)"


class MemoryStore:
    """Keys held only while the process runs: the demo, and tests that need no persistence."""

    def __init__(self):
        self.keys: dict[str, Ed25519PrivateKey] = {}

    def load(self, user: str) -> Ed25519PrivateKey | None:
        return self.keys.get(user.strip().casefold())

    def save(self, user: str, key: Ed25519PrivateKey) -> str:
        self.keys[user.strip().casefold()] = key
        return "memori (contoh)"


def create(store, user: str, *, replace: bool = False) -> tuple[Ed25519PrivateKey, str]:
    """A new key pair for `user` kept in `store`; an existing key is kept unless `replace` (key rotation)."""
    if not replace and store.load(user) is not None:
        raise Refused(f"Pengguna '{user}' sudah punya kunci di {_where(store)}. Kunci lama tetap dipakai; untuk "
                      "menggantinya (periode berikutnya), pakai --ganti.")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    return key, store.save(user, key)


def _where(store) -> str:
    return "berkas kunci" if isinstance(store, Pkcs12Store) else "penyimpanan kredensial sistem"
