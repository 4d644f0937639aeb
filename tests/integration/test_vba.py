"""The VBA glue, run in pyOpenVBA's Excel over the built workbook.

The modules under test are read from the built workbook's VBA project. xlwings' own configuration code
(`GetConfig` and what it calls) runs verbatim beside them, over the workbook's own `xlwings.conf` sheet
(tests/fakes/xlwings_config.py); xlwings' `RunPython` is replaced by a recorder, and `KinerjaSistem`, the
module that touches Windows, by SYSTEM_STUB, which answers from a `Computer` described in Python.
"""
from __future__ import annotations

import importlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest
from pyopenvba import ExcelFile

import kinerja_xl
from kinerja_xl.adapters import package
from kinerja_xl.adapters.vba_sources import RIBBON_MODULE, SYSTEM_MODULE, asset, xlwings_version
from kinerja_xl.builder.ribbon_xml import CALLBACK, INSTALL_CALLBACK, NAMESPACE, customui_xml
from kinerja_xl.domain import buttons as button_ids
from kinerja_xl.domain.definition_rules import OFFICE_ICONS
from pyopenvba.interpreter import VBAObject, member
from pyopenvba.interpreter._values import error
from tests.fakes.xlwings_config import FAILING_RECORDER, RECORDER, Machine, excel_with_xlwings_config

INSTALL_MODULE = "KinerjaInstalasi"
OUR_MODULES = (SYSTEM_MODULE, INSTALL_MODULE, RIBBON_MODULE)
LOCAL = r"C:\Users\staf\AppData\Local"
STORE_ALIAS = LOCAL + r"\Microsoft\WindowsApps\python.exe"
PYTHON = r"C:\Python311\python.exe"
USER_LOCATIONS = r"HKCU\Software\Microsoft\Office\16.0\Excel\Security\Trusted Locations" + "\\"
POLICY_LOCATIONS = r"HKCU\Software\Policies\Microsoft\Office\16.0\Excel\Security\Trusted Locations" + "\\"
ASR_CHILD_PROCESSES = "d4f940ab-401b-4efc-aadc-ad5f3c50688a"
MSGBOX_LIMIT = 1024  # "The maximum length of prompt is approximately 1024 characters" (MS-VBAL 6.1.2.8.1.13)
RUNPYTHON = re.compile(r"import (?P<module>[\w.]+) as r; r\.(?P<function>\w+)\('(?P<arg>[^']*)'\)")

# KinerjaSistem as the tests see Windows: every answer comes from Setel(key, value); "gagal:<name>" makes
# that procedure raise run-time error 5 with the given description.
SYSTEM_STUB = """Option Explicit
Option Private Module
Private Data As Object
Private Started As String
Private Function D() As Object
    If Data Is Nothing Then
        Set Data = CreateObject("Scripting.Dictionary")
        Data.CompareMode = vbTextCompare
    End If
    Set D = Data
End Function
Public Sub Setel(ByVal kunci As String, ByVal nilai As Variant)
    D.Item(kunci) = nilai
End Sub
Private Sub GagalBila(ByVal nama As String)
    If D.Exists("gagal:" & nama) Then Err.Raise 5, nama, D.Item("gagal:" & nama)
End Sub
Public Function AdaBerkas(ByVal lokasi As String) As Boolean
    GagalBila "AdaBerkas"
    AdaBerkas = D.Exists("berkas:" & lokasi)
End Function
Public Function JalurPencarian() As String
    GagalBila "JalurPencarian"
    JalurPencarian = D.Item("PATH")
End Function
Public Sub JalankanProgram(ByVal baris As String, ByRef keluaran As String, ByRef kodeKeluar As Long, _
                           Optional ByVal batasDetik As Long = 60)
    Started = Started & baris & vbLf
    If D.Exists("exec:gagal") Then Err.Raise D.Item("exec:nomor"), "WshShell.Exec", D.Item("exec:gagal")
    keluaran = D.Item("exec:keluaran")
    kodeKeluar = D.Item("exec:kode")
End Sub
Public Function BacaRegistri(ByVal kunci As String, ByRef nilai As Variant) As Boolean
    GagalBila "BacaRegistri"
    If D.Exists("reg:" & kunci) Then
        nilai = D.Item("reg:" & kunci)
        BacaRegistri = True
    End If
End Function
Public Function AlamatBukuKerja() As String
    GagalBila "AlamatBukuKerja"
    AlamatBukuKerja = D.Item("FullName")
End Function
Public Function BukuKerjaHanyaBaca() As Boolean
    GagalBila "BukuKerjaHanyaBaca"
    BukuKerjaHanyaBaca = D.Exists("ReadOnly")
End Function
Public Function Dijalankan() As String
    Dijalankan = Started
End Function
"""


