"""The SOP's state machine: a plain transition table, replayed from the audit log.

The log is the single source of truth; the status table on Beranda is only a view
of `replay(log)`. That way a state and its history can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from kinerja_xl.core.audit import LogEntry
from kinerja_xl.core.errors import Refused
from kinerja_xl.sop.model import Definition

NOT_STARTED, ACTIVE, DONE, RETURNED = "belum dimulai", "aktif", "selesai", "dikembalikan"


@dataclass(frozen=True)
class State:
    statuses: tuple[str, ...]
    closed: bool = False

    @property
    def current(self) -> int | None:
        """The step whose turn it is (1-based), None once the period is closed."""
        for i, status in enumerate(self.statuses):
            if status in (ACTIVE, RETURNED):
                return i + 1
        return None


def initial(d: Definition) -> State:
    return State((ACTIVE,) + (NOT_STARTED,) * (len(d.steps) - 1))


def return_target(d: Definition, step_no: int) -> int:
    """A return goes back to the step that fills the indicator data (else the previous step)."""
    table = d.indicator_table
    if table is not None:
        owner = next(s.no for s in d.steps if table in s.tables)
        if owner < step_no:
            return owner
    return max(1, step_no - 1)


def apply(d: Definition, state: State, action: str, step_no: int) -> State:
    """The state after `action` on `step_no`, or Refused when the table does not allow it."""
    check_allowed(d, state, action, step_no)
    statuses = list(state.statuses)
    if action == "return":
        target = return_target(d, step_no)
        statuses[target - 1] = RETURNED
        for i in range(target, len(statuses)):
            statuses[i] = NOT_STARTED
        return State(tuple(statuses))
    statuses[step_no - 1] = DONE
    if action == "validate" or step_no == len(statuses):
        return State(tuple(statuses), closed=True)
    statuses[step_no] = ACTIVE
    return replace(state, statuses=tuple(statuses))


def check_allowed(d: Definition, state: State, action: str, step_no: int) -> None:
    if state.closed:
        raise Refused("Periode ini sudah ditutup: data telah divalidasi dan ditandatangani. Tidak ada aksi lagi; "
                      "gunakan Ekspor untuk hasilnya, atau buat buku kerja baru untuk periode berikutnya.")
    if step_no != state.current:
        raise Refused(f"Langkah {step_no} belum/tidak aktif. {turn_text(d, state)}")
    if action not in d.step(step_no).actions:
        allowed = ", ".join(b.label for b in d.step(step_no).buttons)
        raise Refused(f"Aksi ini tidak berlaku untuk langkah {step_no} ({d.step(step_no).sheet}). Tombol yang berlaku: {allowed}.")


def turn_text(d: Definition, state: State, who: str | None = None) -> str:
    if state.closed:
        return "Periode sudah ditutup (divalidasi dan ditandatangani)."
    step = d.step(state.current)
    who = who or d.role(step.role).label
    return f"Giliran sekarang: langkah {step.no} ({step.sheet}) oleh {who}."


def replay(d: Definition, entries: list[LogEntry]) -> State:
    """Re-run the logged actions; a log that the table would not allow is reported, not trusted."""
    state = initial(d)
    for entry in entries:
        state = apply(d, state, entry.action_id, entry.step)
    return state
