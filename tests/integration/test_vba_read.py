"""vba_read, the stdlib reader `check` uses, against pyOpenVBA's `vba_modules()` (its reference) and olevba.

Every case compares the two readers on the same bytes: module names, their order and each source text. Damaged
projects must fail in both, in ours always as VbaProjectError.
"""
from __future__ import annotations

import random
import shutil
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyopenvba import ExcelFile
from pyopenvba.cfb import CFB
from pyopenvba.exceptions import PyOpenVBAError
from pyopenvba.vba import compress, parse_vba_project
from pyopenvba.vba import decompress as reference_decompress

from kinerja_xl.adapters import vba_read
from kinerja_xl.adapters.vba_read import VbaProjectError
from kinerja_xl.adapters.vba_sources import stored_modules
from tests.readers import part, vba_sources

BIN = "xl/vbaProject.bin"
SLOW = settings(deadline=None, max_examples=30,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def by_pyopenvba(path: Path) -> dict[str, str]:
    with ExcelFile(path) as book:
        return dict(book.vba_modules())


def reference(project: bytes) -> dict[str, str]:
    """What `vba_modules()` does with a vbaProject.bin, without the package around it."""
    return {m.name: m.source for m in parse_vba_project(CFB.from_bytes(project)).modules}


def same(path: Path) -> dict[str, str]:
    """Both readers on the file: equal, in the same order."""
    ours = stored_modules(path)
    assert list(ours.items()) == list(by_pyopenvba(path).items())
    return ours


def with_modules(src: Path, dest: Path, added: dict[str, str] | None = None,
                 edited: dict[str, str] | None = None) -> Path:
    """A copy of `src` whose project pyOpenVBA changed and saved."""
    shutil.copy(src, dest)
    with ExcelFile(dest) as book:
        for name, source in (edited or {}).items():
            book.set_module(name, source)
        for name, source in (added or {}).items():
            book.vba_project().add_module(name, source)
        book.save(dest)
    return dest


@pytest.fixture(scope="module")
def built_project(built) -> bytes:
    return part(built, BIN)


def test_the_built_workbook(built):
    ours = same(built)
    assert "KinerjaRibbon" in ours and "ThisWorkbook" in ours


def test_the_workbook_saved_by_libreoffice(office, built, tmp_path):
    """LibreOffice writes a vbaProject.bin of its own."""
    saved = office.save_as_user(shutil.copy(built, tmp_path / "Kinerja_SETWAN.xlsm"))
    assert part(saved, BIN) != part(built, BIN)
    assert same(saved).keys() == same(built).keys()


def test_a_module_edited_with_pyopenvba(built, tmp_path):
    edited = with_modules(built, tmp_path / "edited.xlsm", edited={"KinerjaSistem": "Sub Lain()\r\nEnd Sub\r\n"})
    ours = same(edited)
    assert "Sub Lain()" in ours["KinerjaSistem"] and ours != stored_modules(built)


def test_modules_over_several_chunks_and_a_cp1252_character(built, tmp_path):
    long = "".join(f"    x = x + {i} ' baris {i * 7919 % 1000}\r\n" for i in range(1500))
    added = {"Panjang": f"Sub Panjang()\r\n{long}End Sub\r\n",
             "Rupiah": "Sub Rupiah()\r\n    MsgBox \"Nilai \u20ac 1.000 \u2013 caf\u00e9\"\r\nEnd Sub\r\n"}
    ours = same(with_modules(built, tmp_path / "added.xlsm", added=added))
    assert len(ours["Panjang"].encode("cp1252")) > 5 * 4096
    assert "Nilai \u20ac 1.000 \u2013 caf\u00e9" in ours["Rupiah"]


def test_olevba_reads_the_same(built):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert vba_sources(built) == stored_modules(built)  # module and stream names are the same here


def test_a_package_without_a_project_has_no_modules(built, tmp_path):
    bare = tmp_path / "tanpa_proyek.xlsm"
    with zipfile.ZipFile(built) as zin, zipfile.ZipFile(bare, "w") as zout:
        for item in zin.infolist():
            if item.filename != BIN:
                zout.writestr(item, zin.read(item.filename))
    assert stored_modules(bare) == by_pyopenvba(bare) == {}


@pytest.mark.parametrize("damage", [lambda b: b"garbage" * 100, lambda b: b[: len(b) // 2], lambda b: b[:600],
                                    lambda b: b[:512] + bytes(len(b) - 512)])
def test_a_damaged_project_fails_in_both(built, damage):
    project = damage(part(built, BIN))
    with pytest.raises(PyOpenVBAError):
        reference(project)
    with pytest.raises(VbaProjectError):
        vba_read.modules(project)


# ---------------------------------------------------------------- decompression ([MS-OVBA] 2.4.1)

def compressed(data: bytes) -> bytes:
    try:
        return compress(data)
    except PyOpenVBAError:  # a last partial chunk of noise: not representable, pyOpenVBA refuses it
        assume(False)


def _seeded(seed: int, blocks: int) -> bytes:
    return random.Random(seed).randbytes(4096 * blocks)


PIECES = st.one_of(st.binary(max_size=300),
                   st.tuples(st.binary(min_size=1, max_size=9), st.integers(1, 700)).map(lambda t: t[0] * t[1]),
                   st.builds(_seeded, st.integers(0, 2**32), st.integers(1, 2)))  # incompressible: raw chunks


@given(st.lists(PIECES, max_size=12).map(b"".join))
@settings(max_examples=200, deadline=None)
def test_what_pyopenvba_compresses_decompresses_to_the_same_bytes(data):
    assert vba_read.decompress(compressed(data)) == data


def test_raw_chunks_and_copy_tokens_across_a_whole_chunk():
    data = _seeded(7, 2) + b"ab" * 5000 + bytes(4096)
    packed = compress(data)
    assert b"\xff\x3f" in packed  # a raw chunk's header (0x3FFF)
    assert vba_read.decompress(packed) == data


def decompresses_alike(packed: bytes) -> None:
    """Both decompressors fail on `packed`, or both give the same bytes."""
    try:
        expected = reference_decompress(packed)
    except PyOpenVBAError:
        with pytest.raises(VbaProjectError):
            vba_read.decompress(packed)
    else:
        assert vba_read.decompress(packed) == expected


@given(st.lists(PIECES, min_size=1, max_size=6).map(b"".join), st.data())
@settings(max_examples=200, deadline=None)
def test_a_damaged_compressed_stream_fails_or_reads_as_in_pyopenvba(data, draw):
    packed = bytearray(compressed(data))
    for _ in range(draw.draw(st.integers(1, 4))):
        packed[draw.draw(st.integers(0, len(packed) - 1))] = draw.draw(st.integers(0, 255))
    packed = bytes(packed[: draw.draw(st.integers(0, len(packed)))])
    decompresses_alike(packed)


# Chunks by hand ([MS-OVBA] 2.4.1.1): a header 0bFSSS + size - 1, then flag bytes and tokens.
HAND_MADE = {
    "a copy token running one byte past its chunk": b"\x01\x02\xb0\x02a\x00\x00\x01\xb0\x00b",
    "flag bits past the end of the chunk": b"\x01\x01\xb0\x02a",
    "a copy token cut short by the end of the data": b"\x01\x02\xb0\x02a\x00",
    "a raw chunk shorter than 4096": b"\x01\x02\x30abc",
    "a copy token reaching before its chunk": b"\x01\x02\xb0\x02a\x00\x00\x01\xb0\x01\x00\x00",
    "a chunk signature other than 0b011": b"\x01\x01\xa0\x00a",
    "a header cut short": b"\x01\x01",
    "no signature byte": b"\x02\x01\xb0\x00a",
}


@pytest.mark.parametrize("packed", HAND_MADE.values(), ids=HAND_MADE.keys())
def test_hand_made_chunks_read_or_fail_as_in_pyopenvba(packed):
    decompresses_alike(packed)


# ---------------------------------------------------------------- whole projects

NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,15}", fullmatch=True).map(lambda s: "Uji" + s)
LINE = st.text(st.characters(codec="cp1252", exclude_characters="\r\n"), max_size=120)
SOURCE = st.lists(LINE, max_size=250).map(lambda lines: "\r\n".join(lines) + "\r\n")


@given(st.dictionaries(NAME, SOURCE, max_size=5).filter(lambda d: len({n.casefold() for n in d}) == len(d)))
@SLOW
def test_random_modules_written_by_pyopenvba_read_back_the_same(built, tmp_path, added):
    ours = same(with_modules(built, tmp_path / "acak.xlsm", added=added))
    for name, source in added.items():
        assert source.rstrip("\r\n").split("\r\n")[-1] in ours[name]


def _reference_or_error(project: bytes):
    try:
        return reference(project)
    except Exception as exc:  # pyOpenVBA's own errors, and any its parser lets through on damage
        return exc


def assert_as_pyopenvba(project: bytes) -> None:
    """Both fail (ours with VbaProjectError), or both read the same modules in the same order."""
    expected = _reference_or_error(project)
    if isinstance(expected, Exception):
        with pytest.raises(VbaProjectError):
            vba_read.modules(project)
    else:
        assert list(vba_read.modules(project).items()) == list(expected.items())


def _entry(project: bytes, name: str) -> int:
    """Where the directory entry of `name` starts ([MS-CFB] 2.6.1: the UTF-16 name, padded to 64 bytes, its length)."""
    encoded = name.encode("utf-16-le") + b"\0\0"
    return project.index(encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little"))


def _patched(project: bytes, offset: int, value: int) -> bytes:
    return project[:offset] + value.to_bytes(4, "little") + project[offset + 4:]


HAND_DAMAGED = {
    "the PROJECT stream's chain broken": lambda b: _patched(b, _entry(b, "PROJECT") + 116, 0xFFFFFFFD),
    "a module stream's chain broken": lambda b: _patched(b, _entry(b, "KinerjaSel") + 116, 0xFFFFFFFD),
    "the dir stream missing": lambda b: _patched(b, _entry(b, "dir") + 66, 0),  # an empty entry now
    # the first FAT sector as a DIFAT sector: it ends with an unused entry, which ends the chain at once
    "more DIFAT sectors than the file holds": lambda b: _patched(_patched(b, 68, int.from_bytes(b[76:80], "little")),
                                                               72, 0x7FFFFFFF),
    "a DIFAT sector past the end": lambda b: _patched(_patched(b, 68, 0xFFFF), 72, 1),
    "no mini stream (cutoff 0)": lambda b: _patched(b, 56, 0),
    "everything in the mini stream": lambda b: _patched(b, 56, 0xFFFFFFFF),
}


@pytest.mark.parametrize("damage", HAND_DAMAGED.values(), ids=HAND_DAMAGED.keys())
def test_hand_damaged_projects_fail_as_in_pyopenvba(built_project, damage):
    project = damage(built_project)
    assert isinstance(_reference_or_error(project), PyOpenVBAError)
    assert_as_pyopenvba(project)


@given(st.data())
@SLOW
def test_a_damaged_project_fails_or_reads_as_in_pyopenvba(built_project, draw):
    """Bytes overwritten anywhere (header, FAT, directory, streams), or the file cut short: both fail, or both
    read the same modules."""
    project = bytearray(built_project)
    for _ in range(draw.draw(st.integers(1, 6))):
        where = draw.draw(st.one_of(st.integers(0, 511), st.integers(0, len(project) - 1)))
        project[where] = draw.draw(st.sampled_from([0, 1, 0xFF, 0xFE, draw.draw(st.integers(0, 255))]))
    project = bytes(project[: draw.draw(st.sampled_from([len(project), draw.draw(st.integers(0, len(project)))]))])
    assert_as_pyopenvba(project)


@given(st.data())
@SLOW
def test_a_damaged_dir_stream_fails_or_reads_as_in_pyopenvba(built_project, draw):
    """The dir stream's records ([MS-OVBA] 2.3.4.2) overwritten or cut short, then compressed again."""
    cfb = CFB.from_bytes(built_project)
    records = bytearray(reference_decompress(cfb.get_stream_in_storage("VBA", "dir")))
    for _ in range(draw.draw(st.integers(1, 6))):
        records[draw.draw(st.integers(0, len(records) - 1))] = draw.draw(st.integers(0, 255))
    records = records[: draw.draw(st.sampled_from([len(records), draw.draw(st.integers(0, len(records)))]))]
    cfb.write_stream_in_storage("VBA", "dir", compress(bytes(records)) if records else b"")
    project = cfb.to_bytes()
    assert_as_pyopenvba(project)
