"""Read an indicator file (CSV or xlsx) into a header and rows of text, forgiving of how Excel saves CSV.

Indonesian Excel writes CSV with `;` and often in Windows-1252; both are accepted.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kinerja_xl.domain.errors import FileProblem, InputProblems, Refused, UsageError

MAX_BYTES = 20 * 1024 * 1024


def read_table(path: Path) -> tuple[tuple[str, ...], tuple[tuple, ...]]:
    path = Path(path)
    if not path.is_file():
        raise FileProblem(f"Berkas data '{path}' tidak ditemukan.")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise UsageError(f"'{path.name}': format tidak dikenal. Gunakan .csv atau .xlsx.")
    if path.stat().st_size > MAX_BYTES:
        raise FileProblem(f"'{path.name}' terlalu besar ({path.stat().st_size} bita, paling besar {MAX_BYTES}).")
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    return _csv(_decode(path.read_bytes(), path.name))


SAVE_AS_UTF8 = ("Di Excel: File > Save As (Simpan Sebagai), pilih jenis 'CSV UTF-8 (Comma delimited) (*.csv)', "
                "lalu impor lagi. Tabel tidak diubah.")
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
         (b"\xfe\xff", "UTF-16"))
# Three letters in a row from the upper half of Latin-1 are Cyrillic, Greek, Arabic or Hebrew text (KOI8-R,
# Windows-1251 …) read as Windows-1252: Indonesian, and Latin script in general, does not write them so.
_FOREIGN = re.compile(r"[\u00c0-\u00ff]{3,}")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first; Windows-1252, as older Excel saves, only when it reads as Latin text.

    Anything else would be imported as garbled text that nobody notices until the report is printed."""
    bom = next((label for mark, label in _BOMS if raw.startswith(mark)), None)
    if bom:
        raise Refused(f"'{name}' bukan teks UTF-8: berkas disimpan sebagai {bom} (di Excel: 'Unicode Text'). "
                      + SAVE_AS_UTF8)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        where = f"'{name}' bukan teks UTF-8 (baris {line})"
    if _UTF8_SEQUENCE.search(raw):
        raise Refused(f"{where}: sebagian berkas UTF-8, sebagian pengodean lain (baris ditambahkan dari berkas "
                      "lain?). " + SAVE_AS_UTF8)
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    odd = _FOREIGN.search(text) if text is not None else None
    if text is not None and odd is None:
        return text
    seen = f" (terbaca sebagai Windows-1252: '{odd.group()[:20]}')" if odd else ""
    raise Refused(f"{where} dan bukan Windows-1252 yang wajar{seen}: berkas disimpan dengan pengodean lain, "
                  "mis. KOI8-R atau Windows-1251. " + SAVE_AS_UTF8)


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
    header, data = _header_and_rows(rows)
    if header is None:
        raise UsageError("Berkas data kosong: baris pertama harus berisi nama kolom.")
    return tuple(c.strip() for c in header), data


def _xlsx(path: Path):
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise FileProblem(f"'{path.name}' tidak dapat dibaca sebagai xlsx (bukan berkas Excel yang utuh, "
                          f"{type(exc).__name__}). Buka di Excel, simpan ulang sebagai .xlsx atau 'CSV UTF-8', lalu "
                          "impor lagi.") from None
    try:
        rows = [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    except Exception as exc:  # no worksheet, or a damaged one: openpyxl raises many kinds
        raise FileProblem(f"'{path.name}': lembar pertama tidak ada atau rusak ({type(exc).__name__}). Buka berkas "
                          "di Excel, simpan ulang sebagai .xlsx atau 'CSV UTF-8', lalu impor lagi.") from None
    finally:
        wb.close()
    header, data = _header_and_rows(rows)
    if header is None:
        raise UsageError(f"'{path.name}': lembar pertama kosong.")
    return tuple(str(c or "").strip() for c in header), data


def _header_and_rows(rows: list[tuple]):
    """The first row with anything in it names the columns; empty rows after it are kept (the import skips
    them) so that a message's row number is the row the person sees in Excel."""
    filled = [i for i, row in enumerate(rows) if any(v is not None and str(v).strip() for v in row)]
    if not filled:
        return None, ()
    return rows[filled[0]], tuple(rows[filled[0] + 1:filled[-1] + 1])
