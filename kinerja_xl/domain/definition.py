"""An SOP definition as frozen data: what the builder lays out and the domain enforces.

Nothing here knows any one SOP; the first office's SOP is one definition file, another
office's SOP in the PermenPAN-RB 35/2012 form is another.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

FIELD_TYPES = ("teks", "tanggal", "angka", "rupiah", "bulat", "pilihan", "ya_tidak", "nip", "capaian")
NUMERIC_TYPES = ("angka", "rupiah", "bulat")
ACTIONS = ("submit", "verify", "return", "validate")
TABLE_KINDS = ("indikator", "butir", "daftar", "cermin")
YES_NO = ("Ya", "Tidak")
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
# Reporting period units: the values Pengaturan offers, and how export folders name them.
PERIODS = {"bulan": MONTHS, "triwulan": ("I", "II", "III", "IV"), "semester": ("I", "II"), "tahun": ("Tahunan",)}
PERIOD_TAGS = {"bulan": "BLN", "triwulan": "TW", "semester": "SMT", "tahun": ""}
TIME_UNITS = ("hari kerja", "hari kalender", "jam")


@dataclass(frozen=True)
class Role:
    """A pelaksana: a lane of the Bagan Alir, held by one official."""

    id: str
    label: str


@dataclass(frozen=True)
class Field:
    """One input cell, or one column of a table."""

    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: float = 14
    future: bool = False  # a date that may lie after today (a due date, a planned date)

    @property
    def options(self) -> tuple[str, ...]:
        return YES_NO if self.type == "ya_tidak" else self.choices


@dataclass(frozen=True)
class Table:
    """Rows of typed columns: PK indicators (`indikator`), free items (`butir`), fixed items (`daftar`),
    or a mirror of another table's rows with columns of its own (`cermin`)."""

    name: str
    label: str
    kind: str
    columns: tuple[Field, ...]
    rows: int = 0
    min_rows: int = 0
    items: tuple[str, ...] = ()
    mirror: str = ""
    mirror_columns: tuple[str, ...] = ()
    importable: bool = False
    key: str = ""                       # a column whose values must be unique (the indicator number)
    totals: tuple[str, ...] = ()        # numeric columns summed in a total row under the table
    target: str = ""                    # indikator: the target column
    direction: str = ""                 # indikator: the arah (polarity) column
    realisations: tuple[str, ...] = ()  # indikator: one realisasi column per period (or a single one)

    @property
    def input_columns(self) -> tuple[Field, ...]:
        """Columns people type into: not computed, not the fixed item label."""
        return tuple(c for c in self.columns if c.type != "capaian" and not (self.kind == "daftar" and c is self.columns[0]))

    @property
    def total_name(self) -> str:
        return f"{self.name}_total"


@dataclass(frozen=True)
class Button:
    """One ribbon button of a step: the action it takes, and how the ribbon shows it."""

    action: str
    label: str
    icon: str
    to: int | None = None  # a return's target step


@dataclass(frozen=True)
class TimeStandard:
    """The SOP's waktu: how long a step may take, in working days, calendar days or hours."""

    amount: int
    unit: str  # one of TIME_UNITS

    @property
    def label(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class Step:
    """One activity of the SOP: its sheet, who acts, what they fill in, and the buttons they press."""

    no: int
    sheet: str
    activity: str
    role: str
    documents: str
    time: TimeStandard | None
    output: str
    buttons: tuple[Button, ...]
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    sign_place: str = ""  # the field holding the place written before the signing date

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(b.action for b in self.buttons)

    @property
    def signs(self) -> bool:
        return "validate" in self.actions

    @property
    def returns(self) -> tuple[Button, ...]:
        return tuple(b for b in self.buttons if b.action == "return")


@dataclass(frozen=True)
class Header:
    """The header block of the paper form, verbatim, and how the office runs it."""

    code: str
    unit: str
    number: str
    created: str
    revised: str
    effective: str
    approved_by: str
    name: str
    chart_title: str
    legal_basis: tuple[str, ...]
    qualifications: tuple[str, ...]
    related: tuple[str, ...]
    equipment: tuple[str, ...]
    warning: str
    records: str
    app_label: str       # the ribbon tab and dialog titles
    file_stem: str       # the workbook's file name without .xlsm
    zone: str = "WIB"    # WIB | WITA | WIT
    period_unit: str = "tahun"


@dataclass(frozen=True)
class Definition:
    """A whole SOP: the header of the paper form, its roles and its steps in order."""

    format_version: int
    header: Header
    roles: tuple[Role, ...]
    steps: tuple[Step, ...]
    capaian_rules: dict = field(default_factory=dict)
    red_below: float = 70
    green_above: float = 90

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    @property
    def lanes(self) -> list[str]:
        """Role ids in the order the steps first name them: the pelaksana columns of a Bagan Alir."""
        seen: list[str] = []
        for step in self.steps:
            if step.role not in seen:
                seen.append(step.role)
        return seen

    def step(self, no: int) -> Step:
        return self.steps[no - 1]

    def table(self, name: str) -> Table:
        return next(t for s in self.steps for t in s.tables if t.name == name)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(t for s in self.steps for t in s.tables)

    @property
    def signing_step(self) -> Step:
        return next(s for s in self.steps if s.signs)

    @property
    def tz(self) -> dt.tzinfo:
        return ZoneInfo(ZONES[self.header.zone])

    @property
    def periods(self) -> tuple[str, ...]:
        return PERIODS[self.header.period_unit]

    def columns_of(self, table: Table) -> tuple[Field, ...]:
        """A mirror table shows its source's columns first, then its own."""
        if table.kind != "cermin":
            return table.columns
        source = {c.name: c for c in self.table(table.mirror).columns}
        return tuple(source[n] for n in table.mirror_columns) + table.columns

    def rows_of(self, table: Table) -> int:
        if table.kind == "daftar":
            return len(table.items)
        if table.kind == "cermin":
            return self.rows_of(self.table(table.mirror))
        return table.rows
