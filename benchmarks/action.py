"""One workflow action as the CLI runs it, without the export `validate` starts after signing (measured on its own
as `export --no-pdf`), or with that export but without its PDF (`--ekspor-tanpa-pdf`).
Run: python benchmarks/action.py ACTION BOOK.xlsm USER [--ekspor-tanpa-pdf]
"""
from __future__ import annotations

import sys
from pathlib import Path

from kinerja_xl import bootstrap
from kinerja_xl.domain.commands import Act, Export
from kinerja_xl.domain.medium import CLI
from kinerja_xl.service.handlers import export_from, handle

if __name__ == "__main__":
    action, book, user = sys.argv[1:4]
    with bootstrap.file_uow(Path(book), write=True) as uow:
        env = bootstrap.env(uow, keys=bootstrap.key_store())
        outcome = handle(Act(action, user, "", medium=CLI), uow, env)
        definition_hash = uow.definition_hash
    del uow  # as the CLI does: the workbook is freed before the export
    print(outcome.message)
    if "--ekspor-tanpa-pdf" in sys.argv[4:] and outcome.signed_now:
        print(export_from(outcome.after, Export(pdf=False, medium=CLI, user=user), Path(book), definition_hash,
                          env).folder)
