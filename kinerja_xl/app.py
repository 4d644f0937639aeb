"""Application services: read through a port, decide in the core, write back, save once.

The CLI and the ribbon both call these, so a button and its CLI twin behave the same.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kinerja_xl import WORKBOOK_FORMAT
from kinerja_xl.core import audit, locks, status, workflow
from kinerja_xl.core.actions import Command, Context, Outcome, act, load_context
from kinerja_xl.core.data_entry import Entry, fill_fields, fill_table
from kinerja_xl.core.errors import FileProblem, Refused
from kinerja_xl.core.people import resolve
from kinerja_xl.sop import names as N
from kinerja_xl.sop.model import Definition
from kinerja_xl.workbook.port import WorkbookPort

Clock = Callable[[], dt.datetime]


def all_names(d: Definition) -> list[str]:
    """Every block an action may need; adapters read them in one pass per sheet."""
    step_names = [f.name for s in d.steps for f in s.fields] + [t.name for s in d.steps for t in s.tables]
    system = [N.LOG, N.STATUS, N.TURN, N.SIGNATURE, N.META_SOP, N.META_FORMAT, *N.SETTINGS_INPUTS]
    return step_names + system + [N.record(s.no) for s in d.steps]


def context(port: WorkbookPort, d: Definition) -> Context:
    present = port.names()
    return load_context(d, port.read([n for n in all_names(d) if n in present]))


def perform(port: WorkbookPort, d: Definition, command: Command, clock: Clock, password: str | None) -> Outcome:
    """One workflow action, saved all at once or not at all."""
    ctx = context(port, d)
    outcome = act(ctx, command, clock())
    if outcome.log_row >= ctx.blocks[N.LOG].height:
        raise Refused("Lembar Log sudah penuh. Ekspor hasil dan mulai buku kerja baru untuk periode berikutnya.")
    for name, rows in outcome.writes.items():
        port.write(name, rows)
    port.write(N.LOG, [list(outcome.entry.row())], outcome.log_row)
    was_open = locks.editable_areas(d, ctx.state.current, settings_open=not ctx.entries)
    port.protect(was_open, outcome.unlocked, password)  # only what changes: relocking 2,000 rows is not free
    port.save()
    _anchor(port, d, ctx, outcome)
    return outcome


def _anchor(port: WorkbookPort, d: Definition, ctx: Context, outcome: Outcome) -> None:
    """Keep the chain head (and the completed steps' cell digests) outside the workbook, beside it."""
    location = port.location()
    if location is None:
        return
    from kinerja_xl.core.integrity import anchor_data
    from kinerja_xl.integrity import write_sidecar

    after = {name: block.with_rows(outcome.writes[name]) if name in outcome.writes else block
             for name, block in ctx.blocks.items()}
    try:
        write_sidecar(location, anchor_data(d, ctx.entries + [outcome.entry], after))
    except OSError as exc:
        raise FileProblem(f"Aksi tersimpan di buku kerja, tetapi berkas anchor '{location.name}.anchor.json' tidak dapat "
                          f"ditulis ({exc.strerror or exc}). Pastikan folder dapat ditulisi; pemeriksaan integritas "
                          "akan melaporkan anchor yang tertinggal.") from None


def enter(port: WorkbookPort, d: Definition, user: str, entry: Entry, clock: Clock) -> str:
    """`set` and `import`: the current step's official fills inputs; nothing is logged until it is sent."""
    ctx = context(port, d)
    now = clock()
    if ctx.state.closed:
        workflow.check_allowed(d, ctx.state, "submit", 0)
    step = d.step(ctx.state.current)
    who = ctx.people.describe(step.role, d)
    resolve(ctx.people, d, user, step.role, now.date(), workflow.turn_text(d, ctx.state, who))
    settings_open = not ctx.entries
    if entry.table:
        writes, message = fill_table(d, step, ctx, entry, now.date())
    else:
        writes, message = fill_fields(d, step, ctx, entry.values, now.date(), settings_open)
    for name, rows in writes.items():
        port.write(name, rows)
    port.save()
    return message


@dataclass(frozen=True)
class StatusReport:
    rows: list[list]
    turn: str
    closed: bool
    log_head: tuple[int, str]


def report(port: WorkbookPort, d: Definition, clock: Clock) -> StatusReport:
    ctx = context(port, d)
    return StatusReport(status.rows(d, ctx.state, ctx.entries, ctx.settings, clock()),
                        status.turn(d, ctx.state, ctx.people), ctx.state.closed, audit.head(ctx.entries))


def check_identity(port, d: Definition, path) -> None:
    """Refuse a workbook of another SOP or a newer layout instead of misreading it."""
    names = port.names()
    if N.META_SOP not in names or N.META_FORMAT not in names:
        raise FileProblem(f"'{path}' bukan buku kerja Kinerja SETWAN (nama {N.META_SOP} tidak ada).")
    try:
        meta = port.read([N.META_SOP, N.META_FORMAT])
    except KeyError:
        raise FileProblem(f"'{path}': lembar {N.HOME_SHEET} tidak ada, jadi ini bukan buku kerja Kinerja SETWAN yang utuh. "
                          "Jalankan 'kinerja-xl check' untuk rinciannya.") from None
    code, version = meta[N.META_SOP].value(), meta[N.META_FORMAT].value()
    if code != d.header.code:
        raise FileProblem(f"'{path}' adalah buku kerja SOP '{code}', bukan '{d.header.code}'. "
                          "Gunakan --definition yang sesuai.")
    if not isinstance(version, int) or version > WORKBOOK_FORMAT:
        raise FileProblem(f"'{path}' memakai format buku kerja versi {version}, lebih baru dari versi {WORKBOOK_FORMAT} "
                          "yang dikenal program ini. Perbarui paket kinerja-xl.")
