"""Period after period: what the next period's workbook takes over from a validated one, and the link that
chains the two logs (the new log's first row links to the previous log's head, not to zeros).

Carried over: the officials, the stand-ins whose dates still reach into the new period, the office's days
off from the new start on, the registered keys (a key is rotated by registering a new one before step 1),
and — within the same year — every indicator table with its targets and the realisasi so far. A new year
starts from that year's PK (import), keeping the link. Everything else starts empty, every step reset.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from kinerja_xl.domain import audit
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain.people import is_admin

MONTHS = {"bulan": 1, "triwulan": 3, "semester": 6, "tahun": 12}


@dataclass(frozen=True)
class Link:
    """The previous period as the new workbook records it (`meta_sebelumnya`, sealed by step 1)."""

    sop: str
    year: int
    period: str
    file: str
    rows: int
    head: str

    def text(self) -> str:
        return json.dumps({"sop": self.sop, "tahun": self.year, "periode": self.period, "berkas": self.file,
                           "baris": self.rows, "hash": self.head}, ensure_ascii=False, sort_keys=True)

    @property
    def label(self) -> str:
        return f"{self.sop} {self.year} periode {self.period} ({self.file}, log {self.rows}:{self.head[:16]}…)"


def parse_link(value) -> Link | None:
    """The recorded link, None for a first period; a damaged link reads as one that cannot match anything."""
    if value is None or str(value).strip() == "":
        return None
    try:
        raw = json.loads(str(value))
        return Link(str(raw["sop"]), int(raw["tahun"]), str(raw["periode"]), str(raw["berkas"]), int(raw["baris"]),
                    str(raw["hash"]))
    except (ValueError, KeyError, TypeError):
        return Link("?", 0, "?", "?", 0, "rusak")


def genesis(blocks) -> str:
    """What the first log row links to in this workbook."""
    link = parse_link(blocks[N.META_PREVIOUS].value()) if N.META_PREVIOUS in blocks else None
    return link.head if link else audit.GENESIS


@dataclass(frozen=True)
class Next:
    year: int
    period: str
    start: dt.date


def next_period(d: Definition, year: int, period: str, start: dt.date) -> Next:
    """The period after (year, period): the next of the definition's periods, or the first of the next year;
    it starts as many months after this one's start as a period lasts."""
    index = d.periods.index(period)
    months = MONTHS[d.header.period_unit]
    total = start.month - 1 + months
    new_start = dt.date(start.year + total // 12, total % 12 + 1, 1)
    if index + 1 < len(d.periods):
        return Next(year, d.periods[index + 1], new_start)
    return Next(year + 1, d.periods[0], new_start)


def may_roll_over(period, user: str) -> None:
    """The admin, or the official of step 1 (who runs Pengaturan), from a validated period."""
    d = period.d
    if not period.state.signed:
        raise Refused(f"Periode ini belum divalidasi (langkah {d.signing_step.no}), jadi periode berikutnya belum dapat "
                      "dibuat. Selesaikan SOP periode ini lebih dahulu.")
    key = user.strip().casefold()
    first = period.people.holder(d.steps[0].role)
    if not is_admin(period.people, user) and (first is None or first.user != key):
        raise Refused(f"Periode berikutnya dibuat oleh admin atau {period.people.describe(d.steps[0].role, d)}; "
                      f"pengguna '{user}' bukan keduanya.")
    if period.settings.year is None or period.settings.period is None or period.settings.start is None:
        raise Refused("Tahun, periode dan tanggal mulai di lembar Pengaturan tidak lengkap, jadi periode berikutnya "
                      "tidak dapat ditentukan.")


def carried_tables(d: Definition, blocks, same_year: bool) -> dict[str, list[list]]:
    """Within a year, each indicator table's inputs as they are (targets and realisasi so far); capaian is left
    for the new period's first entry to compute, for the new period."""
    if not same_year:
        return {}
    out = {}
    for table in (t for s in d.steps for t in s.tables if t.kind == "indikator"):
        computed = [i for i, c in enumerate(d.columns_of(table)) if c.type == "capaian"]
        out[table.name] = [[None if i in computed else v for i, v in enumerate(row)] for row in blocks[table.name].values]
    return out


def link_of(period, file_name: str) -> Link:
    rows, head = audit.head(period.entries, genesis(period.blocks))
    return Link(period.d.header.code, period.settings.year, period.settings.period, file_name, rows, head)


def link_problems(link: Link | None, previous_rows: int, previous_head: str, label: str) -> list[str]:
    """The recorded link against the previous period's own log head (`check --sebelumnya`)."""
    if link is None:
        return [f"Buku kerja ini tidak mencatat periode sebelumnya, padahal {label} diberikan sebagai pendahulunya."]
    if (link.rows, link.head) != (previous_rows, previous_head):
        return [f"Tautan ke periode sebelumnya tidak cocok: buku kerja ini mencatat log {link.rows}:{link.head[:16]}…, "
                f"{label} berakhir di {previous_rows}:{previous_head[:16]}… (periode sebelumnya diubah setelah "
                "periode ini dibuat, atau tautannya dipalsukan)."]
    return []
