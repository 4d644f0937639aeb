"""Small raw SOP definitions (the dicts a TOML file gives) for the pure unit tests.

Every factory returns a fresh dict, so a test may break one part of it without touching another.
"""
from __future__ import annotations

import copy
import tomllib
from functools import lru_cache
from pathlib import Path

import kinerja_xl
from kinerja_xl.domain.definition_rules import parse_definition

SOP_01 = Path(kinerja_xl.__file__).parent / "sop" / "sop_01_setwan.toml"


def button(aksi: str, ke: int | None = None, label: str | None = None) -> dict:
    out = {"aksi": aksi, "label": label or aksi.capitalize()}
    if ke is not None:
        out["ke"] = ke
    return out


def step(no: int, *buttons: dict, lembar: str | None = None, pelaksana: str = "staf", **extra) -> dict:
    return {"no": no, "lembar": lembar or f"{no} Langkah", "kegiatan": f"Kegiatan {no}", "pelaksana": pelaksana,
            "tombol": list(buttons) or [button("submit")], **extra}


def header(**extra) -> dict:
    return {"kode": "SOP-99-UJI", "satuan_kerja": "Bagian Uji", "nomor": "SOP - 99/UJI",
            "tanggal_pembuatan": "02 Januari 2026", "tanggal_efektif": "02 Januari 2026",
            "disahkan_oleh": "Kepala Bagian Uji", "nama": "SOP Uji", "zona": "WITA", **extra}


def raw_definition(*steps: dict, **sop) -> dict:
    """A valid definition: the given steps (by default submit, then validate with a return to 1)."""
    steps = steps or (step(1, button("submit")), step(2, button("validate"), button("return", 1), pelaksana="kepala"))
    return {"format_versi": 2, "sop": header(**sop),
            "peran": [{"id": "staf", "label": "Staf Pelaksana"}, {"id": "kepala", "label": "Kepala Bagian"}],
            "langkah": [copy.deepcopy(s) for s in steps]}


def six_steps(**sop) -> dict:
    """Six steps, signing at 4 and two steps after it; returns: 3 -> 1 or 2, 4 -> 3."""
    return raw_definition(
        step(1, button("submit")),
        step(2, button("submit")),
        step(3, button("verify"), button("return", 1, "Kembalikan ke 1"), button("return", 2, "Kembalikan ke 2"),
             pelaksana="kepala"),
        step(4, button("validate", label="Tandatangani"), button("return", 3, "Kembalikan"), pelaksana="kepala"),
        step(5, button("submit", label="Arsipkan")),
        step(6, button("submit", label="Tutup")),
        **sop,
    )


def indikator_table(**extra) -> dict:
    """An indikator table with one realisasi column per triwulan."""
    table = {"nama": "indikator", "label": "Indikator", "jenis": "indikator", "baris": 10, "target": "target",
             "arah": "arah", "realisasi": ["real_1", "real_2", "real_3", "real_4"],
             "kolom": [{"nama": "no", "label": "No", "tipe": "angka"},
                       {"nama": "arah", "label": "Arah", "tipe": "pilihan", "pilihan": ["naik", "turun"]},
                       {"nama": "target", "label": "Target", "tipe": "angka"},
                       {"nama": "real_1", "label": "R1", "tipe": "angka"},
                       {"nama": "real_2", "label": "R2", "tipe": "angka"},
                       {"nama": "real_3", "label": "R3", "tipe": "angka"},
                       {"nama": "real_4", "label": "R4", "tipe": "angka"},
                       {"nama": "capaian", "label": "Capaian", "tipe": "capaian"}]}
    table.update(extra)
    return table


def raw_sop01() -> dict:
    with SOP_01.open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def sop01():
    """SOP-01/SETWAN parsed once (definitions are frozen, so sharing is safe)."""
    return parse_definition(raw_sop01())
