"""Office configuration for a build (`--config`): the period, the place of signing, officials, stand-ins,
extra non-working days. Office data lives here and in Pengaturan, never in the SOP definition.

Without a configuration, Pengaturan starts empty for the office's admin to fill.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.definition_rules import did_you_mean
from kinerja_xl.domain.errors import FileProblem, InputProblems
from kinerja_xl.domain.values import InvalidValue, parse_date, parse_nip

_KEYS = {"periode": {"tahun", "periode", "mulai"}, "kantor": {"tempat", "alamat"},
         "pejabat": {"nama", "nip", "jabatan", "peran", "pengguna"},
         "pengganti": {"jenis", "nama", "nip", "pengguna", "peran", "mulai", "selesai"},
         "libur": {"tanggal", "keterangan"}}


@dataclass(frozen=True)
class OfficeConfig:
    year: int | None = None
    period: str | None = None
    start: dt.date | None = None
    place: str | None = None
    people: tuple[dict, ...] = ()
    stand_ins: tuple[dict, ...] = ()
    off_days: tuple[tuple, ...] = ()
    address: str | None = None
    national: bool = True   # add the year's national holidays (needs the `holidays` package) to `off_days`

    def officials(self, d: Definition) -> tuple[tuple, ...]:
        labels = _labels(d)
        return tuple((o.get("nama", ""), o.get("nip", ""), o.get("jabatan", ""), labels[o["peran"]], o.get("pengguna", ""))
                     for o in self.people)

    def standins(self, d: Definition) -> tuple[tuple, ...]:
        labels = _labels(d)
        return tuple((s.get("jenis", "Plh."), s.get("nama", ""), s.get("nip", ""), s.get("pengguna", ""),
                      labels[s["peran"]], s.get("mulai"), s.get("selesai")) for s in self.stand_ins)


def _value_problems(raw: dict) -> list[str]:
    """Values checked by the rules Pengaturan is checked by, so a build never writes what step 1 would refuse."""
    problems = []
    period = raw.get("periode", {})
    year = period.get("tahun")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100):
        problems.append(f"periode.tahun: '{year}' bukan tahun; tulis angkanya, mis. tahun = 2026")
    problems += _date_problem("periode.mulai", period.get("mulai"))
    for section, fields in (("pejabat", ("nama", "pengguna")), ("pengganti", ("nama", "pengguna"))):
        for i, item in enumerate(raw.get(section, []), 1):
            for key in fields:
                if not isinstance(item.get(key), str) or not item[key].strip():
                    problems.append(f"{section}[{i}].{key}: wajib diisi (teks)")
            try:
                parse_nip(item.get("nip"))
            except InvalidValue as exc:
                problems.append(f"{section}[{i}].nip: {exc.message}")
    for i, item in enumerate(raw.get("pengganti", []), 1):
        if item.get("jenis", "Plh.") not in ("Plh.", "Plt."):
            problems.append(f"pengganti[{i}].jenis: '{item.get('jenis')}' harus 'Plh.' atau 'Plt.'")
        problems += _date_problem(f"pengganti[{i}].mulai", item.get("mulai"))
        problems += _date_problem(f"pengganti[{i}].selesai", item.get("selesai"))
    for i, item in enumerate(raw.get("libur", []), 1):
        problems += _date_problem(f"libur[{i}].tanggal", item.get("tanggal"), required=True)
    return problems


def _date_problem(where: str, value, required: bool = False) -> list[str]:
    if value is None:
        return [f"{where}: wajib diisi, mis. 2026-10-01"] if required else []
    try:
        parse_date(value)
    except InvalidValue as exc:
        return [f"{where}: {exc.message}; tulis sebagai tanggal TOML, mis. 2026-10-01"]
    return []


def _labels(d: Definition) -> dict[str, str]:
    return {r.id: r.label for r in d.roles} | {N.ADMIN_ROLE: N.ADMIN_LABEL}


def load_config(path, d: Definition) -> OfficeConfig:
    if path is None:
        return OfficeConfig()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileProblem(f"Berkas pengaturan '{path}' tidak ditemukan. Periksa nama dan foldernya; contohnya "
                          "ada di docs/office-config.md.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FileProblem(f"Berkas pengaturan '{path}' tidak dapat dibaca ({getattr(exc, 'strerror', None) or exc}); "
                          "simpan sebagai teks UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise FileProblem(f"Berkas pengaturan '{path}' bukan TOML yang sah ({exc}). Bandingkan dengan contoh di "
                          "docs/office-config.md.") from None
    problems = [f"{key}: bagian tidak dikenal{did_you_mean(key, _KEYS)}" for key in raw if key not in _KEYS]
    for section in ("pejabat", "pengganti", "libur"):
        if not isinstance(raw.get(section, []), list):
            problems.append(f"{section}: tulis sebagai [[{section}]] (daftar), bukan [{section}]")
            raw[section] = []
    for section in ("periode", "kantor"):
        if not isinstance(raw.get(section, {}), dict):
            problems.append(f"{section}: tulis sebagai tabel [{section}]")
            raw[section] = {}
    labels = _labels(d)
    for section in ("pejabat", "pengganti", "libur"):
        for i, item in enumerate(raw.get(section, []), 1):
            problems += [f"{section}[{i}].{k}: kunci tidak dikenal{did_you_mean(k, _KEYS[section])}"
                         for k in item if k not in _KEYS[section]]
            if section != "libur" and item.get("peran") not in labels:
                problems.append(f"{section}[{i}].peran: '{item.get('peran')}' tidak dikenal ({', '.join(labels)})")
    for section in ("periode", "kantor"):
        problems += [f"{section}.{k}: kunci tidak dikenal{did_you_mean(k, _KEYS[section])}"
                     for k in raw.get(section, {}) if k not in _KEYS[section]]
    period = raw.get("periode", {})
    if period.get("periode") is not None and period["periode"] not in d.periods:
        problems.append(f"periode.periode: '{period['periode']}' harus salah satu dari {', '.join(d.periods)}")
    off_days = tuple((x.get("tanggal"), x.get("keterangan", "")) for x in raw.get("libur", []))
    for limit, rows, what in ((N.OFFICIAL_ROWS, raw.get("pejabat", []), "pejabat"),
                              (N.STANDIN_ROWS, raw.get("pengganti", []), "pengganti"), (N.OFF_DAY_ROWS, off_days, "libur")):
        if len(rows) > limit:
            problems.append(f"{what}: paling banyak {limit} baris")
    problems += _value_problems(raw)
    if problems:
        raise InputProblems([f"{path}: {p}" for p in problems],
                            "Perbaiki berkas pengaturan (lihat docs/office-config.md), lalu bangun ulang.")
    return OfficeConfig(period.get("tahun"), period.get("periode"), period.get("mulai"), raw.get("kantor", {}).get("tempat"),
                        tuple(raw.get("pejabat", [])), tuple(raw.get("pengganti", [])), off_days,
                        raw.get("kantor", {}).get("alamat"))
