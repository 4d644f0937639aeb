"""What a process imports before any work (issue 19): behaviour, not time.

Each case runs in a fresh interpreter, so what other tests imported does not count.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

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


# ---------------------------------------------------------------- what a click and a step action load (issue 19)

HEAVY = ("openpyxl", "reportlab", "pyhanko", "keyring", "holidays", "sqlalchemy", "cryptography.x509",
         "cryptography.hazmat.primitives.serialization.pkcs12")


def heavy(modules, allowed=()) -> set[str]:
    """The modules among `modules` that are, or are inside, one of HEAVY (less `allowed`)."""
    return {m for m in modules for h in HEAVY if h not in allowed and (m == h or m.startswith(h + "."))}


def test_a_click_loads_the_live_path_without_anything_heavy():
    """What `tekan` imports before `press` runs: xlwings, then the live path."""
    out = subprocess.run([sys.executable, "-c", "import sys, json; import xlwings; import kinerja_xl.entrypoints.live; "
                          "print(json.dumps(sorted(sys.modules)))"], check=True, capture_output=True, text=True)
    assert heavy(json.loads(out.stdout)) == set()


# A button pressed in the xlwings stand-in, in a fresh interpreter; a hook on __import__ records what kinerja_xl's own
# code imports while `press` runs (the stand-in itself reads the workbook with openpyxl, which must not count).
PRESS = textwrap.dedent("""
    import json, os, sys
    sys.path.insert(0, {root!r})
    from tests.e2e.test_ribbon import STORY, fixed, type_cells
    from tests.fakes import keyring_memory
    from tests.fakes.import_recorder import recorded
    from tests.fakes import xlwings_standin as standin
    from kinerja_xl.entrypoints import live


    book = standin.Book({book!r})
    with keyring_memory.installed():
        for user in {enrol!r}:  # Daftarkan Kunci Saya on each official's PC before step 1
            os.environ["USERNAME"] = user
            live.press(book, "kunci", clock=fixed("2026-09-30T08:00"))
            assert book.app.alerts[-1][3] == "info", book.app.alerts[-1]
        type_cells(book, STORY[0][3], None)
        os.environ["USERNAME"] = "ardiansyah"
        with recorded() as seen:
            live.press(book, "L1_submit", clock=fixed("2026-10-01T09:05"))
    print(json.dumps([book.app.alerts[-1][3], sorted(seen)]))
""")


@pytest.mark.parametrize("signed", [False, True], ids=["tanpa kunci", "dengan kunci"])
def test_a_step_button_imports_nothing_heavy_while_it_acts(book, tmp_path, signed):
    """Everything `press` needs for a step button through the xlwings adapter; with keys registered it reads the
    official's key from Credential Manager (keyring), still without X.509 or PKCS#12."""
    from tests.conftest import ROOT
    from tests.e2e.test_ribbon_keys import OFFICIALS

    script = PRESS.format(root=str(ROOT), book=str(book), enrol=list(OFFICIALS) if signed else [])
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    mode, imported_by_us = json.loads(out.stdout.strip().splitlines()[-1])
    assert mode == "info"
    assert "kinerja_xl.adapters.xlwings_book" in imported_by_us  # the hook saw what the click imports as it acts
    assert heavy(imported_by_us, allowed=("keyring",) if signed else ()) == set()
    assert ("keyring" in imported_by_us) == signed


