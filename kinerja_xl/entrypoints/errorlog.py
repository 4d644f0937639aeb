"""Where an unexpected error's details go, for the ribbon's dialog and the CLI's exit 5 alike: a log file
the user can send to the admin, never a traceback on screen."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path

LOG_DIR_ENV = "KINERJA_XL_LOG_DIR"
LOG_NAME = "kinerja-xl.log"


def log_dir() -> Path:
    if os.environ.get(LOG_DIR_ENV):
        return Path(os.environ[LOG_DIR_ENV])
    if os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "kinerja-xl"
    return Path.home() / ".local" / "state" / "kinerja-xl"


def write_log(what: str, exc: BaseException) -> Path | None:
    """Append the details; the temp folder when the usual one cannot be written; None when nothing can."""
    text = f"\n[{dt.datetime.now().isoformat(timespec='seconds')}] {what}\n" + "".join(traceback.format_exception(exc))
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "kinerja-xl"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_NAME
            with path.open("a", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return None
