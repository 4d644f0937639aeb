"""Lay the definition out as sheets. The only module that decides where cells are:
everything else reaches them through the defined names created here.
"""
from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from kinerja_xl.adapters import sheet_style as style
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition, Field, Step, Table


def define(wb, name: str, ws, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
    ref = f"{quote_sheetname(ws.title)}!${get_column_letter(col)}${row}"
    if rows > 1 or cols > 1:
        ref += f":${get_column_letter(col + cols - 1)}${row + rows - 1}"
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def validate(ws, field: Field, ref: str, roles: list[str] | None = None) -> None:
    """Data validation by type: Excel stops most bad input before the workflow has to."""
    kind = field.type
    if kind in ("pilihan", "ya_tidak") or roles:
        items = roles or list(field.options)
        dv = DataValidation("list", formula1='"' + ",".join(items) + '"', allow_blank=True)
    elif kind == "tanggal":
        dv = DataValidation("date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)", allow_blank=True)
    elif kind in ("angka", "rupiah"):
        dv = DataValidation("decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif kind == "bulat":
        dv = DataValidation("whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif kind == "nip":
        first = ref.split(":")[0]
        dv = DataValidation("custom", formula1=f'LEN(SUBSTITUTE({first}," ",""))=18', allow_blank=True)
    else:
        return
    dv.error = f"Isian '{field.label}' tidak sah. " + _HINTS.get(kind, "")
    dv.errorTitle = "Isian tidak sah"
    dv.showErrorMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


_HINTS = {"pilihan": "Pilih dari daftar.", "ya_tidak": "Pilih Ya atau Tidak.", "bulat": "Tulis bilangan bulat, mis. 12.",
          "rupiah": "Tulis jumlah rupiah, mis. 13.845.500.", "tanggal": "Tulis tanggal, mis. 17-08-2026.",
          "angka": "Tulis angka tidak negatif, mis. 85 atau 85,5.", "nip": "NIP terdiri dari 18 angka."}


def header_block(ws, d: Definition, row: int) -> int:
    """The SOP header block as on the paper form; returns the next free row."""
    h = d.header
    pairs = [("Satuan Kerja", f"{h.unit}"), ("Nomor SOP", h.number), ("Tanggal Pembuatan", h.created),
             ("Tanggal Revisi", h.revised), ("Tanggal Efektif", h.effective), ("Disahkan Oleh", h.approved_by),
             ("Nama SOP", h.name), ("Dasar Hukum", _numbered(h.legal_basis)),
             ("Kualifikasi Pelaksana", _numbered(h.qualifications)), ("Keterkaitan", _numbered(h.related)),
             ("Peralatan/perlengkapan", _numbered(h.equipment)), ("Peringatan", h.warning),
             ("Pencatatan dan pendataan", h.records)]
    for label, value in pairs:
        ws.cell(row, 1, label).font = style.BOLD
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=9)
        ws.cell(row, 2, value)
        style.box(ws, row, 1, 1, 9, style.INPUT_FILL)
        ws.row_dimensions[row].height = 15 * max(1, value.count("\n") + 1 + len(value) // 110)
        row += 1
    return row + 1


def _numbered(lines) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def step_header(ws, d: Definition, step: Step) -> None:
    ws.cell(1, 1, f"Langkah {step.no} — {step.sheet}").font = style.TITLE
    ws.cell(2, 1, d.header.name)
    rows = [("Kegiatan", step.activity), ("Pelaksana", d.role(step.role).label),
            ("Mutu Baku", f"Kelengkapan: {step.documents} · Waktu: {_days(step, d)} · Output: {step.output}")]
    for i, (label, value) in enumerate(rows, start=3):
        ws.cell(i, 1, label).font = style.BOLD
        ws.cell(i, 1).alignment = style.WRAP
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=8)
        ws.cell(i, 2, value).alignment = style.WRAP
        ws.row_dimensions[i].height = 30
    ws.cell(6, 1, "Catatan Aksi (diisi sistem)").font = style.BOLD
    for i, label in enumerate(N.record_columns(d.header.zone), start=7):
        ws.cell(i, 1, label)
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=4)
        style.box(ws, i, 2, 1, 3, style.OUTPUT_FILL)
    define(ws.parent, N.record(step.no), ws, 7, 2, N.RECORD_ROWS, 1)


def _days(step: Step, d: Definition) -> str:
    return step.time.label if step.time else "tanpa batas waktu"


def fields_block(ws, fields: tuple[Field, ...], row: int) -> int:
    """Label in A, value in B; returns the next free row."""
    if not fields:
        return row
    ws.cell(row, 1, "Isian").font = style.BOLD
    row += 1
    for f in fields:
        ws.cell(row, 1, f.label + (style.REQUIRED_MARK if f.required else ""))
        style.box(ws, row, 2, 1, 1, style.REQUIRED_FILL if f.required else style.INPUT_FILL)
        if f.type in style.NUMBER_FORMATS:
            ws.cell(row, 2).number_format = style.NUMBER_FORMATS[f.type]
        define(ws.parent, f.name, ws, row, 2)
        validate(ws, f, f"B{row}")
        row += 1
    return row + 1


def table_block(ws, d: Definition, table: Table, row: int) -> int:
    """Title, header and body; the body (all columns) is the table's defined name."""
    columns = d.columns_of(table)
    ws.cell(row, 1, table.label).font = style.BOLD
    style.header_row(ws, row + 1, 1, [c.label + (style.REQUIRED_MARK if c.required else "") for c in columns])
    ws.row_dimensions[row + 1].height = 30
    body, count = row + 2, d.rows_of(table)
    for r in range(body, body + count):
        ws.row_dimensions[r].height = 30  # two wrapped lines of sasaran / indikator text
    inputs = {c.name for c in table.input_columns}
    for j, column in enumerate(columns, start=1):
        fill = (style.REQUIRED_FILL if column.required else style.INPUT_FILL) if column.name in inputs else style.OUTPUT_FILL
        style.box(ws, body, j, count, 1, fill)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, column.width)
        if column.name in inputs:
            validate(ws, column, f"{letter}{body}:{letter}{body + count - 1}")
        if column.type == "capaian":
            capaian_colours(ws, d, f"{letter}{body}:{letter}{body + count - 1}")
        if column.type in style.NUMBER_FORMATS:
            for r in range(body, body + count + bool(table.totals)):
                ws.cell(r, j).number_format = style.NUMBER_FORMATS[column.type]
    for i, item in enumerate(table.items):
        ws.cell(body + i, 1, item)
    define(ws.parent, table.name, ws, body, 1, count, len(columns))
    if table.totals:  # computed by the system, like capaian
        style.box(ws, body + count, 1, 1, len(columns), style.OUTPUT_FILL)
        ws.cell(body + count, 1).font = style.BOLD
        define(ws.parent, table.total_name, ws, body + count, 1, 1, len(columns))
        return body + count + 2
    return body + count + 1