def probe_output(python_version="3.11.9", workbook_format=None, xlwings=None) -> str:
    """What the probe prints on a computer where everything is installed (values as the workbook expects)."""
    workbook_format = kinerja_xl.WORKBOOK_FORMAT if workbook_format is None else workbook_format
    return (f"PYTHON={python_version}\r\nFORMAT={workbook_format}\r\n"
            f"XLWINGS={xlwings_version() if xlwings is None else xlwings}\r\n")


@dataclass
class Computer:
    """One Windows computer as both xlwings' code and KinerjaSistem see it; the default one is healthy."""

    files: set[str] = field(default_factory=lambda: {PYTHON, STORE_ALIAS})
    path: str = rf"C:\Windows\system32;C:\Windows;C:\Python311\;{LOCAL}\Microsoft\WindowsApps"
    probe: str = field(default_factory=probe_output)
    probe_exit: int = 0
    exec_error: tuple[int, str] | None = None  # (Err.Number, Err.Description) when a program cannot start
    registry: dict[str, object] = field(default_factory=lambda: {
        USER_LOCATIONS + r"Location0\Path": "C:\\Program Files\\Microsoft Office\\root\\Office16\\XLSTART\\",
        USER_LOCATIONS + r"Location3\Path": r"C:\Kinerja", USER_LOCATIONS + r"Location3\AllowSubfolders": 1})
    full_name: str = r"C:\Kinerja\Kinerja_SETWAN.xlsm"
    read_only: bool = False
    failing: dict[str, str] = field(default_factory=dict)  # KinerjaSistem procedure -> error description
    interpreter_win: str = ""  # the xlwings.conf value of Interpreter_Win

    def machine(self) -> Machine:
        return Machine(files=set(self.files), env={"USERPROFILE": r"C:\Users\staf", "LOCALAPPDATA": LOCAL,
                                                   "PATH": self.path})

    def settings(self) -> list[tuple[str, object]]:
        out = [("PATH", self.path), ("FullName", self.full_name), ("exec:keluaran", self.probe),
               ("exec:kode", self.probe_exit)]
        out += [(f"berkas:{f}", True) for f in self.files]
        out += [(f"reg:{k}", v) for k, v in self.registry.items()]
        out += [(f"gagal:{name}", text) for name, text in self.failing.items()]
        if self.read_only:
            out.append(("ReadOnly", True))
        if self.exec_error:
            out += [("exec:nomor", self.exec_error[0]), ("exec:gagal", self.exec_error[1])]
        return out


class RibbonControl(VBAObject):
    """What Office passes to an onAction callback: an IRibbonControl with an Id."""

    def __init__(self, control_id: str):
        self._id = control_id

    @member(name="Id")
    def control_id(self):
        return self._id


@pytest.fixture(scope="module")
def project(built) -> dict[str, str]:
    """The VBA modules as stored in the built workbook's project, not the source files."""
    with ExcelFile(built) as book:
        return book.vba_modules()


def excel(built, project, computer: Computer | None = None, run_python: str = RECORDER):
    computer = computer or Computer()
    app = excel_with_xlwings_config(built, computer.machine(), run_python=run_python)
    conf = app.sheet("xlwings.conf")
    conf.set_value(f"B{conf_row(conf, 'INTERPRETER_WIN')}", computer.interpreter_win)
    app.add_module(SYSTEM_STUB, name=SYSTEM_MODULE)
    for name in (INSTALL_MODULE, RIBBON_MODULE):
        app.add_module(project[name], name=name)
    for key, value in computer.settings():
        app.interpreter.run("Setel", [key, value])
    return app


def conf_row(conf, key: str) -> int:
    """The row of an xlwings.conf key, matched as xlwings matches it (upper-cased)."""
    return next(r for r in range(1, 50) if str(conf.value(f"A{r}") or "").upper() == key)


