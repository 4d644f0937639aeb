"""Check a step's inputs: every problem at once, each with its label, sheet and cell.

What passes is also normalised (text numbers become numbers, dates become dates,
an NIP gets its usual spacing), so the saved workbook and its digest are canonical.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.values import (LIMIT, InvalidValue, format_nip, parse_amount, parse_date, parse_nip,
                                     parse_number)
from kinerja_xl.domain.definition import Definition, Field, Step, Table


@dataclass(frozen=True)
class Checked:
    writes: dict[str, list[list]]
    problems: list[str]


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_TEXT = 32_767  # Excel's specifications and limits: characters in a cell


def line_breaks(text: str) -> str:
    """A line break as a cell keeps it (LF, Excel's Alt+Enter): a CR written to the file is read back as LF
    (XML end-of-line handling), which would change a hashed value after it was logged."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_text(text: str) -> str:
    """Control characters (pasted from other programs) cannot be stored in a workbook cell, nor more text than
    Excel keeps in one: Excel would cut it when the file is opened, changing a hashed value after it was logged.
    Excel counts UTF-16 units, so a character outside the basic plane (an emoji) counts twice."""
    if _CONTROL.search(text):
        raise InvalidValue("berisi karakter kontrol yang tidak dapat disimpan di Excel; ketik ulang teksnya")
    length = len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2
    if length > MAX_CELL_TEXT:
        raise InvalidValue(f"terlalu panjang: {_thousands(length)} karakter, Excel menyimpan paling banyak "
                           f"{_thousands(MAX_CELL_TEXT)} per sel; persingkat teksnya (naskah panjang sebagai lampiran)")
    return text


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def repeated(keys) -> list[tuple[str, object, object]]:
    """(key, where first seen, where seen again) for every key met twice, from (value, where) pairs; blanks
    are no key. A table's key column (`no`) must be unique, typed or imported."""
    seen, again = {}, []
    for value, where in keys:
        if blank(value):
            continue
        key = str(value).strip()
        if key in seen:
            again.append((key, seen[key], where))
        seen.setdefault(key, where)
    return again


def normalise(field: Field, raw, today: dt.date):
    """The value to store for `raw`, or InvalidValue with an Indonesian reason."""
    if raw.__class__ is int and field.type == "angka" and 0 <= raw <= LIMIT:
        return raw  # what every number a step writes back is: already as parse_number and to_cell leave it
    if blank(raw):
        return None
    if isinstance(raw, str):
        check_text(raw)
    if isinstance(raw, str) and raw.lstrip().startswith("="):
        raise InvalidValue("rumus tidak diterima di sel isian; ketik nilainya langsung")
    if field.type == "angka":
        return to_cell(parse_number(raw))
    if field.type in ("rupiah", "bulat"):
        return to_cell(parse_amount(raw, whole=field.type == "bulat"))
    if field.type == "tanggal":
        return parse_date(raw, not_after=None if field.future else today)
    if field.type == "nip":
        return format_nip(parse_nip(raw))
    if field.type in ("pilihan", "ya_tidak"):
        text = str(raw).strip()
        match = next((c for c in field.options if c.casefold() == text.casefold()), None)
        if match is None:
            raise InvalidValue(f"'{text}' bukan pilihan yang sah ({', '.join(field.options)})")
        return match
    return line_breaks(str(raw).strip()) if isinstance(raw, str) else raw


def to_cell(number: Decimal | None):
    """What Excel stores of a typed number: 15 significant digits (Excel's specifications and limits;
    LibreOffice writes no more either, so a longer one would change on its save), whole numbers as int,
    others as float."""
    if number is None:
        return None
    number = Decimal(format(number, ".15g"))
    return int(number) if number == number.to_integral_value() else float(number)


def check_step(d: Definition, step: Step, blocks: dict[str, Block], today: dt.date) -> Checked:
    writes: dict[str, list[list]] = {}
    problems: list[str] = []
    for field in step.fields:
        block = blocks[field.name]
        value = _cell(field, block, 0, 0, today, problems)
        if field.required and value is None and not _already(problems, block.at()):
            problems.append(f"{field.label} di {block.at()} wajib diisi")
        writes[field.name] = [[value]]
    for table in step.tables:
        writes[table.name] = _check_table(d, table, blocks[table.name], today, problems)
    return Checked(writes, problems)


def _already(problems: list[str], address: str) -> bool:
    return any(address in p for p in problems)


def _cell(field: Field, block: Block, r: int, c: int, today, problems, row_label: str = ""):
    try:
        return normalise(field, block.value(r, c), today)
    except InvalidValue as exc:
        problems.append(f"{field.label}{row_label} di {block.at(r, c)}: {exc.message}")
        return block.value(r, c)


def filled_rows(d: Definition, table: Table, block: Block) -> list[int]:
    """Rows that carry data: any input cell typed (free tables), every item (lists), mirrored rows (mirrors)."""
    columns = d.columns_of(table)
    if table.kind == "daftar":
        return list(range(block.height))
    if table.kind == "cermin":
        return [r for r in range(block.height) if not blank(block.value(r, 0))]
    inputs = [i for i, c in enumerate(columns) if c in table.input_columns]
    return [r for r in range(block.height) if any(not blank(block.value(r, i)) for i in inputs)]


def _check_table(d: Definition, table: Table, block: Block, today, problems: list[str]) -> list[list]:
    columns = d.columns_of(table)
    inputs = set(table.input_columns)
    rows = [list(r) for r in block.values]
    filled = filled_rows(d, table, block)
    for r in filled:
        label = f" (baris {r + 1} {table.label})"
        for c, column in enumerate(columns):
            if column not in inputs:
                continue
            value = _cell(column, block, r, c, today, problems, label)
            rows[r][c] = value
            if column.required and value is None and not _already(problems, block.at(r, c)):
                problems.append(f"{column.label}{label} di {block.at(r, c)} wajib diisi")
    if len(filled) < table.min_rows:
        problems.append(f"{table.label} di {block.at()}: minimal {table.min_rows} baris harus diisi")
    _duplicates(columns, rows, block, filled, table, problems)
    return rows


def _duplicates(columns, rows: list[list], block: Block, filled: list[int], table: Table, problems: list[str]) -> None:
    """Two rows with the same key mean a pasted duplicate: name both cells (compared after parsing: 1 = "1")."""
    if not table.key:
        return
    c = next(i for i, column in enumerate(columns) if column.name == table.key)
    for key, first, r in repeated((rows[r][c], r) for r in filled):
        problems.append(f"{columns[c].label} '{key}' ganda di {block.at(first, c)} dan {block.at(r, c)}")
