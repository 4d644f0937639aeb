"""What `check` proves about a workbook, from its values alone plus an optional anchor.

Inside the file: the log's hash chain, the order of its actions, and each completed
step's data against the digest logged when it completed. Outside the file (the
anchor: sidecar, manifest or printout): that no tail of the log was cut and that the
log was not recomputed from scratch. The sidecar also keeps a short digest per cell
of each completed step, which is how a change is traced to its cell and label.
"""
from __future__ import annotations

import base64
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kinerja_xl.domain import audit, digest, rollover, workflow
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.errors import Refused
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition

if TYPE_CHECKING:
    from kinerja_xl.domain.appearance import Look

NO_ANCHOR = ("Tanpa anchor (berkas .anchor.json, manifest ekspor, atau hash dari cetakan), pemeriksaan ini tidak "
             "dapat membuktikan bahwa baris terakhir log tidak dihapus, atau bahwa log tidak dibuat ulang seluruhnya.")


@dataclass(frozen=True)
class Anchor:
    rows: int
    head: str
    exact: bool = False                      # a sidecar follows every action: the count must match exactly
    cells: dict = field(default_factory=dict)  # step no -> {block name -> {"r,c": short digest}}
    definition: str = ""                     # SHA-256 of the embedded SOP definition when anchored
    packed: dict = field(default_factory=dict)  # step no -> {block name -> the digests as the sidecar keeps them}
    workbook: str = ""                       # SHA-256 of the workbook file the sidecar was written with


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    unproven: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def cell_digest(text: str) -> str:
    """64 bits are plenty to tell which cell changed; the step digest in the log is the full SHA-256."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def cell_digests(d: Definition, step_no: int, blocks: dict[str, Block]) -> dict:
    """Short digest of every non-empty cell of a step's blocks: enough to say which cell changed."""
    out = {}
    for name in digest.step_names(d.step(step_no)):
        cells = {}
        for r, row in enumerate(blocks[name].values):
            for c, v in enumerate(row):
                text = digest.canonical(v)
                if text:
                    cells[f"{r},{c}"] = cell_digest(text)
        out[name] = cells
    return out


def changed_steps(d: Definition, state: workflow.State, entries: list[audit.LogEntry], blocks: dict[str, Block]):
    """Completed steps whose data no longer matches the digest logged when they were completed."""
    changed = []
    for step in d.steps:
        if state.statuses[step.no - 1] != workflow.DONE or any(n not in blocks for n in digest.step_names(step)):
            continue
        logged = last_logged(entries, step.no)
        if logged and digest.step_digest(d, step, blocks) != logged.digest:
            changed.append((step, logged))
    return changed


def last_logged(entries: list[audit.LogEntry], step_no: int) -> audit.LogEntry | None:
    """The entry that completed the step last (a return completes nothing): its digest is the step's data."""
    return next((e for e in reversed(entries) if e.step == step_no and e.action_id != "return"), None)


def anchor_data(d: Definition, entries: list[audit.LogEntry], blocks: dict[str, Block], definition: str,
                previous: Anchor | None = None) -> dict:
    """What the sidecar keeps after an action: the chain head, the completed steps' cell digests (packed) and the
    hash of the SOP definition the workbook runs. A step completed before this action keeps the digests the
    `previous` sidecar holds for it, when that sidecar anchors the log as it stood just before this action
    (a completed step is locked: an action on changed data is refused); only the others are computed."""
    state = workflow.replay(d, entries)
    rows, head = audit.head(entries)
    carried = _carried(previous, entries, definition)
    done = {str(s.no): _step_cells(digest.step_names(s), carried.get(str(s.no)), blocks)
            for s in d.steps if state.statuses[s.no - 1] == workflow.DONE}
    return {"sop": d.header.code, "baris": rows, "hash": head, "sel": done, "definisi": definition}


def _carried(previous: Anchor | None, entries: list[audit.LogEntry], definition: str) -> dict:
    """The previous sidecar's packed digests, if it is the sidecar of the log one row shorter; else nothing."""
    if previous is None or not previous.exact or previous.definition != definition or previous.rows < 1:
        return {}
    if previous.rows != len(entries) - 1 or entries[previous.rows - 1].hash != previous.head:
        return {}
    return previous.packed


def _step_cells(names: list[str], kept, blocks: dict[str, Block]) -> dict[str, str]:
    if isinstance(kept, dict) and all(name in kept for name in names):
        return {name: kept[name] if isinstance(kept[name], str) else pack_cells(kept[name], blocks[name].values) for name in names}
    return {name: packed_digests(blocks[name].values) for name in names}


# A block's cell digests in the sidecar: "z8:HxW:" and, in base64, the deflated 8-byte digests of its H x W cells
# row by row, eight zero bytes for an empty cell (a cell whose digest is zero, one chance in 2^64, reads as empty).
# About a third of the {"r,c": hex} form, and carried from sidecar to sidecar without being opened.
PACKED = "z8:"
_PACKED = re.compile(r"^z8:(\d{1,7})x(\d{1,4}):([A-Za-z0-9+/=]*)$")
_EMPTY = bytes(8)


def packed_digests(values) -> str:
    """`cell_digests` of one block, packed: the same digest per non-empty cell."""
    width = max((len(row) for row in values), default=0)
    out = bytearray()
    for row in values:
        for v in row:
            text = digest.canonical(v)
            out += hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest() if text else _EMPTY
        out += _EMPTY * (width - len(row))
    return f"{PACKED}{len(values)}x{width}:{base64.b64encode(zlib.compress(bytes(out), 1)).decode('ascii')}"


