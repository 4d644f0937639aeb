"""Where the SOP stands: the Beranda status table, whose turn it is, and deadlines.

A step's clock starts when the step becomes active: the period start for step 1,
the previous step's completion otherwise, and the return itself for a returned step.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.core import workflow
from kinerja_xl.core.audit import LogEntry
from kinerja_xl.core.deadlines import WITA, Calendar, DeadlineStatus
from kinerja_xl.core.deadlines import status as deadline_status
from kinerja_xl.core.settings import Settings
from kinerja_xl.sop.model import Definition

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


@dataclass(frozen=True)
class StepTimes:
    started: dt.datetime | None
    done: dt.datetime | None
    last: LogEntry | None


def long_date(day: dt.date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def timeline(d: Definition, entries: list[LogEntry], settings: Settings) -> list[StepTimes]:
    """When each step became active and completed, and its latest log entry (history before a return is dropped)."""
    n = len(d.steps)
    start = dt.datetime.combine(settings.start, dt.time(), WITA) if settings.start else None
    started, done, last = [start] + [None] * (n - 1), [None] * n, [None] * n
    for entry in entries:
        at, k = dt.datetime.fromisoformat(entry.time), entry.step - 1
        if entry.action_id == "return":
            target = workflow.return_target(d, entry.step) - 1
            for i in range(target, n):
                started[i], done[i], last[i] = None, None, None
            started[target], last[target] = at, entry
            continue
        done[k], last[k] = at, entry
        if k + 1 < n:
            started[k + 1], done[k + 1] = at, None
    return [StepTimes(s, e, l) for s, e, l in zip(started, done, last)]


def calendar(d: Definition, settings: Settings) -> Calendar:
    return Calendar(d.header.day_mode, settings.off_days)


def deadline(d: Definition, settings: Settings, times: StepTimes, days: int | None, now: dt.datetime) -> DeadlineStatus:
    return deadline_status(calendar(d, settings), times.started, days, now, times.done)


def rows(d: Definition, state: workflow.State, entries: list[LogEntry], settings: Settings,
         now: dt.datetime | None) -> list[list]:
    """The Beranda status table; without a clock (at build time) the deadline columns stay empty."""
    out = []
    for step, times, status in zip(d.steps, timeline(d, entries, settings), state.statuses):
        judged = deadline(d, settings, times, step.days, now) if now else None
        last = times.last
        nxt = f"Langkah {step.no + 1}: {d.role(d.step(step.no + 1).role).label}" if step.no < len(d.steps) else "Selesai (ditandatangani)"
        out.append([step.no, step.activity, d.role(step.role).label, status,
                    f"{last.official} ({last.action})" if last else "",
                    _when(last), _when_dt(judged and judged.batas_waktu), _label(judged, times), nxt])
    return out


def _label(judged: DeadlineStatus | None, times: StepTimes) -> str:
    """What the Sekretaris reads at a glance: on time, due today, late, or how a finished step went."""
    if judged is None:
        return ""
    if times.done is None or judged.batas_waktu is None:
        return judged.label()
    if judged.keadaan == "terlambat":
        return f"selesai, terlambat {judged.terlambat_hari} hari"
    return "selesai tepat waktu"


def _when(entry: LogEntry | None) -> str:
    return _when_dt(dt.datetime.fromisoformat(entry.time)) if entry else ""


def _when_dt(at: dt.datetime | None) -> str:
    return at.astimezone(WITA).strftime("%d-%m-%Y %H:%M") if at else ""


def turn(d: Definition, state: workflow.State, people) -> str:
    if state.closed:
        return workflow.turn_text(d, state)
    step = d.step(state.current)
    return workflow.turn_text(d, state, people.describe(step.role, d))
