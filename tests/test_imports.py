"""What a process imports before any work (issue 19): behaviour, not time.

Each case runs in a fresh interpreter, so what other tests imported does not count.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = "import sys, json; import {module}; print(json.dumps(sorted(sys.modules)))"


def imported(module: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(module=module)], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout))


def roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("heavy", ["holidays", "reportlab", "pyhanko", "sqlalchemy", "xlwings", "keyring"])
def test_the_cli_imports_nothing_only_some_verbs_need(heavy):
    """Holidays are read from Pengaturan (filled at build); the PDF, the archive and Excel load with their verbs."""
    assert heavy not in roots(imported("kinerja_xl.entrypoints.cli"))


def test_a_ribbon_click_imports_nothing_of_ours_heavy_before_the_button_is_known():
    modules = imported("kinerja_xl.entrypoints.ribbon")
    ours = {m for m in modules if m.startswith("kinerja_xl")}
    assert ours == {"kinerja_xl", "kinerja_xl.entrypoints", "kinerja_xl.entrypoints.ribbon"}
    assert not roots(modules) & {"openpyxl", "cryptography", "click", "rich", "holidays", "reportlab", "pyhanko",
                                 "sqlalchemy", "xlwings", "keyring", "PIL"}
