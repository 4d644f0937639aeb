"""Import time on a click, against a bare `import xlwings` (target: at most +50 ms).

A click runs `RunPython "import kinerja_xl.entrypoints.ribbon as r; r.tekan('L3_submit')"` in a fresh Python:
`tekan` imports xlwings and `kinerja_xl.entrypoints.live`, and `press` then imports, inside its functions, what the
button needs (the xlwings adapter, ...). The case "a step button" measures all of it: xlwings,
`kinerja_xl.entrypoints.live`, and every module that kinerja_xl's own code imported while `press` ran the button
once. Those are found by running it (`--button`, on a 10-row workbook at its step, through the xlwings stand-in
of tests/fakes, with a hook on `__import__` that records what kinerja_xl code imports, except code the stand-in
itself calls, so that the stand-in's own openpyxl does not count). "signed" does the same for Kirim of step 1 on a
workbook where every official registered a key (Credential Manager is the memory backend of tests/fakes): the
click also imports keyring to read the key; keyring's choice of its backend on first use is not included.
The figures are import time only, not the action.

Each case runs in fresh interpreters, interleaved with the bare `import xlwings` (base, case, base, case, ...);
figures are medians, and the cost over xlwings the median of the pairwise differences, in wall time and in the
process's CPU time (steadier on a shared machine). The interpreters run with compiled bytecode cached
(`PYTHONPYCACHEPREFIX` in a temporary folder, filled by one warm-up run), as an installed package has it, even
where `PYTHONDONTWRITEBYTECODE` is set. Not a test: nothing is asserted.

Run: python benchmarks/ribbon_import.py [--runs 9] [--button L3_submit] [--list] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "import xlwings"
PROBE = ("import time; t, c = time.perf_counter(), time.process_time(); {code}; "
         "print(time.perf_counter() - t, time.process_time() - c)")
STEPS = {"L3_submit": 3, "L4_verify": 4, "L5_validate": 5}
USERS = {1: "ardiansyah", 3: "rahmah", 4: "ridha", 5: "ardiansyah"}
OFFICIALS = ("ardiansyah", "ridha", "rahmah", "fauzi")
STEP_1 = {"disposisi_nomor": "1", "disposisi_tanggal": "01-10-2026", "disposisi_kepada": "Kepala Bagian",
          "disposisi_isi": "x"}

DISCOVER = textwrap.dedent("""
    import datetime as dt, json, os, sys, tempfile
    from pathlib import Path
    from zoneinfo import ZoneInfo
    sys.path[:0] = [{root!r}, {benchmarks!r}]
    from headless import Clock, build_workbook, definition_with_rows, enter, prepared
    from kinerja_xl.domain.data_entry import Entry
    from tests.fakes import keyring_memory
    from tests.fakes.import_recorder import recorded
    from tests.fakes.xlwings_standin import Book
    import xlwings
    from kinerja_xl.entrypoints import live

    WITA = ZoneInfo("Asia/Makassar")

    def press(book, user, button, when):
        os.environ["USERNAME"] = user
        live.press(book, button, clock=lambda: when)
        assert book.app.alerts[-1][3] == "info", book.app.alerts[-1]

    with tempfile.TemporaryDirectory() as tmp, keyring_memory.installed():
        raw = definition_with_rows(10)
        if {signed!r}:
            path = build_workbook(raw, Path(tmp) / "k.xlsm")
            enter(path, "ardiansyah", Entry(values={step_1!r}), Clock())
            book = Book(path)
            for user in {officials!r}:
                press(book, user, "kunci", dt.datetime(2026, 9, 30, 8, tzinfo=WITA))
        else:
            book = Book(prepared(raw, 10, {step}, Path(tmp), "k.xlsm"))
        with recorded() as seen:
            press(book, {user!r}, {button!r}, dt.datetime(2026, 10, 9, 9, tzinfo=WITA))
    print(json.dumps(sorted(seen)))
""")


def button_modules(button: str, env: dict, signed: bool = False) -> list[str]:
    """What kinerja_xl's code imports while `press` runs `button` (module names, sorted)."""
    step = 1 if signed else STEPS[button]
    code = DISCOVER.format(root=str(ROOT), benchmarks=str(ROOT / "benchmarks"), step=step, user=USERS[step],
                           button="L1_submit" if signed else button, signed=signed, step_1=STEP_1,
                           officials=OFFICIALS)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def every(modules: list[str]) -> str:
    return f"{BASE}; " + "; ".join(f"import {m}" for m in ["kinerja_xl.entrypoints.live", *modules])


def seconds(code: str, env: dict) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], check=True, capture_output=True, text=True,
                         env=env, cwd=ROOT)
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def measure(probes: dict[str, str], runs: int, env: dict) -> dict:
    for code in [BASE, *probes.values()]:  # the warm-up run compiles and caches the bytecode
        seconds(code, env)
    base = {label: [] for label in probes}
    took = {label: [] for label in probes}
    for _ in range(runs):
        for label, code in probes.items():
            base[label].append(seconds(BASE, env))
            took[label].append(seconds(code, env))
    every_base = [b for runs_ in base.values() for b in runs_]
    results = {"import xlwings": _figures(every_base, every_base)}
    results.update({label: _figures(took[label], base[label]) for label in probes})
    return results


def _figures(times: list[tuple[float, float]], base: list[tuple[float, float]]) -> dict:
    return {"ms": statistics.median(t[0] for t in times) * 1000,
            "over_xlwings_ms": statistics.median(t[0] - b[0] for t, b in zip(times, base)) * 1000,
            "cpu_ms": statistics.median(t[1] for t in times) * 1000,
            "cpu_over_xlwings_ms": statistics.median(t[1] - b[1] for t, b in zip(times, base)) * 1000}


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--button", default="L3_submit", choices=sorted(STEPS))
    p.add_argument("--list", action="store_true", help="print the modules each button case imports")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        step, signed = button_modules(args.button, env), button_modules(args.button, env, signed=True)
        probes = {"+ kinerja_xl.entrypoints.ribbon": f"{BASE}; import kinerja_xl.entrypoints.ribbon",
                  "+ kinerja_xl.entrypoints.live": f"{BASE}; import kinerja_xl.entrypoints.live",
                  f"+ a step button ({args.button})": every(step),
                  "+ a signed step button (L1_submit)": every(signed)}
        results = measure(probes, args.runs, env)
    results[f"+ a step button ({args.button})"]["modules"] = step
    results["+ a signed step button (L1_submit)"]["modules"] = signed
    print(f"{'':38} {'wall':>8} {'over xlwings':>14} {'CPU':>8} {'over xlwings':>14}")
    for label, f in results.items():
        print(f"{label:38} {f['ms']:6.1f} ms {f['over_xlwings_ms']:+11.1f} ms {f['cpu_ms']:6.1f} ms "
              f"{f['cpu_over_xlwings_ms']:+11.1f} ms")
    if args.list:
        for label in (f"+ a step button ({args.button})", "+ a signed step button (L1_submit)"):
            modules = "\n  ".join(results[label]["modules"])
            print(f"\n{label}, besides kinerja_xl.entrypoints.live, imports:\n  {modules}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
