"""The year's recap per indicator, from archived validated periods: pure, no database, no file.

Each archived period gives one `Observation` per indicator row: the row as validated (target, arah, every
realisasi column) and which period of the year it was. The recap takes, for each period of the year, the
realisasi of that period from that period's own validated export (the official figure), and only when that
export is not archived, the same column of the latest export of the year (marked as such). Realisasi is
cumulative over the year (PK practice: TW IV is the year's figure), so the year's result is the capaian of
the last period with a realisasi. Capaian uses the definition's own rule per arah (`capaian.compute`), and
the band its red/green thresholds, so the recap says what the exported sheet said.

Which column is which is read from the definition (`roles`): the key, target, arah, realisasi and capaian
columns are declared there; sasaran, indikator and satuan are the text columns whose name or label says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from kinerja_xl.domain import capaian
from kinerja_xl.domain.definition import Definition, Table

BANDS = ("merah", "kuning", "hijau")
STEADY = Decimal("0.5")  # percentage points: a smaller change in capaian is "tetap"


@dataclass(frozen=True)
class Roles:
    """Column positions of an indicator table (indexes into `d.columns_of(table)`); None when absent."""

    key: int | None
    sasaran: int | None
    indikator: int | None
    satuan: int | None
    target: int
    arah: int
    realisasi: tuple[int, ...]
    capaian: int | None


def indicator_tables(d: Definition) -> tuple[Table, ...]:
    """The tables a recap reads: indicator tables with a target, an arah and realisasi columns."""
    return tuple(t for t in d.tables if t.kind == "indikator" and t.target and t.direction and t.realisations)


def roles(d: Definition, table: Table) -> Roles:
    columns = d.columns_of(table)
    at = {c.name: i for i, c in enumerate(columns)}
    texts = [i for i, c in enumerate(columns) if c.type == "teks" and c.name != table.key]

    def named(word: str) -> int | None:
        return next((i for i in texts if word in columns[i].name.lower() or word in columns[i].label.lower()), None)

    name = named("indikator")
    if name is None:
        name = next((i for i in texts if i != named("sasaran")), None)
    return Roles(at.get(table.key), named("sasaran"), name, named("satuan"), at[table.target], at[table.direction],
                 tuple(at[r] for r in table.realisations),
                 next((i for i, c in enumerate(columns) if c.type == "capaian"), None))


def identity(text: str) -> str:
    """One indicator across periods and years: its wording, ignoring case and spacing."""
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


@dataclass(frozen=True)
class Observation:
    """One indicator row of one archived, current (latest validated) period."""

    opd: str
    sop: str
    year: int
    period: int                       # 0-based position in the year (TW I = 0)
    periods: int                      # how many periods the year has (4 for triwulan)
    key: str
    sasaran: str
    indikator: str
    satuan: str
    arah: str
    target: Decimal | None
    realisasi: tuple[Decimal | None, ...]  # every realisasi column, as validated
    rules: tuple[tuple[str, str], ...]     # the definition's rule per arah
    red_below: float = 70
    green_above: float = 90

    def realised(self, k: int) -> Decimal | None:
        """Period k's figure in this row: its own column, or the single column of a one-column table."""
        if len(self.realisasi) == 1:
            return self.realisasi[0] if k == self.period else None
        return self.realisasi[k] if k < len(self.realisasi) else None


@dataclass(frozen=True)
class Quarter:
    """One period of the year in the recap (a triwulan for a quarterly SOP)."""

    realisasi: Decimal | None
    capaian: Decimal | None
    reason: str | None      # why there is no capaian
    source: int | None      # the period whose export gave the figure (k itself, or a later one)


@dataclass(frozen=True)
class RecapRow:
    opd: str
    sop: str
    year: int
    key: str
    sasaran: str
    indikator: str
    satuan: str
    arah: str
    target: Decimal | None
    quarters: tuple[Quarter, ...]
    result: Decimal | None          # the year's capaian: the last period with a figure (realisasi is cumulative)
    result_period: int | None
    last_year: Decimal | None
    band: str | None                # merah | kuning | hijau
    trend: str | None               # membaik | memburuk | tetap
    trend_basis: str | None         # "tahun lalu" or "periode" (over the year's periods, when no last year)


