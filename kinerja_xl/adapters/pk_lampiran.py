"""The PK lampiran layout (No · Sasaran · Indikator · Target, as regencies copy it) into the indicator CSV that
`kinerja-xl import` takes.

A lampiran is typed by hand: the sasaran sits only on the first row of its group (merged cells), a row of
column numbers "(1) (2) (3)" may follow the header, the target may carry its unit ("100 %"). Satuan, arah and
sumber data are taken when the lampiran has them; otherwise satuan from the target's unit, arah and sumber
from the options (and the answer says which rows took a default). The CSV's columns are the definition's
indicator table's, by name, so it imports into any SOP whose table has these roles.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kinerja_xl.adapters.tabular import read_table
from kinerja_xl.domain import recap
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.errors import Refused

_ROLES = {"no": ("no", "no.", "nomor"), "sasaran": ("sasaran",), "indikator": ("indikator",), "satuan": ("satuan",),
          "target": ("target",), "arah": ("arah", "polaritas"), "sumber": ("sumber",)}
_TARGET = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*(.*)$")


def _role(header_cell: str) -> str | None:
    text = str(header_cell or "").strip().lower()
    return next((role for role, words in _ROLES.items() if any(text == w or text.startswith(w) for w in words)), None)


def read_lampiran(path: Path) -> list[dict]:
    """Rows as {role: text}; the sasaran carried down; numbering and empty rows left out."""
    header, rows = read_table(path)
    at: dict[str, int] = {}
    for i, cell in enumerate(header):
        role = _role(cell)
        if role and role not in at:
            at[role] = i
    missing = [r for r in ("sasaran", "indikator", "target") if r not in at]
    if missing:
        raise Refused(f"'{Path(path).name}' bukan lampiran PK: kolom {', '.join(missing)} tidak ada (judul kolom "
                      "yang dikenal: No, Sasaran, Indikator, Satuan, Target, Arah, Sumber Data).")
    out, sasaran = [], ""
    for row in rows:
        cell = {role: str(row[i]).strip() if i < len(row) and row[i] is not None else "" for role, i in at.items()}
        if re.fullmatch(r"\(?\d+\)?", cell["indikator"]) or not cell["indikator"]:
            continue
        sasaran = cell["sasaran"] or sasaran
        out.append({**cell, "sasaran": sasaran})
    return out


def to_indicator_csv(d: Definition, rows: list[dict], arah: str = "naik", sumber: str = "") -> tuple[bytes, list[str]]:
    """The CSV (UTF-8 with BOM) and notes for people: rows whose arah or sumber came from a default."""
    tables = recap.indicator_tables(d)
    if not tables:
        raise Refused("Definisi SOP ini tidak memiliki tabel indikator (target, arah, realisasi).")
    table = tables[0]
    columns = d.columns_of(table)
    ro = recap.roles(d, table)
    names = [c.name for c in table.input_columns]
    source = next((c.name for c in table.input_columns if "sumber" in c.name.lower() or "sumber" in c.label.lower()),
                  None)
    defaulted_arah, defaulted_source, lines = [], [], []
    for n, row in enumerate(rows, 1):
        match = _TARGET.match(row["target"].replace(" ", "")) if row["target"] else None
        target, unit = (match.group(1).replace(",", "."), match.group(2)) if match else (row["target"], "")
        values = {columns[ro.sasaran].name if ro.sasaran is not None else "": row["sasaran"],
                  columns[ro.indikator].name if ro.indikator is not None else "": row["indikator"],
                  columns[ro.target].name: target,
                  columns[ro.arah].name: row.get("arah") or arah}
        if ro.key is not None:
            values[columns[ro.key].name] = row.get("no") or str(n)
        if ro.satuan is not None:
            values[columns[ro.satuan].name] = row.get("satuan") or unit
        if source:
            values[source] = row.get("sumber") or sumber
        if not row.get("arah"):
            defaulted_arah.append(str(n))
        if source and not row.get("sumber"):
            defaulted_source.append(str(n))
        lines.append([values.get(name, "") for name in names])
    notes = []
    if defaulted_arah:
        notes.append(f"Arah '{arah}' dipakai untuk baris {', '.join(defaulted_arah)} (lampiran tidak memuat arah): "
                     "periksa indikator yang lebih kecil lebih baik ('turun').")
    if defaulted_source and not sumber:
        notes.append(f"Sumber data kosong untuk baris {', '.join(defaulted_source)}: isi sebelum dikirim, atau "
                     "sebutkan --sumber.")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows(lines)
    return buf.getvalue().encode("utf-8-sig"), notes
