"""The days off a workbook starts with: Indonesia's national holidays and cuti bersama for the period's year
(and the first quarter of the next, where a late step's deadline can fall), plus the office's own from its
configuration. Written into Pengaturan at build, so deadlines come from the workbook alone and every PC
computes the same ones, whatever version of `holidays` it has (or none: only `build` needs it)."""
from __future__ import annotations

import datetime as dt

from kinerja_xl.domain.errors import UsageError

# A deadline of a step started late in the year can run into the next one; SOP steps are days, not months.
REACH_INTO_NEXT_YEAR = dt.date(1, 3, 31)


def national(year: int) -> list[tuple[dt.date, str]]:
    """Public holidays and cuti bersama (the "government" category), named in Bahasa Indonesia."""
    try:
        import holidays
    except ImportError:
        raise UsageError("Hari libur nasional ditulis ke lembar Pengaturan saat build, dan itu memerlukan paket "
                         "'holidays': pasang dengan pip install \"kinerja-xl[build]\", lalu ulangi.") from None
    days = holidays.country_holidays("ID", years=(year, year + 1), categories=("public", "government"), language="id")
    last = REACH_INTO_NEXT_YEAR.replace(year=year + 1)
    return sorted((day, name) for day, name in days.items() if dt.date(year, 1, 1) <= day <= last)


def days_off(year: int | None, office: tuple[tuple, ...], room: int) -> list[tuple]:
    """The office's own days (they win on the same date) and the nation's, in date order, in `room` rows."""
    own = {_as_date(row[0]): row for row in office if row and row[0]}
    nation = [] if year is None else [(day, name) for day, name in national(year) if day not in own]
    rows = sorted([*own.values(), *nation], key=lambda row: _as_date(row[0]) or dt.date.max)
    if len(rows) > room:
        raise UsageError(f"libur: {len(rows)} hari libur (nasional, cuti bersama dan kantor) tidak muat di {room} baris "
                         "lembar Pengaturan; kurangi hari libur kantor di berkas pengaturan.")
    return rows


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
