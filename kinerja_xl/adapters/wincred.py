"""Windows Credential Manager as keyring's own Windows backend uses it, without importing keyring.

A signed click reads the official's key, and importing keyring (and its choice of backend) costs more than the rest
of the click (benchmarks/ribbon_import.py). This module reproduces keyring 25's `keyring.backends.Windows.
WinVaultKeyring` exactly (target names and the `user@service` fallback, the UTF-16 blob, the comment and
persistence it writes, which failures mean "not found"), so a key saved by either is read by the other. It calls
advapi32 through ctypes, as pywin32-ctypes' ctypes backend does: that package picks its cffi backend whenever cffi
is installed (cryptography installs it), which parses C declarations on import (about 40 ms).

Used only where keyring would itself choose WinVaultKeyring (`chosen`); elsewhere keyring is asked as before.
Behaviours relied on, with their sources: docs/excel.md, "Windows Credential Manager without keyring".
"""
from __future__ import annotations

import os
import re
import sys

WINDOWS = sys.platform == "win32"  # keyring's platform_ picks its Windows paths from platform.system() == "Windows"

CRED_TYPE_GENERIC = 1
CRED_PERSIST_ENTERPRISE = 3  # keyring's default persistence (`Persistence.__get__`)
ERROR_NOT_FOUND = 1168
COMMENT = "Stored using python-keyring"  # what keyring writes: a credential looks the same whoever saved it

_PLUGIN = re.compile(r"^\s*\[\s*keyring\.backends\s*\]\s*$", re.MULTILINE)
_scanned: dict[tuple[str, ...], bool] = {}


# ---------------------------------------------------------------- whether keyring would choose WinVaultKeyring

def chosen() -> bool:
    """Whether keyring, asked now, would use WinVaultKeyring, so reading Credential Manager here gives what keyring
    gives. Any doubt means no: keyring is then asked, as before."""
    if not WINDOWS or "keyring" in sys.modules:  # keyring already loaded (a backend may be set): it decides
        return False
    if "PYTHON_KEYRING_BACKEND" in os.environ or any("KEYRING_PROPERTY_" in name for name in os.environ):
        return False  # keyring.core.load_env, KeyringBackend.set_properties_from_env (e.g. another persistence)
    if os.path.exists(config_file()):  # keyring.core.load_config: any keyringrc.cfg, whatever it names
        return False
    if not _win32cred_installed():  # WinVaultKeyring is not viable then: keyring refuses (NoKeyringError)
        return False
    return not _other_backends()


def config_file() -> str:
    """keyring's keyringrc.cfg on Windows (`keyring.util.platform_._config_root_Windows`)."""
    root = os.environ.get("LOCALAPPDATA", os.environ.get("ProgramData", "."))
    return os.path.join(root, "Python Keyring", "keyringrc.cfg")


def _win32cred_installed() -> bool:
    from importlib.util import find_spec

    try:
        return find_spec("win32ctypes") is not None or find_spec("win32cred") is not None
    except (ImportError, ValueError):
        return False


def _other_backends() -> bool:
    """Whether a package other than keyring declares a `keyring.backends` entry point: keyring loads each and may
    prefer it or chain it. Looked for as importlib.metadata looks, in the metadata folders of every sys.path entry;
    a zip or egg file on the path (other than the standard library's zip) is not opened, so it counts as one."""
    key = tuple(sys.path)
    if key not in _scanned:
        _scanned[key] = any(_declares_backend(entry or ".") for entry in key)
    return _scanned[key]


def _declares_backend(entry: str) -> bool:
    if not os.path.isdir(entry):
        stdlib_zip = f"python{sys.version_info[0]}{sys.version_info[1]}.zip"
        return os.path.exists(entry) and os.path.basename(entry).lower() != stdlib_zip
    try:
        names = os.listdir(entry)
    except OSError:
        return False
    for name in names:
        low = name.lower()
        if not low.endswith((".dist-info", ".egg-info")) or re.split(r"[-.]", low, maxsplit=1)[0] == "keyring":
            continue
        try:
            with open(os.path.join(entry, name, "entry_points.txt"), encoding="utf-8", errors="replace") as file:
                if _PLUGIN.search(file.read()):
                    return True
        except OSError:
            continue
    return False


# ---------------------------------------------------------------- keyring's WinVaultKeyring, reproduced

class NotDeleted(LookupError):
    """No credential of that user to delete (keyring raises PasswordDeleteError)."""


def get_password(service: str, username: str, api=None) -> str | None:
    res = _resolve(api or system(), service, username)
    return res and value(res)


def set_password(service: str, username: str, password: str, api=None) -> None:
    """Under `service`; a credential already there (of any user) is first re-saved under `its_user@service`."""
    api = api or system()
    if not username:
        import warnings

        warnings.warn("Empty usernames are deprecated. See #668", DeprecationWarning, stacklevel=2)
    existing = _read(api, service)
    if existing:
        _write(api, _compound_name(existing["UserName"], service), existing["UserName"], value(existing))
    _write(api, service, username, str(password))


def delete_password(service: str, username: str, api=None) -> None:
    api = api or system()
    deleted = False
    for target in service, _compound_name(username, service):
        existing = _read(api, target)
        if existing and existing["UserName"] == username:
            deleted = True
            try:
                api.CredDelete(Type=CRED_TYPE_GENERIC, TargetName=target)
            except api.error as e:
                if not (e.winerror == ERROR_NOT_FOUND and e.funcname == "CredDelete"):
                    raise
    if not deleted:
        raise NotDeleted(service)


