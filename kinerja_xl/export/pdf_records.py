"""The per-step record and the Log appendix as PDF tables."""
from __future__ import annotations

import datetime as dt

from kinerja_xl.domain import audit
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.export.pdf_layout import Spacer, Text
from kinerja_xl.export.pdf_tables import grid_table
from kinerja_xl.export.record import StepRecord, duration_text, step_records
from kinerja_xl.export.texts import short

RECORD_COLUMNS = ("No", "Kegiatan", "Pelaksana", "Riwayat Aksi ({zone})", "Catatan", "Standar Waktu", "Mulai",
                  "Selesai", "Durasi", "Ketepatan Waktu")


def records_table(period, avail: float):
    d = period.d
    rows = [_record_row(d, r) for r in step_records(d, period.entries, period.settings)]
    header = [c.format(zone=d.header.zone) for c in RECORD_COLUMNS]
    return grid_table(header, rows, avail, numeric={0})


def _record_row(d: Definition, record: StepRecord) -> list:
    step, last = record.step, record.last
    who = "" if last is None else "\n".join(
        [last.official, last.role] + ([last.capacity] if last.capacity and last.capacity != "Definitif" else []))
    events = sorted([r.entry for r in record.rounds] + list(record.returns_received), key=lambda e: e.no)
    history = "\n".join(_event(d, e, step.no) for e in events)
    notes = "\n".join(f"{_what(e, step.no)}: {e.note}" for e in events if e.note)
    return [step.no, step.activity, who, history, notes, step.time.label if step.time else "tanpa standar",
            _local(d, record.started), _local(d, record.ended), duration_text(record), record.verdict]


def _what(entry: audit.LogEntry, step_no: int) -> str:
    if entry.step != step_no:
        return f"Dikembalikan oleh {entry.role} (langkah {entry.step})"
    return entry.action


def _event(d: Definition, entry: audit.LogEntry, step_no: int) -> str:
    return f"{_what(entry, step_no)}, {_local(d, dt.datetime.fromisoformat(entry.time))}"


def _local(d: Definition, at: dt.datetime | None) -> str:
    return f"{at.astimezone(d.tz):%d-%m-%Y %H:%M}" if at else ""


def log_table(d: Definition, entries: list[audit.LogEntry], avail: float):
    """Every column of the Log sheet; hashes and signatures shortened (the CSV keeps them whole)."""
    header = list(N.log_columns(d.header.zone))
    rows = []
    for e in entries:
        row = list(e.row())
        row[1] = _local(d, dt.datetime.fromisoformat(e.time))
        row[10:] = [short(h) if h else "" for h in row[10:]]
        rows.append(row)
    return grid_table(header, rows, avail, size=6.5, numeric={0, 8})


def keys_table(period, avail: float) -> list:
    """The registered signing keys' fingerprints, so a printout can be held to the office's key registry (and the
    registry to the printout); nothing when the period has no keys."""
    if not period.keys:
        return []
    people = [*period.people.officials, *(s.person for s in period.people.standins)]
    names = {}
    for person in people:
        names.setdefault(person.user, person.name)
    rows = [[user, names.get(user, ""), key.fingerprint] for user, key in sorted(period.keys.items())]
    return [Spacer(1, 8), Text("Kunci tanda tangan elektronik terdaftar", 9, bold=True, space_after=2),
            grid_table(["Pengguna", "Nama", "Sidik Jari"], rows, min(avail, 520), size=7)]
