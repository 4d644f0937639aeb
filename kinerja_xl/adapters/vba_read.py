"""The source text of a VBA project's modules, read from `xl/vbaProject.bin` with the standard library only.

`check` needs nothing else of the project, and importing pyOpenVBA (which `build` uses to write it) costs about
80 ms. The reference is pyOpenVBA's own reader (`ExcelFile.vba_modules()`: `cfb.py`, `vba.parse_vba_project`),
which tests/integration/test_vba_read.py holds this to, on well-formed and damaged input alike:
- [MS-CFB] 2.2-2.6: header, FAT through the DIFAT, mini FAT, directory entries, the root's mini stream;
- [MS-OVBA] 2.3.4.2: the dir stream's records (code page, module name, stream name, source offset);
- [MS-OVBA] 2.4.1: decompression of the dir stream and of each module's source.
"""
from __future__ import annotations

import codecs
import struct

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _DIFSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFC  # and 0xFFFFFFFD, FATSECT, between the two
_STORAGE, _STREAM = 1, 2
# Code pages whose Python codec is not named cpNNNN (pyOpenVBA's _CODEPAGE_ALIASES).
_ALIASES = {10000: "mac_roman", 10004: "mac_arabic", 10006: "mac_greek", 10007: "mac_cyrillic",
            10010: "mac_romanian", 10029: "mac_latin2", 10079: "mac_iceland", 10081: "mac_turkish",
            10082: "mac_croatian", 20866: "koi8_r", 21866: "koi8_u", 28591: "iso8859_1", 28592: "iso8859_2",
            28593: "iso8859_3", 28594: "iso8859_4", 28595: "iso8859_5", 28596: "iso8859_6", 28597: "iso8859_7",
            28598: "iso8859_8", 28599: "iso8859_9", 28603: "iso8859_13", 28605: "iso8859_15", 50220: "iso2022_jp",
            50225: "iso2022_kr", 51932: "euc_jp", 51936: "gb2312", 51949: "euc_kr", 52936: "hz", 54936: "gb18030",
            65000: "utf_7"}


class VbaProjectError(ValueError):
    """The project cannot be read: where pyOpenVBA raises, this does."""


def modules(vba_project_bin: bytes) -> dict[str, str]:
    """Module name -> source text, as pyOpenVBA's `vba_modules()` returns them."""
    try:
        return _modules(_Cfb(vba_project_bin))
    except (IndexError, struct.error) as exc:  # a bound not checked below: damaged all the same
        raise VbaProjectError(f"VBA project unreadable: {exc}") from exc


def _modules(cfb: _Cfb) -> dict[str, str]:
    dir_stream = cfb.stream("dir")
    if dir_stream is None:
        raise VbaProjectError("No 'dir' stream found; not a valid VBA project.")
    code_page, found = _dir_records(decompress(dir_stream))
    encoding = _ALIASES.get(code_page) or _codec(f"cp{code_page}")
    out = {}
    for name, stream_name, offset in found:
        stream = cfb.stream(stream_name or name)
        if stream is None:
            continue  # a module without its stream is left out, as pyOpenVBA leaves it
        if offset > len(stream):
            raise VbaProjectError(f"MODULEOFFSET {offset} exceeds stream length {len(stream)} for module {name!r}.")
        out[name] = decompress(stream[offset:]).decode(encoding, errors="replace")
    cfb.stream("PROJECT", anywhere=True)  # pyOpenVBA reads it too (for protection), and fails on a broken chain
    return out


def _codec(name: str) -> str:
    try:
        codecs.lookup(name)
        return name
    except LookupError:
        return "latin-1"


def _prefer_unicode(ansi: str, unicode_value: str) -> str:
    """The UTF-16 partner record wins when it differs: the ANSI one is the lossy side."""
    cleaned = unicode_value.rstrip("\x00")
    return cleaned if cleaned and cleaned != ansi else ansi


