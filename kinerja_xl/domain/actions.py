"""One workflow action, decided without I/O: a period in, what to write, lock and log out."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from kinerja_xl.domain import audit, digest, locks, rollover, signing, status, workflow
from kinerja_xl.domain import medium as M
from kinerja_xl.domain import names as N
from kinerja_xl.domain.blocks import Overlay
from kinerja_xl.domain.derived import derive
from kinerja_xl.domain.errors import InputProblems, Refused
from kinerja_xl.domain.inputs import check_step, check_text, line_breaks
from kinerja_xl.domain.people import Actor, is_admin, resolve
from kinerja_xl.domain.period import Period, refuse_changed
from kinerja_xl.domain.values import InvalidValue


@dataclass(frozen=True)
class Outcome:
    writes: dict[str, list[list]]
    log_row: int                   # 0-based row of the Log block for the new entry
    entry: audit.LogEntry
    unlocked: tuple[locks.Area, ...]
    state: workflow.State
    signed_now: bool
    message: str
    after: Period | None = None     # the period as the action leaves it: the automatic export reads nothing again


def authorize(period: Period, user: str, now: dt.datetime) -> Actor:
    """The official (or Plh./Plt.) acting on the current step, or a refusal that says whose turn it is."""
    d, state = period.d, period.state
    if state.closed:
        workflow.transition(d, state, "submit", 0)
    step = d.step(state.current)
    who = period.people.describe(step.role, d)
    return resolve(period.people, d, user, step.role, now.date(), workflow.turn_text(d, state, who))


def may_edit_settings(period: Period, user: str, now: dt.datetime) -> bool:
    """Before the period starts, an admin or the first step's official may maintain Pengaturan."""
    if not period.settings_open:
        return False
    if is_admin(period.people, user):
        return True
    try:
        authorize(period, user, now)
        return True
    except Refused:
        return False


KeyFor = Callable[[str], object]  # user -> their Ed25519 private key on this PC, or None


def act(period: Period, action: str, user: str, now: dt.datetime, note: str = "", step_no: int | None = None,
        to: int | None = None, medium: str = M.RIBBON, key_for: KeyFor | None = None) -> Outcome:
    """`step_no`: a ribbon button belongs to one step; the CLI acts on the current one. `medium` names what to do
    instead in a refusal (a button, or a command). `key_for` is asked for the actor's private key only when
    Pengaturan registers keys: then every row is signed, and acting as someone else needs their key."""
    d, state = period.d, period.state
    now = now.replace(microsecond=0)  # as the log keeps it: what is written and what check recomputes agree
    note = line_breaks(note) if note else note
    _after_last(period.entries, now)
    if state.closed:
        workflow.transition(d, state, action, 0)
    step = d.step(state.current)
    if step_no is not None and step_no != step.no:
        raise Refused(f"Tombol ini untuk langkah {step_no} ({d.step(step_no).sheet}). "
                      f"{workflow.turn_text(d, state, period.people.describe(step.role, d))}")
    row = workflow.transition(d, state, action, step.no, to, medium)
    try:
        actor = authorize(period, user, now)
    except Refused as refusal:
        raise _already_done(period, user, action) or refusal from None
    if row.signs and not period.proven:  # a signature always rests on every completed step's data, proven
        refuse_changed(d, state, period.entries, period.blocks)
    writes = derive(d, _inputs(period, step, action, note, now), period.blocks, period.settings.period_index(d))
    new_state = workflow.apply(d, state, action, step.no, row.returns_to)
    writes[N.record(step.no)] = [[_actor_label(actor)], [f"{now:%d-%m-%Y %H:%M} {d.header.zone}"], [note]]
    if row.signs:
        writes[N.SIGNATURE] = _signature(period, step, actor, now)
    data = {name: period.blocks[name].with_rows(writes[name]) if name in writes else period.blocks[name]
            for name in digest.step_names(step)}
    several = len(step.returns) > 1
    entry = audit.chain(period.entries, rollover.genesis(period.blocks), time=now.isoformat(timespec="seconds"), user=actor.user,
                        official=actor.person.name, nip=actor.person.nip, role=d.role(step.role).label,
                        capacity=_capacity(actor), action=audit.action_label(action, row.returns_to if several else None),
                        step=step.no, note=note, digest=digest.step_digest(d, step, data))
    if period.keys:
        entry = replace(entry, signature=signing.sign_hash(_own_key(period, actor, key_for, medium), entry.hash))
    entries = period.entries + [entry]
    writes[N.STATUS] = status.rows(d, new_state, entries, period.settings, now)
    writes[N.TURN] = [[status.turn(d, new_state, period.people)]]
    unlocked = locks.editable_areas(d, new_state.current, settings_open=False)
    changed = {name: period.blocks[name].with_rows(rows) for name, rows in writes.items() if name in period.blocks}
    changed[N.LOG] = period.blocks[N.LOG].with_rows([list(entry.row())], len(period.entries))
    blocks = Overlay(period.blocks, changed)
    after = replace(period, blocks=blocks, entries=entries, state=new_state, proven=period.proven or row.signs)
    return Outcome(writes, len(period.entries), entry, unlocked, new_state, row.signs,
                   _done_message(period, step, row, new_state), after)


