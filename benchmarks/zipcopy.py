"""The zip-copy floor: a new package holding every member's compressed bytes as they are (nothing re-deflated).

What a writer that changes nothing must at least do. Run: python benchmarks/zipcopy.py BOOK.xlsm (writes BOOK.xlsm.zip)
"""
from __future__ import annotations

import copy
import struct
import sys
import zipfile

_LOCAL = struct.Struct("<4s5H3L2H")


def copy_members(source: str, target: str) -> None:
    with zipfile.ZipFile(source) as src, open(source, "rb") as raw, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            raw.seek(info.header_offset)
            head = raw.read(_LOCAL.size)
            name_len, extra_len = _LOCAL.unpack(head)[-2:]
            body = raw.read(name_len + extra_len + info.compress_size)
            moved = copy.copy(info)
            moved.header_offset = out.fp.tell()
            out.fp.write(head + body)
            out.filelist.append(moved)
            out.NameToInfo[moved.filename] = moved
        out.start_dir = out.fp.tell()
        out._didModify = True


if __name__ == "__main__":
    copy_members(sys.argv[1], sys.argv[1] + ".zip")