def press(app, control_id: str, callback: str = CALLBACK):
    """Click a button: the callback must never let a run-time error out (that is Excel's End/Debug dialog)."""
    app.interpreter.run(callback, [RibbonControl(control_id)])
    return app.interpreter.dialogs


def recorded(app) -> list[str]:
    return [line for line in str(app.interpreter.run("Recorded", [])).split("\n") if line]


def buttons(xml: bytes) -> list[ET.Element]:
    return ET.fromstring(xml).findall(f".//{{{NAMESPACE}}}button")


def workflow_ids(definition) -> list[str]:
    return [b.get("id") for b in buttons(customui_xml(definition)) if b.get("onAction") == CALLBACK]


def only_dialog(app) -> str:
    (kind, prompt, title, _), = app.interpreter.dialogs
    assert kind == "MsgBox" and title == "kinerja-xl"
    return prompt


# ---------------------------------------------------------------- the ribbon and its callbacks


def test_every_on_action_names_a_callback_with_the_ribbon_signature(built, project):
    xml = package.read_part(built, package.CUSTOMUI_PART)
    actions = {button.get("onAction") for button in buttons(xml)}
    assert actions == {CALLBACK, INSTALL_CALLBACK}
    for name in actions:
        assert re.search(rf"^Public Sub {name}\(control As IRibbonControl\)", project[RIBBON_MODULE], re.MULTILINE), name


def test_tab_groups_buttons_by_role_with_design_labels(definition):
    root = ET.fromstring(customui_xml(definition))
    tab = root.find(f".//{{{NAMESPACE}}}tab")
    assert tab.get("label") == "Kinerja SETWAN"
    groups = {g.get("label"): [b.get("label") for b in g] for g in tab}
    assert groups == {
        "Sekretaris DPRD": ["Kirim Disposisi", "Validasi & Tandatangani", "Kembalikan"],
        "Kepala Bagian": ["Teruskan ke Kasubbag", "Verifikasi", "Kembalikan"],
        "Kepala Sub Bagian": ["Kirim Data Kinerja"],
        "Semua Pejabat": ["Status", "Periksa Integritas", "Ekspor", "Daftarkan Kunci Saya", "Periksa Instalasi"],
        "Admin": ["Periode Berikutnya"],
    }
    install, = [b for b in buttons(customui_xml(definition)) if b.get("label") == "Periksa Instalasi"]
    assert install.get("onAction") == INSTALL_CALLBACK
    assert all(b.get("imageMso") in OFFICE_ICONS for b in buttons(customui_xml(definition)))


def test_each_button_runs_its_python_command_and_the_target_is_importable(built, project, definition):
    app = excel(built, project)
    ids = workflow_ids(definition)
    for control_id in ids:
        press(app, control_id)
    commands = recorded(app)
    assert len(commands) == len(ids) and app.interpreter.dialogs == []
    for control_id, command in zip(ids, commands):
        match = RUNPYTHON.fullmatch(command)
        assert match and match["arg"] == control_id
        module = importlib.import_module(match["module"])
        assert callable(getattr(module, match["function"]))
        assert control_id in button_ids.ids(definition)


@pytest.mark.parametrize("configured", [r"D:\Py\python.exe", r"%LOCALAPPDATA%\Programs\Python\Python311\python.exe"])
def test_interpreter_win_filled_in_the_sheet_reaches_run_python_with_python_off_path(built, project, definition,
                                                                                     configured):
    """xlwings upper-cases the xlwings.conf keys it reads, so the sheet's 'Interpreter_Win' is 'INTERPRETER_WIN'."""
    installed = configured.replace("%LOCALAPPDATA%", LOCAL)
    computer = Computer(files={installed}, path=r"C:\Windows\system32;C:\Windows", interpreter_win=configured)
    app = excel(built, project, computer)
    conf = app.sheet("xlwings.conf")
    assert conf.value(f"A{conf_row(conf, 'INTERPRETER_WIN')}") == "Interpreter_Win"  # as built: mixed case
    ids = workflow_ids(definition)
    for control_id in ids:
        press(app, control_id)
    assert app.interpreter.dialogs == []
    assert [RUNPYTHON.fullmatch(c)["arg"] for c in recorded(app)] == ids


