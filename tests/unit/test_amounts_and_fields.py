"""Amounts (rupiah, whole counts) as typed in Indonesia, and `normalise` per field type."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.inputs import normalise
from kinerja_xl.domain.values import AMOUNT_FORMS_HELP, InvalidValue, parse_amount

from tests.unit.sop_dicts import button, raw_definition, step

QUICK = settings(max_examples=150, deadline=None, database=None)


# ---------------------------------------------------------------- parse_amount


@pytest.mark.parametrize("raw, expected", [
    ("75.000", "75000"), ("75000", "75000"), ("Rp 13.845.500", "13845500"), ("Rp13.845.500", "13845500"),
    ("rp. 13.845.500", "13845500"), ("RP 1.000", "1000"), ("13.845.500,50", "13845500.50"), ("0,5", "0.5"),
    ("1.000.000", "1000000"), (" 2\u00a0500 ", "2500"), ("999", "999"), (75000, "75000"), (12.5, "12.5"),
    ("1.000.000.000.000", "1000000000000"),
    ("1,000", "1"),  # the comma is always the decimal comma: one, not one thousand
])
def test_accepted_amounts(raw, expected):
    assert parse_amount(raw) == Decimal(expected)


def test_dots_group_thousands_for_amounts_while_numbers_call_them_ambiguous():
    from kinerja_xl.domain.values import parse_number

    assert parse_amount("1.234") == 1234
    with pytest.raises(InvalidValue, match="ambigu"):
        parse_number("1.234")


def test_blank_amount_is_none():
    assert parse_amount(None) is None and parse_amount("   ") is None and parse_amount("", whole=True) is None


@pytest.mark.parametrize("raw", ["75.000", "Rp 13.845.500", 13845500, 5.0, "0"])
def test_whole_amounts_accept_whole_numbers(raw):
    assert parse_amount(raw, whole=True) == parse_amount(raw)


@pytest.mark.parametrize("raw", ["1,5", "13.845.500,50", "0,01", 2.5])
def test_whole_only_refuses_fractions(raw):
    assert parse_amount(raw) is not None  # the same value is a valid amount where fractions are allowed
    with pytest.raises(InvalidValue, match="^harus bilangan bulat: "):
        parse_amount(raw, whole=True)


def test_whole_only_refusal_quotes_what_was_typed():
    with pytest.raises(InvalidValue) as caught:
        parse_amount("13.845.500,50", whole=True)
    assert caught.value.message == "harus bilangan bulat: '13.845.500,50'"


@pytest.mark.parametrize("raw", ["sepuluh ribu", "12.34", "1.2345", "-5", "Rp", "1.000.000,-", "1..000",
                                 "1.000,", ".5", "Rp 1,5,0", "US$ 5"])
def test_garbage_is_refused_with_the_help_text(raw):
    with pytest.raises(InvalidValue) as caught:
        parse_amount(raw)
    assert caught.value.message == f"bukan jumlah: '{raw}'. {AMOUNT_FORMS_HELP}"
    assert caught.value.message.endswith("Bentuk yang diterima: 13845500, 13.845.500, Rp 13.845.500 atau 13.845.500,50.")


def test_formula_and_too_large_are_refused_with_their_reason():
    with pytest.raises(InvalidValue, match=r"^rumus tidak diterima di sel isian: '=A1\*2'"):
        parse_amount("=A1*2")
    with pytest.raises(InvalidValue, match="angka terlalu besar"):
        parse_amount("1.000.000.000.001")
    with pytest.raises(InvalidValue, match="tidak boleh negatif"):
        parse_amount(-5)


def dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@QUICK
@given(n=st.integers(0, 10 ** 12), rp=st.sampled_from(["", "Rp ", "Rp", "rp. "]), whole=st.booleans())
def test_dot_grouped_integers_round_trip(n, rp, whole):
    text = rp + dotted(n)
    assert parse_amount(text, whole=whole) == n
    assert parse_amount(str(n), whole=whole) == n


@QUICK
@given(n=st.integers(0, 10 ** 11), cents=st.integers(0, 99))
def test_dot_grouped_amounts_with_a_decimal_comma_round_trip(n, cents):
    assert parse_amount(f"{dotted(n)},{cents:02d}") == Decimal(n) + Decimal(cents) / 100


@QUICK
@given(n=st.integers(1000, 10 ** 12), cut=st.integers(1, 3))
def test_misgrouped_dots_are_never_guessed(n, cut):
    """A dotted amount with one group's digit dropped (12.34 or 1.0000 style) is refused, not read as something else."""
    text = dotted(n)
    last_dot = text.rfind(".")
    broken = text[:last_dot + 1 + 3 - cut] if cut < 3 else text[:last_dot] + "." + text[last_dot + 1:] + "0"
    with pytest.raises(InvalidValue, match="^bukan jumlah"):
        parse_amount(broken)


# ---------------------------------------------------------------- normalise per field type


def fields():
    raw = raw_definition(
        step(1, button("submit"), isian=[
            {"nama": "anggaran", "label": "Anggaran", "tipe": "rupiah"},
            {"nama": "peserta", "label": "Peserta", "tipe": "bulat"},
            {"nama": "hadir", "label": "Hadir", "tipe": "ya_tidak"},
            {"nama": "kepada", "label": "Kepada", "tipe": "pilihan", "pilihan": ["Kepala Bagian", "Kepala Sub Bagian"]},
            {"nama": "tanggal", "label": "Tanggal", "tipe": "tanggal"},
            {"nama": "jatuh_tempo", "label": "Jatuh Tempo", "tipe": "tanggal", "boleh_mendatang": True},
            {"nama": "nilai", "label": "Nilai", "tipe": "angka"},
            {"nama": "uraian", "label": "Uraian", "tipe": "teks"},
        ]),
        step(2, button("validate")),
    )
    return {f.name: f for f in parse_definition(raw).step(1).fields}


