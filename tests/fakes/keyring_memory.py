"""Windows Credential Manager as the tests need it: a `keyring` backend that keeps credentials in memory.

The product reaches the credential store only through `keyring`'s module functions (`get_password`,
`set_password`), which ask whichever backend `keyring.set_keyring` installed; `installed()` puts this one
there for a test and puts back whatever was there before. Credential Manager is per Windows account; the
product names each credential by its Windows user, so one memory stands in for every official's own
(a test "moves to another PC" by forgetting one user's entry).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Credentials by (service, user name), only while the process runs."""

    @properties.classproperty
    def priority(cls) -> float:
        # Never chosen by keyring on its own (a backend whose priority raises is not viable): only installed.
        raise RuntimeError("tests/fakes/keyring_memory: installed explicitly by tests only")

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"{username} tidak ada di {service}") from None


@contextmanager
def installed(backend: KeyringBackend | None = None) -> Iterator[KeyringBackend]:
    """`backend` (a fresh MemoryKeyring by default) as the process's keyring for the block, then the one before."""
    import keyring

    before = keyring.get_keyring()
    backend = MemoryKeyring() if backend is None else backend
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)
