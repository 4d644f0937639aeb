"""Shared fixtures: a built workbook per test (built once, copied), and the CLI as a user runs it."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from kinerja_xl.bootstrap import TEST_MODE_ENV
from kinerja_xl.builder.assemble import build_bytes
from kinerja_xl.builder.office_config import load_config
from kinerja_xl.entrypoints.cli import main
from kinerja_xl.adapters.definition_file import load_definition, read_raw
from kinerja_xl.entrypoints.demo import sample as _sample

# The suite dates actions with KINERJA_XL_NOW, which only test mode honours (subprocesses inherit it).
os.environ[TEST_MODE_ENV] = "1"

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_CSV = SHARED / "data" / "contoh_pk_2026.csv"
if not SAMPLE_CSV.exists():  # a clone without shared/ beside it still has the packaged copy
    SAMPLE_CSV = _sample("contoh_pk_2026.csv")
CONFIG = _sample("contoh_pengaturan.toml")


@pytest.fixture(scope="session")
def definition():
    return load_definition()


@pytest.fixture(scope="session")
def demo_bytes(definition) -> bytes:
    return build_bytes(read_raw(), load_config(CONFIG, definition))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The workbook as `kinerja-xl build` makes it with no configuration (read-only in tests)."""
    from kinerja_xl.builder import assemble as builder

    return builder.build(out=tmp_path_factory.mktemp("build") / "Kinerja_SETWAN.xlsm")


@pytest.fixture
def book(tmp_path, demo_bytes) -> Path:
    """A fresh workbook with the example officials and period (2026, TW IV, from 1 Oct)."""
    path = tmp_path / "Kinerja_SETWAN.xlsm"
    path.write_bytes(demo_bytes)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `kinerja-xl ARGS` in-process at a fixed WITA time; returns exit code and output."""

    def run(*args, now: str = "2026-10-05T10:00") -> Result:
        monkeypatch.setenv("KINERJA_XL_NOW", now + "+08:00")
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="module")
def module_cli():
    """The `cli` fixture for a module-scoped export: one real export folder per module, since a full SOP run with
    its PDF takes seconds."""
    with pytest.MonkeyPatch.context() as mp:
        def run(*args, now: str = "2026-10-05T10:00") -> Result:
            mp.setenv("KINERJA_XL_NOW", now + "+08:00")
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main([str(a) for a in args])
                except SystemExit as exc:
                    code = exc.code
            return Result(code, out.getvalue(), err.getvalue())

        yield run


def copy(path: Path, dest: Path) -> Path:
    shutil.copy(path, dest)
    return dest


def named_cells(wb, name: str) -> list[list]:
    """The cells of a workbook-level defined name, as rows (always 2-D)."""
    from openpyxl.utils.cell import range_boundaries

    sheet, ref = next(iter(wb.defined_names[name].destinations))
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return [list(r) for r in wb[sheet].iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)]


@pytest.fixture(scope="module")
def validated_folder(tmp_path_factory, demo_bytes):
    """One validated workbook (with its sidecar and export) per module; each test gets a copy."""
    from tests.flow import validated  # tests.flow imports this module

    return prepared_folder(tmp_path_factory, demo_bytes, "validated", validated)


def prepared_folder(tmp_path_factory, demo_bytes, name: str, drive) -> Path:
    """A folder holding the demo workbook after `drive(run, book)` took it through the CLI (with its sidecar)."""
    folder = tmp_path_factory.mktemp(name)
    book = folder / "Kinerja_SETWAN.xlsm"
    book.write_bytes(demo_bytes)
    with pytest.MonkeyPatch.context() as mp:
        drive(runner(mp), book)
    return folder


def runner(mp):
    def run(*args, now):
        mp.setenv("KINERJA_XL_NOW", now + "+08:00")
        return Result(main([str(a) for a in args]), "", "")
    return run


@pytest.fixture
def closed(validated_folder, tmp_path):
    shutil.copytree(validated_folder, tmp_path / "kerja")
    return tmp_path / "kerja" / "Kinerja_SETWAN.xlsm"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """One headless LibreOffice per test module, with its own profile; ended at teardown."""
    from tests.fakes.libreoffice import Office

    running = Office(tmp_path_factory.mktemp("libreoffice"))
    yield running
    running.stop()
