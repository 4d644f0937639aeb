"""Definition (+ office configuration) -> a macro-enabled workbook, byte for byte reproducible.

openpyxl lays out the sheets, pyOpenVBA writes the VBA project (the xlwings module of
the installed xlwings, and the ribbon callbacks), and `package.finish` adds the
ribbon part and fixes every timestamp.
"""
from __future__ import annotations

import copy
import io
import json
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Protection
from openpyxl.workbook.protection import WorkbookProtection

from kinerja_xl import WORKBOOK_FORMAT
from kinerja_xl.adapters import sheet_style as style
from kinerja_xl.builder import sheets
from kinerja_xl.builder.flow_sheet import flow_sheet
from kinerja_xl.builder.days_off import days_off
from kinerja_xl.adapters import definition_file, package
from kinerja_xl.adapters.vba_sources import add_vba, code, fingerprint, vba_modules, xlwings_version
from kinerja_xl.builder.office_config import OfficeConfig, load_config
from kinerja_xl.builder.ribbon_xml import customui_xml
from kinerja_xl.domain import locks, status, workflow
from kinerja_xl.domain import names as N
from kinerja_xl.domain.data_entry import setting_fields
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.settings import PERIOD_LABELS, Settings


# A step sheet prints its tables' first rows only: 200 empty indicator rows would fill five pages.
PRINTED_TABLE_ROWS = 10

# The calculation engine of Excel 2016 and later: a file stamped with an older engine is recalculated
# in full on open, and Excel then asks to save it on close (docs/excel.md).
CALC_ID = 191029


def code_manifest(d: Definition) -> str:
    """Fingerprints of the code the workbook carries: each VBA module, the ribbon, and the xlwings settings
    that decide which Python runs. Sealed by the step-1 digest, so `check` can say which of them changed since
    the workbook was built."""
    modules = {name: fingerprint(code(source)) for name, source in vba_modules().items()}
    return json.dumps({"conf": conf_fingerprint(N.XLWINGS_CONF), "pita": fingerprint(customui_xml(d)), "vba": modules},
                      sort_keys=True, separators=(",", ":"))


def conf_fingerprint(rows) -> str:
    """The xlwings.conf keys the office may not change, with their values: what decides which Python runs."""
    pinned = [[str(key or ""), str(value if value is not None else "")]
              for (key, value, *_), (_, _, editable) in zip(rows, N.XLWINGS_CONF) if not editable]
    return fingerprint(json.dumps(pinned, separators=(",", ":")))


def default_out(definition_path=None) -> Path:
    """`<berkas>.xlsm`, named by the definition: into `workbook/` where there is one (this project's checkout,
    whose committed workbook `build --check` compares), else here, never a folder made up on the spot."""
    raw = definition_file.read_raw(definition_path)
    name = f"{parse_definition(raw).header.file_stem}.xlsm"
    return Path("workbook") / name if Path("workbook").is_dir() else Path(name)


def laid_out(raw: dict, config: OfficeConfig | None = None, table_rows: int | None = None):
    """The sheets, names, formats and locks for the raw definition, before any VBA: what `build` writes, and
    what `check` compares a workbook with (the layout the embedded definition implies is the authority).
    `table_rows`: every table laid out at most that many rows long (`as_built` grows them back); the definition
    returned is then the one laid out."""
    text = definition_file.canonical(raw)
    definition = parse_definition(raw if table_rows is None else _shortened(raw, table_rows))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _beranda(wb, definition, definition_file.sha256(text))
    _pengaturan(wb, definition, config or OfficeConfig())
    for step in definition.steps:
        _step_sheet(wb, definition, step)
    flow_sheet(wb, definition)
    _log(wb, definition)
    _xlwings_conf(wb)
    _definition_sheet(wb, text)
    _name_map(wb)
    wb.security = WorkbookProtection(lockStructure=True)
    _protect(wb, definition)
    return wb, definition


