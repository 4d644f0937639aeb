"""Who is acting: a username mapped to an official in Pengaturan, or to a registered Plh./Plt."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinerja_xl.domain import names as N
from kinerja_xl.domain.errors import InputProblems, Refused
from kinerja_xl.domain.values import InvalidValue, format_nip, parse_date, parse_nip
from kinerja_xl.domain.definition import Definition

DEFINITIVE = "Definitif"


@dataclass(frozen=True)
class Official:
    """Who holds a role this period, as Pengaturan lists them."""

    name: str
    nip: str
    title: str
    role: str  # role id
    user: str


@dataclass(frozen=True)
class StandIn:
    """A Plh. or Plt. who may act for a role's holder between two dates."""

    kind: str  # "Plh." or "Plt."
    person: Official
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Actor:
    """The person acting and in which capacity; `behalf` is the absent official for a Plh./Plt."""

    user: str
    person: Official
    capacity: str
    behalf: Official | None = None

    @property
    def signature_title(self) -> str:
        return f"{self.capacity} {self.person.title}" if self.behalf else self.person.title


@dataclass(frozen=True)
class People:
    """Everyone who may act this period: the officials and their stand-ins."""

    officials: tuple[Official, ...]
    standins: tuple[StandIn, ...]

    def holder(self, role: str) -> Official | None:
        return next((o for o in self.officials if o.role == role), None)

    def describe(self, role: str, d: Definition) -> str:
        holder = self.holder(role)
        label = d.role(role).label
        return f"{label} ({holder.name})" if holder else label


def parse_people(d: Definition, officials, standins, where) -> People:
    """Read the Pengaturan tables; `where(name, r, c)` gives a cell address for messages."""
    by_label = ({r.label.casefold(): r.id for r in d.roles} | {r.id: r.id for r in d.roles}
                | {N.ADMIN_LABEL.casefold(): N.ADMIN_ROLE})
    problems: list[str] = []
    people = []
    for i, row in enumerate(officials):
        if _blank(row):
            continue
        people.append(_official(row[:5], by_label, problems, lambda c, i=i: where("pengaturan_pejabat", i, c), "Pejabat"))
    subs = []
    for i, row in enumerate(standins):
        if _blank(row):
            continue
        at = lambda c, i=i: where("pengaturan_pengganti", i, c)  # noqa: E731
        kind = str(row[0] or "").strip()
        if kind not in ("Plh.", "Plt."):
            problems.append(f"Jenis pengganti '{kind}' di {at(0)} harus 'Plh.' atau 'Plt.'")
        person = _official(row[1:5], by_label, problems, lambda c, at=at: at(c + 1), "Pengganti", with_title=False)
        try:
            start, end = parse_date(row[5]), parse_date(row[6])
        except InvalidValue as exc:
            problems.append(f"Tanggal Plh./Plt. di {at(5)}: {exc.message}")
            continue
        if start is None or end is None or end < start:
            problems.append(f"Masa tugas Plh./Plt. di {at(5)}–{at(6)} harus diisi, dengan tanggal selesai tidak sebelum mulai")
            continue
        subs.append(StandIn(kind, person, start, end))
    if problems:
        raise InputProblems(problems, "Perbaiki lembar Pengaturan (sebelum periode dimulai), lalu ulangi.")
    return People(tuple(people), tuple(subs))


def _official(row, by_label, problems, at, table, with_title=True) -> Official:
    if with_title:
        name, nip, title, role, user = (row + (None,) * 5)[:5]
    else:
        name, nip, user, role = (row + (None,) * 4)[:4]
        title = ""
    role_id = by_label.get(str(role or "").strip().casefold(), "")
    if not role_id:
        problems.append(f"{table}: peran '{role or ''}' di {at(3)} tidak dikenal")
    try:
        nip_digits = parse_nip(nip) or ""
    except InvalidValue as exc:
        problems.append(f"{table}: NIP di {at(1)}: {exc.message}")
        nip_digits = ""
    if not str(user or "").strip():
        problems.append(f"{table}: Pengguna Windows di {at(4 if with_title else 2)} kosong")
    return Official(str(name or "").strip(), format_nip(nip_digits) if nip_digits else "", str(title or "").strip(),
                    role_id, str(user or "").strip().casefold())


def _blank(row) -> bool:
    return all(v is None or str(v).strip() == "" for v in row)


def resolve(people: People, d: Definition, user: str, role: str, today: dt.date, turn: str) -> Actor:
    """The actor for `user` on a step of `role`, or a refusal that says who may act now."""
    key = user.strip().casefold()
    for official in people.officials:
        if official.user == key:
            if official.role == role:
                return Actor(key, official, DEFINITIVE)
            break
    for sub in people.standins:
        if sub.person.user == key and sub.person.role == role and sub.start <= today <= sub.end:
            holder = people.holder(role)
            person = Official(sub.person.name, sub.person.nip, holder.title if holder else d.role(role).label, role, key)
            return Actor(key, person, sub.kind, holder)
    known = any(o.user == key for o in people.officials) or any(s.person.user == key for s in people.standins)
    if not known:
        raise Refused(f"Pengguna '{user}' tidak terdaftar di lembar Pengaturan. {turn} "
                      "Minta admin menambahkan Anda di tabel Pejabat, atau masuk sebagai pejabat yang berwenang.")
    raise Refused(f"Pengguna '{user}' bukan {d.role(role).label} dan tidak tercatat sebagai Plh./Plt. pada "
                  f"tanggal ini. {turn}")


def is_admin(people: People, user: str) -> bool:
    key = user.strip().casefold()
    return any(o.user == key and o.role == N.ADMIN_ROLE for o in people.officials)
