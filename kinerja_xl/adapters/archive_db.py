"""The archive of validated periods: an SQLite file beside the workbooks, or a regency's PostgreSQL server.

`open_archive("arsip.sqlite")` or `open_archive("postgresql+psycopg://user@host/db")` migrates the archive to
this program's schema (`archive_schema`) and hands back an `Archive`, which records a period in one
transaction (all of its rows, or none) and reads back what the recap and the regency report need.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError, SQLAlchemyError

from kinerja_xl.adapters import archive_schema as S
from kinerja_xl.domain.errors import FileProblem, Refused, UsageError

DEFAULT_NAME = "arsip.sqlite"
_LOCK_KEY = 0x4B584C41  # "KXLA": the PostgreSQL advisory lock held while migrating


@dataclass(frozen=True)
class IndicatorRecord:
    table_name: str
    row_no: int
    key: str
    sasaran: str
    indikator: str
    identity: str
    satuan: str
    arah: str
    target: float | None
    realisasi: tuple[float | None, ...]
    capaian: float | None
    reason: str | None


@dataclass(frozen=True)
class PeriodRecord:
    """Everything one export folder puts in the archive."""

    opd: str
    sop: str
    sop_number: str
    year: int
    period: str
    period_index: int
    periods_in_year: int
    period_unit: str
    definition_sha256: str
    manifest_sha256: str
    log_rows: int
    log_head: str
    exported_at: str
    validated_at: str
    validated_utc: str
    folder: str
    files: dict[str, str]
    steps: list[dict] = field(default_factory=list)     # archive_schema.steps columns, without period_id
    actions: list[dict] = field(default_factory=list)   # archive_schema.actions columns, without period_id
    indicators: list[IndicatorRecord] = field(default_factory=list)

    @property
    def late_steps(self) -> int:
        return sum(1 for s in self.steps if s["late"])


@dataclass(frozen=True)
class Stored:
    """What recording a period did: `new` False when the same export (manifest) was already there."""

    period_id: int
    new: bool
    current: bool
    replaced: int | None     # the period id that was current before and no longer is
    kept_current: int | None  # the later validated period that stays current (this one is older)


def archive_url(spec: str | Path | None, beside: Path | None = None) -> str:
    """A database URL as given (`postgresql+psycopg://…`, `sqlite:///…`), or an SQLite file path."""
    text = str(spec) if spec is not None else str((beside or Path.cwd()) / DEFAULT_NAME)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).resolve())


def open_archive(spec: str | Path | None, beside: Path | None = None) -> "Archive":
    url = archive_url(spec, beside)
    try:
        engine = sa.create_engine(url, future=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise UsageError(f"Alamat arsip '{_safe(url)}' tidak dapat dipakai ({type(exc).__name__}: {exc}). Gunakan "
                         "berkas .sqlite atau postgresql+psycopg://pengguna@server/basisdata.") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        folder = Path(engine.url.database or ".").parent
        if not folder.is_dir():
            raise FileProblem(f"Folder arsip '{folder}' tidak ada: buat foldernya atau sebutkan --arsip lain.")
    archive = Archive(engine)
    try:
        archive.migrate()
    except OperationalError as exc:
        engine.dispose()
        raise FileProblem(f"Arsip '{_safe(url)}' tidak dapat dibuka ({_first_line(exc)}). Periksa berkas atau "
                          "server basis datanya, lalu ulangi.") from None
    except BaseException:
        engine.dispose()
        raise
    return archive


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")  # another clerk's ingest in progress: wait, do not fail
    cursor.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL is shown as typed
        return url


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class Archive:
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # ------------------------------------------------------------ schema

    def version(self) -> int:
        with self.engine.connect() as conn:
            return _version(conn)

    def migrate(self, upto: int = S.LATEST) -> list[int]:
        """Apply every step after the archive's version, each in its own transaction; the versions applied."""
        applied = []
        for version, description, step in S.MIGRATIONS:
            if version > upto:
                break
            with self.engine.begin() as conn:
                if self.engine.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
                S.schema_version.create(conn, checkfirst=True)
                current = _version(conn)
                if current > S.LATEST:
                    raise Refused(f"Arsip ini berskema versi {current}, lebih baru dari yang dikenal program ini "
                                  f"(versi {S.LATEST}): perbarui kinerja-xl, lalu ulangi. Arsip tidak diubah.")
                if version <= current:
                    continue
                step(conn)
                conn.execute(S.schema_version.insert().values(version=version, description=description,
                                                              applied_at=S.now_text()))
                applied.append(version)
        return applied

    # ------------------------------------------------------------ definitions

    def definition(self, sha256: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(S.definitions.c.canonical).where(S.definitions.c.sha256 == sha256)).scalar()

    def definitions(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(sa.select(S.definitions.c.sha256, S.definitions.c.canonical)).all())

    # ------------------------------------------------------------ periods

    def find_manifest(self, manifest_sha256: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(S.periods.c.id).where(S.periods.c.manifest_sha256 == manifest_sha256)).scalar()

    def record(self, p: PeriodRecord, definition: tuple[str, str, str]) -> Stored:
        """The period with all its rows in one transaction; the same manifest twice is stored once."""
        known = self.find_manifest(p.manifest_sha256)
        if known is not None:
            return Stored(known, False, self._is_current(known), None, None)
        try:
            with self.engine.begin() as conn:
                _ensure_definition(conn, p.definition_sha256, *definition)
                period_id = _insert_period(conn, p)
                return _settle_current(conn, p, period_id)
        except IntegrityError:  # the same export recorded meanwhile by another process
            known = self.find_manifest(p.manifest_sha256)
            if known is None:
                raise
            return Stored(known, False, self._is_current(known), None, None)

    def _is_current(self, period_id: int) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(sa.select(S.periods.c.current).where(S.periods.c.id == period_id)).scalar())

    def period(self, period_id: int) -> dict:
        with self.engine.connect() as conn:
            return dict(conn.execute(sa.select(S.periods).where(S.periods.c.id == period_id)).mappings().one())

    def slots(self) -> list[dict]:
        """Every period, current or not: OPD, SOP, year, period, when validated, late steps, current."""
        p = S.periods
        query = sa.select(p.c.id, p.c.opd, p.c.sop, p.c.year, p.c.period, p.c.period_index, p.c.periods_in_year,
                          p.c.period_unit, p.c.definition_sha256, p.c.validated_at, p.c.late_steps, p.c.current,
                          p.c.folder).order_by(p.c.year, p.c.opd, p.c.sop, p.c.period_index, p.c.id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def indicator_rows(self, years: list[int] | None = None) -> list[dict]:
        """Indicator rows of current periods (with the period's keys), and their realisasi columns in order."""
        p, i, r = S.periods, S.indicators, S.realisasi
        query = (sa.select(p.c.opd, p.c.sop, p.c.year, p.c.period_index, p.c.periods_in_year, p.c.definition_sha256,
                           i.c.id, i.c.table_name, i.c.key, i.c.sasaran, i.c.indikator, i.c.satuan, i.c.arah, i.c.target)
                 .join(i, i.c.period_id == p.c.id).where(p.c.current.is_(True)).order_by(p.c.id, i.c.row_no))
        if years is not None:
            query = query.where(p.c.year.in_(years))
        with self.engine.connect() as conn:
            rows = [dict(row) for row in conn.execute(query).mappings()]
            values: dict[int, dict[int, float | None]] = {}
            ids = [row["id"] for row in rows]
            for start in range(0, len(ids), 5000):
                chunk = ids[start:start + 5000]
                for ind, col, val in conn.execute(sa.select(r.c.indicator_id, r.c.column_index, r.c.value)
                                                  .where(r.c.indicator_id.in_(chunk))):
                    values.setdefault(ind, {})[col] = val
        for row in rows:
            cols = values.get(row["id"], {})
            row["realisasi"] = tuple(cols.get(k) for k in range(max(cols) + 1)) if cols else ()
        return rows

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                    for t in (S.periods, S.actions, S.indicators, S.realisasi)}

    def size_bytes(self) -> int | None:
        """The archive's size on disk: the SQLite file, or the PostgreSQL database."""
        if self.engine.dialect.name == "sqlite":
            path = Path(self.engine.url.database or "")
            return path.stat().st_size if path.is_file() else None
        try:
            with self.engine.connect() as conn:
                return conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
        except (OperationalError, ProgrammingError):
            return None


