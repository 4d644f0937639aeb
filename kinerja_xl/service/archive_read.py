"""An export folder, already checked against its manifest, read into the record the archive stores.

The xlsx is read as the export writes it (`export.workbook`): each indicator table on its step's sheet, under a
title row (the table's label) and a header row (its columns' labels, from the definition); the "Durasi per
Langkah" table on Ringkasan. The log CSV is read by its header, so a column added later (a signature) or
missing from an older export is no problem.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from kinerja_xl.adapters.anchor_file import MANIFEST
from kinerja_xl.adapters.archive_db import IndicatorRecord, PeriodRecord
from kinerja_xl.domain import audit, recap
from kinerja_xl.domain.definition import Definition, Table
from kinerja_xl.domain.errors import Refused
from kinerja_xl.export import log_csv
from kinerja_xl.export.workbook import DURATION_COLUMNS

DURATION_TITLE = "Durasi per Langkah"
SUMMARY_SHEET = "Ringkasan"
# Log CSV header -> archive column; "Waktu (<zona>)" is matched by its start.
LOG_FIELDS = {"No": "no", "Waktu": "time", "Pengguna": "user", "Pejabat": "official", "NIP": "nip", "Peran": "role",
              "Kedudukan": "capacity", "Aksi": "action", "Langkah": "step", "Catatan": "note", "Digest Data": "digest",
              "Hash Sebelumnya": "prev_hash", "Hash": "hash", "Tanda Tangan Elektronik": "signature"}


def read_manifest(folder: Path) -> tuple[dict, str]:
    raw = (folder / MANIFEST).read_bytes()
    return json.loads(raw.decode("utf-8-sig")), hashlib.sha256(raw).hexdigest()


def read_period(folder: Path, manifest: dict, manifest_sha256: str, d: Definition) -> PeriodRecord:
    """Refused (naming the folder) when the export is a draft, not validated, or not the SOP's layout."""
    name = folder.name
    if manifest.get("draft"):
        raise Refused(f"Folder '{name}' adalah ekspor DRAFT (sebelum validasi): hanya hasil tervalidasi yang diarsipkan.")
    period = str(manifest.get("periode") or "")
    if period not in d.periods:
        raise Refused(f"Folder '{name}': periode '{period}' tidak dikenal definisi SOP ({', '.join(d.periods)}).")
    year = manifest.get("tahun")
    if not isinstance(year, int) or isinstance(year, bool):
        raise Refused(f"Folder '{name}': tahun di {MANIFEST} tidak terbaca.")
    files = manifest["berkas"]
    actions = _actions(folder / _one(files, "_log.csv", name))
    validated = next((a for a in reversed(actions) if audit.ACTION_IDS.get(a["action"]) == "validate"), None)
    if validated is None:
        raise Refused(f"Folder '{name}': log tidak mencatat validasi, jadi hasilnya belum sah untuk diarsipkan.")
    steps, indicators = _workbook(folder / _one(files, ".xlsx", name), d, name)
    at = dt.datetime.fromisoformat(validated["time"])
    h = d.header
    return PeriodRecord(
        opd=h.unit, sop=h.code, sop_number=h.number, year=year, period=period, period_index=d.periods.index(period),
        periods_in_year=len(d.periods), period_unit=h.period_unit, definition_sha256=manifest["definisi"],
        manifest_sha256=manifest_sha256, log_rows=manifest["log"]["baris"], log_head=manifest["log"]["hash"],
        exported_at=str(manifest.get("dibuat") or ""), validated_at=validated["time"],
        validated_utc=at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"), folder=str(folder),
        files=dict(files), steps=steps, actions=actions, indicators=indicators)


def _one(files: dict, suffix: str, folder: str) -> str:
    found = [n for n in files if n.lower().endswith(suffix)]
    if len(found) != 1:
        raise Refused(f"Folder '{folder}': manifest mencatat {len(found)} berkas …{suffix}, seharusnya tepat satu.")
    return found[0]


def _actions(path: Path) -> list[dict]:
    rows = log_csv.from_bytes(path.read_bytes())
    header = rows[0] if rows else []
    where = {}
    for i, title in enumerate(header):
        key = "Waktu" if title.startswith("Waktu (") else title
        if key in LOG_FIELDS:
            where[LOG_FIELDS[key]] = i
    out = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        entry = {name: (row[i] if i < len(row) else "") for name, i in where.items()}
        entry = {name: entry.get(name, "") for name in LOG_FIELDS.values()}
        entry["no"], entry["step"] = int(entry["no"]), int(entry["step"])
        out.append(entry)
    return out


def _workbook(path: Path, d: Definition, folder: str) -> tuple[list[dict], list[IndicatorRecord]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        steps = _durations(_rows(wb, SUMMARY_SHEET))
        indicators = []
        for table in recap.indicator_tables(d):
            sheet = next(s.sheet for s in d.steps if table in s.tables)
            if sheet not in wb.sheetnames:
                raise Refused(f"Folder '{folder}': lembar '{sheet}' tidak ada di xlsx: bukan ekspor SOP ini.")
            indicators += _indicators(d, table, _rows(wb, sheet), folder)
    finally:
        wb.close()
    return steps, indicators


def _rows(wb, sheet: str) -> list[tuple]:
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)] if sheet in wb.sheetnames else []


def _block(rows: list[tuple], title: str, header) -> list[tuple] | None:
    """The rows under a title row and its header row, up to the first empty row; None when not there."""
    width = len(header)
    for r in range(len(rows) - 1):
        if rows[r] and rows[r][0] == title and tuple(rows[r + 1][:width]) == tuple(header):
            out = []
            for row in rows[r + 2:]:
                cells = tuple(row[:width]) + (None,) * (width - len(row[:width]))
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    break
                out.append(cells)
            return out
    return None


def _durations(rows: list[tuple]) -> list[dict]:
    block = _block(rows, DURATION_TITLE, DURATION_COLUMNS) or []
    out = []
    for no, activity, standard, started, ended, actual, verdict in block:
        verdict = str(verdict or "")
        out.append({"no": int(no), "activity": str(activity or ""), "standard": str(standard or ""),
                    "started": _text(started), "ended": _text(ended),
                    "actual": int(actual) if isinstance(actual, (int, float)) else None,
                    "verdict": verdict, "late": "terlambat" in verdict})
    return out


def _indicators(d: Definition, table: Table, rows: list[tuple], folder: str) -> list[IndicatorRecord]:
    columns = d.columns_of(table)
    block = _block(rows, table.label, [c.label for c in columns])
    if block is None:
        raise Refused(f"Folder '{folder}': tabel '{table.label}' tidak ditemukan di xlsx (judul dan kolomnya tidak "
                      "sesuai definisi SOP).")
    if table.totals and block and not isinstance(block[-1][0], (int, float)):
        block = block[:-1]  # the total row
    ro = recap.roles(d, table)
    out = []
    for n, row in enumerate(block, 1):
        text = lambda i: "" if i is None or row[i] is None else _key(row[i])  # noqa: E731
        found = row[ro.capaian] if ro.capaian is not None else None
        value = _float(found)
        out.append(IndicatorRecord(
            table.name, n, text(ro.key), text(ro.sasaran), text(ro.indikator), recap.identity(text(ro.indikator)),
            text(ro.satuan), text(ro.arah).lower(), _float(row[ro.target]), tuple(_float(row[i]) for i in ro.realisasi),
            value, None if value is not None or found is None else str(found)))
    return out


def _float(value) -> float | None:
    number = recap.number(value)
    return float(number) if number is not None else None


def _key(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text(value) -> str | None:
    return None if value is None else str(value)

