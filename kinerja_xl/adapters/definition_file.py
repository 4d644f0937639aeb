"""Definitions as files and as carried inside a workbook.

A TOML file is read once, at `build`; the builder embeds its canonical form (sorted JSON)
and that form's SHA-256 in the workbook, and every other entry point reads the definition
back from the workbook it acts on. So a workbook always runs the SOP it was built from.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.errors import DefinitionError

CHUNK = 8000  # characters per cell: well under Excel's 32,767


def default_definition_path() -> Path:
    """The packaged default definition, built when `build` is given none."""
    from importlib import resources

    return Path(str(resources.files("kinerja_xl.sop") / "sop_01_setwan.toml"))


def read_raw(path: str | Path | None = None) -> dict:
    import tomllib  # TOML is read at build; every action reads the JSON the workbook carries

    path = Path(path) if path else default_definition_path()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionError([f"{path}: berkas definisi tidak ditemukan"]) from None
    except IsADirectoryError:
        raise DefinitionError([f"{path}: adalah folder, bukan berkas definisi"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"{path}: bukan TOML yang sah ({exc})"]) from None


def load_definition(path: str | Path | None = None) -> Definition:
    """Read and check a definition file (the packaged default when `path` is None)."""
    return parse_definition(read_raw(path))


def canonical(raw: dict) -> str:
    """One text per definition, whatever the TOML's order, comments or spacing."""
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)


def _plain(value):
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunks(text: str) -> list[str]:
    return [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]


def from_embedded(cells, stored_hash) -> tuple[Definition, str]:
    """The definition carried by a workbook (its chunk cells), checked against the hash stored beside it."""
    text = "".join(str(c) for c in cells if c is not None)
    digest = sha256(text)
    if digest != str(stored_hash or ""):
        raise DefinitionError(["definisi SOP di dalam buku kerja telah diubah (SHA-256 tidak cocok dengan "
                               "meta_definisi_sha256)"])
    try:
        raw = json.loads(text)
    except ValueError:
        raise DefinitionError(["definisi SOP di dalam buku kerja tidak dapat dibaca"]) from None
    return parse_definition(raw), digest
