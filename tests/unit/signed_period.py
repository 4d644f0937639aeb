"""A period held in memory, with Pengaturan's key table, for the pure unit tests of signed actions.

No workbook is built or opened: every block `actions.act` and `load_period` read is made here, at a
place of its own on its sheet (so messages name distinct cells). The SOP is `sop_dicts.six_steps()`:
steps 1, 2, 5, 6 by the staf, 3 (verify or return to 1/2) and 4 (validate, signs; or return to 3) by
the kepala, who has a Plh. for the whole of the fourth quarter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kinerja_xl.domain import names as N
from kinerja_xl.domain import signing
from kinerja_xl.domain.actions import Outcome
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.period import Period, load_period

from tests.unit.sop_dicts import six_steps

D = parse_definition(six_steps())
ZONE = D.tz
START = dt.datetime(2026, 10, 1, 8, 0, tzinfo=ZONE)

OFFICIALS = (("ANI RAHAYU", "198001012005012001", "Staf Pelaksana", "staf", "ani"),
             ("BUDI SANTOSO", "197501012000031002", "Kepala Bagian Uji", "kepala", "budi"),
             ("ADI ADMIN", "", "Pengelola", "admin", "adi"))
STANDINS = (("Plh.", "CICI LESTARI", "198501012010012003", "cici", "kepala", "01-10-2026", "31-12-2026"),)
ACTING = ("ani", "budi", "cici")          # who may act on some step (and so must register a key)
LOG_ROWS = 60                             # the workbook has N.LOG_ROWS; fewer keep replays quick
OWNER = {1: "ani", 2: "ani", 3: "budi", 4: "budi", 5: "ani", 6: "ani"}

# Where each block sits (sheet, top row, left column): only for the addresses in messages.
_PLACES = {N.YEAR: (N.SETTINGS_SHEET, 4, 3), N.PERIOD: (N.SETTINGS_SHEET, 5, 3), N.PERIOD_START: (N.SETTINGS_SHEET, 6, 3),
           N.PLACE: (N.SETTINGS_SHEET, 7, 3), N.ADDRESS: (N.SETTINGS_SHEET, 8, 3),
           N.OFFICIALS: (N.SETTINGS_SHEET, 12, 2), N.STANDINS: (N.SETTINGS_SHEET, 35, 2),
           N.KEYS: (N.SETTINGS_SHEET, 50, 2), N.OFF_DAYS: (N.SETTINGS_SHEET, 85, 2),
           N.META_DEFINITION_HASH: (N.DEFINITION_SHEET, 1, 2), N.META_CODE: (N.DEFINITION_SHEET, 2, 2),
           N.STATUS: (N.HOME_SHEET, 19, 1), N.TURN: (N.HOME_SHEET, 16, 2), N.LOG: (N.LOG_SHEET, 2, 1),
           N.SIGNATURE: ("4 Langkah", 20, 2)}
if hasattr(N, "META_PREVIOUS"):  # the period this one continues (empty: the first)
    _PLACES[N.META_PREVIOUS] = (N.DEFINITION_SHEET, 3, 2)
_SIZES = {N.OFFICIALS: (N.OFFICIAL_ROWS, 5), N.STANDINS: (N.STANDIN_ROWS, 7), N.KEYS: (N.KEY_ROWS, 3),
          N.OFF_DAYS: (N.OFF_DAY_ROWS, 2), N.STATUS: (len(D.steps), 9), N.LOG: (LOG_ROWS, 14),
          N.SIGNATURE: (N.SIGNATURE_ROWS, 1)}


def keys_for(users=ACTING) -> dict[str, Ed25519PrivateKey]:
    return {u: Ed25519PrivateKey.generate() for u in users}


def key_rows(keys: dict[str, Ed25519PrivateKey]) -> list[list]:
    """Pengaturan's key table as `kinerja-xl register-key` fills it."""
    return [[u, signing.public_text(k), signing.fingerprint(signing.public_text(k))] for u, k in keys.items()]


def _empty(name: str, sheet: str, row: int, col: int) -> Block:
    height, width = _SIZES.get(name, (1, 1))
    return Block(sheet, row, col, tuple((None,) * width for _ in range(height)))


def blocks(key_table=(), *, officials=OFFICIALS, standins=STANDINS) -> dict[str, Block]:
    out = {name: _empty(name, *place) for name, place in _PLACES.items()}
    for step in D.steps:
        out[N.record(step.no)] = Block(step.sheet, 30, 2, ((None,),) * N.RECORD_ROWS)
    fill = {N.YEAR: [[2026]], N.PERIOD_START: [["01-10-2026"]], N.PLACE: [["Paringin"]],
            N.OFFICIALS: [list(r) for r in officials], N.STANDINS: [list(r) for r in standins],
            N.KEYS: [list(r) for r in key_table], N.META_DEFINITION_HASH: [["a" * 64]], N.META_CODE: [["{}"]]}
    for name, rows in fill.items():
        if rows:
            out[name] = out[name].with_rows(rows)
    return out


def period(keys: dict[str, Ed25519PrivateKey] | None = None, **kw) -> Period:
    """A fresh period (nothing logged yet) whose key table registers `keys`' public halves."""
    return load_period(D, blocks(key_rows(keys or {}), **kw))


def with_key_table(p: Period, rows) -> Period:
    """The same period with Pengaturan's key table replaced (as typed, unparsed)."""
    b = dict(p.blocks)
    b[N.KEYS] = _empty(N.KEYS, *_PLACES[N.KEYS]).with_rows([list(r) for r in rows]) if rows else _empty(N.KEYS, *_PLACES[N.KEYS])
    return replace(p, blocks=b)


def applied(p: Period, outcome: Outcome) -> Period:
    """The period as the workbook reads after the service saved `outcome` (writes, then the log row)."""
    b = {name: block.with_rows(outcome.writes[name]) if name in outcome.writes else block
         for name, block in p.blocks.items()}
    b[N.LOG] = b[N.LOG].with_rows([list(outcome.entry.row())], outcome.log_row)
    return load_period(D, b)
