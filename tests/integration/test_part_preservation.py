"""Issue 19: a whole SOP run with the part-level adapter (`KINERJA_XL_ADAPTER=bagian`) keeps every part of the
package it does not need to change byte for byte: a chart (with Excel's chart style and colour parts), a picture and
a flowchart shape, a comment with its VML drawing, a custom XML data store, custom document properties, a sheet's
printer settings, a calculation chain — whatever Excel, LibreOffice or a user put there.

The input is the built workbook with a chart, a picture and a comment added by openpyxl — once as openpyxl saves
it, once saved again by LibreOffice (its own XML, shared strings, its docProps/custom.xml) — and then the parts Excel
adds on save, added to the package as Excel lays them out (tests/part_inputs.py). It is checked to be a workbook
(openpyxl and LibreOffice open it; LibreOffice shows the chart, picture, shape and note) and `check` is clean on it:
drawings are not data, `check` reads the named blocks, the code and the structure, and does not mind them.

What may change, and nothing else: the worksheets the run writes (their data, locks and protection; every element
that points at another part — drawing, legacyDrawing, pageSetup's printer settings — stays as it was), styles.xml
(a lock is a style) and workbook.xml (the structure lock and sheet states that protection puts back).

xl/calcChain.xml is Excel's cache of the order in which it calculates formula cells; Excel rebuilds it when it is
missing, and repairs a workbook whose chain names a cell that holds no formula. The SOP writes only values, and only
into its named blocks, where a formula is refused as input and reported by `check` as tampering: the chain stays
true, so it is kept like any other part. A writer may also drop it, but then cleanly — the part, its relationship
and its content type together — which this test accepts as the only other outcome.

The second test documents why the issue exists: the same run through openpyxl loses what it does not model. That
is a fact about openpyxl, not a guarantee of ours, so it turns into an expected failure (never a failure) on the day
openpyxl keeps one of them.
"""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tests.flow import to_step
from tests.part_inputs import (BOOK, CHART_SHEET, COMMENT_SHEET, IMAGE_SHEET, PARTS, REFERENCE, members,
                               members_of, run, untouched_problems, with_drawings, with_office_parts)

CALC_CHAIN = "xl/calcChain.xml"
VALID_4 = ["verifikasi_tanggal=06-10-2026", *(f"reviu[{i}].hasil=sesuai" for i in range(1, 9))]
KEPT_BY_EXCEL = ("customXml/item1.xml", "customXml/itemProps1.xml", "customXml/_rels/item1.xml.rels",
                 "xl/printerSettings/printerSettings1.bin", "xl/charts/style1.xml", "xl/charts/colors1.xml", CALC_CHAIN)


def shown(office, path: Path) -> dict[str, tuple[int, int, int]]:
    """What LibreOffice shows of the added objects: drawing objects, charts and notes per sheet."""
    doc = office.open(path, read_only=True)
    try:
        sheets = {title: doc.sheet(title) for title in (IMAGE_SHEET, CHART_SHEET, COMMENT_SHEET)}
        return {title: (s.DrawPage.Count, s.Charts.Count, s.Annotations.Count) for title, s in sheets.items()}
    finally:
        doc.close()


@pytest.fixture(scope="module")
def inputs(demo_bytes, office, tmp_path_factory):
    """The input by who wrote it before Excel's parts were added ("openpyxl", or "libreoffice": saved again there),
    made once per module; each is verified to be a workbook that openpyxl and LibreOffice open, showing every
    added object, and that `check` finds clean."""
    made: dict[str, bytes] = {}

    def get(kind: str) -> bytes:
        if kind not in made:
            made[kind] = decorated_input(kind, demo_bytes, office, tmp_path_factory.mktemp(f"masukan-{kind}"))
        return made[kind]
    return get


def decorated_input(kind: str, demo_bytes: bytes, office, folder: Path) -> bytes:
    book = folder / BOOK
    book.write_bytes(with_drawings(demo_bytes))
    if kind == "libreoffice":
        office.save_as_user(book)
    data = with_office_parts(book.read_bytes())
    book.write_bytes(data)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb[COMMENT_SHEET]["B12"].comment is not None and wb[CHART_SHEET]._charts
    assert shown(office, book) == {IMAGE_SHEET: (2, 0, 0), CHART_SHEET: (1, 1, 0), COMMENT_SHEET: (1, 0, 1)}
    result = run(REFERENCE, folder, "check", book, now="2026-10-01T08:00")
    assert result.code == 0 and "Tidak ada perubahan" in result.out, result.out
    return data