def _version(conn) -> int:
    if not sa.inspect(conn).has_table(S.schema_version.name):
        return 0
    return conn.execute(sa.select(sa.func.max(S.schema_version.c.version))).scalar() or 0


def _ensure_definition(conn, sha256: str, sop: str, opd: str, canonical: str) -> None:
    exists = conn.execute(sa.select(S.definitions.c.sha256).where(S.definitions.c.sha256 == sha256)).scalar()
    if exists is None:
        conn.execute(S.definitions.insert().values(sha256=sha256, sop=sop, opd=opd, canonical=canonical))


def _insert_period(conn, p: PeriodRecord) -> int:
    columns = {c.name for c in S.periods.columns} - {"id", "archived_at", "late_steps", "current"}
    values = {name: getattr(p, name) for name in columns}
    period_id = conn.execute(S.periods.insert().values(**values, archived_at=S.now_text(), late_steps=p.late_steps,
                                                       current=False).returning(S.periods.c.id)).scalar_one()
    conn.execute(S.files.insert(), [{"period_id": period_id, "name": n, "sha256": h} for n, h in p.files.items()])
    if p.steps:
        conn.execute(S.steps.insert(), [{"period_id": period_id, **s} for s in p.steps])
    if p.actions:
        conn.execute(S.actions.insert(), [{"period_id": period_id, **a} for a in p.actions])
    if p.indicators:
        keep = ("table_name", "row_no", "key", "sasaran", "indikator", "identity", "satuan", "arah", "target")
        ids = conn.execute(S.indicators.insert().returning(S.indicators.c.id, sort_by_parameter_order=True),
                           [{"period_id": period_id, **{k: getattr(i, k) for k in keep}} for i in p.indicators]
                           ).scalars().all()
        conn.execute(S.realisasi.insert(), [{"indicator_id": n, "column_index": k, "value": v}
                                            for n, i in zip(ids, p.indicators) for k, v in enumerate(i.realisasi)])
        conn.execute(S.capaian.insert(), [{"indicator_id": n, "value": i.capaian, "reason": i.reason}
                                          for n, i in zip(ids, p.indicators)])
    return period_id


def _settle_current(conn, p: PeriodRecord, period_id: int) -> Stored:
    """Of the exports of one OPD, SOP, year and period, the latest validated is current (then the longer log,
    then the one archived last)."""
    t = S.periods
    slot = (t.c.opd == p.opd) & (t.c.sop == p.sop) & (t.c.year == p.year) & (t.c.period_index == p.period_index)
    before = conn.execute(sa.select(t.c.id).where(slot & t.c.current.is_(True))).scalar()
    best = conn.execute(sa.select(t.c.id).where(slot).order_by(t.c.validated_utc.desc(), t.c.log_rows.desc(),
                                                               t.c.id.desc()).limit(1)).scalar_one()
    conn.execute(t.update().where(slot).values(current=(t.c.id == best)))
    if best == period_id:
        return Stored(period_id, True, True, before, None)
    return Stored(period_id, True, False, None, best)
