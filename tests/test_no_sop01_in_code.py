"""Any office's SOP from its definition alone: no SOP-01/SETWAN wording in the code.

The words below belonged to SOP-01 and once sat in the code (field names, roles, the tab label,
the signing place, step numbers in help texts). They may appear only in the SOP-01 definition and
its sample data (`kinerja_xl/sop/`), never in code that every office runs.
"""
from __future__ import annotations

from pathlib import Path

import kinerja_xl

SOP_01_LITERALS = ("SETWAN", "Balangan", "Paringin", "validasi_tempat", "disposisi_", "perintah_", "reviu",
                   "realisasi_tw", "Validasi & Tandatangani", "data kinerja", "Sekretaris", "Kasubbag", "Kepala Bagian",
                   "Kepala Sub Bagian", "ardiansyah", "rahmah", "ridha", "langkah 1–3", "langkah 4–5", "Kinerja SETWAN",
                   "KinerjaSETWAN", "TW-{", "triwulan\"]", "QUARTER")
PACKAGE = Path(kinerja_xl.__file__).parent
DATA = PACKAGE / "sop"


def code_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".bas") and DATA not in p.parents)


def test_no_sop_01_literal_appears_in_code_outside_its_definition():
    found = [f"{path.relative_to(PACKAGE)}: {word}" for path in code_files()
             for word in SOP_01_LITERALS if word in path.read_text(encoding="utf-8")]
    assert found == []


def test_the_scan_sees_the_code_and_would_catch_a_literal(tmp_path):
    assert len(code_files()) > 40 and PACKAGE / "domain" / "actions.py" in code_files()
    assert any(word in (DATA / "sop_01_setwan.toml").read_text(encoding="utf-8") for word in SOP_01_LITERALS)