def whole_run(adapter: str, folder: Path, data: bytes) -> Path:
    """The SOP from step 1 to its validation (with the export), with a return from step 5 to step 3 on the way;
    every command must succeed, and `check` is clean afterwards."""
    folder.mkdir(parents=True)
    book = folder / BOOK
    book.write_bytes(data)

    def cli(*args, now):
        result = run(adapter, folder, *args, now=now)
        assert result.code == 0, f"{adapter}: {args[0]}\n{result.err}"
        return result

    to_step(cli, book, 5)
    cli("return", book, "--note", "Lengkapi sumber data", "--ke", "3", "--as", "ardiansyah", now="2026-10-06T14:00")
    cli("set", book, "indikator[4].sumber_data=Sub Bagian Perencanaan (LHE)", "--as", "rahmah", now="2026-10-06T15:00")
    cli("submit", book, "--as", "rahmah", now="2026-10-06T15:05")
    cli("set", book, *VALID_4, "--as", "ridha", now="2026-10-06T16:00")
    cli("verify", book, "--as", "ridha", now="2026-10-06T16:05")
    cli("set", book, "validasi_tempat=Paringin", "validasi_tanggal=07-10-2026", "--as", "ardiansyah",
        now="2026-10-07T10:00")
    cli("validate", book, "--as", "ardiansyah", now="2026-10-07T10:05")
    result = run(REFERENCE, folder, "check", book, now="2026-10-07T11:00")
    assert result.code == 0 and "Tidak ada perubahan" in result.out, f"{adapter}\n{result.out}"
    return book


def pointers(xml: bytes) -> list[tuple[str, str]]:
    """Each element of a worksheet that points at another part (r:id), as (element, id), in order."""
    return [(m.group(1).decode(), m.group(2).decode())
            for m in re.finditer(rb"<(?:\w+:)?(\w+)\b[^>]*?\s\w+:id=\"([^\"]+)\"", xml)]


def without_calc_chain(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The package as if it never had a calculation chain: the part, its relationship and content type gone."""
    out = {n: v for n, v in parts.items() if n != CALC_CHAIN}
    out["xl/_rels/workbook.xml.rels"] = re.sub(rb"<Relationship\b[^>]*/relationships/calcChain\"[^>]*/>", b"",
                                               parts["xl/_rels/workbook.xml.rels"])
    out["[Content_Types].xml"] = re.sub(rb"<Override\b[^>]*PartName=\"/xl/calcChain\.xml\"[^>]*/>", b"",
                                        parts["[Content_Types].xml"])
    return out


@pytest.mark.parametrize("writer", ["openpyxl", "libreoffice"])
def test_the_part_level_adapter_keeps_every_other_part_byte_identical(inputs, writer, office, tmp_path):
    decorated = inputs(writer)
    book = whole_run(PARTS, tmp_path / PARTS, decorated)
    before, after = members_of(decorated), members(book)
    if CALC_CHAIN not in after:  # dropped: then cleanly, with its relationship and content type
        before = without_calc_chain(before)
        assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"] + after["[Content_Types].xml"]
    assert untouched_problems(before, after) == []
    changed = sorted(n for n in before if after[n] != before[n])
    for name in changed:
        if name.startswith("xl/worksheets/"):
            assert pointers(after[name]) == pointers(before[name]), f"{name}: a reference to another part changed"
    assert any(n.startswith("xl/worksheets/") for n in changed), "the run wrote nothing: this test proves nothing"
    assert shown(office, book) == {IMAGE_SHEET: (2, 0, 0), CHART_SHEET: (1, 1, 0), COMMENT_SHEET: (1, 0, 1)}


def test_documents_what_openpyxl_loses_which_is_why_the_part_level_adapter_exists(inputs, office, tmp_path):
    """Not a guarantee of ours: openpyxl (the reference adapter) rewrites the package from what it models. Today,
    on the workbook LibreOffice saved, it drops the custom XML store, the printer settings, the chart's style
    parts, the calculation chain and the flowchart shape, and rewrites the chart and the drawings in its own terms
    (the picture's PNG bytes it copies, with Pillow installed). When a newer openpyxl keeps one of these, this test
    reports an expected failure that says which, and the suite still passes."""
    decorated = inputs("libreoffice")
    book = whole_run(REFERENCE, tmp_path / REFERENCE, decorated)
    before, after = members_of(decorated), members(book)
    drawn = [n for n in before if n.startswith(("xl/charts/chart", "xl/drawings/drawing"))]
    kept = [n for n in (*KEPT_BY_EXCEL, *drawn) if after.get(n) == before[n]]
    drawings = b"".join(v for n, v in after.items() if n.startswith("xl/drawings/drawing"))
    if b"flowChartProcess" in drawings or shown(office, book)[IMAGE_SHEET][0] > 1:
        kept.append("the flowchart shape")
    if kept:
        pytest.xfail(f"openpyxl now keeps {kept}: update this test and the issue's reasons")
