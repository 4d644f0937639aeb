"""The one place that builds adapters: the clock, the password, and the units of work over a workbook."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from kinerja_xl.domain.errors import UsageError
from kinerja_xl.service.reading import Env
from kinerja_xl.service.unit_of_work import FileUnitOfWork, LiveUnitOfWork, UnitOfWork

PASSWORD_ENV = "KINERJA_XL_SANDI"  # sheet-protection password: configuration, never in the workbook or code
CLOCK_ENV = "KINERJA_XL_NOW"       # fixed clock for tests and the demo (ISO 8601; without an offset: office time)
TEST_MODE_ENV = "KINERJA_XL_MODE_UJI"  # "1": the fixed clock is honoured; the demo and the test suite set it
KEY_FILE_ENV = "KINERJA_XL_BERKAS_KUNCI"  # a PKCS#12 key file, or a folder of <user>.p12, instead of the credential store
PASSPHRASE_ENV = "KINERJA_XL_FRASA_SANDI"  # the key file's passphrase for unattended runs; otherwise it is asked


CLOCK_YEARS = range(2000, 2100)     # a fixed clock outside these years is a typing slip, not a test
CLOCK_FORM = ("Bentuk yang diterima: ISO 8601 YYYY-MM-DDTHH:MM[:SS] dengan atau tanpa zona (±HH:MM), mis. 2026-10-01T09:00 "
              "(waktu kantor) atau 2026-10-01T09:00+08:00; tahun {first}–{last}.")


def now(zone: dt.tzinfo) -> dt.datetime:
    """The time in the office's zone; a fixed clock with another offset is converted, so the zone label
    written beside it (WIB, WITA, WIT) is true."""
    fixed = os.environ.get(CLOCK_ENV)
    if not fixed:
        return dt.datetime.now(zone)
    if os.environ.get(TEST_MODE_ENV) != "1":  # a clock set by whoever runs the command would date the log
        raise UsageError(f"Variabel lingkungan {CLOCK_ENV} ('{fixed}') hanya berlaku untuk demo dan pengujian "
                         f"({TEST_MODE_ENV}=1): aksi yang sebenarnya dicatat dengan jam komputer. Hapus variabel "
                         f"{CLOCK_ENV}, lalu ulangi.")
    try:
        at = dt.datetime.fromisoformat(fixed.strip())
        if at.year not in CLOCK_YEARS:
            raise ValueError(f"tahun {at.year}")
        return at.astimezone(zone) if at.tzinfo else at.replace(tzinfo=zone)
    except (ValueError, OverflowError) as exc:
        form = CLOCK_FORM.format(first=CLOCK_YEARS[0], last=CLOCK_YEARS[-1])
        raise UsageError(f"Variabel lingkungan {CLOCK_ENV}='{fixed}' bukan waktu yang dapat dipakai ({exc}). {form} "
                         "Perbaiki atau hapus variabel itu, lalu ulangi.") from None


def password() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None


def key_store(place: Path | None = None):
    """Where the acting official's private key is: a key file (or folder of them) when one is named, otherwise
    the system's credential store (Windows Credential Manager)."""
    from kinerja_xl.adapters.keystore import KeyringStore, Pkcs12Store  # PKCS#12 and X.509: only when keys are used

    place = place or os.environ.get(KEY_FILE_ENV)
    return Pkcs12Store(Path(place), _passphrase) if place else KeyringStore()


def _passphrase() -> str:
    typed = os.environ.get(PASSPHRASE_ENV)
    if typed:
        return typed
    if not sys.stdin.isatty():
        raise UsageError(f"Berkas kunci memerlukan frasa sandi: isi variabel lingkungan {PASSPHRASE_ENV}, atau jalankan "
                         "perintah ini di terminal agar frasa sandi ditanyakan.")
    import getpass

    return getpass.getpass("Frasa sandi berkas kunci: ")


def env(uow: UnitOfWork, clock=None, password_=None, keys=None) -> Env:
    """The time in the office's zone, from the definition the workbook carries; `keys`: a key store, whose
    keys are read only when the workbook registers keys."""
    zone = uow.definition.tz
    if clock is None:
        now(zone)  # a bad fixed clock is a usage error before any work, not in the middle of it
    return Env(clock or (lambda: now(zone)), password_ or password(), keys.load if keys else None)


def file_uow(path: Path, *, write: bool, open_book: bool = True) -> FileUnitOfWork:
    return FileUnitOfWork(Path(path), write=write, open_book=open_book)


def live_uow(book, password_: str | None) -> LiveUnitOfWork:
    return LiveUnitOfWork(book, password_)
