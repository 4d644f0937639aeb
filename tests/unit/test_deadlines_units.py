"""Batas waktu per unit (jam, hari kalender, hari kerja) across a weekend and 17 Agustus, judged in the office's zone.

August 2026: Fri 14, Sat 15, Sun 16, Mon 17 (Hari Kemerdekaan), Tue 18 ... Thu 20, Fri 21, Mon 24.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from kinerja_xl.domain.deadlines import Calendar, status
from kinerja_xl.domain.definition import TimeStandard

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
UTC = dt.timezone.utc
HOLIDAYS = frozenset({dt.date(2026, 8, 17)})  # what Pengaturan lists for August 2026
CAL = Calendar(WITA, HOLIDAYS)


def wita(day: int, hour: int = 10, minute: int = 0, month: int = 8) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


def end_of(day: int, zone=WITA, month: int = 8) -> dt.datetime:
    return dt.datetime(2026, month, day, 23, 59, 59, tzinfo=zone)


def test_the_fixture_calendar_is_what_the_tests_assume():
    assert [dt.date(2026, 8, d).strftime("%a") for d in (14, 15, 16, 17)] == ["Fri", "Sat", "Sun", "Mon"]
    assert not CAL.is_working_day(dt.date(2026, 8, 15)) and not CAL.is_working_day(dt.date(2026, 8, 17))
    assert CAL.is_working_day(dt.date(2026, 8, 18))


# ---------------------------------------------------------------- due dates per unit


def test_hari_kerja_skip_the_weekend_and_17_agustus():
    assert CAL.due(wita(14), TimeStandard(3, "hari kerja")) == end_of(20)
    assert CAL.due(wita(14), TimeStandard(1, "hari kerja")) == end_of(18)


def test_the_same_standard_in_a_week_without_a_holiday_is_a_day_shorter():
    assert CAL.due(wita(7), TimeStandard(3, "hari kerja")) == end_of(12)


def test_hari_kalender_count_the_weekend_and_the_holiday():
    assert CAL.due(wita(14), TimeStandard(3, "hari kalender")) == end_of(17)


def test_jam_are_wall_clock_hours_through_the_weekend():
    assert CAL.due(wita(14, 10), TimeStandard(4, "jam")) == wita(14, 14)
    assert CAL.due(wita(14, 20), TimeStandard(24, "jam")) == wita(15, 20)


def test_office_days_off_from_pengaturan_count_as_non_working():
    cal = Calendar(WITA, off_days=HOLIDAYS | {dt.date(2026, 8, 18)})
    assert cal.due(wita(14), TimeStandard(3, "hari kerja")) == end_of(21)
    assert cal.due(wita(14), TimeStandard(3, "hari kalender")) == end_of(17)


def test_the_start_day_itself_does_not_count_even_late_at_night():
    assert CAL.due(wita(18, 23, 59), TimeStandard(1, "hari kerja")) == end_of(19)


# ---------------------------------------------------------------- status and labels


@pytest.mark.parametrize("now, keadaan, label", [
    (wita(15), "tepat waktu", "sisa 3 hari"),          # Tue, Wed, Thu still to count
    (wita(18), "tepat waktu", "sisa 2 hari"),
    (wita(20, 9), "jatuh tempo hari ini", "jatuh tempo hari ini"),
    (wita(21, 0, 0), "terlambat", "terlambat 1 hari"),
    (wita(24), "terlambat", "terlambat 2 hari"),       # Fri 21 and Mon 24; the weekend does not count
])
def test_hari_kerja_status(now, keadaan, label):
    judged = status(CAL, wita(14), TimeStandard(3, "hari kerja"), now)
    assert (judged.keadaan, judged.label(), judged.batas_waktu) == (keadaan, label, end_of(20))


@pytest.mark.parametrize("now, label", [
    (wita(15), "sisa 2 hari"), (wita(17, 8), "jatuh tempo hari ini"), (wita(19), "terlambat 2 hari"),
])
def test_hari_kalender_status(now, label):
    assert status(CAL, wita(14), TimeStandard(3, "hari kalender"), now).label() == label


@pytest.mark.parametrize("now, label", [
    (wita(14, 10, 30), "sisa 3 jam"), (wita(14, 12, 30), "sisa 1 jam"), (wita(14, 14, 10), "terlambat 1 jam"),
    (wita(14, 17), "terlambat 3 jam"), (wita(15, 14), "terlambat 24 jam"),
])
def test_jam_status(now, label):
    judged = status(CAL, wita(14, 10), TimeStandard(4, "jam"), now)
    assert judged.label() == label and judged.word == "jam"


def test_a_finished_step_is_judged_when_it_finished():
    standard = TimeStandard(3, "hari kerja")
    on_time = status(CAL, wita(14), standard, now=wita(28), done_at=wita(19))
    late = status(CAL, wita(14), standard, now=wita(28), done_at=wita(21))
    assert on_time.keadaan == "tepat waktu" and late.label() == "terlambat 1 hari"


def test_no_standard_and_not_started():
    assert status(CAL, wita(14), None, wita(20)).label() == "tanpa batas waktu"
    judged = status(CAL, None, TimeStandard(2, "jam"), wita(20))
    assert judged.label() == "belum dimulai" and judged.batas_waktu is None


# ---------------------------------------------------------------- zones


def test_a_start_given_in_utc_is_counted_from_the_office_day():
    # 16:30 UTC on Thu 13 is 00:30 WITA on Fri 14 but 23:30 WIB on Thu 13. One hari kerja after Friday is
    # Tuesday (Mon 17 is off); after Thursday it is Friday. Counting from the UTC date would give Friday for both.
    start = dt.datetime(2026, 8, 13, 16, 30, tzinfo=UTC)
    assert CAL.due(start, TimeStandard(1, "hari kerja")) == end_of(18)
    assert Calendar(WIB, HOLIDAYS).due(start, TimeStandard(1, "hari kerja")) == end_of(14, WIB)


def test_now_given_in_utc_is_judged_in_the_calendar_zone():
    start, standard = wita(14), TimeStandard(3, "hari kerja")
    at_2300_wita = dt.datetime(2026, 8, 20, 15, 0, tzinfo=UTC)
    at_0030_wita = dt.datetime(2026, 8, 20, 16, 30, tzinfo=UTC)
    assert status(CAL, start, standard, at_2300_wita).label() == "jatuh tempo hari ini"
    assert status(CAL, start, standard, at_0030_wita).label() == "terlambat 1 hari"
    # The same instant in a WIB office (23:30 WIB, Thursday) is still the due day.
    assert status(Calendar(WIB, HOLIDAYS), start.astimezone(WIB), standard, at_0030_wita).label() == "jatuh tempo hari ini"


def test_due_is_returned_in_the_calendar_zone():
    due = CAL.due(dt.datetime(2026, 8, 14, 2, 0, tzinfo=UTC), TimeStandard(2, "jam"))
    assert due.utcoffset() == dt.timedelta(hours=8) and due.hour == 12


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="zone-aware"):
        CAL.due(dt.datetime(2026, 8, 14, 10), TimeStandard(1, "hari kerja"))
    with pytest.raises(ValueError, match="zone-aware"):
        status(CAL, wita(14), TimeStandard(1, "hari kerja"), dt.datetime(2026, 8, 20))


# ---------------------------------------------------------------- properties


@settings(max_examples=80, deadline=None, database=None)
@given(day=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 20)), hour=st.integers(0, 23), n=st.integers(1, 10))
def test_hari_kerja_due_is_a_working_day_exactly_n_counted_days_later(day, hour, n):
    start = dt.datetime.combine(day, dt.time(hour), WITA)
    due = CAL.due(start, TimeStandard(n, "hari kerja"))
    assert due.time() == dt.time(23, 59, 59) and due.tzinfo is WITA
    assert CAL.is_working_day(due.date())
    assert CAL.between(start, due, "hari kerja") == n
    kalender = CAL.due(start, TimeStandard(n, "hari kalender"))
    assert kalender.date() == day + dt.timedelta(days=n) <= due.date()
