"""The SOP definition as frozen data: what the builder lays out and the core enforces.

Nothing here knows SOP-01/SETWAN; another SOP in the PermenPAN-RB form is
another definition file.
"""
from __future__ import annotations

from dataclasses import dataclass, field

FIELD_TYPES = ("teks", "tanggal", "angka", "pilihan", "nip", "capaian")
ACTIONS = ("submit", "verify", "return", "validate")


@dataclass(frozen=True)
class Role:
    id: str
    label: str


@dataclass(frozen=True)
class Field:
    """One input cell (or one column of a table)."""

    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: float = 14


@dataclass(frozen=True)
class Table:
    """A block of rows: free rows (`indikator`), fixed items (`daftar`) or a mirror of another table."""

    name: str
    label: str
    kind: str
    columns: tuple[Field, ...]
    rows: int = 0
    min_rows: int = 0
    items: tuple[str, ...] = ()
    mirror: str = ""
    mirror_columns: tuple[str, ...] = ()

    @property
    def input_columns(self) -> tuple[Field, ...]:
        """Columns people type into: not computed, not the fixed item label."""
        return tuple(c for c in self.columns if c.type != "capaian" and not (self.kind == "daftar" and c is self.columns[0]))


@dataclass(frozen=True)
class Button:
    action: str
    label: str
    icon: str


@dataclass(frozen=True)
class Step:
    no: int
    sheet: str
    activity: str
    role: str
    documents: str
    days: int | None
    output: str
    buttons: tuple[Button, ...]
    fields: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(b.action for b in self.buttons)


@dataclass(frozen=True)
class Signer:
    name: str
    nip: str
    title: str
    role: str
    user: str


@dataclass(frozen=True)
class Header:
    """The header block of the paper form, verbatim."""

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
    day_mode: str
    place: str


@dataclass(frozen=True)
class Definition:
    format_version: int
    header: Header
    signer: Signer
    roles: tuple[Role, ...]
    steps: tuple[Step, ...]
    capaian_rules: dict = field(default_factory=dict)
    red_below: float = 70
    green_above: float = 90

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def step(self, no: int) -> Step:
        return self.steps[no - 1]

    def table(self, name: str) -> Table:
        return next(t for s in self.steps for t in s.tables if t.name == name)

    @property
    def indicator_table(self) -> Table | None:
        return next((t for s in self.steps for t in s.tables if t.kind == "indikator"), None)

    @property
    def last_step(self) -> Step:
        return self.steps[-1]

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