# The same, on a Windows PC where keyring would use Credential Manager (tests/fakes/win32cred_memory.py: wincred on,
# pywin32-ctypes installed, advapi32 a fake over one memory): keys are made and read without keyring.
WINDOWS_PRESS = textwrap.dedent("""
    import json, os, sys
    sys.path.insert(0, {root!r})
    from tests.e2e.test_ribbon import STORY, fixed, type_cells
    from tests.fakes import win32cred_memory
    from tests.fakes.import_recorder import recorded
    from tests.fakes import xlwings_standin as standin
    from kinerja_xl.entrypoints import live


    book = standin.Book({book!r})
    with win32cred_memory.windows() as vault:
        for user in {enrol!r}:
            os.environ["USERNAME"] = user
            live.press(book, "kunci", clock=fixed("2026-09-30T08:00"))
            assert book.app.alerts[-1][3] == "info", book.app.alerts[-1]
        type_cells(book, STORY[0][3], None)
        os.environ["USERNAME"] = "ardiansyah"
        win32cred_memory.as_in_a_fresh_process()  # a click is a fresh interpreter: advapi32 not yet bound
        with recorded() as seen:
            live.press(book, "L1_submit", clock=fixed("2026-10-01T09:05"))
    print(json.dumps([book.app.alerts[-1][3], sorted(seen), sorted(m for m in sys.modules if m.startswith("keyring")),
                      sorted(target for _, target in vault.entries)]))
""")


def test_a_signed_click_on_windows_reads_credential_manager_without_keyring(book, tmp_path):
    """Where keyring would itself use Credential Manager, a signed step button (and Daftarkan Kunci Saya before it)
    reads and writes it through kinerja_xl.adapters.wincred: keyring is never imported, by us or anything else."""
    from tests.conftest import ROOT
    from tests.e2e.test_ribbon_keys import OFFICIALS

    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND" and "KEYRING_PROPERTY_" not in k}
    env["LOCALAPPDATA"] = str(tmp_path)  # no keyringrc.cfg there
    script = WINDOWS_PRESS.format(root=str(ROOT), book=str(book), enrol=list(OFFICIALS))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         env=env)
    assert out.returncode == 0, out.stderr
    mode, imported_by_us, keyring_modules, targets = json.loads(out.stdout.strip().splitlines()[-1])
    assert mode == "info", imported_by_us
    assert "kinerja_xl.adapters.wincred" in imported_by_us and "ctypes" in imported_by_us
    assert heavy(imported_by_us) == set() and keyring_modules == []
    assert len(targets) == len(OFFICIALS)  # keyring's layout: the last saved under the service, the others compound
    assert "KINERJA-XL" in targets and sum(t.endswith("@KINERJA-XL") for t in targets) == len(OFFICIALS) - 1


CLI_STEP = textwrap.dedent("""
    import json, os, sys
    from kinerja_xl.entrypoints.cli import main

    os.environ["KINERJA_XL_NOW"] = "2026-10-01T09:05+08:00"
    book = {book!r}
    assert main(["set", book, "disposisi_nomor=005", "disposisi_tanggal=01-10-2026", "disposisi_kepada=Kepala Bagian",
                 "disposisi_isi=Segera", "--as", "ardiansyah"]) == 0
    assert main(["submit", book, "--as", "ardiansyah"]) == 0
    print(json.dumps(sorted(sys.modules)))
""")


def test_a_step_action_from_the_cli_imports_nothing_heavy(book, tmp_path):
    """`kinerja-xl set` and `submit` as whole processes: the part-level adapter, no key store on a workbook
    without keys, no PDF, no archive, no holidays."""
    env = {k: v for k, v in os.environ.items() if k != "KINERJA_XL_ADAPTER"}  # the default: the part-level adapter
    out = subprocess.run([sys.executable, "-c", CLI_STEP.format(book=str(book))], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert heavy(json.loads(out.stdout.strip().splitlines()[-1])) == set()


CLI_CHECK = textwrap.dedent("""
    import json, sys
    from kinerja_xl.entrypoints.cli import main

    print(json.dumps([main(["check", {book!r}]), sorted(sys.modules)]))
""")


def test_check_reads_the_vba_modules_without_pyopenvba(book, tmp_path):
    """`kinerja-xl check` compares the modules' fingerprints through vba_read (stdlib): pyOpenVBA's import (~80 ms,
    its package loads Access, Power Query, ...) is for `build`, which writes the project."""
    out = subprocess.run([sys.executable, "-c", CLI_CHECK.format(book=str(book))], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    code, modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert code == 0 and "kinerja_xl.adapters.vba_read" in modules
    assert "pyopenvba" not in roots(modules)