def _shortened(raw: dict, rows: int) -> dict:
    """A copy of the raw definition whose tables are at most `rows` rows long."""
    short = copy.deepcopy(raw)
    for step in short.get("langkah", ()):
        for table in step.get("tabel", ()) if isinstance(step, dict) else ():
            if isinstance(table, dict) and isinstance(table.get("baris"), int) and table["baris"] > rows:
                table["baris"] = rows
    return short


def build_bytes(raw: dict, config: OfficeConfig) -> bytes:
    """The workbook for the raw definition (a TOML file's dict), carrying the definition itself."""
    wb, definition = laid_out(raw, config)
    buf = io.BytesIO()
    wb.properties.creator = wb.properties.lastModifiedBy = "kinerja-xl"
    # No formulas to compute, and a forced full calculation on open makes Excel ask to save on close.
    wb.calculation.fullCalcOnLoad = False
    wb.calculation.calcId = CALC_ID
    wb.save(buf)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "staged.xlsm"
        staged.write_bytes(buf.getvalue())
        add_vba(staged)
        data = staged.read_bytes()
    return package.finish(data, customui_xml(definition))


def build(definition_path=None, config_path=None, out: Path | None = None) -> Path:
    """Check everything first: a broken definition or config writes nothing."""
    raw = definition_file.read_raw(definition_path)
    config = load_config(config_path, parse_definition(raw))
    data = build_bytes(raw, config)
    out = Path(out or default_out(definition_path))
    out.parent.mkdir(parents=True, exist_ok=True)
    package.atomic_write(out, data, keep_backup=False)
    return out


def is_stale(definition_path=None, config_path=None, out: Path | None = None) -> bool:
    raw = definition_file.read_raw(definition_path)
    fresh = build_bytes(raw, load_config(config_path, parse_definition(raw)))
    out = Path(out or default_out(definition_path))
    return not out.exists() or out.read_bytes() != fresh


def _beranda(wb, d: Definition, definition_hash: str) -> None:
    ws = wb.create_sheet(N.HOME_SHEET)
    ws.cell(1, 1, d.header.chart_title or d.header.name).font = style.TITLE
    row = sheets.header_block(ws, d, 3)
    ws.cell(row, 1, "Status Pelaksanaan").font = style.BOLD
    style.header_row(ws, row + 1, 1, N.STATUS_COLUMNS)
    style.box(ws, row + 2, 1, len(d.steps), len(N.STATUS_COLUMNS), style.OUTPUT_FILL)
    start = workflow.initial(d)
    for i, values in enumerate(status.rows(d, start, [], Settings(None, None, None, "", frozenset()), None)):
        ws.row_dimensions[row + 2 + i].height = 42  # kegiatan texts wrap to three lines
        for j, value in enumerate(values):
            ws.cell(row + 2 + i, 1 + j, value)
    sheets.define(wb, N.STATUS, ws, row + 2, 1, len(d.steps), len(N.STATUS_COLUMNS))
    sheets.deadline_colours(ws, f"H{row + 2}:H{row + 1 + len(d.steps)}")
    row += 3 + len(d.steps)
    ws.cell(row, 1, "Giliran saat ini").font = style.BOLD
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=9)
    ws.cell(row, 2, workflow.turn_text(d, start))
    sheets.define(wb, N.TURN, ws, row, 2)
    meta = [("Versi format buku kerja", WORKBOOK_FORMAT, N.META_FORMAT), ("Kode SOP", d.header.code, N.META_SOP),
            ("Versi xlwings (VBA)", xlwings_version(), N.META_XLWINGS),
            ("SHA-256 definisi SOP", definition_hash, N.META_DEFINITION_HASH),
            ("Sidik kode (VBA, pita)", code_manifest(d), N.META_CODE),
            ("Melanjutkan periode", None, N.META_PREVIOUS)]
    for i, (label, value, name) in enumerate(meta, start=row + 2):
        ws.cell(i, 1, label)
        ws.cell(i, 2, value)
        sheets.define(wb, name, ws, i, 2)
    for letter, width in zip("ABCDEFGHI", (26, 40, 18, 14, 22, 18, 18, 16, 26)):
        ws.column_dimensions[letter].width = width
    style.print_setup(ws, d.header.number, landscape=True)


