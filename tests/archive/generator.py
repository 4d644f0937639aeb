"""A fast stand-in for `kinerja-xl export` at regency scale: the same files in the same layout, no workflow run.

A real export takes seconds (a whole SOP run, a PDF); a regency of 40 OPDs x 4 triwulan x 3 years is 480 of
them. This writes what the archive reads, the way `export.folder` and `export.workbook` write it: the xlsx with
the indicator table on its step's sheet (title row, header of column labels) and Ringkasan's "Durasi per
Langkah", the log CSV as a real hash chain (`domain.audit`, `export.log_csv`), a PDF shell, and a manifest with
the true SHA-256 of each file and the log head. Each OPD has its own definition (its satuan kerja and SOP code),
derived from the packaged one, so its manifest names its own definition hash.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from kinerja_xl.adapters.definition_file import canonical, read_raw, sha256
from kinerja_xl.domain import audit, capaian, recap
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.export import log_csv
from kinerja_xl.export.workbook import DURATION_COLUMNS



def _pdf() -> bytes:
    """One real (unsigned) page: `check DIR` opens the PDF to look at its signatures."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, "Ekspor contoh (generator tolok ukur kabupaten)")
    page.save()
    return buf.getvalue()


PDF = _pdf()


@dataclass(frozen=True)
class Opd:
    name: str
    code: str
    raw: dict           # the definition as TOML data
    text: str           # its canonical JSON
    digest: str

    @property
    def definition(self):
        return parse_definition(self.raw)


def opd(n: int, indicators: int = 30) -> Opd:
    raw = read_raw()
    raw["sop"]["satuan_kerja"] = f"Dinas Contoh {n:02d}"
    raw["sop"]["kode"] = f"SOP-KINERJA-D{n:02d}"
    for step in raw["langkah"]:
        for table in step.get("tabel", []):
            if table.get("jenis") == "indikator":
                table["baris"] = max(table.get("baris", 0), indicators)
    text = canonical(raw)
    return Opd(raw["sop"]["satuan_kerja"], raw["sop"]["kode"], raw, text, sha256(text))


