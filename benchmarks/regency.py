"""A regency's year-end consolidation: 40 OPDs x 4 triwulan x 3 years x 30 indicators into one archive.

Run from the repository root: python benchmarks/regency.py [--opd 40] [--years 3] [--indicators 30]
    [--arsip postgresql+psycopg://…] [--json PATH]
The export folders are written by the fast generator of the tests (tests/archive/generator.py: the same files
in the same layout as `kinerja-xl export`, each OPD with its own definition); one of them is tampered with
(its xlsx changed after export) and must be refused by name while all others go in. Then the same folders are
consolidated again (all "sudah ada"), and the year's recap and late/missing report are computed. Prints the
times and the archive's size; nothing is asserted beyond the tampered folder being the only one refused.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kinerja_xl.adapters.archive_db import open_archive  # noqa: E402
from kinerja_xl.service import archive as service  # noqa: E402
from tests.archive import generator as gen  # noqa: E402


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--opd", type=int, default=40)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--indicators", type=int, default=30)
    p.add_argument("--arsip", help="database URL (default: an SQLite file in the temporary folder)")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kxl-kabupaten-"))
    try:
        return _run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args, work: Path) -> dict:
    years = list(range(2026 - args.years + 1, 2027))
    started = time.perf_counter()
    opds = gen.regency(work / "kab", args.opd, years, indicators=args.indicators,
                       skip={(args.opd, years[-1], 3)}, late={(1, years[-1], 2)})
    defs = [gen.write_definition(o, work / "definisi") for o in opds]
    folders = service.export_folders([work / "kab"])
    victim = folders[len(folders) // 2]
    xlsx = next(victim.glob("*.xlsx"))
    raw = xlsx.read_bytes()
    xlsx.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))  # one bit, after the export
    generated = time.perf_counter() - started
    spec = args.arsip or str(work / "arsip.sqlite")
    with open_archive(spec) as db:
        known = service.Definitions(db, defs)
        t0 = time.perf_counter()
        first = service.consolidate(db, [work / "kab"], known)
        consolidated = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = service.consolidate(db, [work / "kab"], known)
        repeated = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = service.recap_of(db, known, years[-1]).rows
        recapped = time.perf_counter() - t0
        gaps = service.gaps(db, [years[-1]])
        size, counts = db.size_bytes(), db.counts()
    refused = [o.folder.name for o in first.refused]
    assert refused == [victim.name], refused
    result = {
        "opd": args.opd, "tahun": years, "indikator_per_periode": args.indicators, "folder": len(folders),
        "arsip": "postgresql" if args.arsip and "postgresql" in args.arsip else "sqlite",
        "detik_generator": round(generated, 2), "detik_konsolidasi": round(consolidated, 2),
        "ms_per_folder": round(1000 * consolidated / len(folders), 1),
        "detik_konsolidasi_ulang": round(repeated, 2), "detik_rekap_tahun": round(recapped, 2),
        "baris_rekap": len(rows), "ukuran_arsip_bita": size, "baris": counts,
        "ditolak": refused, "sudah_ada_saat_ulang": again.count(service.KNOWN),
        "kekurangan": [f"{g.opd} {g.period} {g.year}: {g.status}" for g in gaps],
        "cpu": os.cpu_count(),
    }
    for key, value in result.items():
        print(f"{key:26} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
