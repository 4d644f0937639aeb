"""Each action as a user runs it (a whole `kinerja-xl` process) against the floor, interleaved on the same input.

Run: python benchmarks/processes.py [--rows 10 200 2000 20000] [--runs 5] [--only set status ...] [--json PATH]
     [--adapter openpyxl bagian] [--inputs FOLDER]
     python benchmarks/processes.py --read-memory [--rows 20000]

`--adapter` runs every action once per file adapter (`KINERJA_XL_ADAPTER`: `openpyxl`, the reference, or `bagian`,
the part-level one of issue 19), each interleaved with the same floors; the inputs are prepared once per size.
`--read-memory` measures, with tracemalloc, the Python memory one read of the indicator table takes through each
adapter (the part-level adapter never builds a tree of the sheet), and the time.

For every action and size, one input file is prepared; then each run copies it to a fresh file (outside the
timing) and starts, in turn, the action (A) and the floor (B): A B A B ..., `--runs` pairs. The floor is a process
that loads the same input with openpyxl (`keep_vba=True`) and saves it; the zip-copy floor is a process that
copies every member's compressed bytes into a new package (what a writer that touches nothing must at least do).
Figures: the median wall seconds of each, the median of the pairwise ratios A/B, and each one's peak memory
(the child's own maximum resident set, from `os.wait4`). Linux and macOS; not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


FLOOR = ("import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1], keep_vba=True); wb.save(sys.argv[1] + '.out')")
ZIP_COPY = str(Path(__file__).parent / "zipcopy.py")
ACTION = str(Path(__file__).parent / "action.py")
ENV = {"KINERJA_XL_MODE_UJI": "1", "KINERJA_XL_NOW": "2026-10-02T09:00"}
CLI = [sys.executable, "-m", "kinerja_xl.entrypoints.cli"]


def run_once(argv: list[str], work: Path, cwd: Path, extra: dict | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak resident KiB, exit code) of one process, its output thrown away."""
    env = {**os.environ, **ENV, **(extra or {})}
    # as an installed package runs: from compiled bytecode (a machine with PYTHONDONTWRITEBYTECODE would otherwise
    # recompile kinerja_xl in every action process, while openpyxl's site-packages bytecode is already there)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kinerja-xl-bench-pycache")
    start = time.perf_counter()
    child = subprocess.Popen([a.replace("{WORK}", str(work)) for a in argv], cwd=cwd, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read()
    child.stderr.close()
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv[:6])}… exit {child.returncode}: {err.decode(errors='replace')[-600:]}")
    peak = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    return wall, peak, child.returncode


def interleaved(action: list[str], source: Path, folder: Path, runs: int, floors: dict[str, list[str]],
                adapter: str = "openpyxl") -> dict:
    """A B C A B C …: the action (with the file adapter `adapter`) and each floor on a fresh copy of the same input."""
    figures: dict[str, dict[str, list]] = {k: {"s": [], "kib": []} for k in ("aksi", *floors)}
    for i in range(runs + 1):  # the first round warms the file cache and is not counted
        for label, argv in (("aksi", action), *floors.items()):
            work = folder / f"w_{label}.xlsm"
            shutil.copyfile(source, work)
            anchor = source.with_name(source.name + ".anchor.json")
            if label == "aksi" and anchor.exists():  # the action meets its sidecar as a user's would
                shutil.copyfile(anchor, work.with_name(work.name + ".anchor.json"))
            wall, peak, _ = run_once(argv, work, folder, {"KINERJA_XL_ADAPTER": adapter} if label == "aksi" else None)
            if i:
                figures[label]["s"].append(wall)
                figures[label]["kib"].append(peak)
    out = {label: {"detik": statistics.median(f["s"]), "puncak_mib": max(f["kib"]) / 1024} for label, f in figures.items()}
    for label in floors:
        out[f"rasio_{label}"] = statistics.median(a / b for a, b in zip(figures["aksi"]["s"], figures[label]["s"]))
        out[f"rasio_memori_{label}"] = out["aksi"]["puncak_mib"] / out[label]["puncak_mib"]
    return out


