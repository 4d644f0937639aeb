"""Deadlines in hari kerja (Mon–Fri minus the days off listed in Pengaturan: national holidays, cuti bersama
and the office's own, written there at build and editable), hari kalender, or jam. Nothing but the workbook
decides a deadline, so every PC computes the same one.

A step timed in days is due at the end (23:59:59, office time) of the n-th counted day after
the day its clock started; the start day itself does not count. A step timed in jam is due
n hours after its clock started. The clock is always passed in, zone-aware.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.domain.definition import TimeStandard

END_OF_DAY = dt.time(23, 59, 59)


@dataclass(frozen=True)
class Calendar:
    """The office's clock and days off: working days are counted in its zone, without its holidays."""

    zone: dt.tzinfo
    off_days: frozenset[dt.date] = frozenset()  # holidays and days off from Pengaturan

    def local(self, at: dt.datetime) -> dt.datetime:
        if at.tzinfo is None:
            raise ValueError("datetime must be zone-aware")
        return at.astimezone(self.zone)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.off_days

    def counts(self, unit: str, day: dt.date) -> bool:
        return unit == "hari kalender" or self.is_working_day(day)

    def due(self, start: dt.datetime, standard: TimeStandard) -> dt.datetime:
        if standard.unit == "jam":
            return self.local(start) + dt.timedelta(hours=standard.amount)
        day, counted = self.local(start).date(), 0
        while counted < standard.amount:
            day += dt.timedelta(days=1)
            counted += self.counts(standard.unit, day)
        return dt.datetime.combine(day, END_OF_DAY, self.zone)

    def between(self, start: dt.datetime, end: dt.datetime, unit: str) -> int:
        """Whole units from `start` to `end`: hours for jam, counted days after the start day otherwise."""
        if unit == "jam":
            return int((self.local(end) - self.local(start)).total_seconds() // 3600)
        first, last = self.local(start).date(), self.local(end).date()
        return sum(self.counts(unit, first + dt.timedelta(days=i)) for i in range(1, (last - first).days + 1))


@dataclass(frozen=True)
class DeadlineStatus:
    """Where a step stands against its time standard, as the Status sheet says it."""

    batas_waktu: dt.datetime | None
    keadaan: str            # "tepat waktu" | "jatuh tempo hari ini" | "terlambat" | "tanpa batas waktu" | "belum dimulai"
    sisa: int | None = None
    terlambat: int | None = None
    unit: str = "hari kerja"

    @property
    def word(self) -> str:
        return "jam" if self.unit == "jam" else "hari"

    def label(self) -> str:
        if self.keadaan == "tepat waktu":
            return f"sisa {self.sisa} {self.word}"
        if self.keadaan == "terlambat":
            return f"terlambat {self.terlambat} {self.word}"
        return self.keadaan


def status(calendar: Calendar, start: dt.datetime | None, standard: TimeStandard | None, now: dt.datetime,
           done_at: dt.datetime | None = None) -> DeadlineStatus:
    """Judged at `done_at` for a finished step (late iff it finished after its deadline), else at `now`."""
    at = calendar.local(done_at or now)
    if standard is None:
        return DeadlineStatus(None, "tanpa batas waktu")
    if start is None:
        return DeadlineStatus(None, "belum dimulai", unit=standard.unit)
    due = calendar.due(start, standard)
    unit = standard.unit
    if at > due:
        return DeadlineStatus(due, "terlambat", terlambat=max(1, calendar.between(due, at, unit)), unit=unit)
    if unit != "jam" and at.date() == due.date():
        return DeadlineStatus(due, "jatuh tempo hari ini", sisa=0, unit=unit)
    return DeadlineStatus(due, "tepat waktu", sisa=calendar.between(at, due, unit), unit=unit)