def test_xlwings_reads_every_key_of_the_built_xlwings_conf_sheet(built, project):
    """xlwings keeps A1 down to the first blank cell, upper-cased, in a case-sensitive dictionary (one Add per key:
    a key twice, in any case, is run-time error 457 on every click)."""
    app = excel(built, project)
    app.add_module('Public Function Konfigurasi(ByVal k As String) As String\n'
                   '    Konfigurasi = CStr(GetConfig(k, "<tidak ada>"))\nEnd Function\n', name="UjiKonfigurasi")
    rows = [row for row in app.sheet("xlwings.conf").rows() if row and row[0] not in (None, "")]
    keys = [str(row[0]).upper() for row in rows]
    assert len(keys) == len(set(keys)) and "INTERPRETER_WIN" in keys
    for row in rows:
        value = "" if len(row) < 2 or row[1] is None else str(row[1])
        assert app.interpreter.run("Konfigurasi", [str(row[0]).upper()]) == value, row[0]


def test_missing_python_gets_an_indonesian_message_and_python_is_never_called(built, project):
    app = excel(built, project, Computer(files=set(), path=r"C:\Windows;C:\Windows\System32"))
    press(app, "status")
    prompt = only_dialog(app)
    assert "Python tidak ditemukan di komputer ini" in prompt and "Interpreter_Win" in prompt
    assert "Periksa Instalasi" in prompt
    assert recorded(app) == []


@pytest.mark.parametrize("configured, files, runs", [
    ("", {PYTHON}, True),                                # python.exe on PATH
    (r"D:\Py\python.exe", {r"D:\Py\python.exe"}, True),  # full path in xlwings.conf
    (r"D:\Py\python.exe", {PYTHON}, False),              # configured path missing: xlwings would not look on PATH
    ("pythonw", {r"C:\Python311\pythonw.exe"}, True),    # xlwings leaves "pythonw" to cmd.exe and PATH
    ("python", {PYTHON}, True),
    (r'"D:\Py\python.exe"', {r"D:\Py\python.exe"}, False),  # pasted with quotes: xlwings' FileExists fails
])
def test_python_is_found_where_xlwings_will_look(built, project, configured, files, runs):
    app = excel(built, project, Computer(files=files, interpreter_win=configured))
    press(app, "status")
    assert bool(recorded(app)) is runs
    assert bool(app.interpreter.dialogs) is not runs


def test_a_failing_run_python_gets_an_indonesian_message(built, project):
    app = excel(built, project, run_python=FAILING_RECORDER)
    press(app, "status")
    prompt = only_dialog(app)
    assert "Python tidak dapat dijalankan" in prompt and "File not found: python.exe" in prompt


# ---------------------------------------------------------------- the Microsoft Store alias


def test_store_alias_alone_is_not_python_and_says_so(built, project):
    app = excel(built, project, Computer(files={STORE_ALIAS}))
    press(app, "L3_submit")
    prompt = only_dialog(app)
    assert "pintasan Microsoft Store" in prompt and STORE_ALIAS in prompt
    assert "python.org" in prompt and "App execution aliases" in prompt and "Interpreter_Win" in prompt
    assert recorded(app) == []


def test_store_alias_before_python_on_path_is_what_cmd_would_run(built, project):
    alias_first = rf"C:\Windows;{LOCAL}\microsoft\windowsapps\;C:\Python311"  # case as Windows may write it
    app = excel(built, project, Computer(files={STORE_ALIAS.lower(), PYTHON}, path=alias_first))
    press(app, "status")
    prompt = only_dialog(app)
    assert "ada di PATH sebelum Python yang terpasang" in prompt and PYTHON in prompt
    assert recorded(app) == []


def test_store_alias_named_in_interpreter_win_is_refused(built, project):
    app = excel(built, project, Computer(interpreter_win=r"%LOCALAPPDATA%\Microsoft\WindowsApps\python.exe"))
    press(app, "status")
    assert "menunjuk ke pintasan Microsoft Store" in only_dialog(app)
    assert recorded(app) == []


def test_python_before_the_store_alias_runs(built, project):
    app = excel(built, project, Computer())  # the default PATH: C:\Python311 before WindowsApps
    press(app, "status")
    assert len(recorded(app)) == 1 and app.interpreter.dialogs == []


# ---------------------------------------------------------------- no End/Debug dialog, whatever fails


