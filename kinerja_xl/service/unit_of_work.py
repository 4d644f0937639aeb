"""A unit of work: one workbook opened, its definition read from it, and one commit that saves the
workbook and its anchor together. Nothing persists unless `commit()` is called.

The definition always comes from the workbook itself (built into it by `build`), so every
entry point runs the SOP the workbook was built from, with no `--definition`.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from kinerja_xl import WORKBOOK_FORMAT
from kinerja_xl.adapters import anchor_file, definition_file, package
from kinerja_xl.adapters.port import WorkbookPort
from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition
from kinerja_xl.domain.errors import DefinitionError, FileProblem, Refused, UsageError


class UnitOfWork(ABC):
    book: WorkbookPort
    definition: Definition
    definition_hash: str
    vba_version: object = None  # the xlwings version the workbook's VBA module is for (Beranda's meta_xlwings)

    def open_definition(self, label: str) -> None:
        """Read in the same pass as the definition: live, every read is a call into Excel."""
        self.definition, self.definition_hash, self.vba_version = read_definition(self.book, label)

    def commit(self, anchor: dict | None) -> None:
        """Save the workbook and keep the new chain head beside it (the anchor sidecar), as one unit."""
        location = self.book.location()
        if anchor is None or location is None:
            self.book.save()
            return

        def save(pending: Callable[[], None]) -> None:  # Excel writes the bytes: they are not known beforehand
            pending()
            self.book.save()

        save_with_anchor(location, anchor, None, save)

    def previous_anchor(self):
        """The sidecar as this action found it, or None: the digests of the steps it holds as completed carry on
        into the next sidecar unopened (`integrity.anchor_data`), instead of being computed again."""
        if not hasattr(self, "_previous"):
            location = self.book.location()
            try:
                self._previous = anchor_file.load_anchor(None, location) if location is not None else None
            except UsageError:  # unreadable or not ours: every digest is computed afresh
                self._previous = None
        return self._previous

    def as_last_saved(self) -> bool:
        """Whether the workbook is byte for byte what kinerja-xl saved last (the sidecar names its SHA-256): its
        completed steps' data was proven then and cannot have changed since. Live, Excel saves: never known."""
        return False

    @abstractmethod
    def on_disk(self) -> Path:
        """The workbook's file as it is now (the live workbook is saved first), for check and export."""


def save_with_anchor(location: Path, anchor: dict, new_sha: str | None,
                     save: Callable[[Callable[[], None]], None]) -> None:
    """Pending record, workbook, final record: a process killed anywhere in between leaves a pair that `check`
    and the next action read correctly (adapters/anchor_file.py), never one that looks like tampering. `save`
    gets the pending step to run as late as it can: just before the workbook is replaced."""
    previous: list[bytes | None] = []

    def pending() -> None:
        try:
            previous.append(anchor_file.write_pending(location, anchor, new_sha))
        except OSError as exc:
            raise package.save_problem(anchor_file.sidecar_path(location), exc, "Berkas anchor") from None

    try:
        save(pending)
    except BaseException:
        if previous:
            anchor_file.put_back(location, previous[0])
        raise
    try:
        anchor_file.write_sidecar(location, anchor)
    except OSError as exc:
        raise FileProblem(f"Aksi tersimpan di buku kerja, tetapi berkas anchor '{location.name}.anchor.json' tidak dapat "
                          f"diselesaikan ({exc.strerror or exc}). Catatan tertunda di dalamnya cocok dengan buku kerja, "
                          "jadi 'kinerja-xl check' tetap memeriksanya dengan benar dan aksi berikutnya menyelesaikannya. "
                          "Jangan ulangi aksi ini; pastikan folder dapat ditulisi.") from None


def read_identity(book: WorkbookPort, label: str) -> tuple[list, object, object]:
    """The embedded definition's cells and stored hash, and the VBA's xlwings version, or FileProblem for a
    workbook that is not ours."""
    names = book.names()
    needed = (N.META_SOP, N.META_FORMAT, N.META_DEFINITION, N.META_DEFINITION_HASH)
    if any(n not in names for n in needed):
        raise FileProblem(f"'{label}' bukan buku kerja kinerja-xl yang dapat dibaca program ini (nama {N.META_DEFINITION} "
                          "tidak ada). Bangun ulang dengan 'kinerja-xl build'.")
    try:
        meta = book.read(needed + ((N.META_XLWINGS,) if N.META_XLWINGS in names else ()))
    except KeyError:
        raise FileProblem(f"'{label}': lembar {N.HOME_SHEET} atau {N.DEFINITION_SHEET} tidak ada, jadi ini bukan buku kerja "
                          "kinerja-xl yang utuh. Jalankan pemeriksaan integritas (tombol Periksa Integritas, atau 'kinerja-xl check') "
                          "untuk rinciannya.") from None
    version = meta[N.META_FORMAT].value()
    if isinstance(version, float) and version.is_integer():  # Excel hands every number over as a double
        version = int(version)
    if not isinstance(version, int) or isinstance(version, bool) or version != WORKBOOK_FORMAT:
        raise FileProblem(f"'{label}' memakai format buku kerja versi {version}, berbeda dari versi {WORKBOOK_FORMAT} "
                          "yang dikenal program ini. Perbarui paket kinerja-xl.")
    vba = meta[N.META_XLWINGS].value() if N.META_XLWINGS in meta else None
    return [row[0] for row in meta[N.META_DEFINITION].values], meta[N.META_DEFINITION_HASH].value(), vba


