"""The use cases, one handler per command, reached by the CLI and the ribbon through one table.

Each reads the period through the unit of work, decides in the domain, writes back and
commits once (the workbook and its anchor together), or changes nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl.domain import audit, locks, medium, signing, status
from kinerja_xl.domain import names as N
from kinerja_xl.domain.actions import Outcome, act, authorize, may_edit_settings
from kinerja_xl.domain.commands import Act, Check, Export, Fill, RegisterKey, RollOver, ShowStatus
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain.integrity import anchor_data
from kinerja_xl.domain.period import Period
from kinerja_xl.service.reading import Env, read_period
from kinerja_xl.service.unit_of_work import UnitOfWork

def perform(cmd: Act, uow: UnitOfWork, env: Env) -> Outcome:
    """One workflow action, saved all at once or not at all."""
    period = read_period(uow, trusted=uow.as_last_saved())
    outcome = act(period, cmd.action, cmd.user, env.clock(), cmd.note, cmd.step, cmd.to, cmd.medium, env.keys)
    if outcome.log_row >= period.blocks[N.LOG].height:
        raise Refused("Lembar Log sudah penuh. Ekspor hasil dan mulai buku kerja baru untuk periode berikutnya.")
    for name, rows in outcome.writes.items():
        uow.book.write(name, rows)
    if N.FLOW_STATUS in uow.book.names():  # the Bagan Alir's turn mark (a workbook built before it has none)
        uow.book.write(N.FLOW_STATUS, status.flow_marks(outcome.state))
    uow.book.write(N.LOG, [list(outcome.entry.row())], outcome.log_row)
    was_open = locks.editable_areas(uow.definition, period.state.current, settings_open=period.settings_open)
    uow.book.protect(was_open, outcome.unlocked, env.password)  # only what changes: relocking 2,000 rows is not free
    uow.commit(anchor_data(uow.definition, outcome.after.entries, outcome.after.blocks, uow.definition_hash,
                           uow.previous_anchor()))
    return outcome


def fill(cmd: Fill, uow: UnitOfWork, env: Env) -> str:
    """`set` and `import`: nothing is logged until the step is sent."""
    from kinerja_xl.domain.data_entry import fill_fields, fill_table

    period = read_period(uow, trusted=uow.as_last_saved())
    now = env.clock()
    settings = may_edit_settings(period, cmd.user, now)
    try:
        authorize(period, cmd.user, now)
        step = uow.definition.step(period.state.current)
    except Refused:
        if not settings:
            raise
        step = None
    if cmd.entry.importing:
        if step is None:
            raise Refused("Impor hanya untuk pejabat langkah yang sedang aktif.")
        writes, message = fill_table(period, step, cmd.entry, now.date())
    else:
        writes, message = fill_fields(period, step, cmd.entry.values, now.date(), settings)
    for name, rows in writes.items():
        uow.book.write(name, rows)
    uow.commit(None)
    return message


def register_key(cmd: RegisterKey, uow: UnitOfWork, env: Env) -> str:
    """The official's own public key into Pengaturan's key table (sealed with step 1, like all of Pengaturan)."""
    period = read_period(uow)
    index, row = signing.registration(period, cmd.user, cmd.public)
    uow.book.write(N.KEYS, [row], index)
    uow.commit(None)
    return (f"Kunci publik pengguna '{row[0]}' terdaftar di lembar Pengaturan ({period.blocks[N.KEYS].at(index, 0)}) "
            f"(sidik jari {row[2]}). Sampaikan sidik jari ini ke admin/Inspektorat untuk daftar kunci kantor.")


@dataclass(frozen=True)
class StatusReport:
    rows: list[list]
    turn: str
    closed: bool
    signed: bool
    log_head: tuple[int, str]
    facts: tuple[status.StepFacts, ...] = ()   # the same steps as typed values, for `status --json`
    now: dt.datetime | None = None
    current: int | None = None


def show_status(cmd: ShowStatus, uow: UnitOfWork, env: Env) -> StatusReport:
    period = read_period(uow, trusted=uow.as_last_saved())
    d, now = uow.definition, env.clock()
    return StatusReport(status.rows(d, period.state, period.entries, period.settings, now),
                        status.turn(d, period.state, period.people), period.state.closed, period.state.signed,
                        audit.head(period.entries), tuple(status.facts(d, period.state, period.entries, period.settings,
                                                                       now)), now, period.state.current)


def check(cmd: Check, uow: UnitOfWork, env: Env):
    from kinerja_xl.service.checking import check_file

    from kinerja_xl.adapters.registry_file import read_registry

    trusted = (read_registry(cmd.registry), Path(cmd.registry).name) if cmd.registry else None
    return check_file(uow.on_disk(), cmd.anchor, trusted, cmd.previous)


def export(cmd: Export, uow: UnitOfWork, env: Env):
    return export_from(read_period(uow), cmd, uow.on_disk(), uow.definition_hash, env)


def export_from(period: Period, cmd: Export, source: Path, definition_hash: str, env: Env):
    """The export of a period already read: `validate`'s automatic export uses the period its action left, so
    the workbook is neither read again nor held in memory while the PDF is made."""
    from kinerja_xl.export.folder import export_period

    if not period.state.signed and not cmd.draft:
        raise Refused(medium.export_before_signing(cmd.medium, period.d.signing_step))
    return export_period(period, source, definition_hash, cmd.out, draft=cmd.draft, now=env.clock(),
                         pdf_maker=cmd.pdf, pdf_key=signing.validator_key(period, cmd.user, env.keys))


def roll_over(cmd: RollOver, uow: UnitOfWork, env: Env):
    from kinerja_xl.service.rollover import roll_over as run

    return run(cmd, uow, env)


HANDLERS = {RollOver: roll_over, Act: perform, Fill: fill, RegisterKey: register_key, ShowStatus: show_status, Check: check, Export: export}


def handle(cmd, uow: UnitOfWork, env: Env):
    return HANDLERS[type(cmd)](cmd, uow, env)
