"""SHA-256 of a step's data as saved: the fingerprint `check` recomputes later."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition, Step


def canonical(value) -> str:
    """One text per value whatever reader produced it (85, 85.0 and Decimal('85') agree)."""
    if value.__class__ is str:  # the common cases first: a table holds thousands of cells
        return value.strip()
    if value.__class__ is int:
        return str(value)  # what the Decimal form below gives for every int
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value)).normalize()
        return format(number, "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def step_names(step: Step) -> list[str]:
    """The blocks a step's digest covers: its inputs and computed totals, its action record, the signature
    on the signing step, and for step 1 also Pengaturan (who holds which role, the period), the hash
    of the SOP definition the workbook runs, the fingerprints of its code (VBA modules, ribbon) and the
    previous period it continues."""
    names = [f.name for f in step.fields] + [t.name for t in step.tables] + [N.record(step.no)]
    names += [t.total_name for t in step.tables if t.totals]
    if step.signs:
        names.append(N.SIGNATURE)  # who signed is part of what was signed
    return names + [*N.SETTINGS_INPUTS, N.META_DEFINITION_HASH, N.META_CODE, N.META_PREVIOUS] if step.no == 1 else names


def step_digest(d: Definition, step: Step, blocks: dict[str, Block]) -> str:
    data = {name: [[canonical(v) for v in row] for row in blocks[name].values] for name in step_names(step)}
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
