"""Capaian (achievement, %) of a performance indicator from target T and realisasi R.

The rule per polarity (arah) is chosen in the SOP definition:
- `r_per_t`            R / T x 100 — higher is better (`naik`); PermenPAN-RB 53/2014's capaian.
- `dua_minus_r_per_t`  (2 - R / T) x 100, floored at 0 — lower is better (`turun`); the
                       "kondisi khusus" form used in LKjIP practice, so beating a target by
                       x % scores 100 + x %.
- `t_per_r`            T / R x 100 — an alternative for lower-is-better indicators.
- `t_minus_r_per_t`    (T - R) / T x 100 — reduction achieved; may be negative (kept, not floored,
                       so a worsening stays visible).
Target 0 and missing values are explicit cases with a reason, never a division error:
with T = 0, R = 0 meets the target (100); for the lower-is-better rules R > 0 scores 0;
R / T with T = 0 and R > 0 has no meaning and says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RUMUS = {"r_per_t", "dua_minus_r_per_t", "t_per_r", "t_minus_r_per_t"}
DEFAULT_RUMUS = {"naik": "r_per_t", "turun": "dua_minus_r_per_t"}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Capaian:
    value: Decimal | None
    reason: str | None


def _ok(value: Decimal) -> Capaian:
    return Capaian(value.quantize(CENT, rounding=ROUND_HALF_UP), None)


def _no(reason: str) -> Capaian:
    return Capaian(None, reason)


def compute(target: Decimal | None, realisasi: Decimal | None, arah: str, rumus: dict[str, str] = DEFAULT_RUMUS) -> Capaian:
    if arah not in rumus:
        return _no(f"arah '{arah}' tidak dikenal ({', '.join(rumus)})")
    if target is None:
        return _no("target belum diisi")
    if realisasi is None:
        return _no("realisasi belum diisi")
    t, r = Decimal(target), Decimal(realisasi)
    rule = rumus[arah]
    if rule == "r_per_t":
        if t == 0:
            return _ok(HUNDRED) if r == 0 else _no("target 0: capaian tidak dapat dihitung dengan rumus R/T")
        return _ok(r / t * HUNDRED)
    if rule == "dua_minus_r_per_t":
        if t == 0:
            return _ok(HUNDRED if r == 0 else Decimal(0))
        return _ok(max(Decimal(0), (2 - r / t) * HUNDRED))
    if rule == "t_per_r":
        if r == 0:
            return _ok(HUNDRED) if t == 0 else _no("realisasi 0: capaian tidak dapat dihitung dengan rumus T/R")
        return _ok(t / r * HUNDRED)
    if rule == "t_minus_r_per_t":
        if t == 0:
            return _ok(HUNDRED if r == 0 else Decimal(0))
        return _ok((t - r) / t * HUNDRED)
    return _no(f"rumus '{rule}' tidak dikenal")
