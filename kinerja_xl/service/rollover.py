"""`kinerja-xl rollover` and the admin's Periode Berikutnya button: the next period's workbook from a validated
one, built from the definition the old workbook carries, Pengaturan and the indicators carried over
(`domain/rollover.py`), its log chained to this one's head. The old workbook is not changed."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kinerja_xl.adapters import package
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.builder.assemble import build_bytes
from kinerja_xl.builder.days_off import national
from kinerja_xl.builder.office_config import OfficeConfig
from kinerja_xl.domain import names as N
from kinerja_xl.domain import rollover
from kinerja_xl.domain.commands import RollOver
from kinerja_xl.domain.errors import Refused, UsageError
from kinerja_xl.domain.settings import Settings
from kinerja_xl.domain.values import InvalidValue, parse_date
from kinerja_xl.service.reading import Env, read_period
from kinerja_xl.service.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RollOverResult:
    path: Path
    message: str


def roll_over(cmd: RollOver, uow: UnitOfWork, env: Env) -> RollOverResult:
    period = read_period(uow)
    rollover.may_roll_over(period, cmd.user)
    d, settings = period.d, period.settings
    nxt = rollover.next_period(d, settings.year, settings.period, settings.start)
    source = uow.on_disk()
    after = Settings(nxt.year, nxt.period, nxt.start, settings.place, frozenset())
    out = Path(cmd.out) if cmd.out else source.with_name(f"{d.header.file_stem}_{nxt.year}_{after.period_tag(d)}.xlsm")
    if out.exists():
        raise Refused(f"'{out}' sudah ada: buku kerja periode berikutnya sudah dibuat. Buka berkas itu, atau "
                      "hapus/pindahkan dulu bila memang ingin membuatnya ulang.")
    same_year = nxt.year == settings.year
    config, notes = _config(period, nxt)
    raw = json.loads("".join(str(row[0]) for row in uow.book.read([N.META_DEFINITION])[N.META_DEFINITION].values
                             if row[0] is not None))
    writes = rollover.carried_tables(d, period.blocks, same_year)
    carried_users = {p["pengguna"] for p in config.people + config.stand_ins}
    keys = [k for k in period.keys.values() if k.user in carried_users]
    writes[N.KEYS] = [[k.user, k.public, k.fingerprint] for k in keys]
    writes[N.META_PREVIOUS] = [[rollover.link_of(period, source.name).text()]]
    _write_new(out, build_bytes(raw, config), writes)
    carried = [f"{len(config.people)} pejabat", f"{len(config.stand_ins)} Plh./Plt. yang masa tugasnya masih berlaku",
               f"{len(keys)} kunci terdaftar"]
    carried.append("tabel indikator dengan target dan realisasi sejauh ini" if same_year else
                   "tabel indikator kosong: tahun baru dimulai dari PK tahun itu (impor)")
    message = (f"Buku kerja periode berikutnya ({nxt.year}, {after.period_tag(d)}, mulai {nxt.start:%d-%m-%Y}) dibuat: "
               f"{out}. Dibawa: {', '.join(carried)}. Log barunya bersambung dengan log periode ini "
               f"({rollover.link_of(period, source.name).rows} baris). Periksa lembar Pengaturan sebelum langkah 1.")
    return RollOverResult(out, " ".join([message, *notes]))


def _config(period, nxt: rollover.Next) -> tuple[OfficeConfig, list[str]]:
    """Pengaturan for the next period: the same people, the stand-ins still in office, the days off ahead."""
    people = tuple({"nama": o.name, "nip": o.nip, "jabatan": o.title, "peran": o.role, "pengguna": o.user}
                   for o in period.people.officials)
    stand_ins = tuple({"jenis": s.kind, "nama": s.person.name, "nip": s.person.nip, "pengguna": s.person.user,
                       "peran": s.person.role, "mulai": s.start, "selesai": s.end}
                      for s in period.people.standins if s.end >= nxt.start)
    off = tuple(sorted(_off_days(period, nxt.start)))
    notes, with_national = [], True
    try:
        national(nxt.year)
    except UsageError:  # a PC without the build extra: the days Pengaturan already lists are carried over
        with_national = False
        notes.append(f"Catatan: hari libur nasional tahun {nxt.year} tidak dapat ditambahkan di komputer ini (paket "
                     "'holidays' tidak terpasang); lengkapi daftar libur di lembar Pengaturan sebelum langkah 1.")
    settings = period.settings
    return OfficeConfig(nxt.year, nxt.period, nxt.start, settings.place or None, people, stand_ins, off,
                        settings.address or None, with_national), notes


def _off_days(period, start) -> list[tuple]:
    rows = []
    for row in period.blocks[N.OFF_DAYS].values:
        try:
            day = parse_date(row[0])
        except InvalidValue:
            continue
        if day and day >= start:
            rows.append((day, str(row[1] or "")))
    return rows


def _write_new(out: Path, data: bytes, writes: dict[str, list[list]]) -> None:
    """The built workbook with what is carried over, written at once: a failure leaves no half-made file."""
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / out.name
        staged.write_bytes(data)
        book = FileWorkbook.open(staged)
        for name, rows in writes.items():
            if rows:
                book.write(name, rows)
        data = book.to_bytes()
    try:
        package.atomic_write(out, data, keep_backup=False)
    except OSError as exc:
        raise package.save_problem(out, exc) from None