F = fields()
TODAY = dt.date(2026, 5, 10)


@pytest.mark.parametrize("raw, expected", [("75.000", 75000), ("Rp 13.845.500", 13845500), ("13.845.500,50", 13845500.5),
                                           (75000.0, 75000), ("0", 0)])
def test_rupiah_is_stored_as_a_number(raw, expected):
    value = normalise(F["anggaran"], raw, TODAY)
    assert value == expected and type(value) is type(expected)


def test_bulat_accepts_whole_amounts_and_refuses_fractions():
    assert normalise(F["peserta"], "1.250", TODAY) == 1250
    assert type(normalise(F["peserta"], 12.0, TODAY)) is int
    with pytest.raises(InvalidValue, match="^harus bilangan bulat"):
        normalise(F["peserta"], "12,5", TODAY)
    with pytest.raises(InvalidValue, match="^bukan jumlah: 'dua belas'"):
        normalise(F["peserta"], "dua belas", TODAY)


@pytest.mark.parametrize("raw, expected", [("ya", "Ya"), ("YA", "Ya"), (" Tidak ", "Tidak"), ("tidak", "Tidak")])
def test_ya_tidak_matches_case_insensitively_to_the_canonical_word(raw, expected):
    assert normalise(F["hadir"], raw, TODAY) == expected


def test_ya_tidak_refuses_anything_else():
    with pytest.raises(InvalidValue) as caught:
        normalise(F["hadir"], "mungkin", TODAY)
    assert caught.value.message == "'mungkin' bukan pilihan yang sah (Ya, Tidak)"


@pytest.mark.parametrize("raw", ["kepala bagian", "KEPALA BAGIAN", "  Kepala Bagian  ", "kEpAlA bAgIaN"])
def test_pilihan_matches_case_insensitively(raw):
    assert normalise(F["kepada"], raw, TODAY) == "Kepala Bagian"


def test_pilihan_refuses_a_near_miss_naming_the_choices():
    with pytest.raises(InvalidValue) as caught:
        normalise(F["kepada"], "Kepala Bag", TODAY)
    assert caught.value.message == "'Kepala Bag' bukan pilihan yang sah (Kepala Bagian, Kepala Sub Bagian)"


def test_tanggal_in_the_future_is_refused_unless_the_field_allows_it():
    with pytest.raises(InvalidValue) as caught:
        normalise(F["tanggal"], "17-08-2026", TODAY)
    assert caught.value.message == ("tanggal di masa depan: 17-08-2026 (hari ini 10-05-2026). "
                                    "Isi tanggal yang sudah terjadi.")
    assert normalise(F["jatuh_tempo"], "17-08-2026", TODAY) == dt.date(2026, 8, 17)


@pytest.mark.parametrize("name", ["tanggal", "jatuh_tempo"])
def test_tanggal_today_or_past_is_accepted_by_both(name):
    assert normalise(F[name], "10 Mei 2026", TODAY) == TODAY
    assert normalise(F[name], dt.datetime(2026, 1, 2, 8, 30), TODAY) == dt.date(2026, 1, 2)
    assert normalise(F[name], "2025-12-31", TODAY) == dt.date(2025, 12, 31)


def test_tomorrow_is_the_first_refused_day():
    with pytest.raises(InvalidValue, match="masa depan"):
        normalise(F["tanggal"], TODAY + dt.timedelta(days=1), TODAY)


@pytest.mark.parametrize("name", list(F))
def test_blank_is_none_and_a_formula_is_refused_for_every_type(name):
    assert normalise(F[name], "  ", TODAY) is None and normalise(F[name], None, TODAY) is None
    with pytest.raises(InvalidValue, match="rumus tidak diterima"):
        normalise(F[name], "=SUM(A1:A3)", TODAY)


def test_text_is_trimmed_and_control_characters_refused():
    assert normalise(F["uraian"], "  rapat  ", TODAY) == "rapat"
    with pytest.raises(InvalidValue, match="karakter kontrol"):
        normalise(F["uraian"], "rapat\x07", TODAY)


def test_angka_keeps_number_rules_not_amount_rules():
    assert normalise(F["nilai"], "85,5", TODAY) == 85.5
    with pytest.raises(InvalidValue, match="ambigu"):
        normalise(F["nilai"], "1.234", TODAY)


@given(n=st.integers(-10 ** 13, 10 ** 13))
def test_a_whole_number_normalises_as_parse_number_and_to_cell_make_it(n):
    """`normalise` returns an int within range as it is; the long way must agree, refusals included."""
    from kinerja_xl.domain.inputs import to_cell
    from kinerja_xl.domain.values import parse_number

    try:
        expected = to_cell(parse_number(n))
    except InvalidValue as exc:
        with pytest.raises(InvalidValue, match=re.escape(exc.message)):
            normalise(F["nilai"], n, TODAY)
        return
    got = normalise(F["nilai"], n, TODAY)
    assert got == expected and type(got) is type(expected)


@given(value=st.one_of(st.integers(-10 ** 20, 10 ** 20), st.text(max_size=20)))
def test_canonical_takes_ints_and_text_the_short_way_with_the_same_result(value):
    """The fast paths of `digest.canonical` give what its general rules give: a digest logged before them still
    matches (an int as its Decimal in plain notation, text stripped)."""
    from kinerja_xl.domain.digest import canonical

    expected = format(Decimal(str(value)).normalize(), "f") if isinstance(value, int) else str(value).strip()
    assert canonical(value) == expected
