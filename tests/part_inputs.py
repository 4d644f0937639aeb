"""Shared by the part-level adapter's tests (issue 19): running the CLI in-process with a chosen file adapter, and
reading a workbook back — by openpyxl cell by cell, by LibreOffice over UNO per named block, and as a zip package
member by member — so that two files written by two adapters can be compared.

`KINERJA_XL_ADAPTER` picks the file adapter of the CLI's file actions: `openpyxl` (the reference, `FileWorkbook`)
or `bagian` (the part-level one, `PartWorkbook` in kinerja_xl/adapters/part_book.py).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from kinerja_xl.entrypoints.cli import main

ADAPTER_ENV = "KINERJA_XL_ADAPTER"
REFERENCE, PARTS = "openpyxl", "bagian"
ADAPTERS = (REFERENCE, PARTS)
BOOK = "Kinerja_SETWAN.xlsm"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run(adapter: str, folder: Path, *args, now: str) -> Outcome:
    """`kinerja-xl ARGS` in-process with the given file adapter, at a fixed WITA time. Paths under `folder` are
    written as `<dir>` in the output, so two runs in two folders compare equal."""
    saved = {k: os.environ.get(k) for k in (ADAPTER_ENV, "KINERJA_XL_NOW")}
    os.environ[ADAPTER_ENV] = adapter
    os.environ["KINERJA_XL_NOW"] = now + "+08:00"
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    where = str(Path(folder).resolve())
    return Outcome(code, out.getvalue().replace(where, "<dir>"), err.getvalue().replace(where, "<dir>"))


# -- openpyxl's reading, cell by cell ---------------------------------------------------------------------

def _cell(ws, row: int, col: int) -> tuple:
    c = ws.cell(row, col)
    value = c.value
    kind = None if value is None else c.data_type  # an empty cell's type is not content ('n', or its t= as written)
    return (type(value).__name__, value, kind, c.number_format, c.protection.locked, c.protection.hidden)


def differences(a: Path, b: Path, limit: int = 12) -> list[str]:
    """Everything openpyxl reads that differs between two workbooks: sheets, their states and protection, the
    workbook's structure lock, defined names, hidden rows and columns, and every cell that either file holds —
    value (and its type), data type (a formula is not text), number format, locked and hidden flags."""
    wa, wb = openpyxl.load_workbook(a), openpyxl.load_workbook(b)
    found: list[str] = []

    def differ(what: str, x, y) -> None:
        if x != y and len(found) < limit:
            found.append(f"{what}: {x!r} != {y!r}")

    differ("sheets", wa.sheetnames, wb.sheetnames)
    differ("structure lock", wa.security and dict(wa.security), wb.security and dict(wb.security))
    differ("names", {n: d.attr_text for n, d in wa.defined_names.items()},
           {n: d.attr_text for n, d in wb.defined_names.items()})
    for title in wa.sheetnames:
        if title not in wb.sheetnames:
            continue
        sa, sb = wa[title], wb[title]
        differ(f"{title} state", sa.sheet_state, sb.sheet_state)
        differ(f"{title} protection", dict(sa.protection), dict(sb.protection))
        differ(f"{title} hidden rows", sorted(r for r, d in sa.row_dimensions.items() if d.hidden),
               sorted(r for r, d in sb.row_dimensions.items() if d.hidden))
        differ(f"{title} hidden columns", sorted(k for k, d in sa.column_dimensions.items() if d.hidden),
               sorted(k for k, d in sb.column_dimensions.items() if d.hidden))
        for row, col in sorted(set(sa._cells) | set(sb._cells)):
            differ(f"{title}!{sa.cell(row, col).coordinate}", _cell(sa, row, col), _cell(sb, row, col))
    return found


def export_differences(a: Path, b: Path) -> list[str]:
    """Two folders' exports (`ekspor/`, made after `validate`) against each other: the same export folders and
    files, the same log CSV, the same exported xlsx byte for byte (it is reproducible for a fixed clock; a difference
    is named cell by cell), the manifests equal but for the PDF's hash and size (ReportLab stamps its time of
    making)."""
    found: list[str] = []
    folders_a = sorted(p.name for p in (Path(a) / "ekspor").glob("*")) if (Path(a) / "ekspor").exists() else []
    folders_b = sorted(p.name for p in (Path(b) / "ekspor").glob("*")) if (Path(b) / "ekspor").exists() else []
    if folders_a != folders_b:
        return [f"export folders: {folders_a} != {folders_b}"]
    for name in folders_a:
        x, y = Path(a) / "ekspor" / name, Path(b) / "ekspor" / name
        files = sorted(p.name for p in x.iterdir())
        if files != sorted(p.name for p in y.iterdir()):
            found.append(f"{name}: files {files} != {sorted(p.name for p in y.iterdir())}")
            continue
        for file in files:
            if file.endswith(".csv") and (x / file).read_bytes() != (y / file).read_bytes():
                found.append(f"{name}/{file} differs")
            elif file.endswith(".xlsx") and (x / file).read_bytes() != (y / file).read_bytes():
                found += [f"{name}/{file}: {d}" for d in differences(x / file, y / file)] or [f"{name}/{file} differs"]
        manifests = []
        for folder in (x, y):
            data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            for key in ("berkas", "ukuran"):
                data[key] = {k: v for k, v in data.get(key, {}).items() if not k.endswith(".pdf")}
            manifests.append(data)
        if manifests[0] != manifests[1]:
            found.append(f"{name}/manifest.json: {manifests[0]} != {manifests[1]}")
    return found


# -- LibreOffice's reading, per named block ---------------------------------------------------------------

def libreoffice_blocks(office, path: Path) -> dict[str, tuple]:
    """Every defined name's cells as LibreOffice computes them (DataArray: a formula shows its result, so text
    written as a formula would show here), and their formulas (FormulaArray: what a cell holds)."""
    doc = office.open(path, read_only=True)
    try:
        ranges = doc.doc.NamedRanges
        out = {}
        for name in ranges.ElementNames:
            cells = ranges.getByName(name).getReferredCells()
            out[name] = (cells.getDataArray(), cells.getFormulaArray()) if cells is not None else None
        return out
    finally:
        doc.close()


# -- the package, member by member ------------------------------------------------------------------------

# The parts an action may rewrite: the worksheets it writes (data, locks, protection), styles.xml (a lock is a
# style) and workbook.xml (the structure lock and sheet states that protection puts back). Nothing else.
WRITTEN = re.compile(r"xl/worksheets/sheet\d+\.xml|xl/styles\.xml|xl/workbook\.xml")


def untouched_problems(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """What the part-level adapter did beyond the parts it may write: members added or dropped, or changed."""
    problems = [f"added {n}" for n in sorted(set(after) - set(before))]
    problems += [f"dropped {n}" for n in sorted(set(before) - set(after))]
    problems += [f"changed {n}" for n in sorted(set(before) & set(after))
                 if not WRITTEN.fullmatch(n) and before[n] != after[n]]
    return problems


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def sidecar(path: Path) -> dict | None:
    """The sidecar as both adapters must write it: all but `sha256_buku_kerja`, the SHA-256 of the file's own bytes, which
    differ between the adapters by design (and must name them: checked here)."""
    side = Path(path).with_name(Path(path).name + ".anchor.json")
    if not side.exists():
        return None
    data = json.loads(side.read_text(encoding="utf-8"))
    if "sha256_buku_kerja" in data:
        assert data.pop("sha256_buku_kerja") == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return data


def wita(day: dt.datetime, minutes: int) -> str:
    return (day + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


# -- a workbook carrying what openpyxl does not model (issue 19's preservation test) ----------------------

CHART_SHEET, IMAGE_SHEET, COMMENT_SHEET, FORMULA_CELL = "3 Input Data", "Beranda", "1 Disposisi", "K40"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MS_RELS = "http://schemas.microsoft.com/office/2011/relationships"
_OFFICE_TYPE = "application/vnd.openxmlformats-officedocument"
CUSTOM_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n'
              b'<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography" '
              b'SelectedStyle="\\APA.XSL" StyleName="APA" Version="6"><b:Source><b:Tag>SOP01</b:Tag>'
              b'<b:Title>SOP Mekanisme Pengumpulan Data Kinerja</b:Title></b:Source></b:Sources>')
CUSTOM_XML_PROPS = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n'
                    b'<ds:datastoreItem ds:itemID="{6E6C2B5F-59C4-4C55-9A0B-6A1C8B0D2E11}" '
                    b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
                    b'<ds:schemaRef ds:uri="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"/>'
                    b'</ds:schemaRefs></ds:datastoreItem>')
CUSTOM_PROPS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Klasifikasi">'
                b'<vt:lpwstr>Internal SETWAN</vt:lpwstr></property></Properties>')
# A DEVMODE as Excel stores a sheet's printer settings: binary, its length and bytes are the printer driver's.
PRINTER_SETTINGS = "HP LaserJet Kantor".encode("utf-16-le").ljust(64, b"\0") + bytes(range(256)) * 3
SHAPE = ('<xdr:twoCellAnchor xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
         'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:from><xdr:col>10</xdr:col><xdr:colOff>0'
         '</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>13</xdr:col>'
         '<xdr:colOff>0</xdr:colOff><xdr:row>11</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
         '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="30" name="Bagan Proses 1"/><xdr:cNvSpPr/>'
         '</xdr:nvSpPr><xdr:spPr><a:xfrm>'
         '<a:off x="0" y="0"/><a:ext cx="1800000" cy="600000"/></a:xfrm><a:prstGeom prst="flowChartProcess"><a:avLst/>'
         '</a:prstGeom><a:solidFill><a:srgbClr val="DDEBF7"/></a:solidFill></xdr:spPr><xdr:txBody><a:bodyPr/>'
         '<a:lstStyle/><a:p><a:r><a:t>Disposisi</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/>'
         '</xdr:twoCellAnchor>')
CHART_STYLE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
               b'<cs:chartStyle xmlns:cs="http://schemas.microsoft.com/office/drawing/2012/chartStyle" '
               b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" id="201"><cs:axisTitle>'
               b'<cs:lnRef idx="0"/><cs:fillRef idx="0"/><cs:effectRef idx="0"/><cs:fontRef idx="minor">'
               b'<a:schemeClr val="tx1"/></cs:fontRef></cs:axisTitle></cs:chartStyle>')
CHART_COLORS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                b'<cs:colorStyle xmlns:cs="http://schemas.microsoft.com/office/drawing/2012/chartStyle" '
                b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" meth="cycle" id="10">'
                b'<a:schemeClr val="accent1"/></cs:colorStyle>')
CALC_CHAIN = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
              b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<c r="' + FORMULA_CELL.encode() + b'" i="1"/></calcChain>')


def png(width: int = 4, height: int = 3) -> bytes:
    """A small RGB PNG, made with zlib and struct (Pillow is not a dependency of ours)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    rows = b"".join(b"\0" + b"".join(bytes((40 * x % 256, 90, (200 - 30 * y) % 256)) for x in range(width))
                    for y in range(height))  # each row: filter type 0, then RGB per pixel
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _png_image(data: bytes, anchor: str):
    """openpyxl's Image reads its size through Pillow; this one is given its bytes and size."""
    from openpyxl.drawing.image import Image

    class Png(Image):
        def __init__(self):
            self.ref, self.width, self.height, self.format, self.anchor = io.BytesIO(data), 64, 48, "png", anchor

        def _data(self):
            return data

    return Png()


