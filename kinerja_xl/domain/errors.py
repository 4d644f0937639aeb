"""Named failures, each carrying the Indonesian message staff see.

Exit codes and dialogs are decided at the edges (the CLI, the ribbon), never here.
"""
from __future__ import annotations


class KinerjaError(Exception):
    """Base: carries the Indonesian message staff see."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UsageError(KinerjaError):
    """The command itself is wrong: an unknown name, a malformed argument."""


class DefinitionError(UsageError):
    """A broken SOP definition: every problem, each with where it is."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("Definisi SOP tidak sah:\n" + "\n".join(f"- {p}" for p in self.problems))


class Refused(KinerjaError):
    """The workflow refuses: wrong person, wrong order, closed period."""


class InputProblems(Refused):
    """Missing or invalid inputs, all of them at once, each with label, sheet and cell."""

    def __init__(self, problems: list[str], hint: str = "Perbaiki isian di atas, lalu ulangi."):
        self.problems = list(problems)
        super().__init__("Isian belum lengkap atau tidak sah:\n" + "\n".join(f"- {p}" for p in self.problems) + f"\n{hint}")


class FileProblem(KinerjaError):
    """The workbook could not be read or written (missing, locked, read-only, damaged)."""
