"""validate's automatic export is made from the period the action left, without reading the workbook again: it
must be exactly what a later `export` of the saved workbook gives."""
from __future__ import annotations

import json

import openpyxl


def test_the_automatic_export_equals_an_export_of_the_saved_workbook(cli, closed):
    auto = next((closed.parent / "ekspor").iterdir())
    r = cli("export", closed, "--no-pdf", "--out", closed.parent / "lagi", now="2026-10-07T10:05")
    assert r.code == 0, r.err
    again = next((closed.parent / "lagi").iterdir())
    first, second = (json.loads((f / "manifest.json").read_text(encoding="utf-8")) for f in (auto, again))
    assert (first["data"], first["log"], first["kunci"]) == (second["data"], second["log"], second["kunci"])
    log = lambda folder: next(folder.glob("*_log.csv")).read_bytes()  # noqa: E731
    assert log(auto) == log(again)
    books = [openpyxl.load_workbook(next(f.glob("*.xlsx"))) for f in (auto, again)]
    assert books[0].sheetnames == books[1].sheetnames
    for ws in books[0].worksheets:
        assert list(ws.iter_rows(values_only=True)) == list(books[1][ws.title].iter_rows(values_only=True)), ws.title
