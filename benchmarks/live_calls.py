"""Calls that cross into Excel per ribbon action, for 10, 200 and 2,000 indicator rows.

Counted through the faithful xlwings stand-in (tests/fakes/xlwings_standin.py): every
call that would cross the process boundary to Excel. Run from the repository root:
python benchmarks/live_calls.py [--json PATH]. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from headless import definition_with_rows, fill, Clock  # noqa: E402

from kinerja_xl.entrypoints import live  # noqa: E402
from kinerja_xl.service import handlers as app  # noqa: E402
from kinerja_xl.builder.assemble import build_bytes  # noqa: E402
from kinerja_xl.builder.office_config import load_config  # noqa: E402
from kinerja_xl.domain.actions import Command  # noqa: E402
from kinerja_xl.domain.deadlines import WITA  # noqa: E402
from kinerja_xl.entrypoints.demo import _sample  # noqa: E402
from kinerja_xl.adapters.openpyxl_book import FileWorkbook  # noqa: E402
from tests.fakes.xlwings_standin import Book  # noqa: E402

ACTIONS = [(3, "rahmah", "L3_submit"), (4, "ridha", "L4_verify"), (5, "ardiansyah", "L5_validate"),
           (5, "ardiansyah", "status")]


def calls(rows: int, folder: Path) -> dict:
    d = definition_with_rows(rows)
    out = {}
    for upto, user, button in ACTIONS:
        path = folder / f"k{rows}_{button}.xlsm"
        path.write_bytes(build_bytes(d, load_config(_sample("contoh_pengaturan.toml"), d)))
        clock = Clock()
        for step in range(1, upto):
            who = fill(d, path, step, rows, clock)
            app.perform(FileWorkbook.open(path), d, Command("verify" if step == 4 else "submit", who), clock, None)
        fill(d, path, upto, rows, clock)
        book = Book(path)
        import os

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
    import kinerja_xl.bootstrap as bootstrap

    bootstrap_definition = bootstrap.definition
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            bootstrap.definition = lambda path=None, rows=rows: definition_with_rows(rows)  # the live path loads it
            results[str(rows)] = calls(rows, Path(tmp))
    bootstrap.definition = bootstrap_definition
    print(f"{'tombol':14}" + "".join(f"{r + ' baris':>12}" for r in results))
    for _, _, button in ACTIONS:
        print(f"{button:14}" + "".join(f"{results[r][button]['panggilan']:>12}" for r in results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
