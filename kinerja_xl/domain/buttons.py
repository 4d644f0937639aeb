"""Ribbon button ids: the contract between the customUI the builder writes and the command a click runs.

`L4_verify` is step 4's verify; `L4_return` its return where it has one, `L4_return_2` where it
has several (the target is part of the id). `status`, `check`, `export` and `kunci` (Daftarkan Kunci
Saya) are for anyone, `periode` (Periode Berikutnya) for the admin.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kinerja_xl.domain.commands import Act, Check, Export, RollOver, ShowStatus
from kinerja_xl.domain.definition import Button, Definition, Step


@dataclass(frozen=True)
class RegisterOwnKey:
    """Daftarkan Kunci Saya: the Windows user's own signing key, made on their PC when they have none (an
    existing one is never replaced), its public half into Pengaturan. The edge that holds the key store turns
    this into `RegisterKey` once it has the key: the domain never sees a private key being made or stored."""

    user: str


# Buttons for anyone, whatever the SOP: id -> the command for the Windows user who clicked.
COMMON = {"status": lambda user: ShowStatus(), "check": lambda user: Check(),
          "export": lambda user: Export(user=user),  # the validating official's own key signs the PDF
          "kunci": RegisterOwnKey, "periode": RollOver}
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
        return COMMON[button](user)
    match = _STEP_BUTTON.match(button)
    if not match or button not in ids(d):
        raise ValueError(f"tombol tidak dikenal: {button}")
    step, action, to = int(match.group(1)), match.group(2), match.group(3)
    return Act(action, user, note, step, int(to) if to else None)
