"""Windows Credential Manager in memory, reached the two ways code reaches the real one: pywin32's `win32cred` and
`pywintypes` (as keyring's WinVaultKeyring calls them, through pywin32-ctypes) and advapi32's CredReadW, CredWriteW,
CredDeleteW and CredFree (as kinerja_xl.adapters.wincred calls them through ctypes). One `Vault` is behind both, so
keyring's real backend code and the product's can be run against the same store.

The Vault follows Microsoft's documentation (docs/excel.md, "Windows Credential Manager without keyring"):
TargetName and Type identify a credential, TargetName case-insensitively (modelled as each character's simple
upper case; Windows' own table may differ on rare letters); CredWrite creates or replaces; CredRead and CredDelete
of a missing credential fail with ERROR_NOT_FOUND (1168); a generic credential's blob is the bytes written, no
terminator. The advapi32 side declares CREDENTIALW from wincred.h itself, so the product's structure is checked
against it, not against itself.
"""
from __future__ import annotations

import ctypes
import importlib
import importlib.machinery
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

CRED_TYPE_GENERIC = 1
ERROR_NOT_FOUND = 1168
MESSAGES = {ERROR_NOT_FOUND: "Element not found.  ", 5: "Access is denied.  ",
            1312: "A specified logon session does not exist. It may already have been terminated.  "}


class Failure(Exception):
    def __init__(self, winerror: int, funcname: str):
        super().__init__(winerror, funcname)
        self.winerror, self.funcname = winerror, funcname


def _fold(target: str) -> str:
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in target)


class Vault:
    """The credential set of one Windows logon: credentials by (Type, TargetName case-insensitively)."""

    def __init__(self):
        self.entries: dict[tuple[int, str], dict] = {}
        self.failing: dict[str, int] = {}  # 'CredRead' -> 5: every such call fails with that error

    def _check(self, funcname: str) -> None:
        if funcname in self.failing:
            raise Failure(self.failing[funcname], funcname)

    def read(self, target: str, type_: int) -> dict:
        self._check("CredRead")
        try:
            return dict(self.entries[(type_, _fold(target))])
        except KeyError:
            raise Failure(ERROR_NOT_FOUND, "CredRead") from None

    def write(self, credential: dict) -> None:
        self._check("CredWrite")
        assert isinstance(credential["CredentialBlob"], bytes)
        self.entries[(credential["Type"], _fold(credential["TargetName"]))] = dict(credential)

    def delete(self, target: str, type_: int) -> None:
        self._check("CredDelete")
        if self.entries.pop((type_, _fold(target)), None) is None:
            raise Failure(ERROR_NOT_FOUND, "CredDelete")

    def state(self) -> dict:
        """What is stored, comparable between two vaults."""
        return {key: (c["TargetName"], c["UserName"], c["CredentialBlob"], c["Comment"], c["Persist"])
                for key, c in self.entries.items()}


# ---------------------------------------------------------------- pywin32's API: win32cred and pywintypes

def win32cred_modules(vault: Vault) -> tuple[types.ModuleType, types.ModuleType]:
    """`win32cred` and `pywintypes` as pywin32-ctypes offers them, over `vault`."""
    pywintypes = types.ModuleType("win32ctypes.pywin32.pywintypes")

    class error(Exception):  # pywin32-ctypes' pywintypes.error
        def __init__(self, *args):
            self.winerror, self.funcname, self.strerror = (list(args) + [None] * 3)[:3]
            Exception.__init__(self, *args)

    pywintypes.error = error

    def failing(call):
        try:
            return call()
        except Failure as f:
            raise error(f.winerror, f.funcname, MESSAGES.get(f.winerror, "").strip()) from None

    def CredRead(TargetName, Type, Flags=0):
        if Type != CRED_TYPE_GENERIC:
            raise ValueError("Type != CRED_TYPE_GENERIC not yet supported")
        return failing(lambda: vault.read(TargetName, Type))

    def CredWrite(Credential, Flags=0):
        credential = dict(Credential)
        blob = credential["CredentialBlob"]  # a str goes in as its wchar_t buffer without the terminating zero
        credential["CredentialBlob"] = blob.encode("utf-16-le", "surrogatepass") if isinstance(blob, str) else blob
        failing(lambda: vault.write(credential))

    def CredDelete(TargetName, Type, Flags=0):
        failing(lambda: vault.delete(TargetName, Type))

    win32cred = types.ModuleType("win32ctypes.pywin32.win32cred")
    win32cred.__dict__.update(CredRead=CredRead, CredWrite=CredWrite, CredDelete=CredDelete,
                              CRED_TYPE_GENERIC=CRED_TYPE_GENERIC, CRED_PERSIST_SESSION=1,
                              CRED_PERSIST_LOCAL_MACHINE=2, CRED_PERSIST_ENTERPRISE=3)
    return win32cred, pywintypes


def api(vault: Vault) -> types.SimpleNamespace:
    """The win32cred API over `vault` as one object (CredRead, CredWrite, CredDelete, error), for wincred's `api=`."""
    win32cred, pywintypes = win32cred_modules(vault)
    return types.SimpleNamespace(CredRead=win32cred.CredRead, CredWrite=win32cred.CredWrite,
                                 CredDelete=win32cred.CredDelete, error=pywintypes.error)


@contextmanager
def pywin32_ctypes(vault: Vault) -> Iterator[None]:
    """The fake as the installed pywin32-ctypes (`win32ctypes.pywin32`), for the block."""
    win32cred, pywintypes = win32cred_modules(vault)
    package, sub = types.ModuleType("win32ctypes"), types.ModuleType("win32ctypes.pywin32")
    sub.win32cred, sub.pywintypes, package.pywin32 = win32cred, pywintypes, sub
    fakes = {"win32ctypes": package, "win32ctypes.pywin32": sub, "win32ctypes.pywin32.win32cred": win32cred,
             "win32ctypes.pywin32.pywintypes": pywintypes}
    for name, module in fakes.items():
        module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    before = {name: sys.modules.get(name) for name in fakes}
    sys.modules.update(fakes)
    try:
        yield
    finally:
        for name, module in before.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


