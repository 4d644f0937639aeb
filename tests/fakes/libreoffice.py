"""LibreOffice as a second real spreadsheet engine for the tests, driven over UNO.

One headless soffice per test module (`Office`): its own profile, a private pipe, documents loaded
hidden with macros allowed, saved in their own format (an .xlsm through the filter
"Calc MS Excel 2007 VBA XML", which keeps `xl/vbaProject.bin` and the customUI part), and Basic run
through the document's script provider.

UNO is Debian's `python3-uno`, installed for the system's python3. Where the test's Python cannot
import it, the folder holding `uno.py` is put at the end of `sys.path` for that import only (nothing in
the venv is shadowed); pyuno is a C extension, so this needs the system's Python minor version.

`LibreBook` stands in for an xlwings Book so that the live adapter (`XlwingsWorkbook`) runs over
LibreOffice's Basic with VBA support: the workbook's own KinerjaSel module does the cell work.
How UNO marshals differs from COM/pywin32, and `UJI_MODULE` bridges the differences (see there).
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.readers import need

INSTALL = "apt-get install -y libreoffice-calc-nogui python3-uno"
XLSM_FILTER = "Calc MS Excel 2007 VBA XML"
LIBRARY = "KinerjaUji"
_SYSTEM_UNO = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")
_EPOCH = dt.datetime(1899, 12, 30)  # day 0 of Excel's and LibreOffice's 1900 date system
_DATE = "\x00Date"  # tag of a Date crossing UNO (UJI_MODULE); no cell can hold a control character


def need_uno():
    """The `uno` module, or a failed test that says what to install."""
    try:
        import uno
    except ImportError:
        folder = next((d for d in _SYSTEM_UNO if (Path(d) / "uno.py").exists()), None)
        assert folder, f"LibreOffice's Python-UNO bridge (uno.py) is required for this test: {INSTALL}"
        sys.path.append(folder)  # only for this import: the folder holds every other Debian Python package too
        try:
            import uno
        except ImportError as exc:  # e.g. pyuno built for another Python
            raise AssertionError(f"uno.py in {folder} does not load in Python {sys.version.split()[0]} "
                                 f"({exc}); the tests need python3-uno for this Python: {INSTALL}") from None
        finally:
            sys.path.remove(folder)
    return uno


def props(**values) -> tuple:
    from com.sun.star.beans import PropertyValue

    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


class Office:
    """One `soffice --headless` listening on a pipe; `stop()` ends that process and only that one."""

    def __init__(self, folder: Path):
        self.uno = need_uno()
        soffice = need("soffice")
        folder.mkdir(parents=True, exist_ok=True)
        self.pipe = f"kinerja_xl_{os.getpid()}_{id(self)}"
        self.log = folder / "soffice.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--invisible",
                 "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                 f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"],
                stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, HOME=str(folder)))
        try:
            self.context = self._connect(deadline=time.monotonic() + 90)
        except BaseException:
            self._end()
            raise
        self.desktop = self.context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.context)

    def _connect(self, deadline: float):
        from com.sun.star.connection import NoConnectException

        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        while True:
            try:
                return resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
            except NoConnectException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"soffice did not start (exit {self.process.poll()}): "
                                         f"{self.log.read_text(errors='replace')[-2000:]}") from None
                time.sleep(0.1)

    def open(self, path: Path, *, read_only: bool = False) -> "Document":
        doc = self.desktop.loadComponentFromURL(self.uno.systemPathToFileUrl(str(Path(path).resolve())), "_blank", 0,
                                                props(Hidden=True, ReadOnly=read_only, MacroExecutionMode=4))
        assert doc is not None, f"LibreOffice could not open {path}"
        return Document(self, doc, Path(path))

    def save_as_user(self, path: Path) -> Path:
        """Open and save in place, in the same format: what a user does with File > Save in LibreOffice."""
        doc = self.open(path)
        try:
            assert doc.filter_name == XLSM_FILTER  # .xlsm with its VBA project, as opened
            doc.store()
        finally:
            doc.close()
        return path

    def stop(self) -> None:
        try:
            self.desktop.terminate()
        except Exception:  # the bridge goes away with the process: expected
            pass
        self._end()

    def _end(self) -> None:
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


class Document:
    def __init__(self, office: Office, doc, path: Path):
        self.office, self.doc, self.path = office, doc, path

    def store(self) -> None:
        """Save in place in the format it was loaded in (File > Save, "Use Excel 2007-365!")."""
        self.doc.store()

    @property
    def filter_name(self) -> str:
        return next(p.Value for p in self.doc.getArgs() if p.Name == "FilterName")

    def close(self) -> None:
        self.doc.close(True)

    def sheet(self, name: str):
        return self.doc.Sheets.getByName(name)

    # -- Basic ----------------------------------------------------------------
    def basic_source(self, library: str, module: str) -> str:
        return self.doc.BasicLibraries.getByName(library).getByName(module)

    def add_basic(self, modules: dict[str, str], library: str = LIBRARY) -> None:
        """A Basic library of our own in the document, each module with VBA support on."""
        libraries = self.doc.BasicLibraries
        lib = libraries.getByName(library) if libraries.hasByName(library) else libraries.createLibrary(library)
        for name, source in modules.items():
            lib.insertByName(name, vba_as_basic(source))

    def call(self, module: str, function: str, *args, library: str = LIBRARY):
        url = f"vnd.sun.star.script:{library}.{module}.{function}?language=Basic&location=document"
        result, _, _ = self.doc.getScriptProvider().getScript(url).invoke(tuple(args), (), ())
        return result


def vba_as_basic(source: str) -> str:
    """A .bas module as LibreOffice Basic compiles it: no `Attribute` lines, VBA support on."""
    lines = [line for line in source.replace("\r\n", "\n").split("\n") if not line.startswith("Attribute VB_")]
    return "\n".join(["Option VBASupport 1", *lines])


def cell_module_for_libreoffice(source: str, *, protect: bool = False) -> str:
    """KinerjaSel as LibreOffice can run it, with the least change, each asserted to be there once.

    LibreOffice's VBA Workbook has no `ReadOnly` (Excel's has:
    https://learn.microsoft.com/office/vba/api/excel.workbook.readonly), so Peta answers
    (False, 423, "Property or method not found: ReadOnly."); it is asked through UNO instead
    (XStorable.isReadonly). With `protect`, Tulis's `AllowFormattingColumns:=True` is dropped too:
    LibreOffice's Worksheet.Protect (its VBA API, oovbaapi/ooo/vba/excel/XWorksheet.idl) knows Password and
    UserInterfaceOnly but not AllowFormattingColumns (Excel's does:
    https://learn.microsoft.com/office/vba/api/excel.worksheet.protect), so Tulis answers
    (False, 448, "Named argument not found.") before anything is written (LibreOffice 7.4.7)."""
    assert source.count("ThisWorkbook.ReadOnly") == 1, "KinerjaSel changed: revisit the ReadOnly stub"
    source = source.replace("ThisWorkbook.ReadOnly", "ThisComponent.isReadonly()")
    if protect:
        assert source.count(_ALLOW_FORMATTING_COLUMNS) == 1, "KinerjaSel changed: revisit the Protect stub"
        source = source.replace(_ALLOW_FORMATTING_COLUMNS, "")
    return source


_ALLOW_FORMATTING_COLUMNS = ", _\n            AllowFormattingColumns:=True"


# Test-only marshalling around the workbook's KinerjaSel, in Basic. How LibreOffice 7.4's Basic-to-UNO
# bridge differs from COM/pywin32 (what xlwings_book.from_com/grid expect):
# - a Date becomes void (None), inside an array too (a Date two arrays deep: an oleautomation.Date of
#   value 0); COM gives a datetime. Currency also becomes void (COM: Decimal). So a Date crosses as
#   Array(Chr(0) & "Date", serial), both ways, and Python makes a datetime of it;
# - a whole Double (CDbl(2026)) crosses as an int 2026, COM gives 2026.0; Python compares them equal;
# - an empty cell is Empty -> None, as COM's VT_EMPTY; a 2-D Range.Value is a tuple of row tuples and a
#   single cell a bare value, as in COM; a Basic array of arrays is a tuple of tuples.
# Python -> Basic: a list or tuple arrives as an array, None as Empty; a datetime cannot cross at all
# (RuntimeException: Couldn't convert ... to a UNO type), pywin32 sends it as a VT_DATE.
UJI_MODULE = '''Option Explicit

Public Function UjiPeta(ByVal nama As String) As Variant
    UjiPeta = Keluar(KinerjaSel.Peta(nama))
End Function

Public Function UjiBaca(ByVal lembar As Variant, ByVal alamat As Variant) As Variant
    UjiBaca = Keluar(KinerjaSel.Baca(lembar, alamat))
End Function

Public Function UjiTulis(ByVal lindungi As Variant, ByVal sandi As String, ByVal lembar As Variant, _
        ByVal alamat As Variant, ByVal baris As Variant, ByVal kolom As Variant, ByVal nilai As Variant, _
        ByVal kunciLembar As Variant, ByVal kunciAlamat As Variant, ByVal kunci As Variant) As Variant
    UjiTulis = Keluar(KinerjaSel.Tulis(lindungi, sandi, lembar, alamat, baris, kolom, Masuk(nilai), _
        kunciLembar, kunciAlamat, kunci))
End Function

Private Function Keluar(ByVal v As Variant) As Variant
    Dim i As Long, j As Long
    If IsArray(v) Then
        If Dimensi(v) = 2 Then
            For i = LBound(v, 1) To UBound(v, 1)
                For j = LBound(v, 2) To UBound(v, 2)
                    If VarType(v(i, j)) = vbDate Then v(i, j) = Array(Chr(0) & "Date", CDbl(v(i, j)))
                Next j
            Next i
        Else
            For i = LBound(v) To UBound(v)
                If IsArray(v(i)) Or VarType(v(i)) = vbDate Then v(i) = Keluar(v(i))
            Next i
        End If
    ElseIf VarType(v) = vbDate Then
        v = Array(Chr(0) & "Date", CDbl(v))
    End If
    Keluar = v
End Function

Private Function Masuk(ByVal nilai As Variant) As Variant
    Dim hasil() As Variant, i As Long
    If UBound(nilai) < LBound(nilai) Then
        Masuk = nilai
        Exit Function
    End If
    ReDim hasil(LBound(nilai) To UBound(nilai))
    For i = LBound(nilai) To UBound(nilai)
        If IsArray(nilai(i)) Then
            hasil(i) = CDate(nilai(i)(1))
        Else
            hasil(i) = nilai(i)
        End If
    Next i
    Masuk = hasil
End Function

Private Function Dimensi(ByVal v As Variant) As Integer
    Dim n As Long
    On Error GoTo Satu
    n = UBound(v, 2)
    Dimensi = 2
    Exit Function
Satu:
    Dimensi = 1
End Function
'''


def from_uno(value):
    """An answer from UNO as pywin32 would give it: tuples stay tuples, a tagged Date becomes a datetime."""
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == _DATE:
            return _EPOCH + dt.timedelta(days=value[1])
        return tuple(from_uno(v) for v in value)
    return value


def to_uno(value):
    """An argument for UNO: sequences as tuples, datetimes tagged (UNO has no conversion for them, see UJI_MODULE)."""
    if isinstance(value, (list, tuple)):
        return tuple(to_uno(v) for v in value)
    if isinstance(value, dt.datetime):
        return (_DATE, (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1))
    return value


class LibreBook:
    """What XlwingsWorkbook asks of an xlwings Book, over a LibreOffice document: `macro(name)` runs the
    workbook's KinerjaSel (through UJI_MODULE), `save()` stores the document, `fullname` is its path."""

    def __init__(self, document: Document):
        self.document = document
        self.fullname = str(document.path)
        self.calls: list[str] = []

    def macro(self, name: str):
        module, function = name.split(".")
        assert module == "KinerjaSel", name

        def run(*args):
            self.calls.append(function)
            return from_uno(self.document.call("Uji", f"Uji{function}", *(to_uno(a) for a in args)))
        return run

    def save(self) -> None:
        self.document.store()
