"""`set` and `import`: typed values and table rows, checked before anything is written.

The current step's official fills that step's inputs; before the period starts an admin
(or the first step's official) also maintains Pengaturan the same way.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition, Field, Step, Table
from kinerja_xl.domain.derived import derive
from kinerja_xl.domain.errors import InputProblems, Refused
from kinerja_xl.domain.definition_rules import did_you_mean
from kinerja_xl.domain.inputs import blank, normalise, repeated
from kinerja_xl.domain.period import Period
from kinerja_xl.domain.settings import PERIOD_LABELS
from kinerja_xl.domain.values import InvalidValue

_CELL_KEY = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


@dataclass(frozen=True)
class Entry:
    values: dict[str, object] = field(default_factory=dict)   # set: NAME -> typed text
    table: str | None = None                                   # import: into this table (None: the step's only one)
    header: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    source: str = ""                                           # file name, for messages
    importing: bool = False


def setting_fields(d: Definition) -> dict[str, Field]:
    period = (Field(N.PERIOD, PERIOD_LABELS[d.header.period_unit], "pilihan", choices=d.periods)
              if d.header.period_unit != "tahun" else None)
    fields = [Field(N.YEAR, "Tahun", "bulat"), period, Field(N.PERIOD_START, "Tanggal mulai periode", "tanggal", future=True),
              Field(N.PLACE, "Tempat penandatanganan (kota)", "teks"),
              Field(N.ADDRESS, "Alamat kantor (untuk kop dokumen)", "teks")]
    return {f.name: f for f in fields if f}


def setting_tables() -> dict[str, Table]:
    """Pengaturan's tables, typed like any table so `set` reaches their cells the same way."""
    text = lambda name, label: Field(name, label, "teks")  # noqa: E731
    officials = (text("nama", "Nama"), Field("nip", "NIP", "nip"), text("jabatan", "Jabatan"), text("peran", "Peran"),
                 text("pengguna", "Pengguna Windows"))
    standins = (Field("jenis", "Jenis", "pilihan", choices=("Plh.", "Plt.")), text("nama", "Nama"), Field("nip", "NIP", "nip"),
                text("pengguna", "Pengguna Windows"), text("peran", "Menggantikan Peran"),
                Field("mulai", "Mulai", "tanggal", future=True), Field("selesai", "Selesai", "tanggal", future=True))
    off_days = (Field("tanggal", "Tanggal", "tanggal", future=True), text("keterangan", "Keterangan"))
    keys = (text("pengguna", "Pengguna Windows"), text("kunci_publik", "Kunci Publik"), text("sidik_jari", "Sidik Jari"))
    return {N.OFFICIALS: Table(N.OFFICIALS, "Pejabat", "butir", officials, N.OFFICIAL_ROWS),
            N.KEYS: Table(N.KEYS, "Kunci", "butir", keys, N.KEY_ROWS),
            N.STANDINS: Table(N.STANDINS, "Plh./Plt.", "butir", standins, N.STANDIN_ROWS),
            N.OFF_DAYS: Table(N.OFF_DAYS, "Hari libur", "butir", off_days, N.OFF_DAY_ROWS)}


def fill_fields(period: Period, step: Step | None, values: dict, today: dt.date, settings: bool):
    """NAME=VALUE for a field, TABLE[row].column=VALUE for a table cell (row counted from 1).

    `step` is None when the person may only maintain Pengaturan; `settings` says whether they may."""
    d = period.d
    fields = ({f.name: f for f in step.fields} if step else {}) | (setting_fields(d) if settings else {})
    tables = ({t.name: t for t in step.tables} if step else {}) | (setting_tables() if settings else {})
    problems, writes, edits = [], {}, {}
    for key, raw in values.items():
        cell = _CELL_KEY.match(key)
        if cell:
            _fill_cell(period, tables, cell.groups(), key, raw, today, edits, problems)
            continue
        if key not in fields:
            raise Refused(f"'{key}' bukan isian yang dapat Anda isi sekarang.{_maybe(key, [*fields, *tables])} "
                          "Isian yang dapat diisi: "
                          f"{', '.join(fields) or '(tidak ada)'}"
                          + (f"; tabel: {', '.join(tables)} (TABEL[baris].kolom=NILAI)" if tables else "") + ".")
        try:
            writes[key] = [[normalise(fields[key], raw, today)]]
        except InvalidValue as exc:
            problems.append(f"{fields[key].label} di {period.blocks[key].at()}: {exc.message}")
    if problems:
        raise InputProblems(problems, "Perbaiki nilainya, lalu ulangi.")
    writes |= {name: _applied(period.blocks[name].values, cells) for name, cells in edits.items()}
    where = f"langkah {step.no} ({step.sheet})" if step else N.SETTINGS_SHEET
    return derive(d, writes, period.blocks, period.settings.period_index(d)), f"{len(values)} isian {where} tersimpan."


def _maybe(word: str, known) -> str:
    """ Maksud Anda 'x'?, for a name typed slightly wrong."""
    hint = did_you_mean(word, known)
    return f" M{hint[3:]}" if hint else ""


