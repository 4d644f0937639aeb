"""What every use case starts from: the period read from the workbook, and what the edges supply (`Env`)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from kinerja_xl.adapters.port import WorkbookPort
from kinerja_xl.domain import names as N
from kinerja_xl.domain.blocks import Block
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


def read_period(uow: UnitOfWork, trusted: bool = False) -> Period:
    """`trusted`: the file is as kinerja-xl saved it last (`UnitOfWork.as_last_saved`), so completed steps are not
    proven again and a sheet none of whose blocks the action needs is never read. Any other file is read whole
    first: a damaged sheet is refused before anything is done, wherever it is."""
    names = all_names(uow)
    blocks = LazyBlocks(uow.book, names) if trusted else uow.book.read(names)
    return load_period(uow.definition, blocks, trusted=trusted)


class LazyBlocks(Mapping):
    """The workbook's blocks, each read when it is first asked for: a 20,000-row table beside the cell an action
    needs on the same sheet is not read for it (the file adapters read only a block's own rows)."""

    def __init__(self, book: WorkbookPort, names: list[str]):
        self._book, self._names, self._read = book, dict.fromkeys(names), {}

    def __getitem__(self, name: str) -> Block:
        if name not in self._read:
            if name not in self._names:
                raise KeyError(name)
            self._read.update(self._book.read([name]))
        return self._read[name]

    def __contains__(self, name) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
