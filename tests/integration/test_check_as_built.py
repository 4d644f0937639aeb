"""`check` compares a workbook with the layout the builder makes for its embedded definition, without making it at
full size (`builder/as_built.py`: the builder's layout with short tables, each grown to its rows). These tests prove
that this is exactly the full-size layout, names, sheets and looks, for several definitions and table sizes."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from kinerja_xl.adapters import definition_file
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.builder.assemble import laid_out
from kinerja_xl.domain import names as N
from kinerja_xl.builder import as_built as grown

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = [ROOT / "kinerja_xl" / "sop" / "sop_01_setwan.toml", *(ROOT / "tests" / "data" / name for name in
               ("sop_02_contoh.toml", "sop_panjang.toml", "sop_spj.toml"))]


def with_rows(raw: dict, rows: int | None) -> dict:
    """`raw` with every table that has a row count given `rows` rows (None: as the definition says)."""
    raw = copy.deepcopy(raw)
    for step in raw["langkah"]:
        for table in step.get("tabel", ()):
            if rows is not None and "baris" in table:
                table["baris"] = rows
    return raw


def full_size(raw: dict):
    wb, _ = laid_out(raw)
    built = FileWorkbook(Path(), wb, None)
    names = built.names()
    return built.sheet_names(), names, built.looks(list(names))


@pytest.mark.parametrize("rows", [None, 1, grown.SAMPLE_ROWS, grown.SAMPLE_ROWS + 1, 57, 1000])
@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_the_layout_check_compares_with_is_the_full_size_layout(path, rows):
    raw = with_rows(definition_file.read_raw(path), rows)
    ours, _ = grown.as_built(raw)
    sheets, names, looks = full_size(raw)
    assert ours.sheet_names() == sheets
    assert ours.names() == names
    assert ours.looks(list(names)) == looks


def test_a_definition_long_enough_to_take_another_chunk_still_matches():
    """The sample's text is shorter than the definition's: its chunk count (the definition sheet) is the real one."""
    raw = with_rows(definition_file.read_raw(DEFINITIONS[0]), 20000)
    text = definition_file.canonical(raw)
    raw["sop"]["nama"] += "x" * (definition_file.CHUNK - len(text) % definition_file.CHUNK + 1)  # just past a chunk
    assert len(definition_file.chunks(definition_file.canonical(raw))) > \
        len(definition_file.chunks(definition_file.canonical(with_rows(raw, grown.SAMPLE_ROWS))))
    ours, _ = grown.as_built(raw)
    wb, _ = laid_out(raw)
    built = FileWorkbook(Path(), wb, None)
    assert ours.names() == built.names()
    assert ours.looks([N.META_DEFINITION, "indikator", "kelengkapan"]) == \
        built.looks([N.META_DEFINITION, "indikator", "kelengkapan"])


def test_rows_the_builder_does_not_lay_out_alike_fall_back_to_the_full_size_layout(monkeypatch):
    """Should the builder ever format a table's last sample row differently, the layout is made at full size."""
    raw = with_rows(definition_file.read_raw(DEFINITIONS[0]), 40)
    real = grown.laid_out
    made = []

    def marked(raw_, table_rows=None):
        wb, d = real(raw_, table_rows=table_rows)
        made.append(d.rows_of(d.table("indikator")))
        sheet, top, _, rows, _ = grown.parse_ref(FileWorkbook(Path(), wb, None).names()["indikator"])
        wb[sheet].cell(top + rows - 1, 1).number_format = "0.000"  # the table's last row unlike the others
        return wb, d

    monkeypatch.setattr(grown, "laid_out", marked)
    ours, _ = grown.as_built(raw)
    assert made == [grown.SAMPLE_ROWS, 40]
    assert ours.looks(["indikator"])["indikator"].formats[-1][0] == "0.000"
    assert ours.looks(["indikator"])["indikator"].formats[-2][0] != "0.000"
