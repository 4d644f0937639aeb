"""Batas waktu in working days: weekends, national holidays, cuti bersama, year end, calendar mode."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from zoneinfo import ZoneInfo

from kinerja_xl.domain.deadlines import Calendar, status
from kinerja_xl.domain.definition import TimeStandard

WITA = ZoneInfo("Asia/Makassar")
K3 = TimeStandard(3, "hari kerja")


# The days off Pengaturan lists for these windows (the builder writes them there from the `holidays` package).
HOLIDAYS = frozenset({dt.date(2026, 8, 17), dt.date(2027, 1, 1), dt.date(2027, 1, 5)})


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, 0, tzinfo=WITA)


def test_weekend_inside_the_window_is_skipped():
    assert Calendar(WITA, HOLIDAYS).due(at(2026, 10, 2), TimeStandard(3, 'hari kerja')) == dt.datetime(2026, 10, 7, 23, 59, 59, tzinfo=WITA)


def test_national_holiday_17_agustus_is_skipped():
    assert Calendar(WITA, HOLIDAYS).due(at(2026, 8, 14), TimeStandard(3, 'hari kerja')) == dt.datetime(2026, 8, 20, 23, 59, 59, tzinfo=WITA)


def test_cuti_bersama_from_pengaturan_is_skipped():
    base = Calendar(WITA, HOLIDAYS).due(at(2026, 10, 5), TimeStandard(3, 'hari kerja'))
    off = Calendar(WITA, HOLIDAYS | {dt.date(2026, 10, 6)}).due(at(2026, 10, 5), TimeStandard(3, 'hari kerja'))
    assert off - base == dt.timedelta(days=1)


def test_window_across_the_year_end_skips_new_year():
    due = Calendar(WITA, HOLIDAYS).due(at(2026, 12, 30), TimeStandard(3, 'hari kerja'))
    # 31 Dec counts; 1 Jan (Tahun Baru), the weekend and 5 Jan (Isra Mi'raj 2027) do not: 31 Dec, 4 Jan, 6 Jan
    assert due.date() == dt.date(2027, 1, 6)


def test_calendar_mode_counts_every_day():
    assert Calendar(WITA, HOLIDAYS).due(at(2026, 10, 2), TimeStandard(3, "hari kalender")).date() == dt.date(2026, 10, 5)


def test_status_on_time_due_today_late_and_without_standard():
    cal, start = Calendar(WITA, HOLIDAYS), at(2026, 10, 5)      # Monday; due Thursday 8 Oct
    assert status(cal, start, K3, at(2026, 10, 6)).label() == "sisa 2 hari"
    assert status(cal, start, K3, at(2026, 10, 8, 16)).label() == "jatuh tempo hari ini"
    assert status(cal, start, K3, at(2026, 10, 12)).label() == "terlambat 2 hari"
    assert status(cal, start, None, at(2026, 10, 12)).label() == "tanpa batas waktu"
    assert status(cal, start, K3, at(2026, 10, 20), done_at=at(2026, 10, 7)).keadaan == "tepat waktu"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        Calendar(WITA, HOLIDAYS).due(dt.datetime(2026, 10, 5), TimeStandard(3, 'hari kerja'))


@given(st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)), st.integers(1, 30))
def test_deadline_is_an_end_of_working_day_n_days_later(day, n):
    cal = Calendar(WITA, HOLIDAYS)
    start = dt.datetime.combine(day, dt.time(9), WITA)
    due = cal.due(start, TimeStandard(n, 'hari kerja'))
    assert cal.is_working_day(due.date()) and due.time() == dt.time(23, 59, 59)
    assert cal.between(start, due, 'hari kerja') == n
