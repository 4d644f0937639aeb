"""Calls that cross into Excel per ribbon action, for 10, 200 and 2,000 indicator rows.

Counted through the faithful xlwings stand-in (tests/fakes/xlwings_standin.py): every
call that would cross the process boundary to Excel. Run from the repository root:
python benchmarks/live_calls.py [--json PATH]. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from headless import Clock, prepared, definition_with_rows  # noqa: E402

from kinerja_xl.entrypoints import live  # noqa: E402
from tests.fakes.xlwings_standin import Book  # noqa: E402

WITA = ZoneInfo("Asia/Makassar")

ACTIONS = [(3, "rahmah", "L3_submit"), (4, "ridha", "L4_verify"), (5, "ardiansyah", "L5_validate"),
           (5, "ardiansyah", "status")]


def calls(rows: int, folder: Path) -> dict:
    raw = definition_with_rows(rows)  # the workbook carries it: the live path reads it from there
    out = {}
    for upto, user, button in ACTIONS:
        path = prepared(raw, rows, upto, folder, f"k{rows}_{button}.xlsm")
        book = Book(path)
        os.environ["USERNAME"] = user
        book.rec.reset()
        live.press(book, button, clock=lambda: dt.datetime(2026, 10, 9, 9, tzinfo=WITA))
        assert book.app.alerts[-1][3] == "info", book.app.alerts[-1]
        out[button] = {"panggilan": book.rec.total, "rincian": dict(book.rec.calls)}
    return out


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, nargs="+", default=[10, 200, 2000])
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            results[str(rows)] = calls(rows, Path(tmp))
    print(f"{'tombol':14}" + "".join(f"{r + ' baris':>12}" for r in results))
    for _, _, button in ACTIONS:
        print(f"{button:14}" + "".join(f"{results[r][button]['panggilan']:>12}" for r in results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