@pytest.mark.parametrize("callback, control_id, failing", [
    (CALLBACK, "status", "JalurPencarian"),
    (CALLBACK, "status", "AdaBerkas"),
    (INSTALL_CALLBACK, "install", "JalurPencarian"),
    (INSTALL_CALLBACK, "install", "AlamatBukuKerja"),
    (INSTALL_CALLBACK, "install", "BukuKerjaHanyaBaca"),
    (INSTALL_CALLBACK, "install", "BacaRegistri"),
])
def test_an_unexpected_error_is_an_indonesian_message_not_a_run_time_error(built, project, callback, control_id, failing):
    app = excel(built, project, Computer(failing={failing: "Kesalahan uji"}))
    press(app, control_id, callback)  # a VBARuntimeError here would be Excel's End/Debug dialog
    prompt = only_dialog(app)
    assert prompt.startswith("Terjadi kesalahan tak terduga pada makro kinerja-xl")
    assert "Kesalahan uji" in prompt and "(kode 5)" in prompt and "Yang perlu dilakukan" in prompt
    assert recorded(app) == []


def test_an_error_in_xlwings_own_get_config_is_caught_too(built, project):
    """xlwings' GetConfig expands the value with WScript.Shell; here CreateObject fails as a locked-down PC may."""
    app = excel(built, project)

    def create(name):
        raise error(429, "ActiveX component can't create object")

    app.interpreter.host.create = create
    press(app, "status")
    prompt = only_dialog(app)
    assert "kesalahan tak terduga" in prompt and "ActiveX component can't create object" in prompt


# ---------------------------------------------------------------- what Excel shows as macros and functions


def test_only_the_ribbon_callbacks_are_public_outside_the_project(project):
    """Public helpers in a module without Option Private Module are worksheet functions (=AdaBerkas(...)).

    The callbacks' module keeps no Option Private Module, so Office reaches them for certain, and its only
    public procedures are Subs taking an IRibbonControl (never worksheet functions, never in the Macros list).
    The helpers' modules are Option Private Module; KinerjaSistem reads no arbitrary environment variable
    (KINERJA_XL_SANDI is one) and starts programs only from a Sub."""
    ribbon = project[RIBBON_MODULE]
    assert not re.search(r"^Option Private Module", ribbon, re.MULTILINE | re.IGNORECASE)
    assert re.findall(r"^Public (Sub|Function) (\w+)\(([^)]*)\)", ribbon, re.MULTILINE) == [
        ("Sub", CALLBACK, "control As IRibbonControl"), ("Sub", INSTALL_CALLBACK, "control As IRibbonControl")]
    for name in OUR_MODULES:
        assert not re.findall(r"^(?:Sub|Function) ", project[name], re.MULTILINE), name  # implicitly Public
    for name in (SYSTEM_MODULE, INSTALL_MODULE):
        assert re.search(r"^Option Private Module\s*$", project[name], re.MULTILINE), name
    system = project[SYSTEM_MODULE]
    assert "Environ(nama)" not in system and re.search(r'Environ\("PATH"\)', system)
    assert re.search(r"^Public Sub JalankanProgram\(", system, re.MULTILINE)


@pytest.mark.parametrize("module", OUR_MODULES)
def test_module_sources_are_ascii_and_stored_unchanged(project, module):
    """The project stores source in the ANSI code page; anything else would come back as '?'."""
    source = asset(module)
    assert source.isascii(), [line for line in source.splitlines() if not line.isascii()]
    assert project[module].replace("\r\n", "\n").strip() == source.replace("\r\n", "\n").strip()


def test_modules_say_the_workbook_is_windows_only(project):
    for name in OUR_MODULES:
        header = "\n".join(re.findall(r"^'.*$", project[name].split("\nP")[0], re.MULTILINE))
        assert "Windows only" in header and "Dictionary.cls" in header, name


# ---------------------------------------------------------------- Periksa Instalasi


def check(built, project, computer: Computer | None = None) -> tuple[str, int, object]:
    app = excel(built, project, computer)
    press(app, "install", INSTALL_CALLBACK)
    (kind, prompt, title, style), = app.interpreter.dialogs
    assert kind == "MsgBox" and title == "kinerja-xl" and len(prompt) <= MSGBOX_LIMIT, len(prompt)
    assert recorded(app) == []  # pure VBA: never RunPython
    return prompt, int(style), app