def write_definition(o: Opd, folder: Path) -> Path:
    """The OPD's definition in its canonical JSON (as a workbook embeds it), for `--definisi`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{o.code}.json"
    path.write_text(o.text, encoding="utf-8")
    return path


def indicator_rows(o: Opd, year: int, period: int, count: int, seed: int = 0) -> list[dict]:
    """Rows by role: realisasi cumulative up to `period` (0-based), later columns empty."""
    rng = random.Random(f"{o.code}-{year}-{seed}")
    rows = []
    for n in range(1, count + 1):
        arah = "turun" if n % 5 == 0 else "naik"
        target = float(rng.choice((80, 90, 100, 3, 12)))
        steps = [round(target * (k + 1) / 4 * rng.uniform(0.8, 1.1), 2) for k in range(4)]
        realisasi = [steps[k] if k <= period else None for k in range(4)]
        rows.append({"key": n, "sasaran": f"Sasaran {1 + (n - 1) // 10}", "indikator": f"Indikator kinerja {n}",
                     "satuan": "%", "arah": arah, "target": target, "realisasi": realisasi})
    return rows


def export_folder(parent: Path, o: Opd, year: int, period: int, rows: list[dict], *, late: bool = False,
                  when: dt.datetime | None = None) -> Path:
    d = o.definition
    label = d.periods[period]
    when = when or dt.datetime(year + (period == 3), [4, 7, 10, 1][period], 7, 10, 5, tzinfo=d.tz)
    name = f"{d.header.code}_{year}_TW-{label}_{when:%Y%m%d-%H%M}"
    folder = parent / name
    folder.mkdir(parents=True)
    files = {f"{name}.xlsx": _xlsx(d, rows, period, late, when), f"{name}.pdf": PDF}
    entries = _log(d, when)
    files[f"{name}_log.csv"] = log_csv.to_bytes(N.log_columns(d.header.zone), (e.row() for e in entries))
    for file, raw in files.items():
        (folder / file).write_bytes(raw)
    rows_, head = audit.head(entries)
    manifest = {"sop": d.header.code, "nomor_sop": d.header.number, "tahun": year, "periode": label,
                "satuan_periode": d.header.period_unit, "dibuat": when.isoformat(timespec="seconds"), "draft": False,
                "definisi": o.digest, "berkas": {f: hashlib.sha256(raw).hexdigest() for f, raw in files.items()},
                "data": {str(s.no): hashlib.sha256(f"{name}{s.no}".encode()).hexdigest() for s in d.steps},
                "log": {"baris": rows_, "hash": head}}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def _log(d, when: dt.datetime) -> list[audit.LogEntry]:
    entries: list[audit.LogEntry] = []
    start = when - dt.timedelta(days=len(d.steps))
    for step in d.steps:
        action = next(a for a in step.actions if a != "return")
        at = start + dt.timedelta(days=step.no) if step.no < len(d.steps) else when
        entries.append(audit.chain(entries, time=at.isoformat(timespec="seconds"), user=f"u{step.no}",
                                   official=f"PEJABAT {step.no}", nip="19800101 200501 1 001",
                                   role=d.role(step.role).label, capacity="Definitif",
                                   action=audit.action_label(action), step=step.no, note="",
                                   digest=hashlib.sha256(f"{when}{step.no}".encode()).hexdigest()))
    return entries


def _xlsx(d, rows: list[dict], period: int, late: bool, when: dt.datetime) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ringkasan"
    ws.append([d.header.chart_title])
    ws.append([])
    ws.append(["Satuan Kerja", d.header.unit])
    ws.append([])
    ws.append(["Durasi per Langkah"])
    ws.append(list(DURATION_COLUMNS))
    for step in d.steps:
        verdict = "terlambat 2 hari kerja" if late and step.no == 3 else "tepat waktu"
        ws.append([step.no, step.activity, step.time.label if step.time else "tanpa standar", "", "", 1, verdict])
    for table in recap.indicator_tables(d):
        step = next(s for s in d.steps if table in s.tables)
        sheet = wb.create_sheet(step.sheet)
        sheet.append([f"Langkah {step.no}: {step.activity}"])
        sheet.append([])
        sheet.append([table.label])
        columns = d.columns_of(table)
        sheet.append([c.label for c in columns])
        ro = recap.roles(d, table)
        for row in rows:
            sheet.append(_cells(d, columns, ro, row, period))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cells(d, columns, ro, row: dict, period: int) -> list:
    cells = [None] * len(columns)
    for role in ("key", "sasaran", "indikator", "satuan", "arah", "target"):
        at = getattr(ro, role)
        if at is not None:
            cells[at] = row[role]
    for k, at in enumerate(ro.realisasi):
        cells[at] = row["realisasi"][k] if k < len(row["realisasi"]) else None
    if ro.capaian is not None:
        value = row["realisasi"][period] if period < len(row["realisasi"]) else None
        result = capaian.compute(recap.number(row["target"]), recap.number(value), row["arah"], d.capaian_rules)
        cells[ro.capaian] = float(result.value) if result.value is not None else result.reason
    for i, c in enumerate(columns):
        if cells[i] is None and c.type == "teks" and c.required:
            cells[i] = "Bagian Umum"
    return cells


def regency(parent: Path, opds: int, years: list[int], periods: int = 4, indicators: int = 30,
            skip: set = frozenset(), late: set = frozenset()) -> list[Opd]:
    """Every OPD's export folders under parent/<OPD code>/ekspor/; `skip` and `late`: (opd n, year, period)."""
    made = []
    for n in range(1, opds + 1):
        o = opd(n, indicators)
        made.append(o)
        for year in years:
            for k in range(periods):
                if (n, year, k) in skip:
                    continue
                export_folder(parent / o.code / "ekspor", o, year, k, indicator_rows(o, year, k, indicators),
                              late=(n, year, k) in late)
    return made
