"""What every use case starts from: the period read from the workbook, and what the edges supply (`Env`)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kinerja_xl.domain import names as N
from kinerja_xl.domain.actions import KeyFor
from kinerja_xl.domain.period import Period, load_period
from kinerja_xl.service.unit_of_work import UnitOfWork

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Env:
    """What the edges supply: the time (in the office's zone), the protection password if any, and where the
    acting official's private key is (user -> key or None; None: no key store on this path)."""

    clock: Clock
    password: str | None = None
    keys: KeyFor | None = None


def all_names(uow: UnitOfWork) -> list[str]:
    """Every block an action may need; adapters read them in one pass per sheet."""
    d = uow.definition
    step_names = [f.name for s in d.steps for f in s.fields] + [t.name for t in d.tables]
    totals = [t.total_name for t in d.tables if t.totals]
    system = [N.LOG, N.STATUS, N.TURN, N.SIGNATURE, N.META_SOP, N.META_FORMAT, N.META_DEFINITION_HASH, N.META_CODE,
              N.META_PREVIOUS,
              *N.SETTINGS_INPUTS]
    present = uow.book.names()
    return [n for n in step_names + totals + system + [N.record(s.no) for s in d.steps] if n in present]


def read_period(uow: UnitOfWork) -> Period:
    return load_period(uow.definition, uow.book.read(all_names(uow)))
