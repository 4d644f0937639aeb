"""The period and the extra non-working days from Pengaturan."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.core.blocks import Block
from kinerja_xl.core.inputs import blank
from kinerja_xl.core.values import InvalidValue, parse_date, parse_number
from kinerja_xl.sop import names as N


@dataclass(frozen=True)
class Settings:
    year: int | None
    quarter: str | None
    start: dt.date | None
    off_days: frozenset[dt.date]

    def problems(self, blocks: dict[str, Block]) -> list[str]:
        """What must be set before the period starts (checked when step 1 is sent)."""
        out = []
        if self.year is None:
            out.append(f"Tahun di {blocks[N.YEAR].at()} (lembar Pengaturan) wajib diisi, mis. 2026")
        if self.quarter is None:
            out.append(f"Triwulan di {blocks[N.QUARTER].at()} (lembar Pengaturan) wajib diisi: I, II, III atau IV")
        if self.start is None:
            out.append(f"Tanggal mulai periode di {blocks[N.PERIOD_START].at()} (lembar Pengaturan) wajib diisi")
        out += [p for p in _off_day_problems(blocks[N.OFF_DAYS])]
        return out


def read_settings(blocks: dict[str, Block]) -> Settings:
    year = _quiet(lambda: parse_number(blocks[N.YEAR].value()))
    quarter = str(blocks[N.QUARTER].value() or "").strip().upper() or None
    start = _quiet(lambda: parse_date(blocks[N.PERIOD_START].value()))
    days = set()
    for row in blocks[N.OFF_DAYS].values:
        day = _quiet(lambda row=row: parse_date(row[0]))
        if day:
            days.add(day)
    year = int(year) if year is not None and 2000 <= year <= 2100 and year == int(year) else None
    return Settings(year, quarter if quarter in N.QUARTERS else None, start, frozenset(days))


def _off_day_problems(block: Block) -> list[str]:
    out = []
    for r, row in enumerate(block.values):
        if blank(row[0]):
            continue
        try:
            parse_date(row[0])
        except InvalidValue as exc:
            out.append(f"Tanggal libur di {block.at(r, 0)}: {exc.message}")
    return out


def _quiet(fn):
    try:
        return fn()
    except InvalidValue:
        return None
