"""Ribbon button ids: the contract between the customUI the builder writes and the command a click runs.

`L4_verify` is step 4's verify; `L4_return` its return where it has one, `L4_return_2` where it
has several (the target is part of the id). `status`, `check` and `export` are for anyone.
"""
from __future__ import annotations

import re

from kinerja_xl.domain.commands import Act, Check, Export, ShowStatus
from kinerja_xl.domain.definition import Button, Definition, Step

COMMON = {"status": ShowStatus, "check": Check, "export": Export}
_STEP_BUTTON = re.compile(r"^L(\d+)_(submit|verify|return|validate)(?:_(\d+))?$")


def button_id(step: Step, button: Button) -> str:
    if button.action == "return" and len(step.returns) > 1:
        return f"L{step.no}_return_{button.to}"
    return f"L{step.no}_{button.action}"


def ids(d: Definition) -> list[str]:
    return [button_id(s, b) for s in d.steps for b in s.buttons] + list(COMMON)


def command(d: Definition, button: str, user: str, note: str = ""):
    """The command a click asks for, or ValueError for an id this definition does not have."""
    if button in COMMON:
        return COMMON[button]()
    match = _STEP_BUTTON.match(button)
    if not match or button not in ids(d):
        raise ValueError(f"tombol tidak dikenal: {button}")
    step, action, to = int(match.group(1)), match.group(2), match.group(3)
    return Act(action, user, note, step, int(to) if to else None)