def capaian_colours(ws, d: Definition, ref: str) -> None:
    """merah below the red threshold, kuning up to the green one, hijau above it."""
    low, high, cell = f"{d.red_below:g}", f"{d.green_above:g}", ref.split(":")[0]
    rules = ((f"{cell}<{low}", style.RED_FILL), (f"AND({cell}>={low},{cell}<={high})", style.YELLOW_FILL),
             (f"{cell}>{high}", style.GREEN_FILL))
    for condition, fill in rules:  # a blank or a reason text gets no colour
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f"AND(ISNUMBER({cell}),{condition})"], fill=fill))


def deadline_colours(ws, ref: str) -> None:
    """Beranda's Sisa / Terlambat column: red when late, yellow when due today, green with days left."""
    first = ref.split(":")[0]
    for text, fill in (("terlambat", style.RED_FILL), ("jatuh tempo", style.YELLOW_FILL), ("sisa", style.GREEN_FILL),
                       ("tepat waktu", style.GREEN_FILL)):
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f'ISNUMBER(SEARCH("{text}",{first}))'], fill=fill,
                                                       stopIfTrue=True))


def signature_block(ws, row: int) -> int:
    ws.cell(row, 1, "Tanda Tangan").font = style.BOLD
    for i, label in enumerate(N.SIGNATURE_LABELS):
        ws.cell(row + 1 + i, 1, label)
        style.box(ws, row + 1 + i, 2, 1, 1, style.OUTPUT_FILL)
    define(ws.parent, N.SIGNATURE, ws, row + 1, 2, N.SIGNATURE_ROWS, 1)
    return row + 2 + N.SIGNATURE_ROWS
