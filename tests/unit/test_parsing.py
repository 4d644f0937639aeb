"""Strict parsing of typed numbers, dates and NIPs: each accepted form, each refusal with its reason."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from kinerja_xl.domain.values import InvalidValue, format_nip, parse_date, parse_nip, parse_number


@pytest.mark.parametrize("raw, expected", [
    ("85", "85"), ("85,5", "85.5"), ("1.234,5", "1234.5"), ("1.234.567", "1234567"), ("68.5", "68.5"),
    ("85%", "85"), (" 85 % ", "85"), ("1\u00a0234,5", "1234.5"), (85, "85"), (85.5, "85.5"), ("0", "0"),
])
def test_accepted_number_forms(raw, expected):
    assert parse_number(raw) == Decimal(expected)


@pytest.mark.parametrize("raw, reason", [
    ("sepuluh", "bukan angka: 'sepuluh'"), ("-5", "tidak boleh negatif: '-5'"), ("1.234", "ambigu"),
    ("1,2,3", "koma lebih dari satu"), ("=A1*2", "rumus tidak diterima"), ("1e99", "bukan angka"),
    (10 ** 13, "terlalu besar"), (float("nan"), "bukan angka"), (True, "bukan angka"), ("12.34.5", "bukan angka"),
])
def test_refused_numbers_name_the_value_and_the_reason(raw, reason):
    with pytest.raises(InvalidValue) as caught:
        parse_number(raw)
    assert reason in caught.value.message


def test_blank_is_none_and_negatives_when_allowed():
    assert parse_number("  ") is None and parse_number(None) is None
    assert parse_number("-2,5", allow_negative=True) == Decimal("-2.5")


def indonesian(number: Decimal) -> str:
    """How Excel in Indonesian shows a number: thousands with '.', decimals with ','."""
    whole, _, frac = format(abs(number), "f").partition(".")
    return ("-" if number < 0 else "") + f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


@given(st.decimals(min_value=-10 ** 9, max_value=10 ** 9, places=3, allow_nan=False, allow_infinity=False))
def test_indonesian_display_round_trips_or_is_called_ambiguous(number):
    """Every Indonesian display parses back, except a whole number with one '.' group (3.125): thousands
    or decimals? That one is refused, naming both readings, never guessed."""
    shown = indonesian(number.normalize() if number == number.to_integral() else number)
    if re.fullmatch(r"-?\d{1,3}\.\d{3}", shown):
        with pytest.raises(InvalidValue, match="ambigu"):
            parse_number(shown, allow_negative=True)
    else:
        assert parse_number(shown, allow_negative=True) == number


@given(st.text(max_size=20))
def test_any_text_is_a_number_blank_or_a_clear_refusal(text):
    try:
        parse_number(text)
    except InvalidValue as exc:
        assert exc.message


@pytest.mark.parametrize("raw", ["17-08-2026", "17/08/2026", "2026-08-17", "17 Agustus 2026", "17 agu 2026",
                                 dt.date(2026, 8, 17), dt.datetime(2026, 8, 17, 0, 0)])
def test_accepted_date_forms(raw):
    assert parse_date(raw) == dt.date(2026, 8, 17)


@pytest.mark.parametrize("raw, reason", [("31-02-2026", "tanggal tidak ada"), ("kemarin", "bukan tanggal"),
                                         (46000, "adalah angka"), ("17 Agustos 2026", "nama bulan")])
def test_refused_dates(raw, reason):
    with pytest.raises(InvalidValue, match=reason):
        parse_date(raw)


def test_future_date_refused_where_the_past_is_required():
    with pytest.raises(InvalidValue, match="masa depan"):
        parse_date("02-10-2026", not_after=dt.date(2026, 10, 1))
    assert parse_date("01-10-2026", not_after=dt.date(2026, 10, 1)) == dt.date(2026, 10, 1)


def test_nip_accepted_with_spaces_and_formatted_as_usual():
    assert parse_nip("19620718198302 1 004") == "196207181983021004"
    assert format_nip("196207181983021004") == "19620718 198302 1 004"


@pytest.mark.parametrize("raw, reason", [
    ("1962071819830210", r"harus 18 angka \(ditemukan 16"), ("19621318198302 1 004", "tanggal lahir"),
    ("19620718198313 1 004", "pengangkatan"), ("19620718198302 3 004", "jenis kelamin"),
    ("19620718197002 1 004", "terlalu dekat"), (1.9620718198302e17, "sebagai teks"),
])
def test_each_nip_fault_has_its_own_message(raw, reason):
    with pytest.raises(InvalidValue, match=reason):
        parse_nip(raw)


@pytest.mark.parametrize("typed, stored", [
    ("85.3333333333333333", 85.3333333333333), ("12345678901234567", 12345678901234600), ("13845500", 13845500),
    ("0.1", 0.1), ("2.50", 2.5),
])
def test_a_number_is_stored_as_excel_keeps_it_fifteen_significant_digits(typed, stored):
    from kinerja_xl.domain.inputs import to_cell

    value = to_cell(Decimal(typed))
    assert value == stored and type(value) is type(stored)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-10**12, max_value=10**12))
def test_storing_twice_changes_nothing(number):
    from kinerja_xl.domain.inputs import to_cell

    once = to_cell(number)
    assert to_cell(Decimal(repr(once))) == once
