"""The audit log as a hash chain: each row's hash covers its fields and the previous row's hash.

Editing, deleting, inserting or reordering a row breaks every hash after it. A
truncated tail or a log recomputed from scratch needs an anchor kept outside the
workbook (the sidecar, the manifest, a printout): see `Anchor`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import astuple, dataclass

GENESIS = "0" * 64
ACTION_LABELS = {"submit": "Kirim", "verify": "Verifikasi", "return": "Kembalikan", "validate": "Validasi"}
ACTION_IDS = {v: k for k, v in ACTION_LABELS.items()}
_RETURN_TO = re.compile(r"^Kembalikan ke langkah (\d+)$")


def action_label(action: str, to: int | None = None) -> str:
    """What the Log's Aksi column says; a return names its target where the step has more than one."""
    return f"{ACTION_LABELS[action]} ke langkah {to}" if action == "return" and to else ACTION_LABELS[action]


@dataclass(frozen=True)
class LogEntry:
    no: int
    time: str       # ISO 8601 with the office's offset
    user: str
    official: str
    nip: str
    role: str
    capacity: str   # "Definitif", or "Plh. a.n. NAMA"
    action: str     # Indonesian label, see ACTION_LABELS
    step: int
    note: str
    digest: str     # SHA-256 of the step's data after the action
    prev: str
    hash: str
    signature: str = ""  # the acting official's Ed25519 signature of `hash` (domain/signing.py); outside the hash

    @property
    def action_id(self) -> str:
        return "return" if _RETURN_TO.match(self.action) else ACTION_IDS.get(self.action, "")

    @property
    def return_to(self) -> int | None:
        match = _RETURN_TO.match(self.action)
        return int(match.group(1)) if match else None

    def row(self) -> tuple:
        return astuple(self)


def entry_hash(fields: tuple, prev: str) -> str:
    payload = json.dumps([str(f) for f in fields] + [prev], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain(entries: list[LogEntry], genesis: str = GENESIS, **fields) -> LogEntry:
    """The next entry, linked to the last one; the first links to `genesis`: zeros, or the log head of the
    period this one continues (a rolled-over workbook), so periods form one chain."""
    prev = entries[-1].hash if entries else genesis
    no = len(entries) + 1
    body = (no, fields["time"], fields["user"], fields["official"], fields["nip"], fields["role"], fields["capacity"],
            fields["action"], fields["step"], fields["note"], fields["digest"])
    return LogEntry(*body, prev, entry_hash(body, prev))


def parse_rows(rows) -> tuple[list[LogEntry], list[str]]:
    """Log sheet rows -> entries, with a problem per row that cannot be read at all."""
    entries, problems = [], []
    for i, row in enumerate(rows):
        if all(v is None or v == "" for v in row):
            continue
        try:
            values = list(row) + [None] * (14 - len(row))
            entries.append(LogEntry(int(values[0]), *(str(v or "") for v in values[1:8]), int(values[8]),
                                    *(str(v or "") for v in values[9:14])))
        except (TypeError, ValueError):
            problems.append(f"Baris log {i + 2} tidak dapat dibaca")
    return entries, problems


def moment(entry: LogEntry) -> dt.datetime | None:
    """When the action happened (its zone-aware ISO time), or None for a time that does not parse."""
    try:
        at = dt.datetime.fromisoformat(entry.time)
    except ValueError:
        return None
    return at if at.tzinfo else None


def verify(entries: list[LogEntry], genesis: str = GENESIS) -> list[str]:
    """Every break in the chain, and every action timed before the one above it, in Indonesian, with the row
    number on the Log sheet. `genesis`: what the first row links to (see `chain`)."""
    problems, prev, last = [], genesis, None
    for index, entry in enumerate(entries):
        sheet_row = index + 2
        at = moment(entry)
        if at is None:
            problems.append(f"Log baris {sheet_row}: waktu '{entry.time}' tidak dapat dibaca")
        elif last is not None and at < last:
            problems.append(f"Log baris {sheet_row}: waktu {entry.time} lebih awal dari aksi sebelumnya ({last.isoformat()}): "
                            "jam dimundurkan atau baris ditukar")
        last = at or last
        if entry.no != index + 1:
            problems.append(f"Log baris {sheet_row}: nomor {entry.no}, seharusnya {index + 1} (baris dihapus, disisipkan atau ditukar)")
        if entry.prev != prev:
            problems.append(f"Log baris {sheet_row}: hash sebelumnya tidak cocok (baris sebelumnya diubah, dihapus atau ditukar)")
        body = entry.row()[:11]
        if entry_hash(body, entry.prev) != entry.hash:
            problems.append(f"Log baris {sheet_row}: isi baris diubah (hash tidak cocok)")
        prev = entry.hash
    return problems


def head(entries: list[LogEntry], genesis: str = GENESIS) -> tuple[int, str]:
    """(row count, head hash): what is anchored outside the workbook."""
    return len(entries), entries[-1].hash if entries else genesis
