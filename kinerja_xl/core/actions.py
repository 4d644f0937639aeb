"""One workflow action, decided without I/O: values read in, what to write, lock and log out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.core import audit, digest, locks, status, workflow
from kinerja_xl.core.blocks import Block
from kinerja_xl.core.errors import InputProblems, Refused
from kinerja_xl.core.indicators import mirror_rows, with_capaian
from kinerja_xl.core.inputs import check_step, check_text
from kinerja_xl.core.values import InvalidValue
from kinerja_xl.core.people import Actor, People, parse_people, resolve
from kinerja_xl.core.settings import Settings, read_settings
from kinerja_xl.sop import names as N
from kinerja_xl.sop.model import Definition


@dataclass(frozen=True)
class Command:
    action: str  # submit | verify | return | validate
    user: str
    note: str = ""
    step: int | None = None  # a ribbon button belongs to one step; the CLI acts on the current one


@dataclass(frozen=True)
class Outcome:
    writes: dict[str, list[list]]
    log_row: int                   # 0-based row of the Log block for the new entry
    entry: audit.LogEntry
    unlocked: tuple[locks.Area, ...]
    state: workflow.State
    message: str


@dataclass(frozen=True)
class Context:
    """Everything an action needs to know, read once."""

    d: Definition
    blocks: dict[str, Block]
    entries: list[audit.LogEntry]
    state: workflow.State
    settings: Settings
    people: People


def load_context(d: Definition, blocks: dict[str, Block]) -> Context:
    entries, unreadable = audit.parse_rows(blocks[N.LOG].values)
    broken = unreadable + audit.verify(entries)
    if broken:
        raise Refused("Log audit tidak utuh, jadi aksi dihentikan:\n" + "\n".join(f"- {p}" for p in broken)
                      + "\nJalankan 'Periksa Integritas' dan laporkan ke admin/Inspektorat.")
    try:
        state = workflow.replay(d, entries)
    except Refused as exc:
        raise Refused(f"Log audit tidak sesuai urutan SOP: {exc.message}") from None
    changed = changed_steps(d, state, entries, blocks)
    if changed:
        raise Refused("Data langkah yang sudah dikunci telah berubah sejak dikirim: "
                      + ", ".join(f"langkah {s.no} ({s.sheet}{', termasuk Pengaturan' if s.no == 1 else ''})" for s in changed)
                      + ". Aksi dihentikan. Jalankan 'Periksa Integritas' dan laporkan ke admin/Inspektorat.")
    where = lambda name, r, c: blocks[name].at(r, c)  # noqa: E731
    people = parse_people(d, blocks[N.OFFICIALS].values, blocks[N.STANDINS].values, where)
    return Context(d, blocks, entries, state, read_settings(blocks), people)


def changed_steps(d: Definition, state: workflow.State, entries: list[audit.LogEntry], blocks: dict[str, Block]):
    """Completed steps whose data no longer matches the digest logged when they were completed."""
    changed = []
    for step in d.steps:
        if state.statuses[step.no - 1] != workflow.DONE:
            continue
        logged = [e for e in entries if e.step == step.no and e.action_id != "return"]
        if logged and digest.step_digest(d, step, blocks) != logged[-1].digest:
            changed.append(step)
    return changed


def act(ctx: Context, command: Command, now: dt.datetime) -> Outcome:
    d, state = ctx.d, ctx.state
    if state.closed:
        workflow.check_allowed(d, state, command.action, 0)
    step = d.step(state.current)
    if command.step is not None and command.step != step.no:
        raise Refused(f"Tombol ini untuk langkah {command.step} ({d.step(command.step).sheet}). "
                      f"{workflow.turn_text(d, state, ctx.people.describe(step.role, d))}")
    workflow.check_allowed(d, state, command.action, step.no)
    who = ctx.people.describe(step.role, d)
    actor = resolve(ctx.people, d, command.user, step.role, now.date(), workflow.turn_text(d, state, who))
    writes = _inputs(ctx, step, command, now)
    new_state = workflow.apply(d, state, command.action, step.no)
    record = [[_actor_label(actor)], [now.strftime("%d-%m-%Y %H:%M WITA")], [command.note]]
    writes[N.record(step.no)] = record
    if command.action == "validate":
        writes[N.SIGNATURE] = _signature(ctx, actor, now)
    data = {name: ctx.blocks[name].with_rows(writes[name]) if name in writes else ctx.blocks[name]
            for name in digest.step_names(step)}
    entry = audit.chain(ctx.entries, time=now.isoformat(timespec="seconds"), user=actor.user,
                        official=actor.person.name, nip=actor.person.nip, role=d.role(step.role).label,
                        capacity=_capacity(actor), action=audit.ACTION_LABELS[command.action], step=step.no,
                        note=command.note, digest=digest.step_digest(d, step, data))
    entries = ctx.entries + [entry]
    writes[N.STATUS] = status.rows(d, new_state, entries, ctx.settings, now)
    writes[N.TURN] = [[status.turn(d, new_state, ctx.people)]]
    unlocked = locks.editable_areas(d, new_state.current, settings_open=False)
    return Outcome(writes, len(ctx.entries), entry, unlocked, new_state, _done_message(d, command, step, new_state, ctx.people))


def _inputs(ctx: Context, step, command: Command, now: dt.datetime) -> dict[str, list[list]]:
    try:
        check_text(command.note)
    except InvalidValue as exc:
        raise InputProblems([f"Catatan: {exc.message}"]) from None
    if command.action == "return":
        if not command.note.strip():
            raise InputProblems(["Catatan pengembalian wajib diisi: tulis apa yang harus diperbaiki"],
                                "Isi catatan (--note), lalu ulangi Kembalikan.")
        return {}
    problems = ctx.settings.problems(ctx.blocks) if step.no == 1 else []
    checked = check_step(ctx.d, step, ctx.blocks, now.date())
    if problems + checked.problems:
        raise InputProblems(problems + checked.problems)
    writes = dict(checked.writes)
    for table in step.tables:
        if table.kind == "indikator":
            writes[table.name] = with_capaian(ctx.d, table, writes[table.name], ctx.settings.quarter)
    for other in ctx.d.steps:
        for mirror in other.tables:
            if mirror.kind == "cermin" and mirror.mirror in writes:
                writes[mirror.name] = mirror_rows(ctx.d, mirror, writes[mirror.mirror], [list(r) for r in ctx.blocks[mirror.name].values])
    return writes


def _actor_label(actor: Actor) -> str:
    return f"{actor.person.name} ({_capacity(actor)})"


def _capacity(actor: Actor) -> str:
    if actor.behalf is None:
        return actor.capacity
    return f"{actor.capacity} menggantikan {actor.behalf.name}"


def _signature(ctx: Context, actor: Actor, now: dt.datetime) -> list[list]:
    place = ctx.blocks.get("validasi_tempat")
    place = place.value() if place and place.value() else ctx.d.header.place
    note = f"Divalidasi {now.isoformat(timespec='seconds')} WITA"
    if actor.behalf:
        note += f"; {actor.capacity} menggantikan {actor.behalf.name}, NIP. {actor.behalf.nip}"
    return [[f"{place}, {status.long_date(now.date())}"], [actor.signature_title], [actor.person.name],
            [f"NIP. {actor.person.nip}"], [note]]


def _done_message(d: Definition, command: Command, step, state: workflow.State, people: People) -> str:
    done = f"Langkah {step.no} ({step.sheet}): {audit.ACTION_LABELS[command.action]} berhasil dicatat."
    if state.closed:
        return done + " Periode ditutup; hasil siap diekspor."
    nxt = d.step(state.current)
    return done + f" Berikutnya: langkah {nxt.no} ({nxt.sheet}) oleh {people.describe(nxt.role, d)}."
