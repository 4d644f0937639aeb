"""Fuzzing what people type and import: never a traceback, only documented exit codes,
and every refusal leaves the workbook byte-identical."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kinerja_xl.entrypoints.cli import main
from kinerja_xl.adapters.definition_file import load_definition
from tests.conftest import SAMPLE_CSV, named_cells
from tests.flow import to_step

D = load_definition()
CELL = st.one_of(
    st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30), st.integers(-10 ** 15, 10 ** 15),
    st.floats(allow_nan=True, allow_infinity=False, width=32), st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)),
    st.sampled_from(["=A1*2", "85%", "1.234,5", "1.234", "-0", "  ", "31-02-2026", "19620718198302 1 004", "naik"]),
)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.function_scoped_fixture])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args, now="2026-10-05T12:00") -> int:
    os.environ["KINERJA_XL_NOW"] = now + "+08:00"
    try:
        return main([str(a) for a in args])
    finally:
        os.environ.pop("KINERJA_XL_NOW", None)


@pytest.fixture(scope="module")
def at_step(tmp_path_factory, demo_bytes):
    """Workbooks whose current step is 1 and 3, prepared once."""
    folder = tmp_path_factory.mktemp("fuzz")
    books = {}
    for step in (1, 3):
        path = folder / f"step{step}.xlsm"
        path.write_bytes(demo_bytes)
        with pytest.MonkeyPatch.context() as mp:
            def cli(*args, now, mp=mp):
                mp.setenv("KINERJA_XL_NOW", now + "+08:00")
                return type("R", (), {"code": main([str(a) for a in args])})()
            to_step(cli, path, step)
        books[step] = path
    return books


def fuzz_cells(source: Path, cells: dict, user: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / source.name
        shutil.copy(source, book)
        wb = openpyxl.load_workbook(book, keep_vba=True)
        for (name, r, c), value in cells.items():
            named_cells(wb, name)[r][c].value = value
        wb.save(book)
        before = sha(book)
        code = run("submit", book, "--as", user)
        assert code in (0, 3)
        if code == 3:
            assert sha(book) == before


@FUZZ
@given(st.fixed_dictionaries({(f.name, 0, 0): CELL for f in D.step(1).fields}))
def test_any_values_in_step_one_inputs(at_step, capsys, cells):
    fuzz_cells(at_step[1], cells, "ardiansyah")
    capsys.readouterr()


INDICATOR_CELLS = st.dictionaries(
    st.tuples(st.just("indikator"), st.integers(0, 9), st.sampled_from([0, 1, 2, 3, 4, 5, 9, 11])), CELL, max_size=12)


@FUZZ
@given(INDICATOR_CELLS)
def test_any_values_in_the_indicator_table(at_step, capsys, cells):
    fuzz_cells(at_step[3], cells, "rahmah")
    capsys.readouterr()


CSV_FIELD = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
                      st.sampled_from(["", "naik", "turun", "100", "85,5", "-3", "1.234", "x;y", '"q"']))
HEADER = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[0].split(",")


@FUZZ
@given(st.lists(st.lists(CSV_FIELD, min_size=0, max_size=len(HEADER) + 2), max_size=6),
       st.sampled_from([",", ";"]), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_any_csv_rows_for_import(at_step, capsys, rows, delimiter, encoding):
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "k.xlsm"
        shutil.copy(at_step[3], book)
        data = Path(tmp) / "pk.csv"
        text = "\n".join(delimiter.join(r) for r in [HEADER, *rows])
        data.write_bytes(text.encode(encoding, errors="replace"))
        before = sha(book)
        code = run("import", book, data, "--as", "rahmah")
        assert code in (0, 2, 3, 4)
        if code != 0:
            assert sha(book) == before
    capsys.readouterr()
