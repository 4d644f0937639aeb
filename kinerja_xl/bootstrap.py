"""The one place that builds adapters: the clock, the password, and the units of work over a workbook."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kinerja_xl.domain.errors import UsageError
from kinerja_xl.service.handlers import Env
from kinerja_xl.service.unit_of_work import FileUnitOfWork, LiveUnitOfWork, UnitOfWork

PASSWORD_ENV = "KINERJA_XL_SANDI"  # sheet-protection password: configuration, never in the workbook or code
CLOCK_ENV = "KINERJA_XL_NOW"       # fixed clock for tests and the demo (ISO 8601; without an offset: office time)


def now(zone: dt.tzinfo) -> dt.datetime:
    fixed = os.environ.get(CLOCK_ENV)
    if not fixed:
        return dt.datetime.now(zone)
    try:
        at = dt.datetime.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"{CLOCK_ENV}='{fixed}' bukan waktu ISO 8601 (mis. 2026-10-01T09:00). Perbaiki atau hapus "
                         "variabel itu.") from None
    return at.astimezone(zone) if at.tzinfo else at.replace(tzinfo=zone)


def password() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None


def env(uow: UnitOfWork, clock=None, password_=None) -> Env:
    """The time in the office's zone, from the definition the workbook carries."""
    zone = uow.definition.tz
    return Env(clock or (lambda: now(zone)), password_ or password())


def file_uow(path: Path, *, write: bool, open_book: bool = True) -> FileUnitOfWork:
    return FileUnitOfWork(Path(path), write=write, open_book=open_book)


def live_uow(book, password_: str | None) -> LiveUnitOfWork:
    return LiveUnitOfWork(book, password_)
