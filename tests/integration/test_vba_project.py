"""The built VBA project as [MS-OVBA] says a writer writes it, read back by readers that are not ours.

2.3.4.1: `_VBA_PROJECT` is Reserved1 0x61CC, Version ("MUST be 0xFFFF on write"), Reserved2 0x00,
Reserved3, and a PerformanceCache that "MUST NOT be present on write". 2.3.4.3: a module stream is a
PerformanceCache of MODULEOFFSET bytes, then the compressed source. 1.6: Version 0xFFFF makes Office
ignore every cache and compile each module from its source. olefile, olevba and LibreOffice read it here.
"""
from __future__ import annotations

import io
import os
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream
from pyopenvba import ExcelFile

from kinerja_xl.adapters.vba_sources import vba_modules
from tests.readers import need

#: What LibreOffice's and EPPlus's VBA writers write: 0x61CC, Version 0xFFFF, 0x00, Reserved3 0x0000, no cache.
WRITER_VBA_PROJECT = bytes.fromhex("cc61ffff000000")
def document_modules(built) -> set[str]:
    """ThisWorkbook and one SheetN per sheet of the built workbook."""
    import openpyxl

    return {"ThisWorkbook", *(f"Sheet{n}" for n in range(1, len(openpyxl.load_workbook(built).sheetnames) + 1))}


def project_bin(book: Path) -> bytes:
    with zipfile.ZipFile(book) as z:
        return z.read("xl/vbaProject.bin")


def body(source: str) -> list[str]:
    """The source's lines without its `Attribute VB_*` header or trailing blank lines."""
    lines = [line for line in source.replace("\r\n", "\n").split("\n") if not line.startswith("Attribute VB_")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


@pytest.fixture(scope="module")
def ole(built):
    with olefile.OleFileIO(io.BytesIO(project_bin(built))) as opened:
        yield opened


@pytest.fixture(scope="module")
def olevba_modules(ole):
    """olevba's own parse of the dir stream ([MS-OVBA] 2.3.4.2): each module's stream name, MODULEOFFSET and code."""
    project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    list(project.parse_modules())
    return {module.name: module for module in project.modules}


def test_vba_project_stream_is_the_seven_bytes_a_writer_writes(ole):
    stream = ole.openstream("VBA/_VBA_PROJECT").read()
    reserved1, version, reserved2 = struct.unpack_from("<HHB", stream)
    assert (reserved1, version, reserved2) == (0x61CC, 0xFFFF, 0x00)
    assert stream == WRITER_VBA_PROJECT, f"a performance cache of {len(stream) - 7} bytes is left"
    assert not [path for path in ole.listdir() if path[-1].startswith("__SRP_")]  # SRP streams are caches too


def test_every_module_stream_is_its_compressed_source_alone(built, ole, olevba_modules):
    assert set(olevba_modules) == document_modules(built) | set(vba_modules())
    for name, module in olevba_modules.items():
        assert module.textoffset == 0, f"{name}: {module.textoffset} bytes of compiled p-code before the source"
        stream = ole.openstream(f"VBA/{module.streamname}").read()
        assert bytes(decompress_stream(bytearray(stream))) == module.code_raw, name


def test_olevba_extracts_every_module_from_byte_zero_as_we_wrote_it(built, olevba_modules):
    parser = VBA_Parser(str(built))
    try:
        extracted = {Path(stream_path).name: code for _, stream_path, _, code in parser.extract_macros()}
    finally:
        parser.close()
    assert {name: module.textoffset for name, module in olevba_modules.items() if module.textoffset} == {}
    for name, source in vba_modules().items():
        assert body(extracted[name]) == body(source), name
    for name in document_modules(built):
        assert extracted[name].startswith(f'Attribute VB_Name = "{name}"') and body(extracted[name]) == [], name


def test_pyopenvba_opens_the_project_with_no_compiled_code_left(built):
    with ExcelFile(built) as book:
        sources = book.vba_modules()
        project = book.vba_project()
        compiled = {m.name: m.text_offset for m in project.modules if m.text_offset or m.prefix_bytes}
        pcode = {m.name for m in project.modules if m.disassemble().num_lines}
    assert compiled == {} and pcode == set()
    for name, source in vba_modules().items():
        assert body(sources[name]) == body(source), name


def test_libreoffice_reads_every_module_of_the_cache_free_project(built, tmp_path):
    with olefile.OleFileIO(io.BytesIO(project_bin(built))) as ole:
        assert ole.openstream("VBA/_VBA_PROJECT").read() == WRITER_VBA_PROJECT, "not the cache-free project"
    profile = tmp_path / "lo-profile"
    subprocess.run([need("soffice"), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(built)], check=True, capture_output=True, timeout=180,
                   env=dict(os.environ, HOME=str(tmp_path)))
    ods = tmp_path / (built.stem + ".ods")
    assert ods.exists(), "LibreOffice did not open the workbook"
    with zipfile.ZipFile(ods) as z:
        for name, source in vba_modules().items():
            # LibreOffice keeps the VBA as a Basic module, after two lines of its own (Rem ..., Option VBASupport 1).
            text = ET.fromstring(z.read(f"Basic/VBAProject/{name}.xml")).text or ""
            assert text.startswith("Rem Attribute VBA_ModuleType=VBAModule"), name
            assert body(text)[2:] == body(source), name
