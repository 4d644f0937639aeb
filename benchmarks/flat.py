"""Whether the actions that write no table cost the same at 10 and at 20,000 indicator rows (issue 19: within 1.2×).

Each case (return from step 5 to 3, set of a step-5 field, status) runs as a whole `kinerja-xl` process on a fresh
copy of the prepared input of each size, the two sizes alternating (10, 20,000, 10, ...), `--runs` times; figures
are the medians of wall time and of the child's CPU time, and their ratio. Inputs come from
`processes.py --prepare ROWS DIR` (20,000 rows take minutes to make) and are named as it names them. Every process
runs from compiled bytecode, as an installed package does. Not a test: nothing is asserted.

Run: python benchmarks/flat.py --small /tmp/g10 --large /tmp/g20000 [--runs 11]
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {"KINERJA_XL_MODE_UJI": "1", "KINERJA_XL_NOW": "2026-10-02T09:00"}
CASES = {
    "return (langkah 5 ke 3)": ("5", ["return", "{W}", "--note", "Lengkapi bukti", "--as", "ardiansyah"]),
    "set (isian langkah 5)": ("5", ["set", "{W}", "validasi_tempat=Balangan", "--as", "ardiansyah"]),
    "status": ("closed", ["status", "{W}"]),
}


def rows_of(folder: Path) -> int:
    names = [re.match(r"k(\d+)_closed\.xlsm$", p.name) for p in folder.iterdir()]
    return next(int(m.group(1)) for m in names if m)


def run(folder: Path, stage: str, argv: list[str], work: Path, env: dict) -> tuple[float, float]:
    """(wall, CPU) seconds of one process on a fresh copy of the input."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rows = rows_of(folder)
    for suffix in ("", ".anchor.json"):
        shutil.copy(folder / f"k{rows}_{stage}.xlsm{suffix}", work / f"k.xlsm{suffix}")
    cmd = [sys.executable, "-m", "kinerja_xl.entrypoints.cli", *(a.replace("{W}", str(work / "k.xlsm")) for a in argv)]
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=Path, required=True)
    parser.add_argument("--large", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(ENV, PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"))
        subprocess.run([sys.executable, "-m", "kinerja_xl.entrypoints.cli", "--help"], env=env,
                       stdout=subprocess.DEVNULL, check=True)  # bytecode compiled once, outside the timing
        found: dict[tuple[str, Path], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for name, (stage, argv) in CASES.items():
                for folder in (args.small, args.large):
                    found.setdefault((name, folder), []).append(run(folder, stage, argv, Path(tmp) / "work", env))
    small, large = rows_of(args.small), rows_of(args.large)
    print(f"{'aksi':28s} {'detik ' + str(small):>12s} {'detik ' + str(large):>12s} {'rasio':>6s} {'CPU rasio':>10s}")
    for name in CASES:
        a, b = found[(name, args.small)], found[(name, args.large)]
        wa, wb = (statistics.median(w for w, _ in x) for x in (a, b))
        ca, cb = (statistics.median(c for _, c in x) for x in (a, b))
        print(f"{name:28s} {wa:12.3f} {wb:12.3f} {wb / wa:6.2f} {cb / ca:10.2f}")


if __name__ == "__main__":
    main()
