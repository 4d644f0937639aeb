"""`kinerja-xl`: the ribbon's actions for headless use, auditors, automation and tests.

English verbs, Indonesian messages. Exit codes are decided here, and only here: 0 done,
1 integrity failure found by `check`, 2 usage error, 3 refused by the workflow, 4 file
could not be read or written, 5 unexpected error (a bug: the details go to a log file,
never a traceback on screen).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kinerja_xl.adapters import package
from kinerja_xl.domain.errors import FileProblem, KinerjaError, Refused, UsageError
from kinerja_xl.entrypoints import commands
from kinerja_xl.entrypoints.errorlog import write_log

EXIT_CODES = ((UsageError, 2), (Refused, 3), (FileProblem, 4))
EXIT_UNEXPECTED = 5


def exit_code(exc: KinerjaError) -> int:
    return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), 3)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kinerja-xl", description="SOP di Excel, tanpa Excel: alur kerja, integritas, ekspor.")
    sub = p.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    b = sub.add_parser("build", help="bangun buku kerja .xlsm dari definisi SOP")
    b.add_argument("--definition", type=Path, help="berkas definisi SOP (TOML); bawaan: SOP-01 bawaan paket")
    b.add_argument("--config", type=Path, help="pengaturan kantor (TOML): periode, pejabat, Plh./Plt., libur")
    b.add_argument("--out", type=Path, help="berkas tujuan (bawaan: workbook/<berkas dari definisi>.xlsm)")
    b.add_argument("--check", action="store_true", help="gagal bila buku kerja yang ada usang")

    s = sub.add_parser("set", help="isi isian langkah aktif (atau Pengaturan sebelum periode dimulai)")
    s.add_argument("file", type=Path)
    s.add_argument("assignments", nargs="+", metavar="NAMA=NILAI", help="NAMA=NILAI atau TABEL[baris].kolom=NILAI")
    _actor(s)

    i = sub.add_parser("import", help="muat baris tabel dari CSV atau xlsx ke tabel langkah aktif")
    i.add_argument("file", type=Path)
    i.add_argument("data", type=Path)
    i.add_argument("--tabel", help="nama tabel tujuan, bila langkah memiliki lebih dari satu tabel yang dapat diimpor")
    _actor(i)

    for verb, text in (("submit", "kirim langkah aktif"), ("verify", "verifikasi langkah aktif"),
                       ("validate", "validasi dan tandatangani langkah aktif")):
        a = sub.add_parser(verb, help=text)
        a.add_argument("file", type=Path)
        a.add_argument("--note", default="", help="catatan pada log")
        _actor(a)
    r = sub.add_parser("return", help="kembalikan ke langkah sebelumnya untuk diperbaiki")
    r.add_argument("file", type=Path)
    r.add_argument("--note", required=True, help="apa yang harus diperbaiki")
    r.add_argument("--ke", type=int, metavar="LANGKAH", help="langkah tujuan, bila langkah ini dapat mengembalikan ke beberapa langkah")
    _actor(r)

    ex = sub.add_parser("export", help="ekspor hasil tervalidasi: xlsx tanpa makro, PDF, log CSV, manifest")
    ex.add_argument("file", type=Path)
    ex.add_argument("--out", type=Path, help="folder tujuan (bawaan: ekspor/ di samping buku kerja)")
    ex.add_argument("--draft", action="store_true", help="ekspor sebelum validasi, setiap halaman bertanda DRAFT")
    ex.add_argument("--no-pdf", dest="pdf", action="store_false", help="tanpa PDF (tanpa LibreOffice)")

    ck = sub.add_parser("check", help="periksa integritas buku kerja, atau folder ekspor terhadap manifest-nya")
    ck.add_argument("file", type=Path, metavar="FILE_ATAU_FOLDER")
    ck.add_argument("--anchor", help="berkas .anchor.json, manifest.json, atau hash dari cetakan (N:HASH)")
    ck.add_argument("--json", action="store_true", help="hasil sebagai JSON")

    st = sub.add_parser("status", help="posisi alur kerja dan batas waktu")
    st.add_argument("file", type=Path)
    st.add_argument("--json", action="store_true", help="hasil sebagai JSON")

    dm = sub.add_parser("demo", help="bangun buku kerja baru dan jalankan seluruh SOP dengan data contoh")
    dm.add_argument("--out", type=Path, default=Path("demo"), help="folder demo (bawaan: demo)")
    dm.add_argument("--script", type=Path, help="cerita demo lain (TOML), mis. untuk SOP lain")
    return p


def _actor(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="user", required=True, metavar="PENGGUNA", help="nama pengguna Windows pejabat")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from kinerja_xl.entrypoints.demo import run_demo

            return run_demo(args.out, main, args.script)
        return commands.run(args)
    except KinerjaError as exc:
        print(exc.message, file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:
        print("Dibatalkan. Buku kerja tidak diubah.", file=sys.stderr)
        return 4
    except OSError as exc:  # a read or write the commands did not foresee: still a file problem, exit 4
        print(_os_problem(exc), file=sys.stderr)
        return 4
    except Exception as exc:  # the last line of defence: a message and a log file, never a traceback
        return _unexpected(args, exc)


def _os_problem(exc: OSError) -> str:
    where = f" '{exc.filename}'" if exc.filename else ""
    if exc.errno in package.DISK_FULL:
        return f"Berkas{where} tidak dapat ditulis: disk penuh. Kosongkan ruang disk, lalu ulangi."
    return (f"Berkas{where} tidak dapat dibaca atau ditulis ({exc.strerror or exc}). Periksa nama, folder dan hak "
            "aksesnya, lalu ulangi.")


def _unexpected(args, exc: Exception) -> int:
    where = write_log(f"kinerja-xl {args.command}", exc)
    shown = f"Rincian ditulis di: {where}. Kirim berkas itu ke admin." if where else "Rincian tidak dapat ditulis ke log."
    file = getattr(args, "file", None)
    after = f" Jalankan 'kinerja-xl check {file}' untuk memastikan buku kerja utuh." if file else ""
    print(f"Terjadi kesalahan tak terduga ({type(exc).__name__}: {exc}). Perintah dihentikan; penyimpanan buku kerja "
          f"hanya terjadi seluruhnya atau tidak sama sekali.{after} {shown}", file=sys.stderr)
    return EXIT_UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