def read_definition(book: WorkbookPort, label: str) -> tuple[Definition, str, object]:
    cells, stored, vba = read_identity(book, label)
    try:
        return (*definition_file.from_embedded(cells, stored), vba)
    except DefinitionError as exc:
        raise Refused(f"'{label}': {'; '.join(exc.problems)}. Aksi dihentikan. Jalankan pemeriksaan integritas dan "
                      "laporkan ke admin/Inspektorat.") from None


ADAPTER_ENV = "KINERJA_XL_ADAPTER"  # "bagian" (the default): the part-level adapter; "openpyxl": the reference


def file_adapter():
    """The file adapter the actions use: the part-level one (adapters/part_book.py), which touches only the parts an
    action changes and keeps everything else byte for byte; `KINERJA_XL_ADAPTER=openpyxl` picks openpyxl, the
    reference the equivalence test holds it to. `check` and `build` always use openpyxl."""
    choice = os.environ.get(ADAPTER_ENV, "bagian").strip().lower() or "bagian"
    if choice == "bagian":
        from kinerja_xl.adapters.part_book import PartWorkbook
        return PartWorkbook
    if choice != "openpyxl":
        raise UsageError(f"Variabel lingkungan {ADAPTER_ENV}='{choice}' tidak dikenal: pakai 'bagian' atau 'openpyxl'.")
    from kinerja_xl.adapters.openpyxl_book import FileWorkbook
    return FileWorkbook


class FileUnitOfWork(UnitOfWork):
    """A workbook file: for writing, one actor at a time and an early refusal when it could not be saved."""

    recovered: str | None = None  # what an interrupted save left and how it was settled, for the user to read

    def __init__(self, path: Path, *, write: bool, open_book: bool = True):
        """`open_book=False`: only the file's place (`check` reads the file itself, trusting nothing in it)."""
        self.path, self.write, self.open_book = Path(path), write, open_book
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> "FileUnitOfWork":
        if not self.open_book:
            return self
        from kinerja_xl.adapters.files import check_writable
        from kinerja_xl.adapters.lockfile import action_lock

        adapter = file_adapter()
        try:
            if self.write:
                if self.path.exists():
                    check_writable(self.path)
                self._stack.enter_context(action_lock(self.path))
                self.recovered = self._finish_interrupted()
                self.book = adapter.open(self.path, self._saved())
            else:
                self.book = self._stack.enter_context(adapter.reading(self.path, self._saved()))
            self.open_definition(str(self.path))
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _finish_interrupted(self) -> str | None:
        try:
            return anchor_file.finish_pending(self.path)
        except OSError as exc:
            raise package.save_problem(anchor_file.sidecar_path(self.path), exc, "Berkas anchor") from None

    def commit(self, anchor: dict | None) -> None:
        """The bytes are known before they are written, so the pending record can name them, and the sidecar names
        them too (`as_last_saved`). A save that logs nothing restamps the sidecar after the workbook is saved, but
        only on a file that was itself as kinerja-xl saved it: one changed elsewhere (a paste in Excel may have
        moved an open cell off its lock group's formats) waits for the next logged action to prove it and relock
        it cell by cell."""
        data = self.book.to_bytes()
        sha = hashlib.sha256(data).hexdigest()

        def save(pending: Callable[[], None] | None = None) -> None:
            try:
                package.atomic_write(self.path, data, before_replace=pending)
            except OSError as exc:
                raise package.save_problem(self.path, exc) from None

        if anchor is None:
            stamped = self.as_last_saved()
            save()
            if stamped:
                anchor_file.restamp(self.path, sha)
        else:
            save_with_anchor(self.path, {**anchor, "sha256_buku_kerja": sha}, sha, save)

    def _saved(self) -> str | None:
        """The SHA-256 the sidecar says kinerja-xl saved last, read before the workbook is opened."""
        try:
            anchor = anchor_file.load_anchor(None, self.path)
        except UsageError:
            anchor = None
        self._previous = anchor
        return anchor.workbook if anchor is not None and anchor.workbook else None

    def as_last_saved(self) -> bool:
        anchor = self.previous_anchor()
        return bool(anchor is not None and anchor.workbook) and anchor.workbook == self.book.sha256()

    def on_disk(self) -> Path:
        return self.path


class LiveUnitOfWork(UnitOfWork):
    """The workbook open in Excel, through xlwings."""

    def __init__(self, book, password: str | None):
        from kinerja_xl.adapters.xlwings_book import XlwingsWorkbook

        self.xl_book = book
        self.book = XlwingsWorkbook(book, password)
        self.open_definition(str(getattr(book, "name", "buku kerja ini")))

    def on_disk(self) -> Path:
        """Saved first, so check and export see what is on screen; a read-only copy cannot be saved, and its
        file on disk is the one that counts."""
        if not self.book.read_only():
            self.xl_book.save()
        return Path(self.xl_book.fullname)
