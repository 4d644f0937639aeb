"""The VBA glue, run in pyOpenVBA's headless interpreter with RunPython replaced by a recording stub.

xlwings' own module needs Excel and its DLL, so the callback module is loaded beside
a stub module that records every command it is asked to run.
"""
from __future__ import annotations

import importlib

from kinerja_xl.domain import buttons as button_ids
import re
import xml.etree.ElementTree as ET

import pytest
from pyopenvba import ExcelFile
from pyopenvba.interpreter import Interpreter, VBAObject, member

from kinerja_xl.builder.ribbon_xml import NAMESPACE, customui_xml
from kinerja_xl.adapters.vba_sources import RIBBON_MODULE, SYSTEM_MODULE
from kinerja_xl.adapters import package

RECORDING_STUB = """Option Explicit
Public Calls As String
Public Interpreter As String
Public Sub RunPython(ByVal PythonCommand As String)
    Calls = Calls & PythonCommand & vbLf
End Sub
Public Function Recorded() As String
    Recorded = Calls
End Function
Public Function GetConfig(ByVal configKey As String, Optional ByVal default As String = "") As Variant
    GetConfig = IIf(configKey = "Interpreter_Win" And Len(Interpreter) > 0, Interpreter, default)
End Function
Public Sub SetInterpreter(ByVal value As String)
    Interpreter = value
End Sub
"""
FAILING_RUNPYTHON_STUB = RECORDING_STUB.replace("    Calls = Calls & PythonCommand & vbLf",
                                                '    Err.Raise 53, "xlwings", "File not found: python.exe"')
SYSTEM_STUB = """Option Explicit
Public Files As String
Public PathVariable As String
Public Function AdaBerkas(ByVal lokasi As String) As Boolean
    AdaBerkas = InStr(1, "|" & Files & "|", "|" & lokasi & "|", vbTextCompare) > 0
End Function
Public Function VariabelLingkungan(ByVal nama As String) As String
    If nama = "PATH" Then VariabelLingkungan = PathVariable
End Function
Public Sub Machine(ByVal existing As String, ByVal searchPath As String)
    Files = existing
    PathVariable = searchPath
End Sub
"""
PYTHON_ON_PATH = (r"C:\Python311\python.exe", r"C:\Windows;C:\Python311")
RUNPYTHON = re.compile(r"import (?P<module>[\w.]+) as r; r\.(?P<function>\w+)\('(?P<arg>[^']*)'\)")


class RibbonControl(VBAObject):
    """What Office passes to an onAction callback: an IRibbonControl with an Id."""

    def __init__(self, control_id: str):
        self._id = control_id

    @member(name="Id")
    def control_id(self):
        return self._id


@pytest.fixture(scope="module")
def callbacks(built) -> str:
    """The callback module as stored in the built workbook's VBA project, not the source file."""
    with ExcelFile(built) as book:
        return book.vba_modules()[RIBBON_MODULE]


def buttons(xml: bytes) -> list[ET.Element]:
    return ET.fromstring(xml).findall(f".//{{{NAMESPACE}}}button")


def interpreter(stub: str, callbacks: str, machine=PYTHON_ON_PATH) -> Interpreter:
    vba = Interpreter()
    vba.add_module(stub, name="xlwings")
    vba.add_module(SYSTEM_STUB, name=SYSTEM_MODULE)
    vba.add_module(callbacks, name=RIBBON_MODULE)
    vba.run("Machine", list(machine))
    return vba


def test_every_on_action_names_a_callback_with_the_ribbon_signature(built, callbacks):
    xml = package.read_part(built, package.CUSTOMUI_PART)
    for button in buttons(xml):
        name = button.get("onAction")
        assert re.search(rf"^Public Sub {name}\(control As IRibbonControl\)", callbacks, re.MULTILINE), name


def test_tab_groups_buttons_by_role_with_design_labels(definition):
    root = ET.fromstring(customui_xml(definition))
    tab = root.find(f".//{{{NAMESPACE}}}tab")
    assert tab.get("label") == "Kinerja SETWAN"
    groups = {g.get("label"): [b.get("label") for b in g] for g in tab}
    assert groups == {
        "Sekretaris DPRD": ["Kirim Disposisi", "Validasi & Tandatangani", "Kembalikan"],
        "Kepala Bagian": ["Teruskan ke Kasubbag", "Verifikasi", "Kembalikan"],
        "Kepala Sub Bagian": ["Kirim Data Kinerja"],
        "Semua Pejabat": ["Status", "Periksa Integritas", "Ekspor"],
    }
    assert all(b.get("imageMso") for b in buttons(customui_xml(definition)))


def test_each_button_runs_its_python_command_and_the_target_is_importable(definition, callbacks):
    vba = interpreter(RECORDING_STUB, callbacks)
    ids = [b.get("id") for b in buttons(customui_xml(definition))]
    for control_id in ids:
        vba.run("KinerjaTombol", [RibbonControl(control_id)])
    recorded = str(vba.run("Recorded", [])).strip().split("\n")
    assert len(recorded) == len(ids)
    for control_id, command in zip(ids, recorded):
        match = RUNPYTHON.fullmatch(command)
        assert match and match["arg"] == control_id
        module = importlib.import_module(match["module"])
        assert callable(getattr(module, match["function"]))
        assert control_id in button_ids.ids(definition)
    assert vba.dialogs == []


def test_missing_python_gets_an_indonesian_message_and_python_is_never_called(callbacks):
    vba = interpreter(RECORDING_STUB, callbacks, machine=("", r"C:\Windows;C:\Windows\System32"))
    vba.run("KinerjaTombol", [RibbonControl("status")])
    kind, prompt, title, _ = vba.dialogs[0]
    assert kind == "MsgBox" and title == "kinerja-xl"
    assert "Python tidak ditemukan di komputer ini" in prompt and "Interpreter_Win" in prompt
    assert str(vba.run("Recorded", [])) == ""


@pytest.mark.parametrize("configured, files, found", [
    ("", r"C:\Python311\python.exe", True),                               # on PATH
    (r"D:\Py\python.exe", r"D:\Py\python.exe", True),                   # full path in xlwings.conf
    (r"D:\Py\python.exe", r"C:\Python311\python.exe", False),           # configured path missing
    ("pythonw", r"C:\Python311\pythonw.exe", True),                       # program name looked up on PATH
])
def test_python_is_found_where_xlwings_will_look(callbacks, configured, files, found):
    vba = interpreter(RECORDING_STUB, callbacks, machine=(files, r"C:\Windows;C:\Python311"))
    vba.run("SetInterpreter", [configured])
    assert bool(vba.run("PythonDitemukan", [])) is found


def test_a_failing_run_python_gets_an_indonesian_message(callbacks):
    vba = interpreter(FAILING_RUNPYTHON_STUB, callbacks)
    vba.run("KinerjaTombol", [RibbonControl("status")])
    kind, prompt, title, _ = vba.dialogs[0]
    assert title == "kinerja-xl" and "Python tidak dapat dijalankan" in prompt
    assert "File not found: python.exe" in prompt
