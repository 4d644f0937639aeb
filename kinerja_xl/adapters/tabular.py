"""Read an indicator file (CSV or xlsx) into a header and rows of text, forgiving of how Excel saves CSV.

Indonesian Excel writes CSV with `;` and often in Windows-1252; both are accepted.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from kinerja_xl.domain.errors import FileProblem, InputProblems, UsageError

MAX_BYTES = 20 * 1024 * 1024


def read_table(path: Path) -> tuple[tuple[str, ...], tuple[tuple, ...]]:
    path = Path(path)
    if not path.is_file():
        raise FileProblem(f"Berkas data '{path}' tidak ditemukan.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix not in (".csv", ".txt"):
        raise UsageError(f"'{path.name}': format tidak dikenal. Gunakan .csv atau .xlsx.")
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise FileProblem(f"'{path.name}' terlalu besar ({len(raw)} bita).")
    return _csv(_decode(raw, path.name))


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first; Windows-1252, as older Excel saves, second."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem(f"'{name}': pengodean teks tidak dikenal. Simpan ulang sebagai 'CSV UTF-8'.") from None


def _csv(text: str):
    if "\x00" in text:
        raise FileProblem("Berkas CSV memuat karakter biner: mungkin bukan CSV. Simpan ulang sebagai 'CSV UTF-8'.")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = [tuple(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise InputProblems([f"Berkas CSV tidak dapat dibaca ({exc})"],
                            "Simpan ulang dari Excel sebagai 'CSV UTF-8 (Comma delimited)', lalu impor lagi.") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise UsageError("Berkas data kosong: baris pertama harus berisi nama kolom.")
    return tuple(c.strip() for c in rows[0]), tuple(rows[1:])


def _xlsx(path: Path):
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise FileProblem(f"'{path.name}' tidak dapat dibaca sebagai xlsx: {exc}") from None
    try:
        rows = [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        raise UsageError(f"'{path.name}': lembar pertama kosong.")
    return tuple(str(c or "").strip() for c in rows[0]), tuple(rows[1:])