def _dir_records(raw: bytes) -> tuple[int, list[tuple[str, str, int]]]:
    """([MS-OVBA] 2.3.4.2) The project's code page, and per module (name, stream name, source offset)."""
    code_page, listed, current, pos, n = 1252, [], None, 0, len(raw)
    ansi = "cp1252"
    while pos + 2 <= n:
        rid = raw[pos] | raw[pos + 1] << 8
        pos += 2
        if rid == 0x0010:  # dir terminator
            break
        if rid == 0x0009:  # PROJECTVERSION: Reserved(4), major(4), minor(2), no size field
            if pos + 10 > n:
                break
            pos += 10
            continue
        if pos + 4 > n:
            if rid == 0x0019:
                raise VbaProjectError("dir stream truncated while reading u32.")
            break
        size = int.from_bytes(raw[pos:pos + 4], "little")
        data = raw[pos + 4:pos + 4 + size]
        pos += 4 + size
        if rid == 0x0019:  # MODULENAME starts a module
            if current is not None:
                listed.append(current)
            current = [data.decode(ansi, errors="replace"), "", 0]
        elif rid == 0x0003 and len(data) >= 2:  # PROJECTCODEPAGE
            code_page = data[0] | data[1] << 8
            ansi = _codec(f"cp{code_page}")
        elif current is None:
            continue
        elif rid == 0x0047:  # MODULENAMEUNICODE
            current[0] = _prefer_unicode(current[0], data.decode("utf-16-le", errors="replace"))
        elif rid == 0x001A:  # MODULESTREAMNAME
            current[1] = data.decode(ansi, errors="replace")
        elif rid == 0x0032:  # its Unicode partner
            current[1] = _prefer_unicode(current[1], data.decode("utf-16-le", errors="replace"))
        elif rid == 0x0031 and len(data) >= 4:  # MODULEOFFSET
            current[2] = int.from_bytes(data[:4], "little")
        elif rid == 0x002B:  # module terminator
            listed.append(current)
            current = None
    if current is not None and current[0]:
        listed.append(current)
    return code_page, [tuple(m) for m in listed]