def _fill_cell(period: Period, tables: dict, parts, key: str, raw, today, edits: dict, problems: list) -> None:
    """One TABLE[row].column=VALUE, checked and kept in `edits` (table -> {(r, c): value}): the table itself is
    copied once, after every cell is checked (`_applied`), so setting K cells costs K + N, not K × N."""
    name, row, column = parts
    table = tables.get(name)
    if table is None:
        raise Refused(f"'{name}' bukan tabel yang dapat Anda isi sekarang.{_maybe(name, tables)} "
                      f"Tabel: {', '.join(tables) or '(tidak ada)'}.")
    columns, inputs = _columns(period.d, table)
    c = next((i for i, col in enumerate(columns) if col.name == column and col in inputs), None)
    r, count = int(row) - 1, len(period.blocks[name].values)
    if c is None or not 0 <= r < count:
        hint = _maybe(column, [col.name for col in inputs]) if c is None else ""
        raise Refused(f"'{key}': kolom atau baris tidak ada.{hint} Kolom isian {table.name}: "
                      f"{', '.join(col.name for col in inputs)}; baris 1–{count}.")
    try:
        edits.setdefault(name, {})[r, c] = normalise(columns[c], raw, today)
    except InvalidValue as exc:
        problems.append(f"{columns[c].label} (baris {row}) di {period.blocks[name].at(r, c)}: {exc.message}")


def _columns(d: Definition, table: Table) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """A table's columns as the workbook shows them (a mirror's source columns first) and those people type into."""
    return (d.columns_of(table) if table.name in {t.name for t in d.tables} else table.columns), table.input_columns


def _applied(values: tuple[tuple, ...], cells: dict) -> list[list]:
    """The table's rows with the checked cells written in: one copy of the table, however many cells."""
    rows = [list(v) for v in values]
    for (r, c), value in cells.items():
        rows[r][c] = value
    return rows


def importable(step: Step, name: str | None) -> Table:
    """The table an import goes into: the one named, or the step's only importable table."""
    tables = [t for t in step.tables if t.importable]
    if name is not None:
        match = next((t for t in tables if t.name == name), None)
        if match is None:
            raise Refused(f"Tabel '{name}' tidak dapat diimpor pada langkah {step.no} ({step.sheet}). "
                          f"Tabel yang dapat diimpor: {', '.join(t.name for t in tables) or '(tidak ada)'}.")
        return match
    if len(tables) != 1:
        raise Refused(f"Langkah {step.no} ({step.sheet}) " + ("tidak memiliki tabel yang dapat diimpor." if not tables else
                      f"memiliki beberapa tabel yang dapat diimpor ({', '.join(t.name for t in tables)}): sebutkan tabelnya."))
    return tables[0]


def fill_table(period: Period, step: Step, entry: Entry, today: dt.date):
    """Replace the table with the file's rows: all or nothing, every problem named by file row and column."""
    d = period.d
    table = importable(step, entry.table)
    columns = d.columns_of(table)
    index, extra, problems = _match_header(columns, table, entry)
    records = [(line, raw) for line, raw in enumerate(entry.rows, 2) if not all(blank(v) for v in raw)]
    if not records:
        problems.append(f"{entry.source}: berkas tidak berisi baris data, hanya judul kolom. Isi baris data di "
                        f"bawah judul kolom; {table.label} tidak dikosongkan lewat impor")
    if len(records) > table.rows:
        problems.append(f"{entry.source}: {len(records)} baris, paling banyak {table.rows}")
    if problems:
        raise InputProblems(problems, "Perbaiki berkasnya, lalu impor lagi. Tidak ada yang diubah.")
    rows = [[None] * len(columns) for _ in range(table.rows)]
    for r, (line, raw) in enumerate(records):
        for c, column in enumerate(columns):
            if c in index and index[c] < len(raw) and column in table.input_columns:
                try:
                    rows[r][c] = normalise(column, raw[index[c]], today)
                except InvalidValue as exc:
                    problems.append(f"{entry.source} baris {line}, kolom '{entry.header[index[c]]}': {exc.message}")
    problems += _duplicate_keys(columns, table, rows, records, entry.source)
    if problems:
        raise InputProblems(problems, "Perbaiki berkasnya, lalu impor lagi. Tidak ada yang diubah.")
    writes = derive(d, {table.name: rows}, period.blocks, period.settings.period_index(d))
    note = f" Kolom diabaikan: {', '.join(extra)}." if extra else ""
    noun = "indikator" if table.kind == "indikator" else "baris"
    return writes, f"{len(records)} {noun} diimpor ke {table.label} ({step.sheet}).{note}"


def _duplicate_keys(columns, table: Table, rows: list[list], records: list, source: str) -> list[str]:
    """The same key twice is a pasted duplicate: refused at import, naming both file rows (1 = "01" once parsed)."""
    c = next((i for i, column in enumerate(columns) if column.name == table.key), None)
    if c is None:
        return []
    return [f"{source} baris {first} dan baris {line}: {columns[c].label} '{key}' ganda"
            for key, first, line in repeated((rows[r][c], line) for r, (line, _) in enumerate(records))]


def _match_header(columns, table: Table, entry: Entry):
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
