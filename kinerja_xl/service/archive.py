"""Archive validated export folders, consolidate a regency's, and recap them.

Every folder is checked against its manifest first (`folder_check`, as `kinerja-xl check DIR` does); a folder
that fails is refused by name with what was found, and the others still go in. The same export (the same
manifest) recorded twice is said once and stored once. Another validated export of the same OPD, SOP, year
and period is kept beside the first: what an auditor needs is every document that was signed, and which one
counts; the one validated last counts (`current`), and the answer says which it replaced.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from kinerja_xl.adapters.anchor_file import MANIFEST
from kinerja_xl.adapters.archive_db import Archive
from kinerja_xl.adapters.definition_file import canonical, default_definition_path, read_raw, sha256
from kinerja_xl.domain import recap
from kinerja_xl.domain.definition import PERIODS, Definition
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.errors import DefinitionError, FileProblem, Refused
from kinerja_xl.service.archive_read import read_manifest, read_period
from kinerja_xl.service.folder_check import check_folder

NEW, OLDER, REPLACES, KNOWN, REFUSED, UNREADABLE = "baru", "baru_lama", "pengganti", "sudah_ada", "ditolak", "gagal_baca"


@dataclass(frozen=True)
class Outcome:
    folder: Path
    status: str
    message: str
    period_id: int | None = None
    problems: tuple[str, ...] = ()

    @property
    def stored(self) -> bool:
        return self.status in (NEW, OLDER, REPLACES, KNOWN)


@dataclass
class Consolidation:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.stored]


class Definitions:
    """SOP definitions by the SHA-256 an export's manifest names: those in the archive, the packaged one, and
    any given (a .toml file, or a folder of them)."""

    def __init__(self, archive: Archive, given: list[Path] = ()):
        self.archive = archive
        self.known: dict[str, tuple[Definition, str]] = {}
        for path in [default_definition_path(), *_definition_files(given)]:
            text = _canonical_text(path)
            self.known.setdefault(sha256(text), (None, text))

    def get(self, digest: str) -> tuple[Definition, str] | None:
        found = self.known.get(digest)
        if found is None:
            text = self.archive.definition(digest)
            if text is None:
                return None
            found = (None, text)
        if found[0] is None:
            try:
                found = (parse_definition(json.loads(found[1])), found[1])
            except (DefinitionError, ValueError):
                return None
        self.known[digest] = found
        return found


def _definition_files(given) -> list[Path]:
    out = []
    for path in map(Path, given):
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() in (".toml", ".json"))
        elif path.is_file():
            out.append(path)
        else:
            raise FileProblem(f"Definisi '{path}' tidak ditemukan: sebutkan berkas .toml (atau .json kanonis) atau "
                              "folder berisinya.")
    return out


def _canonical_text(path: Path) -> str:
    """A TOML definition, or its canonical JSON (as a workbook embeds it), as the text its hash is taken of."""
    if path.suffix.lower() != ".json":
        return canonical(read_raw(path))
    try:
        return canonical(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise DefinitionError([f"{path}: bukan definisi JSON yang dapat dibaca ({exc})"]) from None


# ---------------------------------------------------------------- finding export folders


def export_folders(paths: list[Path]) -> list[Path]:
    """Each path is an export folder, or a folder holding them at any depth (the `ekspor/` of many OPDs). A folder
    with a manifest, or with an export's log CSV but no manifest (it is then refused by name), is an export."""
    found = []
    for path in map(Path, paths):
        if not path.is_dir():
            raise FileProblem(f"'{path}' tidak ada atau bukan folder: sebutkan folder ekspor atau folder yang "
                              "berisi folder ekspor.")
        if _is_export(path):
            found.append(path)
            continue
        for root, dirs, _files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # staging folders of an export in progress
            for name in list(dirs):
                if _is_export(Path(root) / name):
                    found.append(Path(root) / name)
                    dirs.remove(name)
    return found


def _is_export(folder: Path) -> bool:
    if (folder / MANIFEST).exists():
        return True
    try:
        return any(e.name.endswith("_log.csv") for e in os.scandir(folder) if e.is_file(follow_symlinks=False))
    except OSError:
        return False


# ---------------------------------------------------------------- ingest


def ingest(archive: Archive, folder: Path, definitions: Definitions) -> Outcome:
    """One export folder: verified, read and recorded, or refused with the reason; never half-recorded."""
    folder = Path(folder)
    try:
        report = check_folder(folder)
        if not report.clean:
            return Outcome(folder, REFUSED, f"DITOLAK '{folder.name}': pemeriksaan terhadap manifest gagal.",
                           problems=tuple(report.problems))
        manifest, digest = read_manifest(folder)
        known = archive.find_manifest(digest)
        if known is not None:
            return Outcome(folder, KNOWN, f"'{folder.name}' sudah ada di arsip (ekspor yang sama): tidak dicatat "
                                          "dua kali.", known)
        found = definitions.get(manifest["definisi"])
        if found is None:
            return Outcome(folder, REFUSED, f"DITOLAK '{folder.name}': definisi SOP-nya (SHA-256 "
                                            f"{manifest['definisi'][:12]}…) tidak dikenal arsip ini. Sebutkan berkas "
                                            "definisinya dengan --definisi.")
        d, text = found
        record = read_period(folder, manifest, digest, d)
        stored = archive.record(record, (d.header.code, d.header.unit, text))
    except Refused as exc:
        return Outcome(folder, REFUSED, f"DITOLAK: {exc.message}")
    except FileProblem as exc:
        return Outcome(folder, UNREADABLE, f"TIDAK TERBACA '{folder.name}': {exc.message}")
    except OSError as exc:
        return Outcome(folder, UNREADABLE, f"TIDAK TERBACA '{folder.name}': {exc.strerror or exc}.")
    return _said(folder, record, stored, archive)


