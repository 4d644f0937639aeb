"""Build time and workbook size, for the embedded definition and for 2,000 indicator rows.

Run: python benchmarks/build.py [--repeat 5] [--json PATH]. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from headless import definition_with_rows  # noqa: E402

from kinerja_xl.builder.assemble import build_bytes  # noqa: E402
from kinerja_xl.builder.office_config import load_config  # noqa: E402
from kinerja_xl.domain.definition_rules import parse_definition  # noqa: E402


def measure(rows: int, repeat: int) -> dict:
    raw = definition_with_rows(rows)
    config = load_config(None, parse_definition(raw))
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(build_bytes(raw, config))
        times.append(time.perf_counter() - start)
    return {"detik": statistics.median(times), "bita": size}


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    results = {str(rows): measure(rows, args.repeat) for rows in (200, 2000)}
    print(f"{'baris indikator':>16} {'waktu build (s)':>16} {'ukuran (KiB)':>13}")
    for rows, f in results.items():
        print(f"{rows:>16} {f['detik']:16.3f} {f['bita'] / 1024:13.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