def _pengaturan(wb, d: Definition, config: OfficeConfig) -> None:
    ws = wb.create_sheet(N.SETTINGS_SHEET)
    ws.cell(1, 1, "Pengaturan").font = style.TITLE
    ws.cell(2, 1, "Diisi admin sebelum periode dimulai; terkunci setelah langkah 1 dikirim.")
    ws.cell(3, 1, "Periode dan kantor").font = style.BOLD
    fields = setting_fields(d)
    values = {N.YEAR: config.year, N.PERIOD: config.period, N.PERIOD_START: config.start, N.PLACE: config.place,
              N.ADDRESS: config.address}
    for i, name in enumerate((N.YEAR, N.PERIOD, N.PERIOD_START, N.PLACE, N.ADDRESS), start=4):
        field = fields.get(name)
        if field is None:  # a yearly SOP has no period to choose
            ws.cell(i, 1, PERIOD_LABELS[d.header.period_unit])
            ws.cell(i, 2, d.periods[0])
            sheets.define(wb, name, ws, i, 2)
            continue
        required = name not in (N.PLACE, N.ADDRESS)
        ws.cell(i, 1, field.label + (style.REQUIRED_MARK if required else ""))
        style.box(ws, i, 2, 1, 1, style.REQUIRED_FILL if required else style.INPUT_FILL)
        ws.cell(i, 2, values[name])
        if field.type == "tanggal":
            ws.cell(i, 2).number_format = "DD-MM-YYYY"
        sheets.define(wb, name, ws, i, 2)
        sheets.validate(ws, field, f"B{i}")
    roles = [r.label for r in d.roles] + [N.ADMIN_LABEL]
    row = _settings_table(wb, ws, 9, "Pejabat", N.OFFICIALS, N.OFFICIAL_COLUMNS, N.OFFICIAL_ROWS, config.officials(d))
    sheets.validate(ws, sheets.Field("peran", "Peran", "pilihan"), f"D11:D{10 + N.OFFICIAL_ROWS}", roles)
    sheets.validate(ws, sheets.Field("nip", "NIP", "nip"), f"B11:B{10 + N.OFFICIAL_ROWS}")
    top = row
    row = _settings_table(wb, ws, row, "Pelaksana Harian / Pelaksana Tugas (Plh./Plt.)", N.STANDINS,
                          N.STANDIN_COLUMNS, N.STANDIN_ROWS, config.standins(d))
    sheets.validate(ws, sheets.Field("jenis", "Jenis", "pilihan", choices=("Plh.", "Plt.")), f"A{top + 2}:A{top + 1 + N.STANDIN_ROWS}")
    sheets.validate(ws, sheets.Field("peran", "Peran", "pilihan"), f"E{top + 2}:E{top + 1 + N.STANDIN_ROWS}", roles[:-1])
    row = _settings_table(wb, ws, row, "Kunci tanda tangan elektronik (diisi tombol Daftarkan Kunci Saya "
                          "atau 'kinerja-xl register-key'; kunci pribadi tidak pernah disimpan di sini)", N.KEYS,
                          N.KEY_COLUMNS, N.KEY_ROWS, ())
    _settings_table(wb, ws, row, "Hari libur (nasional, cuti bersama, dan libur kantor)", N.OFF_DAYS,
                    N.OFF_DAY_COLUMNS, N.OFF_DAY_ROWS, days_off(config.year if config.national else None, config.off_days, N.OFF_DAY_ROWS))
    for letter, width in zip("ABCDEFG", (30, 26, 34, 20, 20, 14, 14)):
        ws.column_dimensions[letter].width = width
    style.print_setup(ws, d.header.number, landscape=True)


