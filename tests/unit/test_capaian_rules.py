"""Capaian per polarity, with target 0 and missing values as explicit cases."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from kinerja_xl.domain.capaian import compute


@pytest.mark.parametrize("t, r, arah, expected", [
    ("100", "100", "naik", "100.00"), ("70", "68.5", "naik", "97.86"), ("90", "88", "naik", "97.78"),
    ("3", "2.8", "turun", "106.67"), ("3", "7", "turun", "0.00"), ("0", "1", "turun", "0.00"),
    ("0", "0", "turun", "100.00"), ("0", "0", "naik", "100.00"),
])
def test_default_rules(t, r, arah, expected):
    assert compute(D(t), D(r), arah).value == D(expected)


def test_alternative_rules_selectable_per_polarity():
    assert compute(D(3), D(2), "turun", {"turun": "t_per_r"}).value == D("150.00")
    assert compute(D(10), D(8), "turun", {"turun": "t_minus_r_per_t"}).value == D("20.00")
    assert compute(D(10), D(12), "turun", {"turun": "t_minus_r_per_t"}).value == D("-20.00")


@pytest.mark.parametrize("t, r, arah, reason", [
    (None, D(1), "naik", "target belum diisi"), (D(1), None, "naik", "realisasi belum diisi"),
    (D(0), D(5), "naik", "target 0"), (D(1), D(1), "datar", "arah 'datar' tidak dikenal"),
])
def test_uncomputable_says_why(t, r, arah, reason):
    result = compute(t, r, arah)
    assert result.value is None and reason in result.reason


numbers = st.one_of(st.none(), st.decimals(min_value=0, max_value=10 ** 6, places=2, allow_nan=False))


@given(numbers, numbers, st.sampled_from(["naik", "turun"]),
       st.sampled_from(["r_per_t", "dua_minus_r_per_t", "t_per_r", "t_minus_r_per_t"]))
def test_never_raises_and_value_xor_reason(t, r, arah, rule):
    result = compute(t, r, arah, {arah: rule})
    assert (result.value is None) != (result.reason is None)
