"""Write the VBA project: xlwings' own module (from the installed xlwings), the ribbon callbacks,
their file-system helpers, and the cell macros the live adapter calls."""
from __future__ import annotations

import re
from pathlib import Path

RIBBON_MODULE = "KinerjaRibbon"
SYSTEM_MODULE = "KinerjaSistem"
CELL_MODULE = "KinerjaSel"
_VERSION = re.compile(r"^'Version: (\S+)", re.MULTILINE)


def xlwings_bas() -> str:
    """The standalone module of the installed xlwings: it loads a DLL named after its version. Found beside the
    package without importing it (an import costs 50 ms, and `check` and `build` need only this file)."""
    from importlib.util import find_spec

    spec = find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("No module named 'xlwings'", name="xlwings")
    return (Path(spec.origin).parent / "xlwings.bas").read_text(encoding="utf-8")


def xlwings_version() -> str:
    match = _VERSION.search(xlwings_bas())
    return match.group(1) if match else "?"


def asset(module: str) -> str:
    from importlib import resources

    return (resources.files("kinerja_xl.adapters") / "vba" / f"{module}.bas").read_text(encoding="utf-8")


def ribbon_bas() -> str:
    return asset(RIBBON_MODULE)


def vba_modules() -> dict[str, str]:
    """xlwings' module, then every module in adapters/vba/ by name: adding a .bas file adds a module."""
    from importlib import resources

    ours = sorted(p.name[:-4] for p in (resources.files("kinerja_xl.adapters") / "vba").iterdir() if p.name.endswith(".bas"))
    return {"xlwings": xlwings_bas(), **{name: asset(name) for name in ours}}


def add_vba(path: Path) -> None:
    """Give the (VBA-less) workbook at `path` a project holding our modules, in place.

    pyOpenVBA builds it from an Excel-saved template whose performance caches it keeps; they are
    taken out after, so Office compiles every module from our source (see vba_project.py).
    """
    from pyopenvba import ExcelFile  # here, not at the top: the live adapter imports this module's names

    from kinerja_xl.adapters.vba_project import write_without_caches

    with ExcelFile(path) as book:
        project = book.add_vba_project()
        for name, source in vba_modules().items():
            project.add_module(name, as_stored(name, source))
        book.save(path)
    write_without_caches(path)


def as_stored(name: str, source: str) -> str:
    """A module's text as the VBA project keeps it (and pyOpenVBA reads it back): named, CRLF line ends."""
    if source.lstrip().startswith("Attribute VB_Name"):
        return source.replace("\r\n", "\n").replace("\n", "\r\n")
    return f'Attribute VB_Name = "{name}"\r\n' + source.replace("\r\n", "\n").replace("\n", "\r\n")


def fingerprint(text: str | bytes) -> str:
    """64 bits of SHA-256: enough to tell which module changed (the step-1 digest seals the whole list)."""
    import hashlib

    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:16]


_WRITER_LINES = ("Attribute VB_", "Rem Attribute VBA_", "Option VBASupport ")  # what Excel / LibreOffice add
_STRING = re.compile(r'("(?:[^"]|"")*")')


def code(source: str) -> str:
    """A module's code as every writer keeps it: without the header lines a writer adds, trailing spaces and
    blank lines, and with identifiers in one case outside string literals (VBA is case-insensitive, and its
    editor re-cases identifiers across the project when Excel saves). What a module's fingerprint covers."""
    lines = []
    for line in source.replace("\r\n", "\n").split("\n"):
        if line.startswith(_WRITER_LINES):
            continue
        parts = _STRING.split(line.rstrip())
        lines.append("".join(part if part.startswith('"') else part.lower() for part in parts))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def stored_modules(path: Path) -> dict[str, str]:
    """Every module of the VBA project in the file, as its source text; none in a package without a project,
    as pyOpenVBA answers. Read by vba_read (stdlib only): importing pyOpenVBA would cost `check` ~80 ms.
    A damaged project raises vba_read.VbaProjectError."""
    import zipfile

    from kinerja_xl.adapters import vba_read

    with zipfile.ZipFile(path) as package:
        if "xl/vbaProject.bin" not in package.namelist():
            return {}
        return vba_read.modules(package.read("xl/vbaProject.bin"))


def document_code(source: str) -> list[str]:
    """The lines of a document module (ThisWorkbook, SheetN) that are code rather than attributes: the
    builder writes none, and Workbook_Open would run on every opening."""
    return [line for line in code(source).split("\n") if line.strip() and not line.startswith("option ")]