def lines(prompt: str, mark: str) -> list[str]:
    return [line[len(mark):] for line in prompt.splitlines() if line.startswith(mark)]


def test_install_check_on_a_healthy_computer(built, project):
    prompt, style, app = check(built, project)
    assert lines(prompt, "[MASALAH] ") == []
    ok = lines(prompt, "[OK] ")
    assert ok[0] == f"Python 3.11.9: {PYTHON}"
    assert f"format buku kerja {kinerja_xl.WORKBOOK_FORMAT} sesuai" in ok[1]
    assert f"xlwings {xlwings_version()} sesuai" in ok[2]
    assert "lokasi tepercaya Excel: C:\\Kinerja\\" in ok[3]
    assert "tidak hanya-baca" in ok[4]
    assert prompt.rstrip().endswith("Semua pemeriksaan lulus: tombol kinerja-xl siap dipakai.")
    assert style == 64  # vbInformation
    started, = str(app.interpreter.run("Dijalankan", [])).strip().split("\n")
    assert started.startswith(f'cmd.exe /S /C ""{PYTHON}" -c "') and started.endswith('" 2>&1"')


def test_install_check_without_python(built, project):
    prompt, style, _ = check(built, project, Computer(files=set(), path=r"C:\Windows"))
    problem, = lines(prompt, "[MASALAH] ")
    assert problem.startswith("Python tidak ditemukan di komputer ini")
    assert not any("xlwings" in line for line in lines(prompt, "[OK] "))
    assert "Ada 1 masalah" in prompt and style == 48  # vbExclamation


def test_install_check_with_only_the_store_alias(built, project):
    prompt, _, app = check(built, project, Computer(files={STORE_ALIAS}))
    problem, = lines(prompt, "[MASALAH] ")
    assert "hanya pintasan Microsoft Store" in problem and STORE_ALIAS in problem and "python.org" in problem
    assert str(app.interpreter.run("Dijalankan", [])) == ""  # the alias is never started


@pytest.mark.parametrize("probe, expected", [
    (probe_output(xlwings="0.30.0"), f"Versi xlwings tidak cocok: terpasang 0.30.0, buku kerja ini untuk {xlwings_version()}"),
    (probe_output(workbook_format=1), f"format buku kerja 1, sedangkan buku kerja ini format {kinerja_xl.WORKBOOK_FORMAT}"),
    (probe_output(workbook_format="-"), "Paket kinerja-xl belum terpasang untuk Python ini"),
    (probe_output(xlwings="-"), f'xlwings belum terpasang. Jalankan: "{PYTHON}" -m pip install xlwings=={xlwings_version()}'),
    (probe_output(workbook_format="-"), f'Di folder proyek jalankan: "{PYTHON}" -m pip install .'),
    (probe_output().replace(f"XLWINGS={xlwings_version()}", "GAGAL=ImportError: DLL load failed while importing win32api"),
     "xlwings tidak dapat dimuat: ImportError: DLL load failed while importing win32api"),
    ("PYTHON=3.11.9\r\nGAGAL=SyntaxError: invalid syntax\r\n", "Paket kinerja-xl tidak dapat dimuat: SyntaxError"),
    ("", "tidak berjalan dengan benar (kode keluar 0): tidak ada keluaran"),
])
def test_install_check_reports_versions_that_do_not_match(built, project, probe, expected):
    prompt, _, _ = check(built, project, Computer(probe=probe))
    problem, = lines(prompt, "[MASALAH] ")
    assert expected in problem, prompt


def test_install_check_on_a_read_only_workbook(built, project):
    prompt, _, _ = check(built, project, Computer(read_only=True))
    problem, = lines(prompt, "[MASALAH] ")
    assert problem.startswith("Buku kerja terbuka hanya-baca")


def test_install_check_on_a_workbook_opened_from_onedrive(built, project):
    url = "https://d.docs.live.net/d7bbaa0000000001/Kinerja/Kinerja_SETWAN.xlsm"
    prompt, _, _ = check(built, project, Computer(full_name=url))
    problem, = lines(prompt, "[MASALAH] ")
    assert problem.startswith("Buku kerja dibuka dari OneDrive/SharePoint")
    assert not any("lokasi tepercaya" in line for line in lines(prompt, "[OK] "))


