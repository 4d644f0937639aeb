"""Cell values as openpyxl 3.1 reads and writes them, without importing openpyxl.

The part-level adapter (`part_book`) must give exactly what the reference adapter gives (`openpyxl_book`):
these are openpyxl's own rules, ported: `worksheet/_reader.py` (`_cast_number`, `parse_cell`),
`utils/datetime.py` (`from_excel`, `to_excel`, the 1900 epoch with Lotus' leap-year bug, the 1904 epoch),
`styles/numbers.py` (`is_date_format`, `is_timedelta_format`, the built-in formats), `cell/cell.py`
(`check_string`) and `compat/strings.py` (`safe_string`: "%.16g").
"""
from __future__ import annotations

import datetime as dt
import math
import re

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
_SECS_PER_DAY = 86400

# openpyxl.styles.numbers.BUILTIN_FORMATS: only these built-in ids have a format code (others read as numbers)
BUILTIN_FORMATS = {
    0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm',
    17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy h:mm',
    37: '#,##0_);(#,##0)', 38: '#,##0_);[Red](#,##0)', 39: '#,##0.00_);(#,##0.00)', 40: '#,##0.00_);[Red](#,##0.00)',
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0',
    48: '##0.0E+0', 49: '@',
}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA = re.compile(r'\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?', re.I)
# openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE: characters XML 1.0 cannot hold; openpyxl refuses them
ILLEGAL = re.compile(r'[\000-\010]|[\013-\014]|[\016-\037]')
# what lxml (under openpyxl) refuses as well: surrogates and the two non-characters
_NOT_XML = re.compile('[\ud800-\udfff\ufffe\uffff]')
MAX_TEXT = 32767  # Excel's limit; openpyxl cuts longer text there


class IllegalCharacterError(ValueError):
    """A character XML 1.0 cannot hold, refused as openpyxl refuses it (IllegalCharacterError)."""


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    fmt = _STRIP.sub("", fmt.split(";")[0])
    return re.search(r"(?<![_\\])[dmhysDMHYS]", fmt) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    return fmt is not None and _TIMEDELTA.search(fmt.split(";")[0]) is not None


def cast_number(text: str):
    """openpyxl's `_cast_number`: an int unless there is a decimal point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def from_excel(value, epoch: dt.datetime = WINDOWS_EPOCH, timedelta: bool = False):
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * _SECS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def _time_to_days(value) -> float:
    return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 10**6) / _SECS_PER_DAY


def to_excel(value, epoch: dt.datetime = WINDOWS_EPOCH):
    if isinstance(value, dt.time):
        return _time_to_days(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / _SECS_PER_DAY
    if not hasattr(value, "date"):
        value = dt.datetime.combine(value, dt.time())
    days = (value - epoch).days
    if 0 < days <= 60 and epoch == WINDOWS_EPOCH:
        days -= 1
    return days + _time_to_days(value)


def time_format(value) -> str:
    """openpyxl's `get_time_format`: the format it gives a cell that receives a date but has none."""
    if isinstance(value, dt.datetime):
        return "yyyy-mm-dd h:mm:ss"
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    if isinstance(value, dt.time):
        return "h:mm:ss"
    return "[hh]:mm:ss"


def number_text(value) -> str:
    """As openpyxl writes a number: "%.16g", so 100.0 reads back as the int 100 and a double that needs 17
    digits loses the last one, exactly as through the reference adapter (the domain stores at most 15)."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    return "%.16g" % value


def checked_text(value: str) -> str:
    value = value[:MAX_TEXT]
    if ILLEGAL.search(value) or _NOT_XML.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    return value


def escape(text: str) -> str:
    """Element text: &, < and > escaped, and CR as &#13; (a raw CR would read back as LF, XML 1.0 §2.11)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attr(text: str) -> str:
    return (escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


_ISO = re.compile(r'(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?(?P<time>(?P<hour>\d{2}):'
                  r'(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?')


def from_iso(text: str):
    """openpyxl's `from_ISO8601` for cells of type d (durations aside, which no writer of ours makes)."""
    if not text:
        return None
    m = _ISO.match(text)
    if not (m and any(m.groups())):
        raise ValueError(f"Invalid datetime value {text}")
    p = {k: int(v) if v and k not in ("date", "time", "microsecond") else v for k, v in m.groupdict(0).items()}
    micro = int(float(p["microsecond"]) * 1_000_000) if p["microsecond"] else 0
    if not p["date"]:
        return dt.time(p["hour"], p["minute"], p["second"], micro)
    if not p["time"]:
        return dt.date(p["year"], p["month"], p["day"])
    return dt.datetime(p["year"], p["month"], p["day"], p["hour"], p["minute"], p["second"], micro)
