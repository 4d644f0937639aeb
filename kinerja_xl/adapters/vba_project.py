"""Write the VBA project as [MS-OVBA] says a writer writes it: no performance caches, so Office compiles from source.

pyOpenVBA's `add_vba_project()` starts from a project that Excel saved (its baked-in template). That
template leaves two compiled caches behind, and pyOpenVBA has no option to leave them out:

- `VBA/_VBA_PROJECT` keeps Excel's version (0x00B5) and its PerformanceCache, which pyOpenVBA only
  zeroes (`pyopenvba.vba.invalidate_vba_project_cache`). [MS-OVBA] 2.3.4.1: Version "MUST be 0xFFFF
  on write"; PerformanceCache "MUST NOT be present on write". [MS-OVBA] 1.6: a Version that matches
  the running Office makes it use the caches; 0xFFFF makes it ignore them.
- The document modules kept from the template (`ThisWorkbook`, `Sheet1`) keep Excel's compiled
  p-code ahead of their source: [MS-OVBA] 2.3.4.3, a module stream is a PerformanceCache of
  MODULEOFFSET bytes (2.3.4.2.3.2.5, in the `dir` stream) followed by the CompressedSourceCode.

`without_caches()` writes the 7-byte `_VBA_PROJECT` that LibreOffice's and EPPlus's writers write
(0x61CC, 0xFFFF, 0x00, Reserved3 0x0000), cuts every module stream down to its compressed source
(the bytes are kept, not recompressed) and sets every MODULEOFFSET to 0. The compound file is
written again with pyOpenVBA's own CFB writer, which is deterministic.
"""
from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pyopenvba.cfb import CFB
from pyopenvba.vba import compress, decompress

PROJECT_PART = "xl/vbaProject.bin"
VBA_STORAGE = "VBA"
#: [MS-OVBA] 2.3.4.1 as written: Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0000, no cache.
WRITER_VBA_PROJECT = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)

_PROJECTCODEPAGE = 0x0003
_PROJECTVERSION = 0x0009
_MODULESTREAMNAME = 0x001A
_MODULESTREAMNAMEUNICODE = 0x0032
_MODULEOFFSET = 0x0031
_MODULE_TERMINATOR = 0x002B
_DIR_TERMINATOR = 0x0010


@dataclass(frozen=True)
class ModuleOffset:
    """A MODULE record's stream name and MODULEOFFSET, and where its TextOffset sits in the dir stream."""

    stream_name: str
    offset: int
    at: int


def dir_records(raw: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Each record of a decompressed dir stream ([MS-OVBA] 2.3.4.2) as (Id, where its data starts, data).

    Every record is Id (2 bytes), Size (4 bytes), Data (Size bytes), the Reserved/Size pairs that
    follow MBCS strings included, except PROJECTVERSION (2.3.4.2.1.11), whose Size slot is a
    Reserved 4 followed by 6 bytes of version.
    """
    pos = 0
    while pos + 6 <= len(raw):
        record_id, size = struct.unpack_from("<HI", raw, pos)
        if record_id == _PROJECTVERSION:
            size = 6
        yield record_id, pos + 6, raw[pos + 6:pos + 6 + size]
        if record_id == _DIR_TERMINATOR:
            return
        pos += 6 + size


def module_offsets(raw: bytes) -> list[ModuleOffset]:
    """Every module's stream name and MODULEOFFSET, in dir order."""
    code_page, found = 1252, []
    name = unicode_name = ""
    offset = at = 0
    for record_id, start, data in dir_records(raw):
        if record_id == _PROJECTCODEPAGE:
            code_page = struct.unpack("<H", data)[0]
        elif record_id == _MODULESTREAMNAME:
            name = data.decode(f"cp{code_page}", errors="replace")
        elif record_id == _MODULESTREAMNAMEUNICODE:
            unicode_name = data.decode("utf-16-le")
        elif record_id == _MODULEOFFSET:
            offset, at = struct.unpack("<I", data)[0], start
        elif record_id == _MODULE_TERMINATOR:
            found.append(ModuleOffset(unicode_name or name, offset, at))
            name = unicode_name = ""
            offset = at = 0
    return found


def without_caches(project: bytes) -> bytes:
    """The compound file `vbaProject.bin` with no performance cache left in it."""
    cfb = CFB.from_bytes(project)
    dir_raw = bytearray(decompress(cfb.get_stream_in_storage(VBA_STORAGE, "dir"), stream_name="dir"))
    cached = [module for module in module_offsets(bytes(dir_raw)) if module.offset]
    for module in cached:
        stream = cfb.get_stream_in_storage(VBA_STORAGE, module.stream_name)
        cfb.write_stream_in_storage(VBA_STORAGE, module.stream_name, stream[module.offset:])
        dir_raw[module.at:module.at + 4] = bytes(4)
    if cached:
        cfb.write_stream_in_storage(VBA_STORAGE, "dir", compress(bytes(dir_raw)))
    cfb.write_stream_in_storage(VBA_STORAGE, "_VBA_PROJECT", WRITER_VBA_PROJECT)
    return cfb.to_bytes()


def write_without_caches(path: Path) -> None:
    """Replace the package's VBA project with its cache-free form, in place; every other part is kept as it was."""
    with zipfile.ZipFile(path) as src:
        parts = [(info, src.read(info)) for info in src.infolist()]
    if not any(info.filename == PROJECT_PART for info, _ in parts):
        return
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info, data in parts:
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            dst.writestr(copy, without_caches(data) if info.filename == PROJECT_PART else data)
    Path(path).write_bytes(out.getvalue())