@pytest.mark.parametrize("full_name, registry, expected", [
    (r"C:\Lain\Kinerja_SETWAN.xlsm", None, r"Folder C:\Lain\ bukan lokasi tepercaya Excel"),
    (r"C:\Kinerja\2026\Kinerja_SETWAN.xlsm", {USER_LOCATIONS + r"Location3\Path": "C:\\Kinerja\\"},
     r"Folder C:\Kinerja\2026\ bukan lokasi tepercaya"),  # a subfolder, but AllowSubfolders is off
    (r"\\server\kinerja\Kinerja_SETWAN.xlsm", {USER_LOCATIONS + r"Location7\Path": "\\\\server\\kinerja\\"},
     "lokasi jaringan tidak diizinkan"),
    (r"C:\Kinerja\Kinerja_SETWAN.xlsm", {USER_LOCATIONS + r"Location3\Path": "C:\\Kinerja\\",
                                         POLICY_LOCATIONS + "AllLocationsDisabled": 1},
     "Kebijakan IT mematikan semua lokasi tepercaya"),
])
def test_install_check_outside_a_trusted_location(built, project, full_name, registry, expected):
    prompt, _, _ = check(built, project, Computer(full_name=full_name, registry=registry or {}))
    problem, = lines(prompt, "[MASALAH] ")
    assert expected in problem, prompt


@pytest.mark.parametrize("full_name, registry", [
    (r"C:\Kinerja\2026\Kinerja_SETWAN.xlsm", None),  # the default: C:\Kinerja with subfolders
    (r"\\server\kinerja\Kinerja_SETWAN.xlsm", {USER_LOCATIONS + r"Location7\Path": "\\\\server\\kinerja\\",
                                               USER_LOCATIONS + "AllowNetworkLocations": 1}),
    (r"C:\Dinas\Kinerja_SETWAN.xlsm", {POLICY_LOCATIONS + r"Location0\Path": "C:\\Dinas"}),  # set by IT policy
])
def test_install_check_inside_a_trusted_location(built, project, full_name, registry):
    computer = Computer(full_name=full_name)
    if registry:
        computer.registry = registry
    prompt, _, _ = check(built, project, computer)
    assert lines(prompt, "[MASALAH] ") == [], prompt


def test_install_check_when_excel_may_not_start_programs(built, project):
    """Defender's ASR rule blocks Office from creating child processes: Exec raises."""
    blocked = Computer(exec_error=(70, "Permission denied"))
    prompt, _, _ = check(built, project, blocked)
    problem, = lines(prompt, "[MASALAH] ")
    assert "Excel tidak dapat memulai program lain (Permission denied)" in problem
    assert ASR_CHILD_PROCESSES in problem and "Block all Office applications from creating child processes" in problem
    assert "EXCEL.EXE" in problem and "cmd.exe" in problem


def test_install_check_when_python_does_not_finish(built, project):
    prompt, _, _ = check(built, project, Computer(exec_error=(-2147220991, "tidak selesai dalam 60 detik")))
    problem, = lines(prompt, "[MASALAH] ")
    assert problem.startswith(f"Python ({PYTHON}) tidak selesai dalam 60 detik") and "ASR" not in problem


LONG_FOLDER = "\\\\server-kantor-sekretariat-dprd\\bagian-umum-dan-keuangan\\" + "subbagian-perencanaan\\" * 5


@pytest.mark.parametrize("worst", [
    Computer(exec_error=(-2147024891, "Access is denied. " * 20), read_only=True, registry={},
             full_name=LONG_FOLDER + "Kinerja_SETWAN.xlsm"),
    Computer(files={LONG_FOLDER + "python.exe", LONG_FOLDER + r"Microsoft\WindowsApps\python.exe"},
             path=LONG_FOLDER + r"Microsoft\WindowsApps;" + LONG_FOLDER, read_only=True,
             full_name="https://kantor.sharepoint.com/sites/setwan/Shared%20Documents/" + "arsip/" * 30 + "K.xlsm"),
])
def test_install_check_with_everything_wrong_still_fits_in_one_msgbox(built, project, worst):
    prompt, _, _ = check(built, project, worst)  # check() asserts the length
    assert len(lines(prompt, "[MASALAH] ")) == 3


