"""One workflow action as the CLI runs it, without the export `validate` starts after signing (measured on its own
as `export --no-pdf`). Run: python benchmarks/action.py ACTION BOOK.xlsm USER
"""
from __future__ import annotations

import sys
from pathlib import Path

from kinerja_xl import bootstrap
from kinerja_xl.domain.commands import Act
from kinerja_xl.domain.medium import CLI
from kinerja_xl.service.handlers import handle

if __name__ == "__main__":
    action, book, user = sys.argv[1:4]
    with bootstrap.file_uow(Path(book), write=True) as uow:
        print(handle(Act(action, user, "", medium=CLI), uow, bootstrap.env(uow, keys=bootstrap.key_store())).message)