def with_drawings(built: bytes) -> bytes:
    """The built workbook with a bar chart of the indicator targets, a picture, a comment (with its VML drawing) and
    a formula outside every named block, added by openpyxl the way a user's Excel would keep them; saved as the file
    adapter saves (the ribbon's relationship put back)."""
    import openpyxl
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment

    from kinerja_xl.adapters import package

    wb = openpyxl.load_workbook(io.BytesIO(built), keep_vba=True)
    ws = wb[CHART_SHEET]
    chart = BarChart()
    chart.title = "Target per indikator"
    chart.add_data(Reference(ws, min_col=6, min_row=12, max_row=20), titles_from_data=True)
    ws.add_chart(chart, "P2")
    wb[IMAGE_SHEET].add_image(_png_image(png(), "K2"))
    wb[COMMENT_SHEET]["B12"].comment = Comment("Nomor surat mengikuti buku agenda.", "Admin")
    wb[IMAGE_SHEET][FORMULA_CELL] = "=1+1"
    out = io.BytesIO()
    wb.save(out)
    return package.finish(out.getvalue(), package.read_part(io.BytesIO(built), package.CUSTOMUI_PART))


def _relate(rels: bytes, rid: str, kind: str, target: str) -> bytes:
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'.encode()
    return rels.replace(b"</Relationships>", rel + b"</Relationships>")