def test_the_probe_runs_in_real_python_and_the_workbook_agrees(built, project):
    """The command the check starts, run for real here: this Python has the kinerja_xl and xlwings the workbook wants."""
    prompt, _, app = check(built, project, Computer(probe=""))
    started = str(app.interpreter.run("Dijalankan", [])).strip()
    code = re.fullmatch(r'cmd\.exe /S /C ""[^"]+" -c "(?P<code>[^"]+)" 2>&1"', started)["code"]
    real = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert real.returncode == 0 and real.stderr == ""
    prompt, _, _ = check(built, project, Computer(probe=real.stdout.replace("\n", "\r\n")))
    assert lines(prompt, "[MASALAH] ") == [], prompt
    assert f"Python {sys.version.split()[0]}: {PYTHON}" in lines(prompt, "[OK] ")


def test_the_probe_reports_a_failed_import_in_one_line(tmp_path):
    """A broken package prints GAGAL=..., never a traceback that could fill the pipe Excel reads."""
    source = asset(INSTALL_MODULE)
    body = re.search(r'KodePemeriksa = (.*?)\nEnd Function', source, re.DOTALL)[1]
    code = "".join(re.findall(r'"((?:[^"]|"")*)"', body)).replace('""', '"')
    (tmp_path / "xlwings").mkdir()
    (tmp_path / "xlwings" / "__init__.py").write_text("raise ImportError('DLL load failed while importing win32api')\n")
    real = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert real.returncode == 1 and real.stderr == ""
    assert real.stdout.splitlines()[-1] == "GAGAL=ImportError: DLL load failed while importing win32api"
    assert "Traceback" not in real.stdout


# ---------------------------------------------------------------- KinerjaSistem itself, over a stand-in Windows

SYSTEM_PROBE = """Option Explicit
Public Function UjiRegistri(ByVal kunci As String) As String
    Dim nilai As Variant
    If BacaRegistri(kunci, nilai) Then UjiRegistri = "ada:" & nilai Else UjiRegistri = "tidak ada"
End Function
Public Function UjiProgram(ByVal baris As String) As String
    Dim keluaran As String, kode As Long
    On Error GoTo Gagal
    JalankanProgram baris, keluaran, kode
    UjiProgram = kode & "|" & keluaran
    Exit Function
Gagal:
    UjiProgram = "galat " & Err.Number & ": " & Err.Description
End Function
Public Function UjiBerkas(ByVal lokasi As String) As String
    UjiBerkas = AdaBerkas(lokasi) & "|" & JalurPencarian()
End Function
"""


def test_the_real_system_module_reads_windows_as_the_stub_pretends(built, project):
    """The workbook's own KinerjaSistem over GetAttr/Dir/Environ and a WScript.Shell (RegRead, Exec) stand-in."""
    machine = Machine(files={PYTHON}, env={"PATH": r"C:\Windows;C:\Python311", "APPDATA": r"C:\Users\staf\AppData\Roaming",
                                           "USERPROFILE": r"C:\Users\staf"},
                      registry={USER_LOCATIONS + r"Location1\Path": r"%APPDATA%\Microsoft\Templates"},
                      programs={"python -V": ("Python 3.11.9\r\n", 0), "blocked": (70, "Permission denied")})
    app = excel_with_xlwings_config(built, machine)
    for name in (SYSTEM_MODULE, INSTALL_MODULE, RIBBON_MODULE):
        app.add_module(project[name], name=name)
    app.add_module(SYSTEM_PROBE, name="Uji")
    run = app.interpreter.run
    assert run("UjiRegistri", [USER_LOCATIONS + r"Location1\Path"]) == r"ada:C:\Users\staf\AppData\Roaming\Microsoft\Templates"
    assert run("UjiRegistri", [USER_LOCATIONS + r"Location9\Path"]) == "tidak ada"
    assert run("UjiProgram", ["python -V"]) == "0|Python 3.11.9\r\n"
    assert run("UjiProgram", ["blocked"]) == "galat 70: Permission denied"
    assert run("UjiBerkas", [PYTHON]) == r"True|C:\Windows;C:\Python311"
    assert run("UjiBerkas", [r"C:\Windows\python.exe"]).startswith("False|")
    press(app, "status")  # CariPython with the real AdaBerkas and JalurPencarian
    assert len(recorded(app)) == 1 and app.interpreter.dialogs == []