def _own_key(period: Period, actor: Actor, key_for: KeyFor | None, medium: str):
    """The actor's private key, which must be the one registered for them in Pengaturan."""
    registered = period.keys.get(actor.user)
    if registered is None:
        raise Refused(f"Pengguna '{actor.user}' ({actor.person.name}) tidak punya kunci tanda tangan terdaftar di "
                      "lembar Pengaturan, jadi aksinya tidak dapat ditandatangani. Laporkan ke admin.")
    key = key_for(actor.user) if key_for else None
    if key is None:
        raise Refused(f"{actor.person.name} (sidik jari kunci terdaftar {registered.fingerprint}): "
                      + M.key_missing(medium, actor.user))
    if signing.public_text(key) != registered.public:
        raise Refused(f"Kunci di komputer ini (sidik jari {signing.fingerprint(signing.public_text(key))}) bukan kunci "
                      f"yang terdaftar untuk {actor.person.name} di Pengaturan ({registered.fingerprint}). Pakai kunci "
                      "yang terdaftar; kunci baru hanya berlaku mulai periode berikutnya.")
    return key


def _already_done(period: Period, user: str, action: str) -> Refused | None:
    """The same person pressing the same action again (a double click, a repeated command): say it is done."""
    last = period.entries[-1] if period.entries else None
    if last is None or last.user != user.strip().casefold() or last.action_id != action:
        return None
    d, at = period.d, audit.moment(last)
    when = f"{at.astimezone(d.tz):%d-%m-%Y %H:%M} {d.header.zone}" if at else last.time
    step = d.step(period.state.current)
    return Refused(f"Langkah {last.step} ({d.step(last.step).sheet}) sudah Anda {last.action.lower()} pada {when}; "
                   f"tidak ada yang perlu diulang. "
                   f"{workflow.turn_text(d, period.state, period.people.describe(step.role, d))}")


def _after_last(entries: list[audit.LogEntry], now: dt.datetime) -> None:
    """A log runs forward: an action timed before the last one (a clock set back) is refused."""
    last = audit.moment(entries[-1]) if entries else None
    if last is not None and now < last:
        raise Refused(f"Waktu aksi ini ({now:%d-%m-%Y %H:%M %z}) lebih awal dari aksi terakhir di log "
                      f"({last:%d-%m-%Y %H:%M %z}). Periksa tanggal dan jam komputer ini, lalu ulangi.")


def _inputs(period: Period, step, action: str, note: str, now: dt.datetime) -> dict[str, list[list]]:
    try:
        check_text(note)
    except InvalidValue as exc:
        raise InputProblems([f"Catatan: {exc.message}"]) from None
    if action == "return":
        if not note.strip():
            raise InputProblems(["Catatan pengembalian wajib diisi: tulis apa yang harus diperbaiki"],
                                "Isi catatan pengembalian, lalu ulangi.")
        return {}
    problems = []
    if step.no == 1:
        problems = (period.settings.problems(period.d, period.blocks) + list(period.key_problems)
                    + signing.unregistered(period.people, period.keys, {s.role for s in period.d.steps}))
    checked = check_step(period.d, step, period.blocks, now.date())
    if problems + checked.problems:
        raise InputProblems(problems + checked.problems)
    return dict(checked.writes)


def _actor_label(actor: Actor) -> str:
    return f"{actor.person.name} ({_capacity(actor)})"


def _capacity(actor: Actor) -> str:
    if actor.behalf is None:
        return actor.capacity
    return f"{actor.capacity} menggantikan {actor.behalf.name}"


def _signature(period: Period, step, actor: Actor, now: dt.datetime) -> list[list]:
    typed = period.blocks[step.sign_place].value() if step.sign_place else None
    place = str(typed).strip() if typed else period.settings.place
    note = f"Ditandatangani {status.long_date(now.date())} pukul {now:%H:%M} {period.d.header.zone}"
    if actor.behalf:
        note += f"; {actor.capacity} menggantikan {actor.behalf.name}, NIP. {actor.behalf.nip}"
    return [[f"{place}, {status.long_date(now.date())}" if place else status.long_date(now.date())],
            [actor.signature_title], [actor.person.name], [f"NIP. {actor.person.nip}"], [note]]


def _done_message(period: Period, step, row: workflow.Transition, state: workflow.State) -> str:
    d = period.d
    done = f"Langkah {step.no} ({step.sheet}): {row.label} berhasil dicatat."
    if state.closed:
        return done + " Periode ditutup; hasil siap diekspor."
    nxt = d.step(state.current)
    after = " Hasil tervalidasi siap diekspor." if row.signs else ""
    return done + after + f" Berikutnya: langkah {nxt.no} ({nxt.sheet}) oleh {period.people.describe(nxt.role, d)}."
