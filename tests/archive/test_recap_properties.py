"""The recap computation (pure) against hand-written rules, for any figures."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja_xl.domain import recap

RULES = (("naik", "r_per_t"), ("turun", "dua_minus_r_per_t"))
figures = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
targets = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2, allow_nan=False, allow_infinity=False)


def _obs(year, period, target, values, arah="naik", name="Indikator"):
    return recap.Observation("OPD", "SOP", year, period, 4, "1", "S", name, "%", arah, target, tuple(values), RULES)


def _expected(target: Decimal, value: Decimal, arah: str) -> Decimal:
    raw = value / target * 100 if arah == "naik" else max(Decimal(0), (2 - value / target) * 100)
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=150, deadline=None)
@given(target=targets, values=st.lists(st.one_of(st.none(), figures), min_size=4, max_size=4),
       arah=st.sampled_from(["naik", "turun"]), present=st.sets(st.integers(0, 3), min_size=1))
def test_each_period_takes_its_own_export_and_the_year_is_the_last_figure(target, values, arah, present):
    observations = [_obs(2026, k, target, [v if i <= k else None for i, v in enumerate(values)], arah)
                    for k in sorted(present)]
    (row,) = recap.recap(observations, year=2026)
    latest = max(present)
    for k, q in enumerate(row.quarters):
        own = k in present
        available = values[k] if (own or k < latest) else None
        assert q.realisasi == available
        if available is None:
            assert q.capaian is None and q.source is None
        else:
            assert q.capaian == _expected(target, available, arah)
            assert q.source == (k if own else max(present))  # else the latest export of the year
    done = [k for k, q in enumerate(row.quarters) if q.capaian is not None]
    assert row.result == (row.quarters[done[-1]].capaian if done else None)
    assert row.band == recap.band(row.result, 70, 90)


@given(last=figures, now=figures)
def test_trend_compares_with_last_year_when_there_is_one(last, now):
    target = Decimal(100)
    rows = recap.recap([_obs(2025, 3, target, [None, None, None, last]), _obs(2026, 3, target, [None, None, None, now])],
                       year=2026)
    (row,) = rows
    assert row.last_year == _expected(target, last, "naik") and row.trend_basis == "tahun lalu"
    change = row.result - row.last_year
    assert row.trend == ("tetap" if abs(change) < Decimal("0.5") else "membaik" if change > 0 else "memburuk")


def test_bands_follow_the_definition_thresholds():
    assert [recap.band(Decimal(v), 70, 90) for v in ("69.99", "70", "90", "90.01")] == ["merah", "kuning", "kuning",
                                                                                       "hijau"]
    assert recap.band(None, 70, 90) is None


def test_indicators_match_across_years_by_wording_not_case_or_spacing():
    rows = recap.recap([_obs(2025, 3, Decimal(100), [None] * 3 + [Decimal(80)], name="Nilai  SAKIP"),
                        _obs(2026, 3, Decimal(100), [None] * 3 + [Decimal(90)], name="nilai sakip")], year=2026)
    assert rows[0].last_year == Decimal("80.00") and rows[0].trend == "membaik"
