"""`kinerja-xl`: the ribbon's actions for headless use, auditors, automation and tests.

English verbs, Indonesian messages. Exit codes: 0 done, 1 integrity failure found
by `check`, 2 usage error, 3 refused by the workflow, 4 file could not be read or written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kinerja_xl import commands
from kinerja_xl.core.errors import KinerjaError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kinerja-xl", description="Kinerja SETWAN: SOP-01/SETWAN di Excel, tanpa Excel.")
    sub = p.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    b = sub.add_parser("build", help="bangun buku kerja .xlsm dari definisi SOP")
    b.add_argument("--definition", type=Path)
    b.add_argument("--config", type=Path)
    b.add_argument("--out", type=Path)
    b.add_argument("--check", action="store_true", help="gagal bila workbook/Kinerja_SETWAN.xlsm usang")

    s = sub.add_parser("set", help="isi isian langkah aktif: NAMA=NILAI atau TABEL[baris].kolom=NILAI")
    s.add_argument("file", type=Path)
    s.add_argument("assignments", nargs="+", metavar="NAMA=NILAI")
    _actor(s)

    i = sub.add_parser("import", help="muat indikator PK dari CSV atau xlsx ke langkah pengisian data")
    i.add_argument("file", type=Path)
    i.add_argument("data", type=Path)
    _actor(i)

    for verb, text in (("submit", "kirim langkah aktif (langkah 1–3)"), ("verify", "verifikasi (langkah 4)"),
                       ("validate", "verifikasi, validasi dan tandatangani (langkah 5)")):
        a = sub.add_parser(verb, help=text)
        a.add_argument("file", type=Path)
        a.add_argument("--note", default="")
        _actor(a)
    r = sub.add_parser("return", help="kembalikan ke langkah pengisian data untuk diperbaiki (langkah 4–5)")
    r.add_argument("file", type=Path)
    r.add_argument("--note", required=True)
    _actor(r)

    ex = sub.add_parser("export", help="ekspor hasil tervalidasi: xlsx tanpa makro, PDF, log CSV, manifest")
    ex.add_argument("file", type=Path)
    ex.add_argument("--out", type=Path, help="folder tujuan (bawaan: ekspor/ di samping buku kerja)")
    ex.add_argument("--draft", action="store_true", help="ekspor sebelum validasi, setiap halaman bertanda DRAFT")
    ex.add_argument("--no-pdf", dest="pdf", action="store_false", help="tanpa PDF (tanpa LibreOffice)")
    ex.add_argument("--definition", type=Path)

    ck = sub.add_parser("check", help="periksa integritas buku kerja, atau folder ekspor terhadap manifest-nya")
    ck.add_argument("file", type=Path, metavar="FILE_ATAU_FOLDER")
    ck.add_argument("--anchor", help="berkas .anchor.json, manifest.json, atau hash dari cetakan (N:HASH)")
    ck.add_argument("--json", action="store_true")
    ck.add_argument("--definition", type=Path)

    st = sub.add_parser("status", help="posisi alur kerja dan batas waktu")
    st.add_argument("file", type=Path)
    st.add_argument("--json", action="store_true")
    st.add_argument("--definition", type=Path)

    dm = sub.add_parser("demo", help="bangun buku kerja baru dan jalankan seluruh SOP dengan data contoh")
    dm.add_argument("--out", type=Path, default=Path("demo"))
    return p


def _actor(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="user", required=True, metavar="PENGGUNA", help="nama pengguna Windows pejabat")
    p.add_argument("--definition", type=Path, help="definisi SOP (bawaan: SOP-01/SETWAN)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return commands.run(args)
    except KinerjaError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Dibatalkan. Buku kerja tidak diubah.", file=sys.stderr)
        return 4


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
