"""`kinerja-xl demo`: a whole SOP on sample data, through the same CLI staff and auditors use,
ending with the exports and an integrity check.

The story is data (`sop/contoh_demo.toml`): the definition, the office configuration, and each
step's time and command. The clock is simulated, so every run prints the same story.
"""
from __future__ import annotations

import os
import secrets
import shlex
import shutil
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from kinerja_xl.bootstrap import CLOCK_ENV, KEY_FILE_ENV, PASSPHRASE_ENV, TEST_MODE_ENV

SCRIPT = "contoh_demo.toml"


def sample(name: str) -> Path:
    return Path(str(resources.files("kinerja_xl.sop") / name))


def steps(script: Path, book: Path) -> list[tuple[str, str, list[str]]]:
    """(office time, what happens, CLI arguments), the build first. `{buku}` is the workbook, `{sampel}` the
    script's folder, `{demo}` the demo's own folder."""
    raw = tomllib.loads(script.read_text(encoding="utf-8"))
    folder = script.parent
    fill = lambda arg: (arg.replace("{buku}", str(book)).replace("{sampel}", str(folder))  # noqa: E731
                        .replace("{demo}", str(book.parent)))
    build = ["build", "--definition", str(folder / raw["definisi"]), "--out", str(book)]
    if raw.get("pengaturan"):
        build[1:1] = ["--config", str(folder / raw["pengaturan"])]
    return [("", "Membangun buku kerja baru dengan pengaturan contoh", build)] + [
        (s["waktu"], s["apa"], [fill(a) for a in s["perintah"]]) for s in raw["langkah"]]


def run_demo(out: Path, run: Callable[[list[str]], int], script: Path | None = None) -> int:
    """`run` is the CLI's own entry point: the demo goes through exactly what a user types."""
    script = Path(script or sample(SCRIPT))
    book_name = tomllib.loads(script.read_text(encoding="utf-8"))["berkas"]
    out = Path(out)
    book = out / book_name
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(book_name + "*"):  # the demo's own workbook and sidecar; an export archive is kept
        stale.unlink()
    kept = _exports(out)  # earlier runs' exports stay: this run's export gets a new, unique folder
    keys = out / "kunci"  # each official's key file, as on their own PCs: new every run, locked by a passphrase
    shutil.rmtree(keys, ignore_errors=True)  # that no one keeps (the demo's run is the only user)
    (out / "daftar_kunci.json").unlink(missing_ok=True)
    keys.mkdir()
    story = steps(script, book)
    settings = {TEST_MODE_ENV: "1",  # the demo's story is dated by its script
                KEY_FILE_ENV: str(keys), PASSPHRASE_ENV: secrets.token_urlsafe(24)}
    saved = {name: os.environ.get(name) for name in (CLOCK_ENV, *settings)}
    os.environ.update(settings)
    try:
        for number, (when, what, argv) in enumerate(story, 1):
            print(f"\n[{number}/{len(story)}] {what}" + (f" — {when.replace('T', ' ')}" if when else ""))
            print("  $ kinerja-xl " + " ".join(shlex.quote(a) for a in argv))
            if when:
                os.environ[CLOCK_ENV] = when
            code = run(argv)
            if code != 0:
                print(f"Demo berhenti: perintah keluar dengan kode {code}.")
                return code
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    print(f"\nSelesai. Buku kerja demo: {book}")
    for folder in sorted(_exports(out) - kept):
        print(f"Ekspor: {folder}/ ({', '.join(sorted(p.name for p in folder.iterdir()))})")
    if kept:
        print(f"Ekspor dari demo sebelumnya tetap disimpan ({len(kept)} folder di {out / 'ekspor'}).")
    return 0


def _exports(out: Path) -> set[Path]:
    folder = out / "ekspor"
    return {p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")} if folder.is_dir() else set()
