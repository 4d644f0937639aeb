"""Import time on a click, against a bare `import xlwings` (target: at most +50 ms).

A click runs `RunPython "import kinerja_xl.entrypoints.ribbon as r; r.tekan('L3_submit')"` in a fresh Python:
`tekan` imports xlwings and `kinerja_xl.entrypoints.live`, and `press` then imports, inside its functions, what the
button needs (the xlwings adapter, ...). The case "a step button" measures all of it: xlwings,
`kinerja_xl.entrypoints.live`, and every module that kinerja_xl's own code imported while `press` ran the button
once. Those are found by running it (`--button`, on a 10-row workbook at its step, through the xlwings stand-in
of tests/fakes, with a hook on `__import__` that records what kinerja_xl code imports, except code the stand-in
itself calls, so that the stand-in's own openpyxl does not count). "signed" does the same for Kirim of step 1 on a
workbook where every official registered a key, twice:

- "keyring path" (what runs on this Linux machine, and on Windows wherever keyring might not choose Credential
  Manager): Credential Manager is the memory backend of tests/fakes, and the click imports keyring to read the key;
  keyring's choice of its backend on first use is not included (on Windows that adds pywin32-ctypes, whose cffi
  backend parses C declarations on import).
- "Windows path" (Windows, where keyring would itself use Credential Manager): the click reads the key through
  `kinerja_xl.adapters.wincred`, simulated by tests/fakes/win32cred_memory.py (wincred on, a fake advapi32). What it
  imports besides the unsigned click, all of which loads here too: `kinerja_xl.adapters.wincred`, `ctypes` (on
  Windows its `_ctypes` extension; advapi32.dll itself is already loaded by Python) and `importlib.util` (already
  loaded by xlwings); not keyring, nor pywin32-ctypes, which wincred never imports (it only looks whether it is
  installed). Run with `--list` to see the modules.

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
SIGNED_KEYRING = "+ signed (L1_submit), keyring path"
SIGNED_WINDOWS = "+ signed (L1_submit), Windows path"
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
    if {windows!r}:  # imports no keyring: keyring already loaded would decide instead of wincred
        from tests.fakes import win32cred_memory
        credentials = win32cred_memory.windows()
    else:
        from tests.fakes import keyring_memory
        credentials = keyring_memory.installed()
    from tests.fakes.import_recorder import recorded
    from tests.fakes.xlwings_standin import Book
    import xlwings
    from kinerja_xl.entrypoints import live

    WITA = ZoneInfo("Asia/Makassar")

    def press(book, user, button, when):
        os.environ["USERNAME"] = user
        live.press(book, button, clock=lambda: when)
        assert book.app.alerts[-1][3] == "info", book.app.alerts[-1]

    with tempfile.TemporaryDirectory() as tmp, credentials:
        os.environ["LOCALAPPDATA"] = tmp  # the Windows path: no keyringrc.cfg
        raw = definition_with_rows(10)
        if {signed!r}:
            path = build_workbook(raw, Path(tmp) / "k.xlsm")
            enter(path, "ardiansyah", Entry(values={step_1!r}), Clock())
            book = Book(path)
            for user in {officials!r}:
                press(book, user, "kunci", dt.datetime(2026, 9, 30, 8, tzinfo=WITA))
        else:
            book = Book(prepared(raw, 10, {step}, Path(tmp), "k.xlsm"))
        if {windows!r}:
            win32cred_memory.as_in_a_fresh_process()  # a click is a fresh interpreter: advapi32 not yet bound
        with recorded() as seen:
            press(book, {user!r}, {button!r}, dt.datetime(2026, 10, 9, 9, tzinfo=WITA))
    assert {windows!r} == ("keyring" not in sys.modules)
    print(json.dumps(sorted(seen)))
""")


def button_modules(button: str, env: dict, signed: bool = False, windows: bool = False) -> list[str]:
    """What kinerja_xl's code imports while `press` runs `button` (module names, sorted); `windows`: signed, the
    Windows path."""
    step = 1 if signed else STEPS[button]
    code = DISCOVER.format(root=str(ROOT), benchmarks=str(ROOT / "benchmarks"), step=step, user=USERS[step],
                           button="L1_submit" if signed else button, signed=signed, step_1=STEP_1,
                           officials=OFFICIALS, windows=windows)
    env = {k: v for k, v in env.items() if k != "PYTHON_KEYRING_BACKEND" and "KEYRING_PROPERTY_" not in k}
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
        modules = {f"+ a step button ({args.button})": button_modules(args.button, env),
                   SIGNED_KEYRING: button_modules(args.button, env, signed=True),
                   SIGNED_WINDOWS: button_modules(args.button, env, signed=True, windows=True)}
        probes = {"+ kinerja_xl.entrypoints.ribbon": f"{BASE}; import kinerja_xl.entrypoints.ribbon",
                  "+ kinerja_xl.entrypoints.live": f"{BASE}; import kinerja_xl.entrypoints.live",
                  **{label: every(found) for label, found in modules.items()}}
        results = measure(probes, args.runs, env)
    for label, found in modules.items():
        results[label]["modules"] = found
    print(f"{'':48} {'wall':>8} {'over xlwings':>14} {'CPU':>8} {'over xlwings':>14}")
    for label, f in results.items():
        print(f"{label:48} {f['ms']:6.1f} ms {f['over_xlwings_ms']:+11.1f} ms {f['cpu_ms']:6.1f} ms "
              f"{f['cpu_over_xlwings_ms']:+11.1f} ms")
    if args.list:
        for label in modules:
            modules = "\n  ".join(results[label]["modules"])
            print(f"\n{label}, besides kinerja_xl.entrypoints.live, imports:\n  {modules}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
