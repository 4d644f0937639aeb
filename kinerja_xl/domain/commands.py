"""What people ask for, as data: the CLI and the ribbon build these, one handler table serves them all."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kinerja_xl.domain.medium import RIBBON

if TYPE_CHECKING:  # data entry's rules load with `set` and `import`, not with every command
    from kinerja_xl.domain.data_entry import Entry


@dataclass(frozen=True)
class Act:
    """A workflow action: submit, verify, return, validate."""

    action: str
    user: str
    note: str = ""
    step: int | None = None   # a ribbon button belongs to one step; the CLI acts on the current one
    to: int | None = None     # a return's target, where the step has several
    medium: str = RIBBON      # how a refusal names what to do instead: a button (pita) or a command (cli)


@dataclass(frozen=True)
class Fill:
    """`set` and `import`: inputs of the current step (or Pengaturan before the period starts)."""

    user: str
    entry: Entry


@dataclass(frozen=True)
class RegisterKey:
    """An official registers their own public signing key in Pengaturan, before the period starts."""

    user: str
    public: str   # base64 of the Ed25519 public key; the private key never leaves their PC


@dataclass(frozen=True)
class RollOver:
    """The next period's workbook from a validated one: same definition, Pengaturan carried over, the
    indicators with their targets and realisasi so far, every step reset, its log chained to this one's head."""

    user: str
    out: object = None        # the new workbook's path; None: beside this one, named by the next period
    medium: str = RIBBON


@dataclass(frozen=True)
class ShowStatus:
    """Whose turn it is and how each step stands against its time standard."""


@dataclass(frozen=True)
class Check:
    """The integrity check of a workbook or an export folder, against the anchors kept outside it."""

    anchor: str | None = None
    registry: object = None   # the office's key registry file (`--kunci`), a path
    previous: object = None   # the previous period's workbook or export folder (`--sebelumnya`), a path


@dataclass(frozen=True)
class Export:
    """Ekspor: the period's results as files in a folder, signed once validated, or a draft before."""

    out: object = None   # the folder to export into (a path); None: ekspor/ beside the workbook
    draft: bool = False
    pdf: object = None   # None: LibreOffice; a callable (xlsx, pdf) such as Excel's own; False: no PDF
    medium: str = RIBBON
    user: str | None = None   # who exports: the validating official's own key signs the PDF
