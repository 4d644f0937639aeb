"""One period of an SOP as the domain sees it, read once from the workbook's blocks.

The log is replayed into a workflow state; Pengaturan gives the settings and the people.
A period whose log is broken, or whose completed steps changed since they were logged,
is refused here, before any action can build on it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kinerja_xl.domain import audit, integrity, rollover, signing, workflow
from kinerja_xl.domain import names as N
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain.people import People, parse_people
from kinerja_xl.domain.settings import Settings, read_settings

CHECK_HINT = "Jalankan pemeriksaan integritas dan laporkan ke admin/Inspektorat."


@dataclass(frozen=True)
class Period:
    """Everything an action needs to know about the workbook, read once."""

    d: Definition
    blocks: Mapping[str, Block]
    entries: list[audit.LogEntry]
    state: workflow.State
    settings: Settings
    people: People
    keys: dict[str, signing.RegisteredKey] = field(default_factory=dict)  # Pengaturan's public keys, by user
    key_problems: tuple[str, ...] = ()   # rows of the key table that cannot be used (refused at step 1)
    proven: bool = True                  # the completed steps' data was compared with the log when read

    @property
    def settings_open(self) -> bool:
        """Pengaturan may change until the first action is logged (step 1 seals it)."""
        return not self.entries


def load_period(d: Definition, blocks: Mapping[str, Block], trusted: bool = False) -> Period:
    """`trusted`: the workbook is byte for byte the one the last action saved, after it proved the completed steps'
    data (the caller knows it from the sidecar): that proof is not repeated, so the sheets of completed tables need
    not be read. A signing action proves it again whatever `trusted` says (`actions.act`)."""
    entries, unreadable = audit.parse_rows(blocks[N.LOG].values)
    broken = unreadable + audit.verify(entries, rollover.genesis(blocks))
    if broken:
        raise Refused("Log audit tidak utuh, jadi aksi dihentikan:\n" + "\n".join(f"- {p}" for p in broken)
                      + f"\n{CHECK_HINT}")
    try:
        state = workflow.replay(d, entries)
    except Refused as exc:
        raise Refused(f"Log audit tidak sesuai urutan SOP: {exc.message}") from None
    if not trusted:
        refuse_changed(d, state, entries, blocks)
    people = parse_people(d, blocks[N.OFFICIALS].values, blocks[N.STANDINS].values,
                          lambda name, r, c: blocks[name].at(r, c))
    keys, key_problems = signing.parse_keys(blocks[N.KEYS].values, lambda r, c: blocks[N.KEYS].at(r, c))
    return Period(d, blocks, entries, state, read_settings(d, blocks), people, keys, tuple(key_problems),
                  proven=not trusted)


def refuse_changed(d: Definition, state: workflow.State, entries: list[audit.LogEntry], blocks: Mapping[str, Block]
                   ) -> None:
    """No action builds on a completed step whose data changed since it was logged."""
    changed = integrity.changed_steps(d, state, entries, blocks)
    if changed:
        raise Refused("Data langkah yang sudah dikunci telah berubah sejak dikirim: "
                      + ", ".join(f"langkah {s.no} ({s.sheet}{', termasuk Pengaturan' if s.no == 1 else ''})" for s, _ in changed)
                      + f". Aksi dihentikan. {CHECK_HINT}")
