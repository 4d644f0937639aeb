"""No private key material in the repository (issue 17): no tracked file holds a PEM private key, and no key
container (.p12, .pfx, .pem, .key) is tracked at all. The officials' keys live on their own PCs."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The end of every PEM private key's armour line (PKCS#8, RSA, EC, ENCRYPTED, OPENSSH), put together here so
# that this file, once tracked, does not hold it.
MARKER = b"PRIVATE KEY" + b"-" * 5
KEY_FILES = (".p12", ".pfx", ".pem", ".key")
SKIPPED = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis", "node_modules"}


def tracked_files() -> list[Path]:
    """What git tracks (and what is staged to be); without git or outside a clone, every file but tool caches."""
    git = shutil.which("git")
    if git:
        done = subprocess.run([git, "ls-files", "-z", "--cached"], cwd=ROOT, capture_output=True)
        if done.returncode == 0:
            return [ROOT / name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
    return [p for p in ROOT.rglob("*") if p.is_file() and not SKIPPED & set(p.relative_to(ROOT).parts)]


def holds_private_key(path: Path) -> bool:
    try:
        return MARKER in path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):  # deleted in the work tree but still tracked, or a submodule
        return False


def test_the_scan_sees_the_repository():
    names = {p.relative_to(ROOT).as_posix() for p in tracked_files()}
    assert {"pyproject.toml", "kinerja_xl/domain/signing.py", "kinerja_xl/adapters/keystore.py"} <= names


def test_this_file_does_not_hold_the_marker_it_looks_for():
    assert not holds_private_key(Path(__file__))


def test_the_marker_is_found_where_it_is():
    """The scan's own check: it finds a key written the way `cryptography` writes one."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    ssh = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption())
    assert MARKER in pem and MARKER in ssh


def test_no_tracked_file_holds_a_pem_private_key():
    offenders = [p.relative_to(ROOT).as_posix() for p in tracked_files() if holds_private_key(p)]
    assert offenders == []


def test_no_key_container_is_tracked():
    offenders = [p.relative_to(ROOT).as_posix() for p in tracked_files() if p.suffix.lower() in KEY_FILES]
    assert offenders == []
