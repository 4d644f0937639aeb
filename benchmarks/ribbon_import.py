"""Import time on a click: `kinerja_xl.entrypoints.ribbon` (and the live path it loads) against a bare `import xlwings`.

Each figure is the median of --runs fresh interpreters. Run: python benchmarks/ribbon_import.py [--runs 9] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CASES = {
    "import xlwings": "import xlwings",
    "import xlwings + kinerja_xl.entrypoints.ribbon": "import xlwings; import kinerja_xl.entrypoints.ribbon",
    "import xlwings + kinerja_xl.entrypoints.live": "import xlwings; import kinerja_xl.entrypoints.live",
}
PROBE = "import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"


def median_seconds(code: str, runs: int) -> float:
    times = [float(subprocess.run([sys.executable, "-c", PROBE.format(code=code)], check=True, capture_output=True,
                                  text=True).stdout) for _ in range(runs)]
    return statistics.median(times)


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    results = {label: median_seconds(code, args.runs) for label, code in CASES.items()}
    base = results["import xlwings"]
    for label, seconds in results.items():
        print(f"{label:38} {seconds * 1000:8.1f} ms   (+{(seconds - base) * 1000:6.1f} ms)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
