"""The SOP as a plain transition table, replayed from the audit log.

The table is made from the definition: for each step, its forward action (submit,
verify, validate) and its returns, and for each what it opens next. The log is the single
source of truth; every status shown anywhere is `replay(log)`, so a state and its
history can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass

from kinerja_xl.domain import medium as M
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.errors import Refused

NOT_STARTED, ACTIVE, DONE, RETURNED = "belum dimulai", "aktif", "selesai", "dikembalikan"


@dataclass(frozen=True)
class Transition:
    """What one action on one step does: the step it opens (None: the period closes), or the return target."""

    step: int
    action: str
    opens: int | None
    returns_to: int | None = None
    signs: bool = False
    label: str = ""   # the button's label, for messages


@dataclass(frozen=True)
class State:
    statuses: tuple[str, ...]
    closed: bool = False
    signed: bool = False

    @property
    def current(self) -> int | None:
        """The step whose turn it is (1-based), None once the period is closed."""
        for i, status in enumerate(self.statuses):
            if status in (ACTIVE, RETURNED):
                return i + 1
        return None


def table(d: Definition) -> dict[tuple[int, str, int | None], Transition]:
    """(step, action, return target or None) -> Transition, for every button of the definition."""
    out = {}
    for step in d.steps:
        following = step.no + 1 if step.no < len(d.steps) else None
        for button in step.buttons:
            if button.action == "return":
                out[(step.no, "return", button.to)] = Transition(step.no, "return", button.to, button.to, label=button.label)
            else:
                out[(step.no, button.action, None)] = Transition(step.no, button.action, following,
                                                                 signs=button.action == "validate", label=button.label)
    return out


def initial(d: Definition) -> State:
    return State((ACTIVE,) + (NOT_STARTED,) * (len(d.steps) - 1))


def transition(d: Definition, state: State, action: str, step_no: int, to: int | None = None,
               medium: str = M.RIBBON) -> Transition:
    """The table's row for this action now, or Refused saying what is allowed instead (named as `medium` shows it)."""
    if state.closed:
        raise Refused("Periode ini sudah ditutup: semua langkah selesai. Tidak ada aksi lagi; gunakan ekspor untuk "
                      "hasilnya, atau buat buku kerja baru untuk periode berikutnya.")
    if step_no != state.current:
        raise Refused(f"Langkah {step_no} belum/tidak aktif. {turn_text(d, state)}")
    step = d.step(step_no)
    if action == "return" and to is None and len(step.returns) == 1:
        to = step.returns[0].to
    row = table(d).get((step_no, action, to if action == "return" else None))
    if row is None:
        raise Refused(f"Aksi ini tidak berlaku untuk langkah {step_no} ({step.sheet}). {M.allowed(medium, step)}")
    return row


def apply(d: Definition, state: State, action: str, step_no: int, to: int | None = None) -> State:
    """The state after `action` on `step_no`, or Refused when the table does not allow it."""
    row = transition(d, state, action, step_no, to)
    statuses = list(state.statuses)
    if row.returns_to is not None:
        statuses[row.returns_to - 1] = RETURNED
        for i in range(row.returns_to, len(statuses)):
            statuses[i] = NOT_STARTED
        return State(tuple(statuses))
    statuses[step_no - 1] = DONE
    if row.opens is None:
        return State(tuple(statuses), closed=True, signed=True)
    statuses[row.opens - 1] = ACTIVE
    return State(tuple(statuses), signed=state.signed or row.signs)


def turn_text(d: Definition, state: State, who: str | None = None) -> str:
    if state.closed:
        return "Periode sudah ditutup (semua langkah selesai)."
    step = d.step(state.current)
    who = who or d.role(step.role).label
    return f"Giliran sekarang: langkah {step.no} ({step.sheet}) oleh {who}."


def replay(d: Definition, entries) -> State:
    """Re-run the logged actions; a log that the table would not allow is reported, not trusted."""
    state = initial(d)
    for entry in entries:
        state = apply(d, state, entry.action_id, entry.step, entry.return_to)
    return state
