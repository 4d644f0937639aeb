"""What `status` and `check` print: a table for people (rich: colours on a terminal, plain text in a pipe or file)
and JSON for programs, in the versioned shape documented in docs/cli-json.md."""
from __future__ import annotations

import json
import os
import sys


STATUS_SCHEMA = "https://kinerja-xl/skema/status/1"
CHECK_SCHEMA = "https://kinerja-xl/skema/check/1"
WIDTH = 100
_CODES = {"tepat waktu": "tepat_waktu", "jatuh tempo hari ini": "jatuh_tempo_hari_ini", "terlambat": "terlambat",
          "tanpa batas waktu": "tanpa_batas_waktu", "belum dimulai": "belum_dimulai"}
_STATUS_CODES = {"belum dimulai": "belum_dimulai", "aktif": "aktif", "selesai": "selesai",
                 "dikembalikan": "dikembalikan"}


def _iso(at) -> str | None:
    return at.isoformat(timespec="seconds") if at else None


def status_data(rep) -> dict:
    """The status report as JSON-ready data: codes beside the labels people read, ISO 8601 times with offset."""
    steps = []
    for row, fact in zip(rep.rows, rep.facts):
        labels = dict(zip(("no", "kegiatan", "pelaksana", "status", "oleh", "waktu_aksi", "batas_waktu",
                           "sisa_terlambat", "langkah_berikutnya"), row))
        steps.append({**labels, "kode_status": _STATUS_CODES.get(fact.status, fact.status),
                      "selesai": fact.status == "selesai", "waktu_aksi_iso": _iso(fact.acted_at),
                      "batas_waktu_iso": _iso(fact.due), "keadaan": _CODES.get(fact.state),
                      "terlambat": fact.state == "terlambat", "sisa": fact.left, "lewat": fact.late,
                      "satuan": fact.unit})
    return {"$schema": STATUS_SCHEMA, "waktu": _iso(rep.now), "langkah_aktif": rep.current, "giliran": rep.turn,
            "ditutup": rep.closed, "ditandatangani": rep.signed, "langkah": steps,
            "log": {"baris": rep.log_head[0], "hash_terakhir": rep.log_head[1]}}


def status_json(rep) -> str:
    return json.dumps(status_data(rep), ensure_ascii=False, indent=2)


def check_json(report) -> str:
    """Version 1: bersih, masalah, tidak_terbukti, with the schema it follows named in-band like status's."""
    return json.dumps({"$schema": CHECK_SCHEMA, "bersih": report.clean, "masalah": report.problems,
                       "tidak_terbukti": report.unproven}, ensure_ascii=False, indent=2)


def _standing(row: list, fact) -> tuple[str, str]:
    """The deadline column for people, with its unit spelt out ("terlambat 9 hari kerja"), and its colour."""
    unit = fact.unit or ""
    if fact.state == "terlambat":
        text = f"terlambat {fact.late} {unit}"
        return (f"selesai, {text}" if fact.status == "selesai" else text), "red"
    if fact.status == "selesai":
        return "selesai tepat waktu" if fact.due else "selesai", "green"
    if fact.state == "tepat waktu":
        return f"sisa {fact.left} {unit}", "green" if fact.status != "belum dimulai" else ""
    if fact.state == "jatuh tempo hari ini":
        return "jatuh tempo hari ini", "yellow"
    return str(row[7] or fact.state or ""), ""


def _ascii_simple():
    from rich.box import Box

    return Box("    \n    \n -- \n    \n    \n -- \n    \n    \n", ascii=True)


def status_table(rep, file=None) -> None:
    """Within 100 columns: Kegiatan wraps, who and when share a cell, the deadline and how it stands share another;
    late red, on time green, due today yellow, the active step bold. Plain ASCII without colour in a pipe or file."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    file = file or sys.stdout
    console = Console(file=file, width=WIDTH, highlight=False)
    if console.is_terminal:
        console = Console(file=file, width=min(WIDTH, console.width), highlight=False)
    plain = not console.is_terminal
    table = Table(box=_ascii_simple() if plain else box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False,
                  header_style="" if plain else "bold")
    for header, ratio, least in (("No", None, 2), ("Kegiatan", 4, 16), ("Pelaksana", 2, 10), ("Status", None, 13),
                                 ("Oleh / Waktu Aksi", 3, 16), ("Batas Waktu", None, 16)):
        table.add_column(header, ratio=ratio, min_width=least, no_wrap=ratio is None and header != "Batas Waktu",
                         overflow="fold")
    for row, fact in zip(rep.rows, rep.facts):
        standing, colour = _standing(row, fact)
        cells = [str(v if v is not None else "") for v in row]
        who = "\n".join(c for c in (cells[4], cells[5]) if c)
        due = Text("\n".join(c for c in (cells[6], standing) if c), style=colour if not plain else "")
        style = "bold" if fact.status in ("aktif", "dikembalikan") and not plain else ""
        table.add_row(*(Text(c) for c in cells[:4]), Text(who), due, style=style)
    if plain:  # no padding to the right edge in a file
        with console.capture() as captured:
            console.print(table)
        file.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")
    else:
        console.print(table)
    console.print(f"{rep.turn}\nLog: {rep.log_head[0]} baris, hash terakhir {rep.log_head[1]}", markup=False)


def working(text: str):
    """A spinner on the terminal while a long step runs (build, import, export, check at 2,000 rows take seconds);
    nothing at all when stderr is a pipe or a file, so scripts and logs stay clean."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(text)


def quiet_pipe() -> None:
    """The reader of our output went away (`| head`): send the rest nowhere, so the exit flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture into memory)
        pass
