"""How official documents write dates, times, numbers and hashes (Bahasa Indonesia, no ISO, no redundant zone)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kinerja_xl.domain.definition import MONTHS, Definition
from kinerja_xl.domain.settings import PERIOD_LABELS

SHORT = 16  # hex digits of a hash shown in a document; the full hashes stay in the log CSV


def date_text(day: dt.date) -> str:
    """`8 Oktober 2026`, as a letter is dated."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def time_text(d: Definition, at: dt.datetime | str | None) -> str:
    """`08-10-2026 10:05 WITA`: office time, the definition's zone named once."""
    if not at:
        return ""
    at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    return f"{at.astimezone(d.tz):%d-%m-%Y %H:%M} {d.header.zone}"


def number_text(value) -> str:
    """Indonesian figures: `1.234,5`, `106,67`; whole numbers without decimals; text as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return "" if value is None else str(value)
    if isinstance(value, int) or (isinstance(value, float) and value and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}".replace(",", ".")  # whole numbers (most cells of a long table), without Decimal
    rounded = round(Decimal(str(value)), 2)
    body = f"{rounded:,.2f}".rstrip("0").rstrip(".") if rounded != rounded.to_integral() else f"{rounded:,.0f}"
    return body.replace(",", "\0").replace(".", ",").replace("\0", ".")


def cell_text(value) -> str:
    if isinstance(value, dt.datetime):
        return date_text(value.date()) if value.time() == dt.time() else value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return date_text(value)
    return number_text(value)


def short(hash_text: str) -> str:
    return hash_text[:SHORT]


def period_text(d: Definition, settings) -> str:
    """`Triwulan IV Tahun 2026`; a yearly SOP: `Tahun 2026`."""
    year = f"Tahun {settings.year}" if settings.year else ""
    if d.header.period_unit == "tahun" or not settings.period:
        return year
    return f"{PERIOD_LABELS[d.header.period_unit]} {settings.period} {year}".strip()
