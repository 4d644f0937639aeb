"""Office configuration for a build (`--config`): officials, the period, extra non-working days.

Without one, Pengaturan holds the SOP's signer and an empty period for staff to fill.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl.core.errors import UsageError
from kinerja_xl.sop import names as N
from kinerja_xl.sop.model import Definition


@dataclass(frozen=True)
class OfficeConfig:
    year: int | None = None
    quarter: str | None = None
    start: dt.date | None = None
    officials: tuple[tuple, ...] = ()
    standins: tuple[tuple, ...] = ()
    off_days: tuple[tuple, ...] = ()


def load_config(path, d: Definition) -> OfficeConfig:
    signer = d.signer
    default = ((signer.name, signer.nip, signer.title, d.role(signer.role).label, signer.user),)
    if path is None:
        return OfficeConfig(officials=default)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"Berkas pengaturan {path} tidak dapat dibaca: {exc}") from None
    labels = {r.id: r.label for r in d.roles}
    problems, officials = [], []
    for i, o in enumerate(raw.get("pejabat", []), 1):
        if o.get("peran") not in labels:
            problems.append(f"pejabat[{i}].peran: '{o.get('peran')}' tidak dikenal ({', '.join(labels)})")
            continue
        officials.append((o.get("nama", ""), o.get("nip", ""), o.get("jabatan", ""), labels[o["peran"]], o.get("pengguna", "")))
    standins = []
    for i, s in enumerate(raw.get("pengganti", []), 1):
        if s.get("peran") not in labels:
            problems.append(f"pengganti[{i}].peran: '{s.get('peran')}' tidak dikenal")
            continue
        standins.append((s.get("jenis", "Plh."), s.get("nama", ""), s.get("nip", ""), s.get("pengguna", ""),
                         labels[s["peran"]], s.get("mulai"), s.get("selesai")))
    if problems:
        raise UsageError("Pengaturan tidak sah:\n" + "\n".join(f"- {p}" for p in problems))
    period = raw.get("periode", {})
    off_days = tuple((x.get("tanggal"), x.get("keterangan", "")) for x in raw.get("libur", []))
    for limit, rows, what in ((N.OFFICIAL_ROWS, officials, "pejabat"), (N.STANDIN_ROWS, standins, "pengganti"),
                              (N.OFF_DAY_ROWS, off_days, "libur")):
        if len(rows) > limit:
            raise UsageError(f"Pengaturan: paling banyak {limit} baris {what}")
    return OfficeConfig(period.get("tahun"), period.get("triwulan"), period.get("mulai"),
                        tuple(officials) or default, tuple(standins), off_days)
