"""The archive's tables (SQLAlchemy Core) and the ordered migrations that bring any archive up to them.

Why not alembic: the archive is a dozen tables shipped inside the package to staff PCs and, for a regency,
one PostgreSQL server; its migrations must run by themselves when `arsip` or `rekap` opens an archive, with
no `alembic.ini`, no `env.py`, no migrations folder to find on disk and no second tool to learn. Alembic's
strengths (autogenerate, branches, downgrades) are not needed for a schema that only grows. So: a
`schema_version` table holding one row per applied step, and `MIGRATIONS`, an ordered list of
(version, what it does, function). Each step runs in its own transaction with its version row, on SQLite and
PostgreSQL alike (on PostgreSQL behind an advisory lock, so two OPDs opening the server archive at once
do not both migrate). An archive newer than this program is refused, never downgraded.

A step, once released, never changes: a later change is a new step (add a column, an index, a table).
The tables below are the current shape; step 1 created them as they were then (while step 1 is the only
step that creates them, "as they were then" is "as they are").
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

# One row per SOP definition met, by the SHA-256 its exports' manifests name: the recap reads each period with
# the definition it was validated under (its columns, capaian rules and bands).
definitions = sa.Table(
    "definitions", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("sop", sa.String(200), nullable=False),
    sa.Column("opd", sa.String(300), nullable=False),
    sa.Column("canonical", sa.Text, nullable=False),
)

# One row per archived export folder (a validated period). The same OPD, SOP, year and period may have several
# (an export repeated after a correction): all are kept, the latest validated one is `current`.
periods = sa.Table(
    "periods", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("opd", sa.String(300), nullable=False),
    sa.Column("sop", sa.String(200), nullable=False),
    sa.Column("sop_number", sa.String(200), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("period", sa.String(40), nullable=False),
    sa.Column("period_index", sa.Integer, nullable=False),
    sa.Column("periods_in_year", sa.Integer, nullable=False),
    sa.Column("period_unit", sa.String(20), nullable=False),
    sa.Column("definition_sha256", sa.String(64), sa.ForeignKey("definitions.sha256"), nullable=False),
    sa.Column("manifest_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("log_rows", sa.Integer, nullable=False),
    sa.Column("log_head", sa.String(64), nullable=False),
    sa.Column("exported_at", sa.String(40), nullable=False),
    sa.Column("validated_at", sa.String(40), nullable=False),
    sa.Column("validated_utc", sa.String(40), nullable=False),   # for ordering across offsets
    sa.Column("folder", sa.Text, nullable=False),
    sa.Column("archived_at", sa.String(40), nullable=False),
    sa.Column("late_steps", sa.Integer, nullable=False),
    sa.Column("current", sa.Boolean, nullable=False),
)

files = sa.Table(
    "files", metadata,
    sa.Column("period_id", sa.Integer, sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(300), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
)

# The SOP's steps as the export's "Durasi per Langkah" records them.
steps = sa.Table(
    "steps", metadata,
    sa.Column("period_id", sa.Integer, sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("activity", sa.Text, nullable=False),
    sa.Column("standard", sa.String(100), nullable=False),
    sa.Column("started", sa.String(40)),
    sa.Column("ended", sa.String(40)),
    sa.Column("actual", sa.Integer),
    sa.Column("verdict", sa.Text, nullable=False),
    sa.Column("late", sa.Boolean, nullable=False),
)

# The log rows (the hash chain) as exported.
actions = sa.Table(
    "actions", metadata,
    sa.Column("period_id", sa.Integer, sa.ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("time", sa.String(40), nullable=False),
    sa.Column("user", sa.String(200), nullable=False),
    sa.Column("official", sa.String(300), nullable=False),
    sa.Column("nip", sa.String(40), nullable=False),
    sa.Column("role", sa.String(200), nullable=False),
    sa.Column("capacity", sa.String(300), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("signature", sa.Text, nullable=False),
)

indicators = sa.Table(
    "indicators", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("period_id", sa.Integer, sa.ForeignKey("periods.id", ondelete="CASCADE"), nullable=False),
    sa.Column("table_name", sa.String(100), nullable=False),
    sa.Column("row_no", sa.Integer, nullable=False),
    sa.Column("key", sa.String(100), nullable=False),
    sa.Column("sasaran", sa.Text, nullable=False),
    sa.Column("indikator", sa.Text, nullable=False),
    sa.Column("identity", sa.Text, nullable=False),
    sa.Column("satuan", sa.String(100), nullable=False),
    sa.Column("arah", sa.String(20), nullable=False),
    sa.Column("target", sa.Float),
)

# Every realisasi column of an indicator row (column 0 = the first period's), as validated.
realisasi = sa.Table(
    "realisasi", metadata,
    sa.Column("indicator_id", sa.Integer, sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("column_index", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.Float),
)

# The capaian the export printed for the row: a percentage, or the reason there is none.
capaian = sa.Table(
    "capaian", metadata,
    sa.Column("indicator_id", sa.Integer, sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("value", sa.Float),
    sa.Column("reason", sa.Text),
)

TABLES_V1 = (definitions, periods, files, steps, actions, indicators, realisasi, capaian)


def _v1_tables(conn) -> None:
    metadata.create_all(conn, tables=list(TABLES_V1))


def _v2_indexes(conn) -> None:
    """What the recap and the regency report look up: a period by OPD, SOP, year and period; rows by period."""
    # Plain DDL (the same on SQLite and PostgreSQL): an sa.Index on these Table objects would attach itself to
    # them, and step 1's create_all would then make it too.
    for name, table, columns in (("ix_periods_slot", "periods", ("opd", "sop", "year", "period_index")),
                                 ("ix_periods_current_year", "periods", ("current", "year")),
                                 ("ix_indicators_period", "indicators", ("period_id",))):
        quoted = ", ".join(f'"{c}"' for c in columns)
        conn.execute(sa.text(f'CREATE INDEX "{name}" ON "{table}" ({quoted})'))


MIGRATIONS = (
    (1, "tabel arsip: definisi, periode, berkas, langkah, aksi (log), indikator, realisasi, capaian", _v1_tables),
    (2, "indeks untuk rekap dan laporan kabupaten", _v2_indexes),
)
LATEST = MIGRATIONS[-1][0]


def now_text() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
