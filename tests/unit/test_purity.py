"""The core does no I/O: no file, Excel or process library, no open(). Adapters do that."""
from __future__ import annotations

import ast
from pathlib import Path

import kinerja_xl.domain

FORBIDDEN = {"openpyxl", "xlwings", "pyopenvba", "os", "io", "pathlib", "shutil", "subprocess", "zipfile", "tempfile",
             "socket", "sys", "argparse", "csv"}


def test_core_modules_import_no_io_library_and_never_call_open():
    offenders = []
    for path in sorted(Path(kinerja_xl.domain.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
                roots = {"open()"}
            else:
                continue
            offenders += [f"{path.name}: {r}" for r in roots & (FORBIDDEN | {"open()"})]
    assert offenders == []
