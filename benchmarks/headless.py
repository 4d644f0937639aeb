"""Headless cost of each action as the workbook grows, against the floor of one openpyxl load + save.

Run: python benchmarks/headless.py [--rows 10 200 2000] [--repeat 3] [--json PATH]
Prints a table; figures are medians of --repeat runs on fresh copies. Not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from kinerja_xl.adapters.definition_file import read_raw
from kinerja_xl.builder.assemble import build_bytes
from kinerja_xl.builder.office_config import load_config
from kinerja_xl.domain.commands import Act, Export, Fill
from kinerja_xl.domain.data_entry import Entry
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.entrypoints.demo import sample
from kinerja_xl.service.handlers import handle
from kinerja_xl.service.reading import Env
from kinerja_xl.service.unit_of_work import FileUnitOfWork

WITA = ZoneInfo("Asia/Makassar")
CONFIG = sample("contoh_pengaturan.toml")
STEPS = {
    1: ("ardiansyah", {"disposisi_nomor": "1", "disposisi_tanggal": "01-10-2026", "disposisi_kepada": "Kepala Bagian",
                       "disposisi_isi": "x"}),
    2: ("ridha", {"perintah_kepada": "x", "perintah_tanggal": "01-10-2026", "perintah_isi": "x"}),
    3: ("rahmah", {f"kelengkapan[{i}].{c}": v for i in (1, 2, 3) for c, v in (("ada", "Ada"), ("referensi", "D"))}),
}


def definition_with_rows(rows: int) -> dict:
    """The packaged definition's raw dict, with room for `rows` indicators (the workbook carries it)."""
    raw = read_raw()
    raw["langkah"][2]["tabel"][0]["baris"] = max(rows, 200)
    return raw


def build_workbook(raw: dict, path: Path) -> Path:
    path.write_bytes(build_bytes(raw, load_config(CONFIG, parse_definition(raw))))
    return path


def act(path: Path, action: str, user: str, clock) -> None:
    with FileUnitOfWork(path, write=True) as uow:
        handle(Act(action, user), uow, Env(clock))


def enter(path: Path, user: str, entry: Entry, clock) -> None:
    with FileUnitOfWork(path, write=True) as uow:
        handle(Fill(user, entry), uow, Env(clock))


def indicators(n: int):
    header = ("no", "sasaran_strategis", "indikator_kinerja", "satuan", "arah", "target", "realisasi_tw4", "sumber_data")
    return header, tuple((i, "Sasaran", f"Indikator {i}", "%", "naik" if i % 3 else "turun", 100, 90 + i % 20, "Bagian")
                         for i in range(1, n + 1))


class Clock:
    """Five minutes a tick; `later` starts the next day, after everything a prepared workbook has logged."""

    def __init__(self, later: bool = False):
        self.t = dt.datetime(2026, 10, 2 if later else 1, 9, tzinfo=WITA)

    def __call__(self):
        self.t += dt.timedelta(minutes=5)
        return self.t


def fill(path: Path, step: int, rows: int, clock) -> str:
    """Type the step's inputs as its official would; returns the official's username."""
    if step == 5:
        user, values = "ardiansyah", {"validasi_tempat": "Paringin", "validasi_tanggal": "01-10-2026"}
    elif step == 4:
        user, values = "ridha", {"verifikasi_tanggal": "01-10-2026", **{f"reviu[{i}].hasil": "sesuai" for i in range(1, rows + 1)}}
    else:
        user, values = STEPS[step]
    if step == 3:
        header, body = indicators(rows)
        enter(path, user, Entry(table="indikator", header=header, rows=body, source="b", importing=True), clock)
    enter(path, user, Entry(values=values), clock)
    return user


def prepared(raw: dict, rows: int, upto: int, folder: Path, name: str | None = None) -> Path:
    """A workbook with `rows` indicators, driven until step `upto` is current and filled."""
    path = build_workbook(raw, folder / (name or f"k{rows}_{upto}.xlsm"))
    clock = Clock()
    for step in range(1, upto):
        user = fill(path, step, rows, clock)
        act(path, "verify" if step == 4 else "submit", user, clock)
    fill(path, upto, rows, clock)
    return path


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def floor(path: Path) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb.save(io.BytesIO())


def measure(rows: int, repeat: int) -> dict:
    raw = definition_with_rows(rows)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {"submit (langkah 3)": (3, "rahmah", "submit"), "verify": (4, "ridha", "verify"),
                 "validate": (5, "ardiansyah", "validate")}
        for label, (upto, user, action) in cases.items():
            base = prepared(raw, rows, upto, folder)
            data = base.read_bytes()

            def run():
                base.write_bytes(data)
                act(base, action, user, Clock(later=True))

            out[label] = {"detik": timed(run, repeat), "lantai": timed(lambda: floor(base), repeat)}
        closed = prepared(raw, rows, 5, folder)
        act(closed, "validate", "ardiansyah", Clock(later=True))
        for label, fn in _optional(closed, folder).items():
            out[label] = {"detik": timed(fn, repeat), "lantai": timed(lambda: floor(closed), repeat)}
    for figures in out.values():
        figures["rasio"] = figures["detik"] / figures["lantai"]
    return out


def _optional(closed: Path, folder: Path) -> dict:
    """export (without PDF, through the Export command) and check."""
    from kinerja_xl.service.checking import check_file

    def export():
        with FileUnitOfWork(closed, write=False) as uow:
            handle(Export(folder / f"ekspor{time.perf_counter_ns()}", False, False), uow, Env(Clock()))

    return {"export (tanpa PDF)": export, "check": lambda: check_file(closed)}


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, nargs="+", default=[10, 200, 2000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    results = {str(n): measure(n, args.repeat) for n in args.rows}
    print(f"{'aksi':22} {'baris':>6} {'detik':>8} {'lantai':>8} {'rasio':>6}")
    for n, figures in results.items():
        for label, f in figures.items():
            print(f"{label:22} {n:>6} {f['detik']:8.3f} {f['lantai']:8.3f} {f['rasio']:6.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
