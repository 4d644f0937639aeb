"""What each step's record says in the documents: who acted, when, with what note, how long it took.

Unlike the Beranda status (which restarts a returned step's clock), a document keeps every round: a step
sent, returned and sent again took the days of both rounds, and each round is judged against the standard.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.domain import status
from kinerja_xl.domain.audit import LogEntry
from kinerja_xl.domain.deadlines import status as deadline_status
from kinerja_xl.domain.definition import Definition, Step


@dataclass(frozen=True)
class Round:
    started: dt.datetime | None
    ended: dt.datetime
    entry: LogEntry  # the action that ended it (a send, a verification, a validation or a return)


@dataclass(frozen=True)
class StepRecord:
    step: Step
    rounds: tuple[Round, ...]
    returns_received: tuple[LogEntry, ...]  # returns that sent the work back to this step
    duration: int | None                    # first activation to last completion, in the standard's unit
    verdict: str                            # "tepat waktu", "terlambat 2 hari kerja", "" when not finished

    @property
    def last(self) -> LogEntry | None:
        return self.rounds[-1].entry if self.rounds else None

    @property
    def started(self) -> dt.datetime | None:
        return self.rounds[0].started if self.rounds else None

    @property
    def ended(self) -> dt.datetime | None:
        return self.rounds[-1].ended if self.rounds else None


def step_records(d: Definition, entries: list[LogEntry], settings) -> list[StepRecord]:
    n = len(d.steps)
    first = dt.datetime.combine(settings.start, dt.time(), d.tz) if settings.start else None
    starts: list[dt.datetime | None] = [first] + [None] * (n - 1)
    rounds: list[list[Round]] = [[] for _ in range(n)]
    received: list[list[LogEntry]] = [[] for _ in range(n)]
    for entry in entries:
        at, k = dt.datetime.fromisoformat(entry.time), entry.step - 1
        rounds[k].append(Round(starts[k], at, entry))
        if entry.action_id == "return":
            target = status.return_target(d, entry) - 1
            starts[target] = at
            received[target].append(entry)
        elif k + 1 < n:
            starts[k + 1] = at
    calendar = status.calendar(d, settings)
    return [_record(d, calendar, step, tuple(rs), tuple(received[step.no - 1])) for step, rs in zip(d.steps, rounds)]


def _record(d: Definition, calendar, step: Step, rounds: tuple[Round, ...], received) -> StepRecord:
    finished = bool(rounds) and rounds[-1].entry.action_id != "return"
    unit = step.time.unit if step.time else "hari kerja"
    duration = (calendar.between(rounds[0].started, rounds[-1].ended, unit)
                if finished and rounds[0].started else None)
    return StepRecord(step, rounds, received, duration, _verdict(calendar, step, rounds) if finished else "")


def _verdict(calendar, step: Step, rounds: tuple[Round, ...]) -> str:
    """Each round against the standard (a returned step's clock restarts at the return)."""
    if step.time is None:
        return "tanpa standar waktu"
    late = []
    for number, r in enumerate(rounds, 1):
        judged = deadline_status(calendar, r.started, step.time, r.ended, r.ended)
        if judged.keadaan == "terlambat":
            late.append((number, judged.terlambat))
    if not late:
        return "tepat waktu"
    words = [f"terlambat {days} {step.time.unit}" + (f" (putaran {no})" if len(rounds) > 1 else "")
             for no, days in late]
    return "; ".join(words)


def duration_text(record: StepRecord) -> str:
    if record.duration is None:
        return ""
    unit = record.step.time.unit if record.step.time else "hari kerja"
    rounds = len(record.rounds)
    return f"{record.duration} {unit}" + (f" ({rounds} putaran)" if rounds > 1 else "")
