"""The README is a contract: every defined name and every CLI command is documented there."""
from __future__ import annotations

import openpyxl

from kinerja_xl.entrypoints import cli_reference
from kinerja_xl.entrypoints.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_defined_name_of_the_workbook_is_listed(book):
    names = set(openpyxl.load_workbook(book).defined_names)
    missing = sorted(n for n in names if f"`{n}`" not in README and not _in_a_range(n))
    assert not missing, f"README's workbook contract lacks: {missing}"


def _in_a_range(name: str) -> bool:
    """`aksi_1` … `aksi_5` documents aksi_2..aksi_4 too."""
    stem, _, number = name.rpartition("_")
    return number.isdigit() and f"`{stem}_1` … `{stem}_" in README


def test_every_cli_command_is_in_the_readme_table():
    for command in cli.commands:
        assert f"| `{command}" in README, command
        assert f"#### `kinerja-xl {command}`" in README, command


def test_readme_cli_reference_is_what_the_code_prints():
    """Regenerate with: python -m kinerja_xl.entrypoints.cli_reference --write"""
    assert cli_reference.BEGIN in README and cli_reference.END in README
    assert cli_reference.replaced(README) == README, \
        "README's CLI reference is stale: python -m kinerja_xl.entrypoints.cli_reference --write"


def test_readme_starts_with_the_two_commands():
    """Both work where the system Python is externally managed (PEP 668): inside a virtual environment."""
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert "kinerja-xl demo" in block[0] and "pytest" in block[1]
    assert block[0].startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert ". .venv/bin/activate" in block[1]
    assert "pip install" in block[0] and "python3 -m pip install" not in README.split("```bash", 1)[1][:300]


def test_every_ribbon_icon_a_definition_may_name_is_listed_in_the_definition_guide():
    from kinerja_xl.domain.definition_rules import OFFICE_ICONS

    guide = (ROOT / "docs" / "definition.md").read_text(encoding="utf-8")
    assert not [icon for icon in OFFICE_ICONS if f"`{icon}`" not in guide]


def test_every_excel_behaviour_names_tests_that_exist():
    """docs/excel.md: a behaviour without a model and a test is an assumption; each row names its tests."""
    import re

    catalogue = (ROOT / "docs" / "excel.md").read_text(encoding="utf-8")
    rows = [line for line in catalogue.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) >= 20
    for row in rows:
        tests = row.rsplit("|", 2)[1]
        assert "test" in tests, row[:60]
        path = None
        for ref in re.findall(r"`([^`]*::[^`]*)`", tests):
            file, _, name = ref.rpartition("::")
            path = file or path
            source = (ROOT / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {re.escape(name)}\(", source, re.MULTILINE), f"{path}::{name}"
