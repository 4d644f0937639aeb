"""`set` of K table cells at N rows, the domain's part alone (checking, writing into the table, capaian), in process.

Run: python benchmarks/fill.py [--rows 2000] [--cells 2000] [--repeat 5]. The whole process (openpyxl's load and save
included) is in processes.py as `set (N sel tabel)`. Not a test: nothing is asserted (tests/unit/test_fill_linear.py
counts the passes instead).
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.data_entry import fill_fields

sys.path.insert(0, str(Path(__file__).parent.parent))

from tests.unit.sop_dicts import sop01  # noqa: E402


def seconds(rows: int, cells: int, repeat: int) -> float:
    d = sop01()
    step = next(s for s in d.steps if any(t.kind == "indikator" for t in s.tables))
    table = next(t for t in step.tables if t.kind == "indikator")
    columns = d.columns_of(table)
    blocks = {t.name: Block(s.sheet, 10, 2, tuple((None,) * len(d.columns_of(t)) for _ in range(rows)))
              for s in d.steps for t in s.tables}
    blocks[table.name] = Block(step.sheet, 10, 2, tuple(
        (i, "Sasaran", f"Indikator {i}", "%", "naik", 100, *([None] * (len(columns) - 6))) for i in range(1, rows + 1)))
    period = SimpleNamespace(d=d, blocks=blocks, settings=SimpleNamespace(period_index=lambda _: 3))
    values = {f"{table.name}[{r % rows + 1}].{table.realisations[-1]}": str(80 + r % 30) for r in range(cells)}
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fill_fields(period, step, values, dt.date(2026, 10, 1), False)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=2000)
    p.add_argument("--cells", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    s = seconds(args.rows, args.cells, args.repeat)
    print(f"set {args.cells} sel tabel, {args.rows} baris (domain saja): {s:.3f} detik")
    return {"baris": args.rows, "sel": args.cells, "detik": s}


if __name__ == "__main__":
    main()
