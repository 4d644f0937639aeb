"""What kinerja_xl's own code imports while a button runs in the xlwings stand-in: a hook on `__import__`.
Imports made from the stand-in (it reads and saves the workbook with openpyxl) are not the product's and do not
count. Shared by tests/test_imports.py and benchmarks/ribbon_import.py, which run it in a fresh interpreter."""
from __future__ import annotations

import builtins
import contextlib
import sys


@contextlib.contextmanager
def recorded():
    """The set of module names kinerja_xl imports inside the block."""
    seen, plain = set(), builtins.__import__

    def in_stand_in() -> bool:
        frame = sys._getframe(2)
        while frame and not frame.f_globals.get("__name__", "").startswith("tests."):
            frame = frame.f_back
        return frame is not None

    def recording(name, globals=None, locals=None, fromlist=(), level=0):
        module = plain(name, globals, locals, fromlist, level)
        if (globals or {}).get("__name__", "").startswith("kinerja_xl") and not in_stand_in():
            seen.add(module.__name__ if level else name)
            seen.update(getattr(module, a).__name__ for a in fromlist or ()
                        if type(getattr(module, a, None)) is type(sys))
        return module

    builtins.__import__ = recording
    try:
        yield seen
    finally:
        builtins.__import__ = plain
