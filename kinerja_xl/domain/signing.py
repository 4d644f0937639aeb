"""Electronic signatures: each official's own Ed25519 key signs the log rows they act on.

The private key stays on the official's PC (the system's credential store, or a passphrase-protected
PKCS#12 file): never in the workbook. Pengaturan holds each user's public key, sealed by step 1;
the office's key registry (`domain/registry.py`) pins the same keys from outside the workbook, so an
attacker who rewrites the workbook and its keys is still caught. See docs/integrity.md.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kinerja_xl.domain import names as N
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain.values import InvalidValue

if TYPE_CHECKING:  # cryptography is imported when a key is used: most actions on a workbook without keys use none
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

LOG_CONTEXT = b"kinerja-xl/log/v1:"  # what a log signature signs is never mistaken for another message


@dataclass(frozen=True)
class RegisteredKey:
    """A user's public key as Pengaturan (or the registry) holds it: base64 of the 32 raw bytes."""

    user: str
    public: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(public.public_bytes_raw()).decode("ascii")


def parse_public(text: object) -> Ed25519PublicKey:
    """A public key typed or pasted into Pengaturan, or InvalidValue saying what is wrong with it."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = "".join(str(text or "").split())
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidValue("bukan kunci publik (base64) yang sah; salin ulang dari 'kinerja-xl keygen'") from None
    if len(data) != 32:
        raise InvalidValue(f"kunci publik Ed25519 harus 32 byte, ini {len(data)} byte; salin ulang seluruhnya")
    return Ed25519PublicKey.from_public_bytes(data)


def fingerprint(public: str) -> str:
    """What people compare by eye or read aloud: the first 128 bits of SHA-256, in groups of four."""
    digest = hashlib.sha256(base64.b64decode(public)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def typed_fingerprint(text: object) -> str:
    """A fingerprint as someone typed or pasted it (any case, spaces anywhere), in the form `fingerprint` gives."""
    bare = "".join(str(text or "").split()).upper()
    return " ".join(bare[i:i + 4] for i in range(0, len(bare), 4))


def sign_hash(key: Ed25519PrivateKey, entry_hash: str) -> str:
    return base64.b64encode(key.sign(LOG_CONTEXT + entry_hash.encode("ascii"))).decode("ascii")


def hash_signed(public: str, entry_hash: str, signature: str) -> bool:
    """Only the signature as it was written: base64 has other spellings of the same bytes, and a changed cell
    must not pass unseen."""
    from cryptography.exceptions import InvalidSignature

    try:
        raw = base64.b64decode(signature, validate=True)
        if base64.b64encode(raw).decode("ascii") != signature:
            return False
        parse_public(public).verify(raw, LOG_CONTEXT + entry_hash.encode("ascii"))
    except (InvalidSignature, InvalidValue, binascii.Error, ValueError):
        return False
    return True


def parse_keys(rows, where) -> tuple[dict[str, RegisteredKey], list[str]]:
    """Pengaturan's key table (user, public key, fingerprint) -> keys by user, and a problem per bad row.
    `where(r, c)` gives the cell for messages."""
    keys: dict[str, RegisteredKey] = {}
    problems: list[str] = []
    for r, row in enumerate(rows):
        user, public, shown = (list(row) + [None] * 3)[:3]
        if all(v is None or str(v).strip() == "" for v in (user, public, shown)):
            continue
        user = str(user or "").strip().casefold()
        if not user:
            problems.append(f"Kunci: Pengguna Windows di {where(r, 0)} kosong")
            continue
        if user in keys:
            problems.append(f"Kunci: pengguna '{user}' terdaftar dua kali (kedua di {where(r, 0)}); satu pengguna satu kunci")
            continue
        try:
            key = RegisteredKey(user, public_text(parse_public(public)))
        except InvalidValue as exc:
            problems.append(f"Kunci publik di {where(r, 1)}: {exc.message}")
            continue
        if str(shown or "").strip() and typed_fingerprint(shown) != key.fingerprint:
            problems.append(f"Sidik jari di {where(r, 2)} tidak cocok dengan kunci publik di {where(r, 1)} "
                            f"(seharusnya {key.fingerprint}); daftarkan ulang dengan 'kinerja-xl register-key'")
            continue
        keys[user] = key
    return keys, problems


def row_problems(entries, keys: dict[str, RegisteredKey]) -> list[str]:
    """Every log row whose signature is missing or does not verify with its user's registered key, naming
    the row on the Log sheet and the person."""
    out = []
    for index, entry in enumerate(entries):
        at = f"Log baris {index + 2} ({entry.action} langkah {entry.step}, {entry.official or entry.user})"
        key = keys.get(entry.user)
        if key is None:
            out.append(f"{at}: pengguna '{entry.user}' tidak punya kunci terdaftar, jadi baris ini tidak dapat dibuktikan")
        elif not entry.signature:
            out.append(f"{at}: tidak ditandatangani secara elektronik")
        elif not hash_signed(key.public, entry.hash, entry.signature):
            out.append(f"{at}: tanda tangan elektronik tidak sah (baris diubah, atau ditandatangani dengan kunci lain "
                       f"selain kunci {key.fingerprint})")
    return out


def unregistered(people, keys: dict[str, RegisteredKey], step_roles: set[str]) -> list[str]:
    """Once one key is registered every official and stand-in who may act must have one: otherwise the
    period would stop at their step. Checked when step 1 is sent."""
    if not keys:
        return []
    acting = [o for o in people.officials if o.role in step_roles] + [s.person for s in people.standins]
    return [f"{o.name or o.user} (pengguna '{o.user}') belum mendaftarkan kunci tanda tangan elektronik di lembar "
            "Pengaturan: jalankan tombol Daftarkan Kunci Saya di komputernya (atau 'kinerja-xl register-key')"
            for o in acting if o.user not in keys]


def registration(period, user: str, public: str) -> tuple[int, list]:
    """Where `user`'s own public key goes in Pengaturan's key table (their row, or the first free one) and
    the row to write. Only before the period starts, and only for someone Pengaturan lists."""
    key = user.strip().casefold()
    if not period.settings_open:
        raise Refused("Pengaturan sudah terkunci sejak langkah 1 dikirim, jadi kunci tidak dapat didaftarkan untuk "
                      "periode ini. Kunci baru berlaku mulai buku kerja periode berikutnya.")
    people = period.people
    if not any(o.user == key for o in people.officials) and not any(s.person.user == key for s in people.standins):
        raise Refused(f"Pengguna '{user}' tidak terdaftar di tabel Pejabat atau Plh./Plt. di lembar Pengaturan. Minta "
                      "admin menambahkan Anda lebih dahulu, lalu daftarkan kunci Anda.")
    rows = period.blocks[N.KEYS].values
    typed = [str(r[0] or "").strip().casefold() for r in rows]
    free = [i for i, r in enumerate(rows) if all(v is None or str(v).strip() == "" for v in r)]
    index = typed.index(key) if key in typed else (free[0] if free else None)
    if index is None:
        raise Refused(f"Tabel kunci di lembar Pengaturan sudah penuh ({len(rows)} baris). Hapus baris pengguna yang tidak "
                      "lagi bertugas, lalu ulangi.")
    return index, [key, public, fingerprint(public)]


def validator_key(period, user: str | None, key_for) -> object | None:
    """The key that signs the validated PDF: only the validating official's own, registered key; any other
    exporter gets the PDF with its signature fields left empty."""
    validated = next((e for e in reversed(period.entries) if e.action_id == "validate"), None)
    if validated is None or not user or key_for is None or user.strip().casefold() != validated.user:
        return None
    registered = period.keys.get(validated.user)
    key = key_for(validated.user) if registered else None
    return key if key is not None and public_text(key) == registered.public else None
