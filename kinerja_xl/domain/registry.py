"""The office's key registry: the officials' public keys as the Inspektorat (or admin) keeps them, outside
every workbook, signed by its keeper.

Keys registered inside a workbook can be replaced by whoever rewrites the workbook; the registry
cannot, without the keeper's key. `check --kunci` holds each log row to a key the registry lists for
that user and that was in force on the row's date: a rotated key stays good for what it signed
before it was retired, a revoked (lost) key is refused from the day it was revoked.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import asdict, dataclass, replace

from cryptography.exceptions import InvalidSignature

from kinerja_xl.domain import audit, signing
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain.values import InvalidValue

FORMAT = "kinerja-xl/daftar-kunci/1"
CONTEXT = b"kinerja-xl/daftar-kunci/v1:"


@dataclass(frozen=True)
class Key:
    pengguna: str
    nama: str
    nip: str
    kunci_publik: str
    sidik_jari: str
    berlaku_mulai: str            # ISO date
    berlaku_sampai: str = ""      # ISO date of the first day it no longer counts; "" = in force
    keterangan: str = ""          # why it ended: "rotasi", "hilang", ...

    def in_force(self, day: dt.date) -> bool:
        return (dt.date.fromisoformat(self.berlaku_mulai) <= day
                and (not self.berlaku_sampai or day < dt.date.fromisoformat(self.berlaku_sampai)))


@dataclass(frozen=True)
class Registry:
    instansi: str
    penjaga: str                  # the keeper's user name
    penjaga_kunci: str            # the keeper's public key (base64)
    kunci: tuple[Key, ...]
    diperbarui: str = ""
    tanda_tangan: str = ""

    @property
    def keeper_fingerprint(self) -> str:
        return signing.fingerprint(self.penjaga_kunci)

    def body(self) -> dict:
        data = asdict(self)
        data.pop("tanda_tangan")
        data["kunci"] = [asdict(k) for k in self.kunci]
        return {"format": FORMAT, **data}

    def to_json(self) -> str:
        return json.dumps({**self.body(), "tanda_tangan": self.tanda_tangan}, ensure_ascii=False, indent=2) + "\n"


def _canonical(body: dict) -> bytes:
    return CONTEXT + json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def parse(text: str, label: str) -> Registry:
    """The registry file's JSON, or Refused naming what is wrong (a damaged registry is not a trust root)."""
    try:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise ValueError(f"format '{raw.get('format')}', seharusnya '{FORMAT}'")
        keys = tuple(Key(**{k: str(v or "") for k, v in item.items()}) for item in raw["kunci"])
        for key in keys:
            signing.parse_public(key.kunci_publik)
            dt.date.fromisoformat(key.berlaku_mulai)
            if key.berlaku_sampai:
                dt.date.fromisoformat(key.berlaku_sampai)
        return Registry(str(raw["instansi"]), str(raw["penjaga"]), str(raw["penjaga_kunci"]), keys,
                        str(raw.get("diperbarui", "")), str(raw.get("tanda_tangan", "")))
    except (ValueError, KeyError, TypeError, AttributeError, InvalidValue) as exc:
        detail = exc.message if isinstance(exc, InvalidValue) else exc
        raise Refused(f"Daftar kunci '{label}' tidak dapat dibaca ({detail}). Minta salinan yang utuh dari "
                      "penjaganya (admin/Inspektorat).") from None


def signed(registry: Registry, keeper_key) -> Registry:
    unsigned = replace(registry, penjaga_kunci=signing.public_text(keeper_key), tanda_tangan="")
    signature = base64.b64encode(keeper_key.sign(_canonical(unsigned.body()))).decode("ascii")
    return replace(unsigned, tanda_tangan=signature)


def signature_intact(registry: Registry) -> bool:
    try:
        signing.parse_public(registry.penjaga_kunci).verify(base64.b64decode(registry.tanda_tangan, validate=True),
                                                            _canonical(registry.body()))
    except (InvalidSignature, InvalidValue, binascii.Error, ValueError):
        return False
    return True