def cases(rows: int, folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each action's input file and its command line on the copy ({WORK}). The files are prepared in a child:
    this process stays small, as a child's peak memory on Linux starts from its parent's size at the fork."""
    if not (folder / f"k{rows}_closed.xlsm").exists():
        subprocess.run([sys.executable, __file__, "--prepare", str(rows), str(folder)], check=True)
    step3, step4, step5, closed = (folder / f"k{rows}_{s}.xlsm" for s in ("3", "4", "5", "closed"))
    cells = [f"indikator[{i}].realisasi_tw4={80 + i % 30}" for i in range(1, rows + 1)]
    csv = folder / f"indikator{rows}.csv"
    return {
        "set (1 sel)": (step3, [*CLI, "set", "{WORK}", "kelengkapan[1].referensi=Dok", "--as", "rahmah"]),
        "set (isian langkah 5)": (step5, [*CLI, "set", "{WORK}", "validasi_tempat=Balangan", "--as", "ardiansyah"]),
        "return (langkah 5 ke 3)": (step5, [*CLI, "return", "{WORK}", "--note", "Lengkapi bukti", "--as", "ardiansyah"]),
        f"set ({rows} sel tabel)": (step3, [*CLI, "set", "{WORK}", *cells, "--as", "rahmah"]),
        "import": (step3, [*CLI, "import", "{WORK}", str(csv), "--as", "rahmah"]),
        "submit (langkah 3)": (step3, [*CLI, "submit", "{WORK}", "--as", "rahmah"]),
        "verify": (step4, [*CLI, "verify", "{WORK}", "--as", "ridha"]),
        "validate (tanpa ekspor)": (step5, [sys.executable, ACTION, "validate", "{WORK}", "ardiansyah"]),
        "validate (+ ekspor tanpa PDF)": (step5, [sys.executable, ACTION, "validate", "{WORK}", "ardiansyah",
                                                 "--ekspor-tanpa-pdf"]),
        "validate (+ ekspor dengan PDF)": (step5, [*CLI, "validate", "{WORK}", "--as", "ardiansyah"]),
        "status": (closed, [*CLI, "status", "{WORK}"]),
        "export --no-pdf": (closed, [*CLI, "export", "{WORK}", "--no-pdf", "--out", str(folder / "ekspor")]),
        "check": (closed, [*CLI, "check", "{WORK}"]),
    }


def prepare(rows: int, folder: Path) -> None:
    """The input files: steps 3, 4 and 5 current and filled, the period closed, and the indicators as CSV."""
    sys.path.insert(0, str(Path(__file__).parent))
    import headless

    raw = headless.definition_with_rows(rows)
    for upto in (3, 4, 5):
        headless.prepared(raw, rows, upto, folder, f"k{rows}_{upto}.xlsm")
    closed = folder / f"k{rows}_closed.xlsm"
    shutil.copyfile(folder / f"k{rows}_5.xlsm", closed)
    headless.act(closed, "validate", "ardiansyah", headless.Clock(later=True))
    header, body = headless.indicators(rows)
    (folder / f"indikator{rows}.csv").write_text("\n".join(",".join(map(str, r)) for r in (header, *body)),
                                                encoding="utf-8")


def measure(rows: int, runs: int, only: list[str] | None, adapters: list[str] = ("openpyxl",),
            inputs: Path | None = None) -> dict:
    floors = {"lantai": [sys.executable, "-c", FLOOR, "{WORK}"], "salin_zip": [sys.executable, ZIP_COPY, "{WORK}"]}
    out: dict[str, dict] = {adapter: {} for adapter in adapters}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if inputs is not None:  # inputs prepared earlier (`--prepare ROWS DIR`): 20,000 rows take minutes to make
            for made in inputs.glob(f"*{rows}*"):
                shutil.copyfile(made, folder / made.name)
        for label, (source, argv) in cases(rows, folder).items():
            if only and not any(label.startswith(o) for o in only):
                continue
            for adapter in adapters:
                try:
                    figures = interleaved(argv, source, folder, runs, floors, adapter)
                except RuntimeError as exc:  # reported, not hidden: the other actions are still measured
                    out[adapter][label] = {"gagal": str(exc)}
                    print(f"{label:32} {adapter:8} {rows:>6} GAGAL: {str(exc)[:300]}", flush=True)
                    continue
                figures["bytes"] = source.stat().st_size
                out[adapter][label] = figures
                shutil.rmtree(folder / "ekspor", ignore_errors=True)
                _print_row(rows, label, figures, adapter)
    return out if len(adapters) > 1 else out[adapters[0]]


def read_memory(rows: int) -> dict:
    """Python memory (tracemalloc peak) and seconds of one read of the indicator table, per file adapter, in a fresh
    child each (so one adapter's imports and caches do not count for the other)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, __file__, "--prepare", str(rows), str(folder)], check=True)
        book = folder / f"k{rows}_4.xlsm"
        for adapter in ("openpyxl", "bagian"):
            child = subprocess.run([sys.executable, __file__, "--read-one", adapter, str(book)], check=True,
                                   capture_output=True, text=True)
            out[adapter] = json.loads(child.stdout)
            print(f"{adapter:9} {rows:>6} baris: {out[adapter]['detik']:.3f} s, puncak tracemalloc "
                  f"{out[adapter]['puncak_mib']:.1f} MiB, RSS maks {out[adapter]['rss_mib']:.1f} MiB", flush=True)
    return out


def _read_one(adapter: str, book: str) -> None:
    import resource
    import tracemalloc

    from kinerja_xl.domain import names as N

    names = ["indikator", "reviu", N.LOG]
    tracemalloc.start()
    start = time.perf_counter()
    if adapter == "bagian":
        from kinerja_xl.adapters.part_book import PartWorkbook
        with PartWorkbook.reading(book) as port:
            blocks = port.read(names)
    else:
        from kinerja_xl.adapters.openpyxl_book import FileWorkbook
        with FileWorkbook.reading(book) as port:
            blocks = port.read(names)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(json.dumps({"detik": seconds, "puncak_mib": peak / 2**20, "rss_mib": rss,
                      "sel": sum(b.height * b.width for b in blocks.values())}))


def _print_row(rows: int, label: str, f: dict, adapter: str = "openpyxl") -> None:
    print(f"{label:32} {adapter:8} {rows:>6} {f['aksi']['detik']:7.3f} {f['lantai']['detik']:7.3f} {f['rasio_lantai']:6.2f} "
          f"{f['salin_zip']['detik']:7.3f} {f['aksi']['puncak_mib']:7.1f} {f['lantai']['puncak_mib']:7.1f} "
          f"{f['rasio_memori_lantai']:6.2f}", flush=True)


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, nargs="+", default=[10, 200, 2000])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--only", nargs="+", help="actions whose label starts with one of these")
    p.add_argument("--json", type=Path)
    p.add_argument("--adapter", nargs="+", default=["openpyxl"], choices=["openpyxl", "bagian"],
                   help="the file adapter(s) the actions run with (KINERJA_XL_ADAPTER)")
    p.add_argument("--read-memory", action="store_true", help="tracemalloc of one table read per adapter")
    p.add_argument("--inputs", type=Path, help="a folder of inputs made earlier with --prepare ROWS FOLDER")
    p.add_argument("--prepare", nargs=2, metavar=("ROWS", "FOLDER"), help=argparse.SUPPRESS)
    p.add_argument("--read-one", nargs=2, metavar=("ADAPTER", "BOOK"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.prepare:
        return prepare(int(args.prepare[0]), Path(args.prepare[1]))
    if args.read_one:
        return _read_one(*args.read_one)
    if args.read_memory:
        results = {str(n): read_memory(n) for n in args.rows}
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        return results
    print(f"{'aksi':32} {'adapter':8} {'baris':>6} {'detik':>7} {'lantai':>7} {'rasio':>6} {'zip':>7} {'MiB':>7} "
          f"{'lantai':>7} {'rasio':>6}", flush=True)
    results = {str(n): measure(n, args.runs, args.only, args.adapter, args.inputs) for n in args.rows}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
