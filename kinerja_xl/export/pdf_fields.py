"""The two empty signature fields of an unsigned export, appended to ReportLab's PDF as one incremental update
written here: what pyHanko writes for them (merged field-widget dictionaries with an empty appearance, the form
marked append-only, SigFlags 3), without importing pyHanko, which alone takes half a second (it loads an HTTP
client and its certificate store). Only ReportLab's own plain layout is read (one classic cross-reference
section, a flat page tree); anything else is `NotPlain`, and the caller lets pyHanko do it."""
from __future__ import annotations

import hashlib
import re


class NotPlain(Exception):
    """The PDF is not laid out as ReportLab writes it."""


def append_empty_fields(pdf: bytes, page: int, boxes: list[tuple[str, tuple[float, float, float, float]]]) -> bytes:
    """`pdf` with one empty signature field per (name, box) on page `page` (from 0), as an incremental update."""
    trailer = _trailer(pdf)
    offsets = _offsets(pdf, trailer["startxref"], trailer["size"])
    root = _object(pdf, offsets, trailer["root"])
    kids = _refs(_entry(_object(pdf, offsets, _ref(root, b"/Pages")), rb"/Kids\s*\[([^\]]*)\]"))
    if not 0 <= page < len(kids):
        raise NotPlain("page")
    page_ref = kids[page]
    page_dict = _object(pdf, offsets, page_ref)
    if b"/Annots" in page_dict or b"/AcroForm" in root or not re.search(rb"/Type\s*/Page(?![A-Za-z])", page_dict):
        raise NotPlain("page or form")
    size = trailer["size"]
    form, fields = size, [size + 1 + 2 * i for i in range(len(boxes))]
    objects = {
        page_ref: _with(page_dict, b"/Annots [ " + b" ".join(b"%d 0 R" % n for n in fields) + b" ]"),
        trailer["root"]: _with(root, b"/AcroForm %d 0 R" % form),
        form: b"<<\n/Fields [ " + b" ".join(b"%d 0 R" % n for n in fields) + b" ]\n/SigFlags 3\n>>",
    }
    for n, (name, (x1, y1, x2, y2)) in zip(fields, boxes):
        objects[n] = (b"<<\n/FT /Sig\n/T (%s)\n/Type /Annot\n/Subtype /Widget\n/F 132\n/Rect [ %s ]\n/P %d 0 R\n"
                      b"/AP <<\n/N %d 0 R\n>>\n>>" % (name.encode("ascii"), _numbers((x1, y1, x2, y2)), page_ref, n + 1))
        objects[n + 1] = (b"<<\n/BBox [ 0 0 %s ]\n/Resources <<\n>>\n/Type /XObject\n/Subtype /Form\n/Length 0\n>>\n"
                          b"stream\n\nendstream" % _numbers((x2 - x1, y2 - y1)))
    return _update(pdf, trailer, objects, size + 1 + 2 * len(boxes))


def _update(pdf: bytes, trailer: dict, objects: dict[int, bytes], size: int) -> bytes:
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    where = {}
    for n in sorted(objects):
        where[n] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (n, objects[n])
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    numbers = sorted(where)
    for start, stop in _runs(numbers):
        out += b"%d %d\n" % (start, stop - start) + b"".join(b"%010d 00000 n \n" % where[n] for n in range(start, stop))
    second = hashlib.md5(bytes(out)).hexdigest().encode()  # the file's second ID changes with each revision
    out += (b"trailer\n<<\n/ID [ <%s> <%s> ]\n/Info %d 0 R\n/Root %d 0 R\n/Size %d\n/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n"
            % (trailer["id"], second, trailer["info"], trailer["root"], size, trailer["startxref"], xref))
    return bytes(out)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted object numbers as cross-reference subsections: (first, one past the last) of each consecutive run."""
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and out[-1][1] == n:
            out[-1] = (out[-1][0], n + 1)
        else:
            out.append((n, n + 1))
    return out


def _trailer(pdf: bytes) -> dict:
    at = pdf.rfind(b"trailer")
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf[at:]) if at > 0 else None
    if found is None or pdf.count(b"startxref") != 1:
        raise NotPlain("trailer")
    text = pdf[at:at + found.start()]
    first_id = re.search(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>", text)
    return {"startxref": int(found.group(1)), "size": int(_entry(text, rb"/Size\s+(\d+)")),
            "root": _ref(text, b"/Root"), "info": _ref(text, b"/Info"),
            "id": first_id.group(1) if first_id else hashlib.md5(pdf).hexdigest().encode()}


def _offsets(pdf: bytes, start: int, size: int) -> list[int]:
    head = b"xref\n0 %d\n" % size
    if pdf[start:start + len(head)] != head:
        raise NotPlain("xref")
    body = pdf[start + len(head):start + len(head) + 20 * size]
    return [int(body[20 * i:20 * i + 10]) for i in range(size)]


def _object(pdf: bytes, offsets: list[int], number: int) -> bytes:
    """The dictionary of object `number` (<< … >>), as written."""
    if not 0 < number < len(offsets):
        raise NotPlain("object")
    at = offsets[number]
    head = b"%d 0 obj\n" % number
    end = pdf.find(b"\nendobj", at)
    if pdf[at:at + len(head)] != head or end < 0:
        raise NotPlain("object")
    body = pdf[at + len(head):end].strip()
    if not (body.startswith(b"<<") and body.endswith(b">>")) or b"stream" in body:
        raise NotPlain("object")
    return body


def _with(dictionary: bytes, entry: bytes) -> bytes:
    return dictionary[:-2].rstrip() + b"\n" + entry + b"\n>>"


def _entry(text: bytes, pattern: bytes) -> bytes:
    found = re.search(pattern, text)
    if found is None:
        raise NotPlain(pattern.decode())
    return found.group(1)


def _ref(text: bytes, key: bytes) -> int:
    return int(_entry(text, re.escape(key) + rb"\s+(\d+)\s+0\s+R"))


def _refs(text: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb"(\d+)\s+0\s+R", text)]


def _numbers(values) -> bytes:
    return " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in values).encode()
