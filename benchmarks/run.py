"""All benchmarks in one run: headless action cost, live calls into Excel, ribbon import time, build.

Run from the repository root: python benchmarks/run.py [--json benchmarks/results.json] [--quick]
Prints each table and writes all figures as JSON. Targets (reached or not, nothing is asserted):
every headless action at 2,000 rows within 1.3x the load+save floor; calls per action the same
at 10 and 2,000 rows and at most 12; ribbon import within 50 ms of a bare `import xlwings`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import build  # noqa: E402
import headless  # noqa: E402
import fill  # noqa: E402
import live_calls  # noqa: E402
import processes  # noqa: E402
import ribbon_import  # noqa: E402


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--json", type=Path, default=Path(__file__).parent / "results.json")
    p.add_argument("--quick", action="store_true", help="10 and 200 rows only, fewer repeats")
    args = p.parse_args(argv)
    rows = ["--rows", "10", "200"] + ([] if args.quick else ["2000"])
    results = {}
    print("\n## Headless: seconds per action and ratio to one openpyxl load + save of the same file")
    results["headless"] = headless.main(rows + ["--repeat", "1" if args.quick else "3"])
    print("\n## Whole processes, interleaved with the floors on the same input (medians, ratios pair by pair)")
    results["processes"] = processes.main(rows + ["--runs", "2" if args.quick else "5"])
    print("\n## set of 2,000 table cells at 2,000 rows, the domain's part")
    results["fill"] = fill.main(["--repeat", "3"])
    print("\n## Live: calls crossing into Excel per button")
    results["live_calls"] = live_calls.main(rows)
    print("\n## Ribbon import (median of fresh interpreters)")
    results["ribbon_import"] = ribbon_import.main(["--runs", "5" if args.quick else "11"])
    print("\n## Build")
    results["build"] = build.main(["--repeat", "1" if args.quick else "3"])
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nFigures written to {args.json}")


if __name__ == "__main__":
    main()
