"""Where the SOP stands: the Beranda status table, whose turn it is, and deadlines.

A step's clock starts when the step becomes active: the period start for step 1,
the previous step's completion otherwise, and the return itself for a returned step.
Everything here is derived from the log, never read back from cells.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.domain import workflow
from kinerja_xl.domain.audit import LogEntry
from kinerja_xl.domain.deadlines import Calendar, DeadlineStatus
from kinerja_xl.domain.deadlines import status as deadline_status
from kinerja_xl.domain.definition import MONTHS, Definition
from kinerja_xl.domain.settings import Settings


@dataclass(frozen=True)
class StepTimes:
    """When a step started and was done, read from the log."""

    started: dt.datetime | None
    done: dt.datetime | None
    last: LogEntry | None


def long_date(day: dt.date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def return_target(d: Definition, entry: LogEntry) -> int:
    """Where a logged return went: named in the log, or the step's only return target."""
    return entry.return_to or d.step(entry.step).returns[0].to


def timeline(d: Definition, entries: list[LogEntry], settings: Settings) -> list[StepTimes]:
    """When each step became active and completed, and its latest log entry (history before a return is dropped)."""
    n = len(d.steps)
    start = dt.datetime.combine(settings.start, dt.time(), d.tz) if settings.start else None
    started, done, last = [start] + [None] * (n - 1), [None] * n, [None] * n
    for entry in entries:
        at, k = dt.datetime.fromisoformat(entry.time), entry.step - 1
        if entry.action_id == "return":
            target = return_target(d, entry) - 1
            for i in range(target, n):
                started[i], done[i], last[i] = None, None, None
            started[target], last[target] = at, entry
            continue
        done[k], last[k] = at, entry
        if k + 1 < n:
            started[k + 1], done[k + 1] = at, None
    return [StepTimes(s, e, l) for s, e, l in zip(started, done, last)]


def calendar(d: Definition, settings: Settings) -> Calendar:
    return Calendar(d.tz, settings.off_days)


def rows(d: Definition, state: workflow.State, entries: list[LogEntry], settings: Settings,
         now: dt.datetime | None) -> list[list]:
    """The Beranda status table; without a clock (at build time) the deadline columns stay empty."""
    out = []
    cal = calendar(d, settings)
    for step, times, status in zip(d.steps, timeline(d, entries, settings), state.statuses):
        judged = deadline_status(cal, times.started, step.time, now, times.done) if now else None
        last = times.last
        nxt = (f"Langkah {step.no + 1}: {d.role(d.step(step.no + 1).role).label}" if step.no < len(d.steps)
               else "Selesai")
        out.append([step.no, step.activity, d.role(step.role).label, status,
                    f"{last.official} ({last.action})" if last else "",
                    _when(d, last), _when_dt(d, judged and judged.batas_waktu), _label(judged, times), nxt])
    return out


@dataclass(frozen=True)
class StepFacts:
    """One step's standing as typed values, for machine-readable output (`status --json`); `rows` is the same
    for people."""

    no: int
    status: str                     # workflow.NOT_STARTED | ACTIVE | DONE | RETURNED
    acted_at: dt.datetime | None    # the step's latest logged action
    due: dt.datetime | None
    state: str | None               # deadlines: "tepat waktu", "jatuh tempo hari ini", "terlambat", ... (None: no clock)
    left: int | None                # units left before the deadline
    late: int | None                # units past the deadline
    unit: str | None                # "hari kerja" | "hari kalender" | "jam"; None: the step has no time standard


def facts(d: Definition, state: workflow.State, entries: list[LogEntry], settings: Settings,
          now: dt.datetime) -> list[StepFacts]:
    cal = calendar(d, settings)
    out = []
    for step, times, status in zip(d.steps, timeline(d, entries, settings), state.statuses):
        judged = deadline_status(cal, times.started, step.time, now, times.done)
        acted = dt.datetime.fromisoformat(times.last.time) if times.last else None
        out.append(StepFacts(step.no, status, acted, judged.batas_waktu, judged.keadaan, judged.sisa, judged.terlambat,
                             step.time.unit if step.time else None))
    return out


def _label(judged: DeadlineStatus | None, times: StepTimes) -> str:
    """What the head of office reads at a glance: on time, due today, late, or how a finished step went."""
    if judged is None:
        return ""
    if times.done is None or judged.batas_waktu is None:
        return judged.label()
    if judged.keadaan == "terlambat":
        return f"selesai, terlambat {judged.terlambat} {judged.word}"
    return "selesai tepat waktu"


def _when(d: Definition, entry: LogEntry | None) -> str:
    return _when_dt(d, dt.datetime.fromisoformat(entry.time)) if entry else ""


def _when_dt(d: Definition, at: dt.datetime | None) -> str:
    return at.astimezone(d.tz).strftime("%d-%m-%Y %H:%M") if at else ""


TURN_MARK = "◀ giliran"   # the Bagan Alir highlights the row whose status cell holds this
DONE_MARK = "selesai"


def flow_marks(state: workflow.State) -> list[list[str]]:
    """The Bagan Alir's status column (one cell per step): the step whose turn it is, and the completed ones."""
    marks = {workflow.ACTIVE: TURN_MARK, workflow.RETURNED: f"{TURN_MARK} (dikembalikan)", workflow.DONE: DONE_MARK}
    return [[marks.get(s, "")] for s in state.statuses]


def turn(d: Definition, state: workflow.State, people) -> str:
    if state.closed:
        return workflow.turn_text(d, state)
    step = d.step(state.current)
    return workflow.turn_text(d, state, people.describe(step.role, d))