def _override(types: bytes, part: str, content_type: str) -> bytes:
    entry = f'<Override PartName="{part}" ContentType="{content_type}"/>'.encode()
    return types.replace(b"</Types>", entry + b"</Types>")


def sheet_part(parts: dict[str, bytes], title: str) -> str:
    """The worksheet part of a sheet, through workbook.xml and its relationships."""
    workbook = parts["xl/workbook.xml"].decode()
    sheet = re.search(r'<(?:\w+:)?sheet\b[^>]*\bname="' + re.escape(title) + r'"[^>]*>', workbook).group(0)
    rid = re.search(r'\br:id="([^"]+)"', sheet).group(1)
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rel = next(m.group(0) for m in re.finditer(r"<Relationship\b[^>]*>", rels) if f'Id="{rid}"' in m.group(0))
    target = re.search(r'Target="([^"]+)"', rel).group(1)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _rels_of(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def _empty_rels() -> bytes:
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    return f'{declaration}<Relationships xmlns="{_PKG_RELS}"></Relationships>'.encode()


def with_office_parts(data: bytes) -> bytes:
    """What Excel adds on save that no writer of ours makes, added to the package as Excel lays it out: a custom XML
    data store (customXml/item1.xml, its properties and relationships, related from the workbook), custom document
    properties (docProps/custom.xml), a sheet's printer settings (a binary DEVMODE related from the chart's sheet
    and named by its pageSetup), a calculation chain for the formula outside the blocks, the chart's style and
    colour parts (Excel 2013 and later), and a flowchart shape beside the picture (DrawingML `sp`)."""
    parts = members_of(data)
    types, wb_rels, pkg_rels = parts["[Content_Types].xml"], parts["xl/_rels/workbook.xml.rels"], parts["_rels/.rels"]
    parts["customXml/item1.xml"] = CUSTOM_XML
    parts["customXml/itemProps1.xml"] = CUSTOM_XML_PROPS
    parts["customXml/_rels/item1.xml.rels"] = _relate(_empty_rels(), "rId1", f"{_RELS}/customXmlProps",
                                                      "itemProps1.xml")
    wb_rels = _relate(wb_rels, "rId901", f"{_RELS}/customXml", "../customXml/item1.xml")
    types = _override(types, "/customXml/itemProps1.xml", f"{_OFFICE_TYPE}.customXmlProperties+xml")
    if "docProps/custom.xml" not in parts:  # LibreOffice writes one of its own (empty): then it gets a property
        pkg_rels = _relate(pkg_rels, "rId901", f"{_RELS}/custom-properties", "docProps/custom.xml")
        types = _override(types, "/docProps/custom.xml", f"{_OFFICE_TYPE}.custom-properties+xml")
    parts["docProps/custom.xml"] = CUSTOM_PROPS
    parts["xl/calcChain.xml"] = CALC_CHAIN
    wb_rels = _relate(wb_rels, "rId902", f"{_RELS}/calcChain", "calcChain.xml")
    types = _override(types, "/xl/calcChain.xml", f"{_OFFICE_TYPE}.spreadsheetml.calcChain+xml")
    sheet = sheet_part(parts, CHART_SHEET)
    parts["xl/printerSettings/printerSettings1.bin"] = PRINTER_SETTINGS
    parts[_rels_of(sheet)] = _relate(parts[_rels_of(sheet)], "rId901", f"{_RELS}/printerSettings",
                                     "../printerSettings/printerSettings1.bin")
    types = _override(types, "/xl/printerSettings/printerSettings1.bin",
                      f"{_OFFICE_TYPE}.spreadsheetml.printerSettings")
    xml = parts[sheet].decode()
    setup = re.search(r"<(\w+:)?pageSetup\b[^>]*?(/?)>", xml)
    assert setup, f"{sheet} has no pageSetup"
    root = re.search(r"<(?!\?)[^>]*>", xml).group(0)  # the worksheet element (after any XML declaration)
    ns = re.search(r'xmlns:(\w+)="' + re.escape(_RELS) + '"', root)
    prefix = ns.group(1) if ns else "r"
    declare = "" if ns else f' xmlns:r="{_RELS}"'
    tag = setup.group(0)
    parts[sheet] = xml.replace(tag, tag[:-len(setup.group(2) + ">")] + f'{declare} {prefix}:id="rId901"' +
                               setup.group(2) + ">").encode()
    chart = next(n for n in parts if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
    chart_rels = _rels_of(chart)
    parts["xl/charts/style1.xml"], parts["xl/charts/colors1.xml"] = CHART_STYLE, CHART_COLORS
    rels = parts.get(chart_rels, _empty_rels())
    rels = _relate(rels, "rId901", f"{_MS_RELS}/chartStyle", "style1.xml")
    parts[chart_rels] = _relate(rels, "rId902", f"{_MS_RELS}/chartColorStyle", "colors1.xml")
    types = _override(types, "/xl/charts/style1.xml", "application/vnd.ms-office.chartstyle+xml")
    types = _override(types, "/xl/charts/colors1.xml", "application/vnd.ms-office.chartcolorstyle+xml")
    picture = next(n for n in parts if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)
                   and b"relationships/image" in parts.get(_rels_of(n), b""))
    parts[picture] = re.sub(rb"(</(\w+:)?wsDr>)", SHAPE.encode().replace(b"\\", b"\\\\") + rb"\1", parts[picture])
    parts["[Content_Types].xml"], parts["xl/_rels/workbook.xml.rels"], parts["_rels/.rels"] = types, wb_rels, pkg_rels
    return zipped(parts)


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    """Content types first, the rest in the order given (as Excel does: not sorted)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(parts, key=lambda n: n != "[Content_Types].xml"):
            z.writestr(name, parts[name])
    return out.getvalue()
