"""`kinerja-xl registry`: the keeper (admin/Inspektorat) lists the officials' public keys in the office's
registry, retires or revokes one, and signs the file again with the keeper's own key."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from kinerja_xl.adapters.registry_file import read_registry, write_registry
from kinerja_xl.domain import registry, signing
from kinerja_xl.domain.errors import Refused, UsageError
from kinerja_xl.domain.values import InvalidValue, parse_date
from kinerja_xl.service.reading import read_period
from kinerja_xl.service.unit_of_work import FileUnitOfWork


def update_registry(path: Path, book: Path | None, keeper: str, store, *, clock: Callable[[dt.tzinfo], dt.datetime],
                    revoke: str | None = None, since: str | None = None, why: str | None = None,
                    instansi: str | None = None) -> list[str]:
    """Create or update the registry at `path`; the lines to print. Nothing is written unless all is well."""
    if book is None and not revoke:
        raise UsageError("Sebutkan buku kerja yang kuncinya didaftarkan (--dari BUKU) atau kunci yang dicabut (--cabut).")
    key = store.load(keeper)
    if key is None:
        raise Refused(f"Penjaga '{keeper}' belum punya kunci di komputer ini. Buat dulu: kinerja-xl keygen --as {keeper}")
    current = _existing(Path(path), signing.public_text(key))
    period = None
    if book is not None:
        with FileUnitOfWork(Path(book), write=False) as uow:
            period = read_period(uow)
    zone = period.d.tz if period else dt.timezone.utc
    day = _day(since) or (clock(zone).date() if period else None)
    if day is None:
        raise UsageError("Sebutkan tanggal mulai berlakunya pencabutan: --sejak DD-MM-YYYY.")
    if current is None:
        current = registry.Registry(instansi or (period.d.header.unit if period else ""), keeper.strip().casefold(), "", ())
    lines = []
    if period is not None:
        current, added = registry.add_keys(current, period.keys, period.people, day)
        lines += [f"Ditambahkan: {line}" for line in added] or [f"Semua kunci di {Path(book).name} sudah terdaftar."]
        if not period.keys:
            lines.append(f"Catatan: {Path(book).name} belum memuat kunci apa pun di lembar Pengaturan.")
    if revoke:
        current, line = registry.end_key(current, revoke, day, why or "dicabut")
        lines.append(f"Diakhiri: {line}")
    current = registry.signed(replace(current, diperbarui=clock(zone).isoformat(timespec="seconds")), key)
    write_registry(path, current)
    lines.append(f"Daftar kunci disimpan: {path} ({len(current.kunci)} kunci), ditandatangani '{current.penjaga}' "
                 f"dengan sidik jari {current.keeper_fingerprint}. Simpan sidik jari ini di luar komputer kantor.")
    return lines


def _existing(path: Path, keeper_public: str) -> registry.Registry | None:
    if not path.exists():
        return None
    current = read_registry(path)
    if not registry.signature_intact(current):
        raise Refused(f"Daftar kunci '{path.name}' tidak utuh (tanda tangan penjaga tidak cocok). Pakai salinan yang "
                      "utuh; jangan menimpanya.")
    if current.penjaga_kunci != keeper_public:
        raise Refused(f"Daftar kunci '{path.name}' dijaga oleh '{current.penjaga}' (sidik jari "
                      f"{current.keeper_fingerprint}); hanya penjaganya yang dapat mengubahnya.")
    return current


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except InvalidValue as exc:
        raise UsageError(f"--sejak '{text}': {exc.message}") from None
