"""Deadlines in working days (Mon–Fri minus national holidays and office days off) or calendar days.

A step's batas waktu is the end (23:59:59 WITA) of the n-th counted day after the day
its clock started; the start day itself does not count. The clock is always passed in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WITA = ZoneInfo("Asia/Makassar")
END_OF_DAY = dt.time(23, 59, 59)


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=year))


def _aware(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("datetime must be zone-aware (WITA)")
    return at.astimezone(WITA)


@dataclass(frozen=True)
class Calendar:
    mode: str = "kerja"                       # "kerja" | "kalender"
    extra_off: frozenset[dt.date] = frozenset()

    def is_working_day(self, d: dt.date) -> bool:
        if self.mode == "kalender":
            return True
        return d.weekday() < 5 and d not in national_holidays(d.year) and d not in self.extra_off

    def add_days(self, start: dt.datetime, n: int) -> dt.datetime:
        day, counted = _aware(start).date(), 0
        while counted < n:
            day += dt.timedelta(days=1)
            counted += self.is_working_day(day)
        return dt.datetime.combine(day, END_OF_DAY, WITA)

    def days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        first, last = _aware(start).date(), _aware(end).date()
        return sum(self.is_working_day(first + dt.timedelta(days=i)) for i in range(1, (last - first).days + 1))


@dataclass(frozen=True)
class DeadlineStatus:
    batas_waktu: dt.datetime | None
    keadaan: str            # "tepat waktu" | "jatuh tempo hari ini" | "terlambat" | "tanpa batas waktu" | "belum dimulai"
    sisa_hari: int | None = None
    terlambat_hari: int | None = None

    def label(self) -> str:
        if self.keadaan == "tepat waktu":
            return f"sisa {self.sisa_hari} hari"
        if self.keadaan == "terlambat":
            return f"terlambat {self.terlambat_hari} hari"
        return self.keadaan


def status(calendar: Calendar, start: dt.datetime | None, days: int | None, now: dt.datetime,
           done_at: dt.datetime | None = None) -> DeadlineStatus:
    """Judged at `done_at` for a finished step (late iff it finished after its deadline), else at `now`."""
    at = _aware(done_at or now)
    if days is None:
        return DeadlineStatus(None, "tanpa batas waktu")
    if start is None:
        return DeadlineStatus(None, "belum dimulai")
    due = calendar.add_days(start, days)
    if at > due:
        return DeadlineStatus(due, "terlambat", terlambat_hari=max(1, calendar.days_between(due, at)))
    if at.date() == due.date():
        return DeadlineStatus(due, "jatuh tempo hari ini", sisa_hari=0)
    return DeadlineStatus(due, "tepat waktu", sisa_hari=calendar.days_between(at, due))
