"""xlwings' own configuration code, run in pyOpenVBA's Excel over a built workbook.

The ribbon module asks xlwings' `GetConfig` where Python is, so the tests run that function itself: the
procedures below are cut verbatim, at test time, out of the installed xlwings' standalone module (never
copied into this repository) and loaded into pyOpenVBA's Excel application beside the workbook's own
`xlwings.conf` sheet. xlwings' `RunPython` (which needs Excel and xlwings' DLL) is replaced by a recorder.

What pyOpenVBA lacks and this host provides, the minimum each needs:

* a comment after a directive (`#Const App = "Microsoft Excel" 'Adjust ...`, `#If Mac Then ' ...`): pyOpenVBA's
  preprocessor cannot read it, so the trailing comment of directive lines is dropped (nothing else changes);
* `GetAttr`, `Dir` and `Environ` (the file system and the environment; pyOpenVBA refuses them) answer from a
  `Machine`: `GetAttr` finds its files or raises error 53, `Dir` gives a file's name or "", `Environ` reads
  its environment;
* `CreateObject("WScript.Shell")` gives an object whose `ExpandEnvironmentStrings` expands `%NAME%` from
  the same environment, leaving unknown names as Windows does; `RegRead` and `Exec` (used by the workbook's
  own KinerjaSistem) answer from the machine's registry and programs.

Everything else xlwings' code uses (`Application.Name`, `ThisWorkbook`, `Sheets(...)`, `Range.End(xlDown)`,
`Offset`, `Scripting.Dictionary` with its case-sensitive keys, `#Const App` and `#If Mac`) is pyOpenVBA's own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyopenvba.apps.excel import ExcelApplication
from pyopenvba.interpreter import VBAObject, member
from pyopenvba.interpreter._objects import method
from pyopenvba.interpreter._values import EMPTY, MISSING, VBAInt, error, to_text

from kinerja_xl.adapters.vba_sources import xlwings_bas

# GetConfig and what it calls on Windows (sheet, then the directory's and the user's xlwings.conf, then default).
CONFIG_PROCEDURES = ("GetConfig", "GetConfigFromSheet", "SheetExists", "ExpandEnvironmentStrings", "WScript",
                     "GetFullName", "FileExists", "FileExistsOnWindows", "GetDirectoryConfigFilePath",
                     "GetDirectoryPath", "GetDirectory", "GetConfigFilePath", "GetConfigFromFile")
RECORDER = """Option Explicit
Public Calls As String
Public Function RunPython(PythonCommand As String)
    Calls = Calls & PythonCommand & vbLf
End Function
Public Function Recorded() As String
    Recorded = Calls
End Function
"""
FAILING_RECORDER = RECORDER.replace("    Calls = Calls & PythonCommand & vbLf",
                                    '    Err.Raise 53, "xlwings", "File not found: python.exe"')


def procedures(source: str, names) -> str:
    """The named procedures of a module, each with the `#If`/`#Else` around its declaration when it has one."""
    lines = source.splitlines()
    found = []
    for name in names:
        start = next(i for i, line in enumerate(lines) if re.match(rf"^(Public |Private )?(Function|Sub) {name}\b", line))
        kind = re.match(r"^(?:Public |Private )?(Function|Sub)", lines[start]).group(1)
        end = next(i for i in range(start, len(lines)) if lines[i].strip() == f"End {kind}")
        if re.match(r"^\s*#If\b", lines[start - 1]):
            start -= 1
        chunk = lines[start:end + 1]
        depth = sum(bool(re.match(r"^\s*#If\b", x)) for x in chunk) - sum(bool(re.match(r"^\s*#End If\b", x)) for x in chunk)
        after = end + 1
        while depth > 0:
            chunk.append(lines[after])
            depth -= bool(re.match(r"^\s*#End If\b", lines[after]))
            after += 1
        found.append("\n".join(chunk))
    return "\n\n".join(found)


def _line(source: str, pattern: str) -> str:
    return next(line for line in source.splitlines() if re.match(pattern, line))


def xlwings_config_module() -> str:
    """xlwings' `#Const App`, `PROJECT_NAME` and configuration procedures, as the installed xlwings has them."""
    source = xlwings_bas()
    text = "\n".join([_line(source, r"^#Const App\b"), _line(source, r"^Public Const PROJECT_NAME\b"),
                      procedures(source, CONFIG_PROCEDURES)])
    return "\n".join(_without_comment(line) if line.lstrip().startswith("#") else line for line in text.splitlines())