def value(credential: dict) -> str:
    """The blob as UTF-16 (what keyring writes), else UTF-8, with keyring's warning (`DecodingCredential.value`)."""
    blob = credential["CredentialBlob"]
    try:
        return blob.decode("utf-16")
    except UnicodeDecodeError:
        decoded = blob.decode("utf-8")
        import logging

        logging.getLogger("keyring.backends.Windows").warning(
            "Retrieved a UTF-8 encoded credential. Please be aware that this library only writes credentials in "
            "UTF-16.")
        return decoded


def _compound_name(username, service) -> str:
    return f"{username}@{service}"


def _resolve(api, service, username):
    res = _read(api, service)
    if not res or username and res["UserName"] != username:
        res = _read(api, _compound_name(username, service))
    return res


def _read(api, target):
    try:
        return api.CredRead(Type=CRED_TYPE_GENERIC, TargetName=target)
    except api.error as e:
        if e.winerror == ERROR_NOT_FOUND and e.funcname == "CredRead":
            return None
        raise


def _write(api, target, username, password) -> None:
    api.CredWrite(dict(Type=CRED_TYPE_GENERIC, TargetName=target, UserName=username, CredentialBlob=password,
                       Comment=COMMENT, Persist=CRED_PERSIST_ENTERPRISE), 0)


# ---------------------------------------------------------------- advapi32 through ctypes, as win32cred offers it

class CredentialError(Exception):
    """A Credential Manager call failed; the fields of pywintypes.error, which keyring's backend raises."""

    def __init__(self, winerror: int, funcname: str, strerror: str):
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


_advapi32 = None  # (advapi32, get_last_error, FormatError), loaded on first use; the tests put a fake here
_api = None


def system() -> Advapi32:
    global _advapi32, _api
    if _api is None:
        if _advapi32 is None:
            import ctypes

            _advapi32 = (ctypes.WinDLL("advapi32", use_last_error=True), ctypes.get_last_error, ctypes.FormatError)
        _api = Advapi32(*_advapi32)
    return _api


class Advapi32:
    """CredReadW, CredWriteW, CredDeleteW and CredFree with the calls and results of win32cred (pywin32-ctypes'
    ctypes backend): a credential is a dict, the blob bytes when read and a str written as UTF-16 code units without
    a terminator, a failure `CredentialError(GetLastError(), 'CredRead', FormatError(...))`."""

    error = CredentialError

    def __init__(self, dll, last_error, describe):
        import ctypes
        from ctypes import POINTER, c_int32, c_uint32, c_void_p, c_wchar_p

        class CREDENTIALW(ctypes.Structure):  # wincred.h; DWORD is 32 bits, FILETIME two DWORDs
            _fields_ = [("Flags", c_uint32), ("Type", c_uint32), ("TargetName", c_wchar_p), ("Comment", c_wchar_p),
                        ("LastWrittenLow", c_uint32), ("LastWrittenHigh", c_uint32),
                        ("CredentialBlobSize", c_uint32), ("CredentialBlob", POINTER(ctypes.c_ubyte)),
                        ("Persist", c_uint32), ("AttributeCount", c_uint32), ("Attributes", c_void_p),
                        ("TargetAlias", c_wchar_p), ("UserName", c_wchar_p)]

        self.CREDENTIALW, self._ctypes = CREDENTIALW, ctypes
        self._dll, self._last_error, self._describe = dll, last_error, describe
        pointer = POINTER(CREDENTIALW)
        for name, args in (("CredReadW", [c_wchar_p, c_uint32, c_uint32, POINTER(pointer)]),
                           ("CredWriteW", [pointer, c_uint32]), ("CredDeleteW", [c_wchar_p, c_uint32, c_uint32])):
            function = getattr(dll, name)
            function.argtypes, function.restype = args, c_int32  # BOOL
        dll.CredFree.argtypes, dll.CredFree.restype = [c_void_p], None

    def CredRead(self, TargetName: str, Type: int, Flags: int = 0) -> dict:
        ctypes = self._ctypes
        found = ctypes.POINTER(self.CREDENTIALW)()
        if not self._dll.CredReadW(TargetName, Type, Flags, ctypes.pointer(found)):
            raise self._failed("CredRead")
        try:
            c = found.contents
            size = c.CredentialBlobSize
            return {"Type": c.Type, "TargetName": c.TargetName, "Comment": c.Comment, "Persist": c.Persist,
                    "UserName": c.UserName,
                    "CredentialBlob": ctypes.string_at(c.CredentialBlob, size) if size else b""}
        finally:
            self._dll.CredFree(found)

    def CredWrite(self, Credential: dict, Flags: int = 0) -> None:
        ctypes = self._ctypes
        blob = Credential["CredentialBlob"].encode("utf-16-le", "surrogatepass")  # as a wchar_t buffer holds it
        data = (ctypes.c_ubyte * len(blob)).from_buffer_copy(blob)
        c = self.CREDENTIALW(Type=Credential["Type"], TargetName=Credential["TargetName"],
                             Comment=Credential.get("Comment"), UserName=Credential.get("UserName"),
                             Persist=Credential["Persist"], CredentialBlobSize=len(blob),
                             CredentialBlob=ctypes.cast(data, ctypes.POINTER(ctypes.c_ubyte)))
        if not self._dll.CredWriteW(ctypes.pointer(c), Flags):
            raise self._failed("CredWrite")

    def CredDelete(self, TargetName: str, Type: int, Flags: int = 0) -> None:
        if not self._dll.CredDeleteW(TargetName, Type, Flags):
            raise self._failed("CredDelete")

    def _failed(self, funcname: str) -> CredentialError:
        code = self._last_error()
        return CredentialError(code, funcname, self._describe(code).strip())