def _said(folder: Path, record, stored, archive: Archive) -> Outcome:
    what = f"{record.opd}, {record.sop}, {record.period} {record.year}"
    if not stored.new:
        return Outcome(folder, KNOWN, f"'{folder.name}' sudah ada di arsip: tidak dicatat dua kali.", stored.period_id)
    if stored.kept_current is not None:
        other = Path(archive.period(stored.kept_current)["folder"]).name
        return Outcome(folder, OLDER, f"Diarsipkan '{folder.name}' ({what}) sebagai ekspor lama: '{other}', yang "
                                      "divalidasi kemudian, tetap berlaku.", stored.period_id)
    if stored.replaced is not None:
        other = Path(archive.period(stored.replaced)["folder"]).name
        return Outcome(folder, REPLACES, f"Diarsipkan '{folder.name}' ({what}): kini berlaku, menggantikan '{other}' "
                                         "(yang lama tetap tersimpan).", stored.period_id)
    return Outcome(folder, NEW, f"Diarsipkan '{folder.name}' ({what}).", stored.period_id)


def consolidate(archive: Archive, paths: list[Path], definitions: Definitions, progress=None) -> Consolidation:
    """Every export folder under `paths`, one by one: a refused folder never stops the others."""
    result = Consolidation()
    for folder in export_folders(paths):
        result.outcomes.append(ingest(archive, folder, definitions))
        if progress:
            progress(result.outcomes[-1])
    return result


# ---------------------------------------------------------------- late and missing


@dataclass(frozen=True)
class Gap:
    opd: str
    year: int
    period: str
    status: str        # "belum ada" | "terlambat"
    detail: str


def gaps(archive: Archive, years: list[int] | None = None, expected: list[str] = ()) -> list[Gap]:
    """For each year, every OPD (known to the archive, or expected) and every period up to the latest any OPD
    has reported: missing when no validated export is archived, late when a step of the current one passed
    its time standard (as its export's "Durasi per Langkah" says)."""
    slots = [s for s in archive.slots() if s["current"] and (years is None or s["year"] in years)]
    opds = sorted({s["opd"] for s in archive.slots()} | {e.strip() for e in expected if e.strip()})
    out = []
    for year in sorted({s["year"] for s in slots} | set(years or ())):
        this = [s for s in slots if s["year"] == year]
        if not this:
            continue
        unit = max(({s["period_unit"] for s in this}), key=lambda u: sum(s["period_unit"] == u for s in this))
        labels = PERIODS[unit]
        upto = max(s["period_index"] for s in this if s["period_unit"] == unit)
        have = {(s["opd"], s["period_index"]): s for s in this if s["period_unit"] == unit}
        for opd in opds:
            for k in range(upto + 1):
                slot = have.get((opd, k))
                if slot is None:
                    out.append(Gap(opd, year, labels[k], "belum ada", "tidak ada ekspor tervalidasi di arsip"))
                elif slot["late_steps"]:
                    out.append(Gap(opd, year, labels[k], "terlambat",
                                   f"{slot['late_steps']} langkah melewati standar waktu; divalidasi "
                                   f"{slot['validated_at']}"))
    return out


# ---------------------------------------------------------------- recap


@dataclass(frozen=True)
class Recap:
    rows: list[recap.RecapRow]
    labels: tuple[str, ...]   # the periods of the year ("I".."IV" for triwulan)
    unit: str                 # triwulan, bulan, ...


def recap_of(archive: Archive, definitions: Definitions, year: int | None = None, opd: str | None = None,
             sasaran: str | None = None) -> Recap:
    rows = archive.indicator_rows(years=None if year is None else [year - 1, year])
    observations, units = [], []
    for row in rows:
        found = definitions.get(row["definition_sha256"])
        if found is None:
            continue
        d = found[0]
        units.append(d.header.period_unit)
        observations.append(recap.Observation(
            row["opd"], row["sop"], row["year"], row["period_index"], row["periods_in_year"], row["key"],
            row["sasaran"], row["indikator"], row["satuan"], row["arah"], recap.number(row["target"]),
            tuple(recap.number(v) for v in row["realisasi"]), tuple(sorted(d.capaian_rules.items())),
            d.red_below, d.green_above))
    unit = max(set(units), key=units.count) if units else "triwulan"
    return Recap(recap.recap(observations, year=year, opd=opd, sasaran=sasaran), PERIODS[unit], unit)