def _without_comment(directive: str) -> str:
    """A directive line without its trailing ' comment (an apostrophe inside a string literal stays)."""
    quoted = False
    for i, char in enumerate(directive):
        if char == '"':
            quoted = not quoted
        elif char == "'" and not quoted:
            return directive[:i].rstrip()
    return directive


@dataclass
class Machine:
    """The Windows that VBA sees through GetAttr, Dir, Environ and WScript.Shell (ExpandEnvironmentStrings,
    RegRead, Exec): files, environment, registry values, and what each command line prints (or the error
    that starting it raises, as (Err.Number, Err.Description))."""

    files: set[str] = field(default_factory=set)
    env: dict[str, str] = field(default_factory=lambda: {"USERPROFILE": r"C:\Users\staf",
                                                         "LOCALAPPDATA": r"C:\Users\staf\AppData\Local"})
    registry: dict[str, object] = field(default_factory=dict)
    programs: dict[str, tuple[str, int] | tuple[int, str]] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)

    def has(self, path: str) -> bool:
        return path.lower() in {f.lower() for f in self.files}

    def variable(self, name: str) -> str:
        return next((v for k, v in self.env.items() if k.lower() == name.lower()), "")

    def expand(self, text: str) -> str:
        def one(match: re.Match) -> str:
            known = any(k.lower() == match[1].lower() for k in self.env)
            return self.variable(match[1]) if known else match[0]
        return re.sub(r"%([^%]+)%", one, text)


class WScriptShell(VBAObject):
    vba_type_name = "IWshShell3"

    def __init__(self, machine: Machine):
        self.machine = machine

    @method
    def ExpandEnvironmentStrings(self, Src: object = MISSING) -> object:
        return self.machine.expand(to_text(Src))

    @method
    def RegRead(self, Name: object = MISSING) -> object:
        """A missing key or value raises, as RegRead does (the message is Windows')."""
        name = to_text(Name)
        for key, value in self.machine.registry.items():
            if key.lower() == name.lower():
                return value
        raise error(-2147024894, f"Invalid root in registry key \"{name}\".")

    @method
    def Exec(self, Command: object = MISSING) -> object:
        command = to_text(Command)
        self.machine.started.append(command)
        result = self.machine.programs.get(command, ("", 0))
        if isinstance(result[0], int):
            raise error(result[0], result[1])
        return ScriptExec(*result)


class TextStream(VBAObject):
    def __init__(self, text: str):
        self.text = text

    @method
    def ReadAll(self) -> object:
        text, self.text = self.text, ""
        return text


class ScriptExec(VBAObject):
    """A WshScriptExec whose program has already finished."""

    vba_type_name = "IWshExec"

    def __init__(self, output: str, exit_code: int):
        self.output, self.exit_code = TextStream(output), exit_code

    @member
    def Status(self) -> object:
        return VBAInt(1, "Long")  # WshFinished

    @member
    def StdOut(self) -> object:
        return self.output

    @member
    def ExitCode(self) -> object:
        return VBAInt(self.exit_code, "Long")

    @method
    def Terminate(self) -> object:
        return EMPTY


def excel_with_xlwings_config(book: Path, machine: Machine, *, run_python: str = RECORDER) -> ExcelApplication:
    """pyOpenVBA's Excel with `book` open (its sheets, names and xlwings.conf; not its VBA) and xlwings' config code."""
    excel = ExcelApplication.open(book, with_vba=False)
    vba = excel.interpreter
    vba._intrinsics = dict(vba._intrinsics)  # this interpreter's own table: the stand-ins below stay here

    def get_attr(_interp, args, _named):
        path = to_text(args[0])
        if not machine.has(path):
            raise error(53, f"File not found: {path}")
        return 0  # vbNormal: a file, not a folder

    def environ(_interp, args, _named):
        return machine.variable(to_text(args[0]))

    def dir_(_interp, args, _named):
        path = to_text(args[0]) if args else ""
        return path.rsplit("\\", 1)[-1] if machine.has(path) else ""

    vba._intrinsics["getattr"] = get_attr
    vba._intrinsics["environ"] = environ
    vba._intrinsics["dir"] = dir_
    create = vba.host.create
    vba.host.create = lambda name: WScriptShell(machine) if name.lower() == "wscript.shell" else create(name)
    excel.add_module(xlwings_config_module(), name="xlwings")
    excel.add_module(run_python, name="xlwings_RunPython")
    return excel