def decompress(data: bytes) -> bytes:
    """[MS-OVBA] 2.4.1.3.1: a signature byte, then chunks of at most 4096 decompressed bytes each."""
    if not data or data[0] != 0x01:
        raise VbaProjectError("Invalid compressed stream: missing 0x01 signature byte.")
    out, pos, n = bytearray(), 1, len(data)
    while pos < n:
        if pos + 2 > n:
            raise VbaProjectError(f"Truncated compressed stream: missing chunk header at {pos}.")
        header = data[pos] | data[pos + 1] << 8
        pos += 2
        end = pos + (header & 0x0FFF) + 1
        if (header >> 12) & 7 != 0b011 or end > n:
            raise VbaProjectError(f"Bad or truncated chunk header at {pos - 2}.")
        start = len(out)
        if not header & 0x8000:  # raw chunk: exactly 4096 literal bytes
            if end - pos != 4096:
                raise VbaProjectError(f"Raw chunk of {end - pos} bytes at {pos - 2}.")
            out += data[pos:end]
            pos = end
            continue
        while pos < end:
            flags, bit = data[pos], 0
            pos += 1
            while bit < 8 and pos < end:
                if not flags >> bit & 1:  # a run of literals, copied as one slice
                    rest = flags >> bit | 1 << 8 - bit
                    run = min((rest & -rest).bit_length() - 1, end - pos)
                    out += data[pos:pos + run]
                    pos, bit = pos + run, bit + run
                    continue
                if pos + 2 > n:  # a copy token may run past its chunk, not past the data
                    raise VbaProjectError(f"Truncated copy token at {pos}.")
                token = data[pos] | data[pos + 1] << 8
                pos, bit = pos + 2, bit + 1
                done = len(out) - start  # [MS-OVBA] 2.4.1.3.19.1 CopyToken Help: offset bits
                bits = (done - 1).bit_length() if done > 16 else 4
                length, offset = (token & 0xFFFF >> bits) + 3, (token >> 16 - bits) + 1
                if offset > done:
                    raise VbaProjectError(f"Copy token at {pos - 2} reaches before its chunk.")
                if offset >= length:
                    out += out[-offset:len(out) - offset + length]
                else:  # overlapping: the last `offset` bytes repeat
                    out += (out[-offset:] * (length // offset + 1))[:length]
    return bytes(out)


class _Cfb:
    """[MS-CFB]: the directory and each stream's bytes, checked as pyOpenVBA checks them."""

    def __init__(self, data: bytes):
        if len(data) < 512:
            raise VbaProjectError("File too small to be a valid CFB.")
        if data[:8] != _MAGIC:
            raise VbaProjectError("Not a Compound File Binary (magic bytes mismatch).")
        major, _, shift, mini_shift = struct.unpack_from("<4H", data, 26)
        if major not in (3, 4) or shift != (9 if major == 3 else 12) or mini_shift != 6:
            raise VbaProjectError(f"Unsupported CFB version {major} or sector shifts {shift}/{mini_shift}.")
        self.data, self.size = data, 1 << shift
        dir_start, _, self.cutoff, minifat_start, _, difat_start, difat_count = struct.unpack_from("<7I", data, 48)
        difat = list(struct.unpack_from("<109I", data, 76))
        if difat_start != _END and difat_count > 0:
            if difat_count > max(0, len(data) // self.size - 1):
                raise VbaProjectError(f"The header claims {difat_count} DIFAT sectors; the file is too short.")
            sector, seen = difat_start, set()
            for _ in range(difat_count):
                if sector in (_END, _FREE):
                    break
                if sector in seen:
                    raise VbaProjectError(f"The DIFAT chain returns to sector {sector}.")
                seen.add(sector)
                block = self.sector(sector)
                if len(block) < self.size:
                    raise VbaProjectError(f"DIFAT sector {sector} lies past the end of the file.")
                difat += struct.unpack_from(f"<{self.size // 4 - 1}I", block)
                sector = int.from_bytes(block[-4:], "little")
        fat = bytearray()
        for sector in difat:
            if sector >= _DIFSECT:  # the first DIFSECT, FATSECT, ENDOFCHAIN or FREESECT ends the list
                break
            fat += self.sector(sector)
        self.fat = _u32s(fat)
        self.minifat = _u32s(self.read(self.fat, minifat_start, self.sector)) if minifat_start != _END else []
        raw = self.read(self.fat, dir_start, self.sector)
        self.entries = [struct.unpack_from("<64sHBx3I36x2I", raw, i) for i in range(0, len(raw) - 127, 128)]
        self.names = [name[:max(0, size - 2)].decode("utf-16-le", errors="replace").casefold()
                      for name, size, *_ in self.entries]
        root = self.entries[0] if self.entries else None
        self.mini = self.read(self.fat, root[6], self.sector) if root and root[6] not in (_END, _FREE) else b""

    def sector(self, index: int) -> bytes:
        offset = (index + 1) * self.size  # the header fills sector -1
        return self.data[offset:offset + self.size]

    def mini_sector(self, index: int) -> bytes:
        return self.mini[index * 64:index * 64 + 64]

    @staticmethod
    def read(table: list[int], start: int, block) -> bytes:
        """The blocks of a chain through `table` (FAT or mini FAT), refused when it loops or leaves the table."""
        out, seen, current = bytearray(), set(), start
        while current not in (_END, _FREE):
            if current in seen or current >= len(table):
                raise VbaProjectError(f"Cycle or out-of-range sector in a chain at {current}.")
            seen.add(current)
            out += block(current)
            current = table[current]
        return bytes(out)

    def stream(self, name: str, anywhere: bool = False) -> bytes | None:
        """The stream `name` in storage VBA, else the first of that name anywhere (pyOpenVBA's fallback);
        names compare case-insensitively ([MS-CFB] 2.6.4)."""
        name = name.casefold()
        storage = next((i for i, e in enumerate(self.entries) if e[2] == _STORAGE and self.names[i] == "vba"), None)
        found = None
        if storage is not None and not anywhere:
            found = next((i for i in self._children(storage)
                          if self.entries[i][2] == _STREAM and self.names[i] == name), None)
        if found is None:
            found = next((i for i, e in enumerate(self.entries) if e[2] == _STREAM and self.names[i] == name), None)
        if found is None:
            return None
        *_, start, size = self.entries[found]
        if size < self.cutoff:
            return self.read(self.minifat, start, self.mini_sector)[:size]
        return self.read(self.fat, start, self.sector)[:size]

    def _children(self, parent: int) -> list[int]:
        """The red-black tree under `parent`, in pyOpenVBA's walking order (it decides between duplicates)."""
        out, seen, stack = [], set(), [self.entries[parent][5]]
        while stack:
            node = stack.pop()
            if node in seen or node >= len(self.entries):  # _FREE (no sibling) is past the end too
                continue
            seen.add(node)
            out.append(node)
            stack += [s for s in self.entries[node][3:5] if s != _FREE]
        return out


def _u32s(raw: bytes) -> list[int]:
    return list(struct.unpack_from(f"<{len(raw) // 4}I", raw))