def band(value: Decimal | None, red_below: float, green_above: float) -> str | None:
    """As the export's chart colours a bar (`export.xlsx_chart`)."""
    if value is None:
        return None
    return "merah" if value < Decimal(str(red_below)) else "hijau" if value > Decimal(str(green_above)) else "kuning"


def direction(before: Decimal | None, after: Decimal | None) -> str | None:
    """Capaian already accounts for arah: a higher capaian is better for `naik` and `turun` alike."""
    if before is None or after is None:
        return None
    change = after - before
    return "tetap" if abs(change) < STEADY else "membaik" if change > 0 else "memburuk"


def recap(observations: list[Observation], *, year: int | None = None, opd: str | None = None,
          sasaran: str | None = None) -> list[RecapRow]:
    """Per OPD, SOP, year and indicator (in the order first seen), filtered; last year's result comes from the
    observations of the year before, so pass them unfiltered by year."""
    groups: dict[tuple, list[Observation]] = {}
    for o in observations:
        groups.setdefault((o.opd, o.sop, o.year, identity(o.indikator)), []).append(o)
    results = {k: _row(v) for k, v in groups.items()}
    out = []
    for (o_opd, o_sop, o_year, ident), row in results.items():
        if (year is not None and o_year != year) or (opd is not None and identity(opd) not in identity(o_opd)):
            continue
        if sasaran is not None and identity(sasaran) not in identity(row.sasaran):
            continue
        before = results.get((o_opd, o_sop, o_year - 1, ident))
        last = before.result if before else None
        basis, trend = ("tahun lalu", direction(last, row.result)) if last is not None else (
            "periode", direction(_first(row.quarters), row.result))
        out.append(replace(row, last_year=last, trend=trend, trend_basis=basis if trend else None))
    return sorted(out, key=lambda r: (r.year, r.opd, r.sop, _order(r.key)))


def _row(group: list[Observation]) -> RecapRow:
    by_period = {o.period: o for o in group}
    latest = by_period[max(by_period)]
    rules = dict(latest.rules)
    quarters = []
    for k in range(latest.periods):
        own = by_period.get(k)
        value, source = (own.realised(k), k) if own is not None else (None, None)
        if value is None:
            later = next((o for p, o in sorted(by_period.items(), reverse=True) if p > k and o.realised(k) is not None),
                         None)
            value, source = (later.realised(k), later.period) if later else (None, None)
        basis = own if own is not None else latest
        result = capaian.compute(basis.target, value, basis.arah, rules) if value is not None else capaian.Capaian(
            None, "realisasi belum diisi")
        quarters.append(Quarter(value, result.value, result.reason, source))
    done = [k for k, q in enumerate(quarters) if q.capaian is not None]
    last = done[-1] if done else None
    value = quarters[last].capaian if last is not None else None
    return RecapRow(latest.opd, latest.sop, latest.year, latest.key, latest.sasaran, latest.indikator, latest.satuan,
                    latest.arah, latest.target, tuple(quarters), value, last, None,
                    band(value, latest.red_below, latest.green_above), None, None)


def _first(quarters: tuple[Quarter, ...]) -> Decimal | None:
    """The earliest capaian of the year, when the year has at least two (a trend needs two points)."""
    values = [q.capaian for q in quarters if q.capaian is not None]
    return values[0] if len(values) > 1 else None


def _order(key: str):
    """Indicator numbers in number order (2 before 10), anything else after, as text."""
    try:
        return (0, float(key), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(key))


def number(value) -> Decimal | None:
    """A cell or stored figure as a Decimal (floats through their shortest text, so 97.78 stays 97.78)."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip().replace(",", "."))
    except ArithmeticError:
        return None
