"""The one place that builds adapters: clock, password, definition and the workbook port."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from kinerja_xl import app
from kinerja_xl.core.deadlines import WITA
from kinerja_xl.sop.loader import load_definition
from kinerja_xl.sop.model import Definition

PASSWORD_ENV = "KINERJA_XL_SANDI"  # sheet-protection password: configuration, never in the workbook or code
CLOCK_ENV = "KINERJA_XL_NOW"       # fixed clock for tests and the demo (ISO 8601)


def clock() -> dt.datetime:
    fixed = os.environ.get(CLOCK_ENV)
    if fixed:
        at = dt.datetime.fromisoformat(fixed)
        return at if at.tzinfo else at.replace(tzinfo=WITA)
    return dt.datetime.now(WITA)


def password() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None


def definition(path: Path | None = None) -> Definition:
    return load_definition(path)


@contextlib.contextmanager
def file_port(path: Path, d: Definition, *, write: bool):
    """The file adapter; for writing, also one actor at a time and an early read-only refusal."""
    from kinerja_xl.workbook.files import action_lock, check_writable  # openpyxl: not on the ribbon's path
    from kinerja_xl.workbook.openpyxl_adapter import FileWorkbook

    path = Path(path)
    if not write:
        port = FileWorkbook.open(path)
        app.check_identity(port, d, path)
        yield port
        return
    if path.exists():
        check_writable(path)
    with action_lock(path):
        port = FileWorkbook.open(path)
        app.check_identity(port, d, path)
        yield port