def add_keys(registry: Registry, keys: dict[str, signing.RegisteredKey], people, since: dt.date) -> tuple[Registry, list[str]]:
    """The workbook's registered keys the registry does not list yet, in force from `since`; what was added."""
    known = {(k.pengguna, k.kunci_publik) for k in registry.kunci}
    names = {o.user: o for o in people.officials} | {s.person.user: s.person for s in people.standins}
    added, lines = list(registry.kunci), []
    for user, key in sorted(keys.items()):
        if (user, key.public) in known:
            continue
        person = names.get(user)
        added.append(Key(user, person.name if person else "", person.nip if person else "", key.public,
                         key.fingerprint, since.isoformat()))
        lines.append(f"{user} ({person.name if person else '-'}): {key.fingerprint}, berlaku mulai {since:%d-%m-%Y}")
    return replace(registry, kunci=tuple(added)), lines


def end_key(registry: Registry, fingerprint: str, from_day: dt.date, why: str) -> tuple[Registry, str]:
    """Retire (rotation) or revoke (lost) a key: rows it signs from `from_day` on no longer count."""
    wanted = signing.typed_fingerprint(fingerprint)
    match = [k for k in registry.kunci if k.sidik_jari == wanted]
    if not match:
        raise Refused(f"Sidik jari '{fingerprint}' tidak ada di daftar kunci. Salin sidik jari lengkap (8 kelompok "
                      "4 karakter) dari 'kinerja-xl check' atau dari PDF hasil.")
    keys = tuple(replace(k, berlaku_sampai=from_day.isoformat(), keterangan=why) if k in match else k
                 for k in registry.kunci)
    key = match[0]
    return replace(registry, kunci=keys), f"{key.pengguna} ({key.nama}): {key.sidik_jari} tidak berlaku mulai {from_day:%d-%m-%Y} ({why})"


@dataclass(frozen=True)
class Judgement:
    problems: list[str]
    notes: list[str]


def judge(registry: Registry, label: str, keys: dict[str, signing.RegisteredKey],
          entries: list[audit.LogEntry], zone) -> Judgement:
    """Hold the workbook's keys and every log row to the registry."""
    if not signature_intact(registry):
        return Judgement([f"Daftar kunci '{label}' tidak utuh: tanda tangan penjaganya ({registry.penjaga}) tidak cocok "
                          "dengan isinya. Daftar ini tidak dapat dipakai sebagai acuan."], [])
    notes = [f"Daftar kunci '{label}' ({registry.instansi}) ditandatangani penjaga '{registry.penjaga}', sidik jari "
             f"{registry.keeper_fingerprint}: cocokkan dengan sidik jari penjaga yang Anda simpan."]
    problems = []
    listed = {}
    for k in registry.kunci:
        listed.setdefault((k.pengguna, k.kunci_publik), k)
    for user, key in sorted(keys.items()):
        if (user, key.public) not in listed:
            problems.append(f"Kunci pengguna '{user}' di lembar Pengaturan (sidik jari {key.fingerprint}) tidak ada di "
                            f"daftar kunci kantor: kunci pejabat diganti di dalam buku kerja")
    if not keys and entries:
        problems.append("Log tidak ditandatangani secara elektronik (tidak ada kunci di lembar Pengaturan), padahal "
                        "kantor memakai daftar kunci: tidak ada baris yang dapat dibuktikan")
        return Judgement(problems, notes)
    for index, entry in enumerate(entries):
        key = keys.get(entry.user)
        record = listed.get((entry.user, key.public)) if key else None
        at = audit.moment(entry)
        if record is None or at is None:
            continue  # named above (a key not in the registry), or by the log check (no key, a bad time)
        day = at.astimezone(zone).date()
        where = f"Log baris {index + 2} ({entry.action} langkah {entry.step}, {entry.official or entry.user})"
        if not record.in_force(day):
            ended = (f"tidak berlaku sejak {dt.date.fromisoformat(record.berlaku_sampai):%d-%m-%Y}"
                     + (f" ({record.keterangan})" if record.keterangan else "")
                     if record.berlaku_sampai and day >= dt.date.fromisoformat(record.berlaku_sampai)
                     else f"baru berlaku mulai {dt.date.fromisoformat(record.berlaku_mulai):%d-%m-%Y}")
            problems.append(f"{where}: ditandatangani dengan kunci {record.sidik_jari}, yang {ended}")
        elif record.berlaku_sampai:
            notes.append(f"{where}: ditandatangani dengan kunci yang kini tidak berlaku lagi ({record.sidik_jari}, "
                         f"sampai {dt.date.fromisoformat(record.berlaku_sampai):%d-%m-%Y}, {record.keterangan or 'rotasi'}); "
                         "sah karena aksinya sebelum tanggal itu")
    return Judgement(problems, notes)
