"""The office's key registry as a file (JSON, UTF-8): read for `check --kunci`, written by `kinerja-xl registry`."""
from __future__ import annotations

from pathlib import Path

from kinerja_xl.adapters.package import atomic_write
from kinerja_xl.domain import registry
from kinerja_xl.domain.errors import FileProblem


def read_registry(path) -> registry.Registry:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "bukan teks UTF-8"
        raise FileProblem(f"Daftar kunci '{path}' tidak dapat dibaca ({reason}). Periksa nama berkasnya.") from None
    return registry.parse(text, path.name)


def write_registry(path, value: registry.Registry) -> None:
    atomic_write(Path(path), value.to_json().encode("utf-8"))
