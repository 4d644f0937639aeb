"""`set` and `import`: typed values and PK indicator rows, checked before anything is written."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kinerja_xl.core.errors import InputProblems, Refused
from kinerja_xl.core.indicators import with_capaian
from kinerja_xl.core.inputs import blank, normalise
from kinerja_xl.core.values import InvalidValue
from kinerja_xl.sop import names as N
from kinerja_xl.sop.model import Definition, Field, Step

_SETTING_FIELDS = {N.YEAR: Field(N.YEAR, "Tahun", "angka"),
                   N.QUARTER: Field(N.QUARTER, "Triwulan", "pilihan", choices=N.QUARTERS),
                   N.PERIOD_START: Field(N.PERIOD_START, "Tanggal mulai periode", "tanggal")}


@dataclass(frozen=True)
class Entry:
    values: dict[str, object] = field(default_factory=dict)   # set: NAME -> typed text
    table: str | None = None                                   # import: into this table
    header: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    source: str = ""                                           # file name, for messages


_CELL_KEY = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def fill_fields(d: Definition, step: Step, ctx, values: dict, today: dt.date, settings_open: bool):
    """NAME=VALUE for a field, TABLE[row].column=VALUE for a table cell (row counted from 1)."""
    fields = {f.name: f for f in step.fields} | (_SETTING_FIELDS if settings_open else {})
    problems, writes = [], {}
    for name, raw in values.items():
        if _CELL_KEY.match(name):
            _fill_cell(d, step, ctx, name, raw, today, writes, problems)
            continue
        if name not in fields:
            raise Refused(f"'{name}' bukan isian langkah {step.no} ({step.sheet}). Isian yang dapat diisi: "
                          f"{', '.join(fields) or '(tidak ada; gunakan import untuk tabel)'}.")
        try:
            writes[name] = [[normalise(fields[name], raw, today)]]
        except InvalidValue as exc:
            problems.append(f"{fields[name].label} di {ctx.blocks[name].at()}: {exc.message}")
    if problems:
        raise InputProblems(problems, "Perbaiki nilainya, lalu ulangi.")
    return writes, f"{len(values)} isian langkah {step.no} ({step.sheet}) tersimpan."


def _fill_cell(d: Definition, step: Step, ctx, key: str, raw, today, writes: dict, problems: list) -> None:
    name, row, column = _CELL_KEY.match(key).groups()
    table = next((t for t in step.tables if t.name == name), None)
    if table is None:
        raise Refused(f"'{name}' bukan tabel langkah {step.no} ({step.sheet}). Tabel: "
                      f"{', '.join(t.name for t in step.tables) or '(tidak ada)'}.")
    columns = d.columns_of(table)
    c = next((i for i, col in enumerate(columns) if col.name == column and col in table.input_columns), None)
    r = int(row) - 1
    if c is None or not 0 <= r < d.rows_of(table):
        raise Refused(f"'{key}': kolom atau baris tidak ada. Kolom isian {table.name}: "
                      f"{', '.join(col.name for col in table.input_columns)}; baris 1–{d.rows_of(table)}.")
    rows = writes.setdefault(name, [list(v) for v in ctx.blocks[name].values])
    try:
        rows[r][c] = normalise(columns[c], raw, today)
    except InvalidValue as exc:
        problems.append(f"{columns[c].label} (baris {row}) di {ctx.blocks[name].at(r, c)}: {exc.message}")
    if table.kind == "indikator":
        writes[name] = with_capaian(d, table, rows, ctx.settings.quarter)


def fill_table(d: Definition, step: Step, ctx, entry: Entry, today: dt.date):
    table = next((t for t in step.tables if t.kind == "indikator"), None)
    if table is None:
        raise Refused(f"Langkah {step.no} ({step.sheet}) tidak memiliki tabel indikator untuk diimpor. "
                      "Impor dilakukan pada langkah pengisian data kinerja.")
    columns = d.columns_of(table)
    index, extra, problems = _match_header(columns, table, entry)
    if len(entry.rows) > table.rows:
        problems.append(f"{entry.source}: {len(entry.rows)} baris, paling banyak {table.rows}")
    if problems:
        raise InputProblems(problems, "Perbaiki berkasnya, lalu impor lagi.")
    rows = [[None] * len(columns) for _ in range(table.rows)]
    for r, raw in enumerate(entry.rows):
        for c, column in enumerate(columns):
            if c in index and index[c] < len(raw) and column in table.input_columns:
                try:
                    rows[r][c] = normalise(column, raw[index[c]], today)
                except InvalidValue as exc:
                    problems.append(f"{entry.source} baris {r + 2}, kolom '{entry.header[index[c]]}': {exc.message}")
    if problems:
        raise InputProblems(problems, "Perbaiki berkasnya, lalu impor lagi. Tidak ada yang diubah.")
    rows = with_capaian(d, table, rows, ctx.settings.quarter)
    filled = sum(1 for row in entry.rows if not all(blank(v) for v in row))
    note = f" Kolom diabaikan: {', '.join(extra)}." if extra else ""
    return {table.name: rows}, f"{filled} indikator diimpor ke {table.label} ({step.sheet}).{note}"


def _match_header(columns, table, entry: Entry):
    """Header cells match a column's name or its label, in any case; required columns must be there."""
    keys = {}
    for i, column in enumerate(columns):
        keys[column.name.casefold()] = i
        keys[column.label.casefold()] = i
    index, extra = {}, []
    for j, head in enumerate(entry.header):
        key = str(head or "").strip().casefold()
        if key in keys:
            index.setdefault(keys[key], j)
        elif key:
            extra.append(str(head))
    missing = [c.name for i, c in enumerate(columns) if c.required and c in table.input_columns and i not in index]
    problems = []
    if missing:
        hint = ""
        if len(entry.header) == 1 and any(sep in str(entry.header[0]) for sep in ";,\t|"):
            hint = " (pemisah kolom tidak dikenali: simpan ulang sebagai CSV dengan koma atau titik koma)"
        problems.append(f"{entry.source}: kolom wajib tidak ada: {', '.join(missing)}{hint}. "
                        f"Kolom yang ditemukan: {', '.join(map(str, entry.header)) or '(kosong)'}")
    return index, extra, problems
