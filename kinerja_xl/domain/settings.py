"""The period, the office's place of signing and its extra non-working days, from Pengaturan."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.domain import names as N
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.definition import PERIOD_TAGS, Definition
from kinerja_xl.domain.inputs import blank
from kinerja_xl.domain.values import InvalidValue, parse_date, parse_number

PERIOD_LABELS = {"bulan": "Bulan", "triwulan": "Triwulan", "semester": "Semester", "tahun": "Periode"}


@dataclass(frozen=True)
class Settings:
    year: int | None
    period: str | None   # one of the definition's periods ("IV", "Mei", ...)
    start: dt.date | None
    place: str
    off_days: frozenset[dt.date]
    address: str = ""  # for the kop of the documents

    def period_index(self, d: Definition) -> int | None:
        """0-based position of the period in its year (Mei is 4), for per-period realisasi columns."""
        return d.periods.index(self.period) if self.period in d.periods else None

    def period_tag(self, d: Definition) -> str:
        """How an export folder names the period: TW-IV, BLN-05, SMT-I; nothing for a yearly SOP."""
        tag, index = PERIOD_TAGS[d.header.period_unit], self.period_index(d)
        if not tag:
            return "TAHUNAN"
        if index is None:
            return "PERIODE-BELUM-DIISI"
        return f"{tag}-{index + 1:02d}" if d.header.period_unit == "bulan" else f"{tag}-{self.period}"

    def problems(self, d: Definition, blocks: dict[str, Block]) -> list[str]:
        """What must be set before the period starts (checked when step 1 is sent)."""
        out = []
        if self.year is None:
            out.append(f"Tahun di {blocks[N.YEAR].at()} (lembar Pengaturan) wajib diisi, mis. 2026")
        if self.period is None:
            out.append(f"{PERIOD_LABELS[d.header.period_unit]} di {blocks[N.PERIOD].at()} (lembar Pengaturan) wajib "
                       f"diisi: {', '.join(d.periods)}")
        if self.start is None:
            out.append(f"Tanggal mulai periode di {blocks[N.PERIOD_START].at()} (lembar Pengaturan) wajib diisi")
        out += _off_day_problems(blocks[N.OFF_DAYS])
        return out


def read_settings(d: Definition, blocks: dict[str, Block]) -> Settings:
    year = _quiet(lambda: parse_number(blocks[N.YEAR].value()))
    typed = str(blocks[N.PERIOD].value() or "").strip().casefold()
    period = next((p for p in d.periods if p.casefold() == typed), None)
    if d.header.period_unit == "tahun":
        period = d.periods[0]
    start = _quiet(lambda: parse_date(blocks[N.PERIOD_START].value()))
    place = str(blocks[N.PLACE].value() or "").strip() if N.PLACE in blocks else ""
    address = str(blocks[N.ADDRESS].value() or "").strip() if N.ADDRESS in blocks else ""
    days = set()
    for row in blocks[N.OFF_DAYS].values:
        day = _quiet(lambda row=row: parse_date(row[0]))
        if day:
            days.add(day)
    year = int(year) if year is not None and 2000 <= year <= 2100 and year == int(year) else None
    return Settings(year, period, start, place, frozenset(days), address)


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