@contextmanager
def keyring_backend(vault: Vault):
    """keyring's real WinVaultKeyring, its module imported afresh over the fake; keyring as it was afterwards."""
    import keyring.backends
    from keyring.backend import KeyringBackend

    name = "keyring.backends.Windows"
    with pywin32_ctypes(vault):
        before = sys.modules.pop(name, None)
        module = importlib.import_module(name)
        try:
            yield module.WinVaultKeyring()
        finally:
            KeyringBackend._classes.discard(module.WinVaultKeyring)  # never chosen by keyring outside this block
            if before is None:
                sys.modules.pop(name, None)
                del keyring.backends.Windows
            else:
                sys.modules[name] = before
                keyring.backends.Windows = before


# ---------------------------------------------------------------- advapi32, for wincred through ctypes

class _FILETIME(ctypes.Structure):
    _fields_ = [("dwLowDateTime", ctypes.c_uint32), ("dwHighDateTime", ctypes.c_uint32)]


class _CREDENTIALW(ctypes.Structure):  # wincred.h, DWORD being 32 bits
    _fields_ = [("Flags", ctypes.c_uint32), ("Type", ctypes.c_uint32), ("TargetName", ctypes.c_wchar_p),
                ("Comment", ctypes.c_wchar_p), ("LastWritten", _FILETIME), ("CredentialBlobSize", ctypes.c_uint32),
                ("CredentialBlob", ctypes.POINTER(ctypes.c_ubyte)), ("Persist", ctypes.c_uint32),
                ("AttributeCount", ctypes.c_uint32), ("Attributes", ctypes.c_void_p),
                ("TargetAlias", ctypes.c_wchar_p), ("UserName", ctypes.c_wchar_p)]


class _Function:
    """A DLL export: takes argtypes and restype as ctypes' functions do, and checks each argument against them."""

    def __init__(self, body):
        self.body, self.argtypes, self.restype = body, None, None

    def __call__(self, *args):
        assert self.argtypes is not None and len(args) == len(self.argtypes), "prototype not declared"
        for kind, arg in zip(self.argtypes, args):
            kind.from_param(arg)  # raises as ctypes would for a wrong argument
        return self.body(*args)


class Advapi32:
    """advapi32.dll's credential functions over `vault`: FALSE and a last error on failure, one block per CredRead
    freed by CredFree (`blocks` is what is not freed yet)."""

    def __init__(self, vault: Vault):
        self.vault, self.last_error, self.blocks = vault, 0, {}
        self.CredReadW, self.CredWriteW = _Function(self._read), _Function(self._write)
        self.CredDeleteW, self.CredFree = _Function(self._delete), _Function(self._free)

    def get_last_error(self) -> int:
        return self.last_error

    @staticmethod
    def format_error(code: int) -> str:
        return MESSAGES.get(code, f"error {code}")

    def _failing(self, call) -> int:
        try:
            call()
        except Failure as f:
            self.last_error = f.winerror
            return 0
        return 1

    def _read(self, target, type_, flags, out):
        def found():
            c = self.vault.read(target, type_)
            blob = (ctypes.c_ubyte * len(c["CredentialBlob"])).from_buffer_copy(c["CredentialBlob"])
            block = _CREDENTIALW(Type=c["Type"], TargetName=c["TargetName"], Comment=c["Comment"],
                                 CredentialBlobSize=len(blob), CredentialBlob=blob, Persist=c["Persist"],
                                 UserName=c["UserName"])
            self.blocks[ctypes.addressof(block)] = (block, blob)
            ctypes.cast(out, ctypes.POINTER(ctypes.c_void_p))[0] = ctypes.addressof(block)
        return self._failing(found)

    def _write(self, pointer, flags):
        c = ctypes.cast(pointer, ctypes.POINTER(_CREDENTIALW)).contents
        credential = {"Type": c.Type, "TargetName": c.TargetName, "Comment": c.Comment, "Persist": c.Persist,
                      "UserName": c.UserName,
                      "CredentialBlob": ctypes.string_at(c.CredentialBlob, c.CredentialBlobSize)}
        return self._failing(lambda: self.vault.write(credential))

    def _delete(self, target, type_, flags):
        return self._failing(lambda: self.vault.delete(target, type_))

    def _free(self, pointer):
        del self.blocks[ctypes.cast(pointer, ctypes.c_void_p).value]


def as_in_a_fresh_process() -> None:
    """Forget wincred's binding of advapi32 (it binds again, to the same fake, on next use), as a new process would."""
    from kinerja_xl.adapters import wincred

    wincred._api = None


@contextmanager
def windows(vault: Vault | None = None) -> Iterator[Vault]:
    """This process as a Windows PC where keyring would use Credential Manager: wincred on, pywin32-ctypes
    installed (the fake), advapi32 the fake over `vault`. Environment variables are the caller's to set."""
    from kinerja_xl.adapters import wincred

    vault = Vault() if vault is None else vault
    dll = Advapi32(vault)
    saved = wincred.WINDOWS, wincred._advapi32, wincred._api
    wincred.WINDOWS, wincred._advapi32, wincred._api = True, (dll, dll.get_last_error, dll.format_error), None
    try:
        with pywin32_ctypes(vault):
            yield vault
    finally:
        wincred.WINDOWS, wincred._advapi32, wincred._api = saved