def pack_cells(cells: dict[str, str], values) -> str:
    """A block's {"r,c": hex digest} (an older sidecar's form) packed like `packed_digests` of its `values`."""
    spots = {tuple(map(int, key.split(","))): value for key, value in cells.items()}
    height = max([len(values), *(r + 1 for r, _ in spots)])
    width = max([*(len(row) for row in values), *(c + 1 for _, c in spots), 0])
    out = bytearray(8 * height * width)
    for (r, c), value in spots.items():
        out[8 * (r * width + c):8 * (r * width + c) + 8] = bytes.fromhex(value)
    return f"{PACKED}{height}x{width}:{base64.b64encode(zlib.compress(bytes(out), 1)).decode('ascii')}"


def unpack_cells(text: str) -> dict[str, str]:
    """{"r,c": hex digest} of a packed block's non-empty cells; ValueError when it is not one."""
    match = _PACKED.match(text)
    if not match:
        raise ValueError("bukan sel terkemas")
    height, width = int(match.group(1)), int(match.group(2))
    try:
        raw = zlib.decompressobj().decompress(base64.b64decode(match.group(3), validate=True), 8 * height * width + 1)
    except (ValueError, zlib.error) as exc:
        raise ValueError(str(exc)) from None
    if len(raw) != 8 * height * width:
        raise ValueError("panjang sel terkemas")
    cells = {}
    for i in range(height * width):
        chunk = raw[8 * i:8 * i + 8]
        if chunk != _EMPTY:
            cells[f"{i // width},{i % width}"] = chunk.hex()
    return cells


def check(d: Definition, blocks: dict[str, Block], structure: list[str], labels, anchor: Anchor | None,
          looks: dict[str, tuple[Look, Look]] | None = None) -> Report:
    """`structure` lists structural problems found by the adapter; `labels(name, r, c)` names a cell for people;
    `looks` gives each block's appearance and the appearance it was built with."""
    report = Report(problems=list(structure))
    entries, unreadable = audit.parse_rows(blocks[N.LOG].values) if N.LOG in blocks else ([], [])
    report.problems += unreadable + audit.verify(entries, rollover.genesis(blocks))
    try:
        state = workflow.replay(d, entries)
    except Refused as exc:
        report.problems.append(f"Urutan aksi di log tidak sesuai SOP: {exc.message}")
        return report
    _check_steps(d, state, entries, blocks, anchor, labels, report)
    _check_looks(d, state, blocks, looks or {}, labels, report)
    _check_anchor(entries, anchor, report)
    return report


def _check_looks(d: Definition, state, blocks, looks, labels, report: Report) -> None:
    """What a reader sees of locked data: completed steps, the signature and the log."""
    from kinerja_xl.domain import appearance

    sealed = [N.LOG, N.SIGNATURE] + [n for s in d.steps if state.statuses[s.no - 1] == workflow.DONE
                                     for n in digest.step_names(s)]
    for name in dict.fromkeys(sealed):
        if name in looks and name in blocks:
            look, built = looks[name]
            report.problems += appearance.problems(name, look, built, blocks[name].values,
                                                   lambda r, c: blocks[name].at(r, c), lambda r, c: labels(name, r, c))


def _check_steps(d, state, entries, blocks, anchor, labels, report: Report) -> None:
    for step, logged in changed_steps(d, state, entries, blocks):
        names = digest.step_names(step)
        report.problems.append(f"Data langkah {step.no} ({step.sheet}) berubah setelah dikunci "
                               f"(digest tidak cocok dengan log baris {logged.no + 1}).")
        saved = anchor.cells.get(str(step.no)) if anchor else None
        if saved is None:
            report.unproven.append(f"Sel yang berubah pada langkah {step.no} tidak dapat ditunjuk tanpa berkas .anchor.json.")
            continue
        current = cell_digests(d, step.no, blocks)
        for name in names:
            before, now = saved.get(name, {}), current.get(name, {})
            for key in sorted(set(before) | set(now), key=lambda k: tuple(map(int, k.split(",")))):
                if before.get(key) != now.get(key):
                    r, c = map(int, key.split(","))
                    report.problems.append(f"  Sel {blocks[name].at(r, c)} ({labels(name, r, c)}) diubah.")


def check_definition(anchor: Anchor | None, definition: str, report: Report) -> None:
    """The definition a workbook runs must be the one it was anchored with."""
    if anchor and anchor.definition and anchor.definition != definition:
        report.problems.append("Definisi SOP di dalam buku kerja berbeda dari yang tercatat di anchor: alur, isian "
                               "atau aturan SOP telah diganti.")


def _check_anchor(entries, anchor: Anchor | None, report: Report) -> None:
    if anchor is None:
        report.unproven.append(NO_ANCHOR)
        return
    if anchor.rows == -1:  # a bare hash off a printout: find where it stands
        position = next((i for i, e in enumerate(entries) if e.hash == anchor.head), None)
        if position is None:
            report.problems.append("Hash anchor tidak ditemukan di log: log dibuat ulang atau baris itu dihapus.")
            return
        anchor = Anchor(position + 1, anchor.head)
    if anchor.rows > len(entries):
        report.problems.append(f"Log hanya {len(entries)} baris, anchor mencatat {anchor.rows}: baris terakhir log dihapus.")
    elif anchor.rows and entries[anchor.rows - 1].hash != anchor.head:
        report.problems.append(f"Hash log baris {anchor.rows + 1} tidak sama dengan anchor: log dibuat ulang atau diubah.")
    elif anchor.rows < len(entries):
        message = f"Log memiliki {len(entries) - anchor.rows} baris setelah anchor ({anchor.rows} baris)"
        if anchor.exact:
            report.problems.append(message + ", tetapi berkas .anchor.json tidak ikut diperbarui.")
        else:
            report.unproven.append(message + "; baris tersebut tidak dijamin oleh anchor ini.")