def _settings_table(wb, ws, row, title, name, columns, count, values) -> int:
    ws.cell(row, 1, title).font = style.BOLD
    style.header_row(ws, row + 1, 1, columns)
    style.box(ws, row + 2, 1, count, len(columns), style.INPUT_FILL)
    for i, values_row in enumerate(values):
        for j, value in enumerate(values_row):
            ws.cell(row + 2 + i, 1 + j, value)
    sheets.define(wb, name, ws, row + 2, 1, count, len(columns))
    return row + 3 + count


def _step_sheet(wb, d: Definition, step) -> None:
    ws = wb.create_sheet(step.sheet)
    ws.column_dimensions["A"].width = 34 if step.fields else 14  # field labels, or just the record labels
    ws.column_dimensions["B"].width = 30
    sheets.step_header(ws, d, step)
    row = sheets.fields_block(ws, step.fields, 11)
    skipped = []
    for table in step.tables:
        top, row = row, sheets.table_block(ws, d, table, row)
        if d.rows_of(table) > PRINTED_TABLE_ROWS:  # the rest of the body, its total and the blank row after it
            skipped.append((top + 2 + PRINTED_TABLE_ROWS, row - 1))
    if step.signs:
        sheets.signature_block(ws, row)
    style.print_setup(ws, d.header.number, landscape=bool(step.tables))
    if skipped:
        style.print_area(ws, skipped)
    ws.freeze_panes = None


def _log(wb, d: Definition) -> None:
    ws = wb.create_sheet(N.LOG_SHEET)
    columns = N.log_columns(d.header.zone)
    style.header_row(ws, 1, 1, columns)
    sheets.define(wb, N.LOG, ws, 2, 1, N.LOG_ROWS, len(columns))
    for letter, width in zip("ABCDEFGHIJKLMN", (5, 26, 14, 24, 22, 18, 16, 10, 8, 30, 18, 18, 18, 18)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    style.print_setup(ws, d.header.number, landscape=True)


def _xlwings_conf(wb) -> None:
    """xlwings reads this sheet (an empty Interpreter_Win means `python` from PATH). Only the office's own
    choices are unlocked; `check` reports any other key changed. Hidden (not very hidden: the admin may unhide
    it to set Interpreter_Win), so printing the whole workbook leaves it out."""
    ws = wb.create_sheet(N.CONF_SHEET)
    ws.sheet_state = "hidden"
    for i, (key, value, editable) in enumerate(N.XLWINGS_CONF, start=1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, value)
        if editable:
            ws.cell(i, 2).protection = Protection(locked=False)
            ws.cell(i, 2).fill = style.INPUT_FILL
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    sheets.define(wb, N.META_CONF, ws, 1, 1, len(N.XLWINGS_CONF), 2)


def _definition_sheet(wb, text: str) -> None:
    """The definition the workbook runs, in chunks down column A; its SHA-256 stands on Beranda."""
    ws = wb.create_sheet(N.DEFINITION_SHEET)
    ws.sheet_state = "veryHidden"
    parts = definition_file.chunks(text)
    for i, part in enumerate(parts, start=1):
        ws.cell(i, 1, part).data_type = "s"
    sheets.define(wb, N.META_DEFINITION, ws, 1, 1, len(parts), 1)


def _name_map(wb) -> None:
    """A copy of the defined names for live Excel, where listing names costs a call per name.

    `check` verifies that the copy still matches the names.
    """
    ws = wb.create_sheet(N.MAP_SHEET)
    ws.sheet_state = "veryHidden"
    entries = sorted((name, dn.attr_text) for name, dn in wb.defined_names.items())
    for i, (name, ref) in enumerate(entries, start=1):
        ws.cell(i, 1, name)
        ws.cell(i, 2, ref)
    sheets.define(wb, N.NAME_MAP, ws, 1, 1, len(entries), 2)


def _protect(wb, d: Definition) -> None:
    """As built: step 1 and Pengaturan are open, everything else locked (no password in the file)."""
    from kinerja_xl.adapters.openpyxl_book import apply_locks, mark_lock_groups

    mark_lock_groups(wb, locks.lock_groups(d))
    apply_locks(wb, (), locks.editable_areas(d, current_step=1, settings_open=True), password=None)  # cells start locked
