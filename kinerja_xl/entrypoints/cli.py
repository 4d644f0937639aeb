"""`kinerja-xl`: the ribbon's actions for headless use, auditors, automation and tests.

English verbs, Indonesian messages (click, with its scaffolding in Bahasa Indonesia: `clickid`). Exit codes are
decided here, and only here: 0 done, 1 integrity failure found by `check`, 2 usage error, 3 refused by the
workflow, 4 file could not be read or written, 5 unexpected error (a bug: the details go to a log file, never a
traceback on screen).
"""
from __future__ import annotations

import argparse
import sys

import click

from kinerja_xl.adapters import package
from kinerja_xl.domain.errors import FileProblem, KinerjaError, Refused, UsageError
from kinerja_xl.entrypoints import commands
from kinerja_xl.entrypoints.cli_archive import register as archive_commands
from kinerja_xl.entrypoints.clickid import CONTEXT, PROG, Jalur, Kelompok, Langkah, Perintah, argumen, message, opsi
from kinerja_xl.entrypoints.errorlog import write_log

EXIT_CODES = ((UsageError, 2), (Refused, 3), (FileProblem, 4))
EXIT_USAGE, EXIT_UNEXPECTED = 2, 5
PATH = Jalur()


def exit_code(exc: KinerjaError) -> int:
    return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), 3)


@click.group(PROG, cls=Kelompok, context_settings=CONTEXT, no_args_is_help=True,
             help="SOP di Excel, tanpa Excel: alur kerja, integritas, ekspor. Pesan dan kode keluar: 0 selesai, "
                  "1 masalah integritas (check), 2 perintah salah, 3 ditolak alur kerja, 4 berkas tidak dapat "
                  "dibaca/ditulis, 5 kesalahan tak terduga.")
def cli() -> None:
    """The group: every verb below."""


def _verb(name: str, help: str, run, *declared) -> None:
    """A command that hands its arguments, as one namespace, to `commands.run`; its example is `run`'s docstring's."""
    def callback(**params):
        args = argparse.Namespace(command=name, run=main, **params)  # `run`: the demo drives this same CLI
        click.get_current_context().find_root().obj["args"] = args
        return commands.run(args)

    holder = lambda: None  # noqa: E731 - click's decorators collect the parameters on it, last first
    for decorate in reversed(declared):
        decorate(holder)
    cli.add_command(Perintah(name, callback=callback, params=holder.__click_params__[::-1], help=help,
                             short_help=help, contoh=commands.example(run), context_settings=CONTEXT))


def _declare() -> None:
    """Every verb, in the order `--help` lists them."""
    book = argumen("file", type=PATH, metavar="BERKAS", keterangan="buku kerja .xlsm")
    actor = opsi("--as", "user", required=True, metavar="PENGGUNA",
                 help="nama pengguna Windows pejabat, seperti terdaftar di lembar Pengaturan")
    note = opsi("--note", default="", metavar="TEKS", help="catatan pada log")
    key_file = opsi("--berkas-kunci", "berkas_kunci", type=PATH, metavar="BERKAS",
                    help="kunci tanda tangan di berkas PKCS#12 (atau folder berisi PENGGUNA.p12), bukan di penyimpanan "
                         "kredensial sistem (bawaan: KINERJA_XL_BERKAS_KUNCI); frasa sandi dari KINERJA_XL_FRASA_SANDI atau ditanyakan")
    _verb("build", "bangun buku kerja .xlsm dari definisi SOP dan pengaturan kantor", commands.build,
          opsi("--definition", type=PATH, metavar="BERKAS", help="definisi SOP (TOML); bawaan: SOP-01 bawaan paket"),
          opsi("--config", type=PATH, metavar="BERKAS", help="pengaturan kantor (TOML): periode, pejabat, Plh./Plt., "
                                                             "libur"),
          opsi("--out", type=PATH, metavar="BERKAS", help="berkas tujuan (bawaan: workbook/<berkas dari definisi>.xlsm)"),
          opsi("--check", is_flag=True, help="jangan membangun: gagal (kode 1) bila buku kerja yang ada usang"))
    _verb("set", "isi isian langkah aktif (atau Pengaturan sebelum periode dimulai)", commands.set_values, book,
          argumen("assignments", nargs=-1, required=True, metavar="NAMA=NILAI...",
                  keterangan="NAMA=NILAI, atau TABEL[baris].kolom=NILAI untuk sel tabel (baris dari 1)"), actor)
    _verb("import", "muat baris tabel dari CSV atau xlsx ke tabel langkah aktif", commands.import_data, book,
          argumen("data", type=PATH, metavar="DATA", keterangan="berkas CSV (UTF-8 atau Windows-1252) atau xlsx"),
          opsi("--tabel", metavar="TABEL", help="tabel tujuan, bila langkah memiliki lebih dari satu tabel yang "
                                                "dapat diimpor"), actor)
    for name, help, run in (("submit", "kirim langkah aktif", commands.submit),
                            ("verify", "verifikasi langkah aktif", commands.verify),
                            ("validate", "validasi dan tandatangani langkah aktif; ekspor menyusul", commands.validate)):
        _verb(name, help, run, book, note, actor, key_file)
    _verb("return", "kembalikan ke langkah sebelumnya untuk diperbaiki", commands.return_, book,
          opsi("--note", required=True, metavar="TEKS", help="apa yang harus diperbaiki (dicatat di log)"),
          opsi("--ke", type=Langkah(), metavar="LANGKAH",
               help="langkah tujuan, bila langkah ini dapat mengembalikan ke beberapa langkah"), actor, key_file)
    _verb("export", "ekspor hasil tervalidasi: xlsx tanpa makro, PDF, log CSV, manifest", commands.export, book,
          opsi("--out", type=PATH, metavar="FOLDER", help="folder tujuan (bawaan: ekspor/ di samping buku kerja)"),
          opsi("--draft", is_flag=True, help="ekspor sebelum validasi; setiap halaman bertanda DRAFT"),
          opsi("--no-pdf", "no_pdf", is_flag=True, help="tanpa PDF"),
          opsi("--as", "user", metavar="PENGGUNA", help="pejabat penanda tangan: PDF ditandatangani elektronik dengan "
                                                        "kuncinya (PAdES)"), key_file)
    _verb("check", "periksa integritas buku kerja, atau folder ekspor terhadap manifest-nya", commands.check,
          argumen("file", type=PATH, metavar="BERKAS_ATAU_FOLDER", keterangan="buku kerja .xlsm, atau folder ekspor"),
          opsi("--anchor", metavar="ANCHOR", help="berkas .anchor.json, manifest.json yang disimpan terpisah, atau "
                                                  "hash dari cetakan (N:HASH)"),
          opsi("--kunci", type=PATH, metavar="DAFTAR", help="daftar kunci pejabat yang disimpan kantor (JSON bertanda "
                                                           "tangan): setiap baris log diuji terhadapnya"),
          opsi("--sebelumnya", type=PATH, metavar="BUKU_ATAU_FOLDER", help="buku kerja atau folder ekspor periode "
                                                                          "sebelumnya: tautan log diuji terhadapnya"),
          opsi("--json", is_flag=True, help="hasil sebagai JSON (skema: docs/cli-json.md)"))
    _verb("status", "posisi alur kerja, batas waktu dan keterlambatan", commands.show_status, book,
          opsi("--json", is_flag=True, help="hasil sebagai JSON (skema: docs/cli-json.md)"))
    _verb("rollover", "buat buku kerja periode berikutnya dari periode yang sudah divalidasi", commands.rollover, book,
          opsi("--out", type=PATH, metavar="BERKAS", help="berkas baru (bawaan: di samping buku kerja ini, dinamai "
                                                         "menurut periodenya)"), actor)
    _verb("keygen", "buat kunci tanda tangan elektronik pejabat di komputer ini", commands.keygen, actor,
          opsi("--ganti", is_flag=True, help="ganti kunci yang ada (rotasi, untuk periode berikutnya)"), key_file)
    _verb("register-key", "daftarkan kunci publik Anda di lembar Pengaturan (sebelum langkah 1)", commands.register_key,
          book, actor, key_file)
    _verb("registry", "buat atau perbarui daftar kunci kantor yang ditandatangani penjaganya", commands.registry,
          argumen("registri", type=PATH, metavar="DAFTAR", keterangan="berkas daftar kunci (JSON)"),
          opsi("--dari", type=PATH, metavar="BUKU", help="buku kerja yang kunci terdaftarnya dimasukkan ke daftar"),
          opsi("--cabut", metavar="SIDIK_JARI", help="akhiri berlakunya kunci ini (hilang, atau diganti)"),
          opsi("--sejak", metavar="TANGGAL", help="tanggal mulai berlaku (kunci baru) atau berakhir (--cabut); "
                                                  "bawaan: hari ini"),
          opsi("--alasan", metavar="TEKS", help="alasan pencabutan, mis. hilang atau rotasi"),
          opsi("--instansi", metavar="TEKS", help="nama instansi pada daftar baru (bawaan: dari buku kerja)"),
          actor, key_file)
    archive_commands(cli)
    _verb("demo", "bangun buku kerja baru dan jalankan seluruh SOP dengan data contoh", commands.demo,
          opsi("--out", type=PATH, default="demo", metavar="FOLDER", help="folder demo (bawaan: demo)"),
          opsi("--script", type=PATH, metavar="BERKAS", help="cerita demo lain (TOML), mis. untuk SOP lain"))


_declare()


def main(argv: list[str] | None = None) -> int:
    """The console script and the tests: the exit code, returned (never sys.exit, never a traceback)."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    seen: dict = {}
    try:
        code = cli.main(argv, prog_name=PROG, standalone_mode=False, obj=seen)
        return code if isinstance(code, int) else 0
    except click.exceptions.NoArgsIsHelpError as exc:
        print(exc.format_message(), file=sys.stderr)
        return EXIT_USAGE
    except click.ClickException as exc:
        print(message(exc), file=sys.stderr)
        return EXIT_USAGE
    except KinerjaError as exc:
        print(exc.message, file=sys.stderr)
        return exit_code(exc)
    except (click.Abort, KeyboardInterrupt):
        print("Dibatalkan. Buku kerja tidak diubah.", file=sys.stderr)
        return 4
    except SystemExit as exc:  # click's own end of a broken pipe while it printed help: the reader went away
        return exc.code if isinstance(exc.code, int) and exc.code != 1 else 0
    except OSError as exc:  # a read or write the commands did not foresee: still a file problem, exit 4
        print(_os_problem(exc), file=sys.stderr)
        return 4
    except Exception as exc:  # the last line of defence: a message and a log file, never a traceback
        return _unexpected(seen.get("args"), exc, argv)


def _os_problem(exc: OSError) -> str:
    where = f" '{exc.filename}'" if exc.filename else ""
    if exc.errno in package.DISK_FULL:
        return f"Berkas{where} tidak dapat ditulis: disk penuh. Kosongkan ruang disk, lalu ulangi."
    return (f"Berkas{where} tidak dapat dibaca atau ditulis ({exc.strerror or exc}). Periksa nama, folder dan hak "
            "aksesnya, lalu ulangi.")


def _unexpected(args, exc: Exception, argv: list[str]) -> int:
    command = args.command if args else (argv[0] if argv else "")
    where = write_log(f"kinerja-xl {command}", exc)
    shown = f"Rincian ditulis di: {where}. Kirim berkas itu ke admin." if where else "Rincian tidak dapat ditulis ke log."
    file = getattr(args, "file", None)
    after = (f" Jalankan 'kinerja-xl check {file}' untuk memastikan buku kerja utuh."
             if file and command not in ("check", "status") else "")
    print(f"Terjadi kesalahan tak terduga ({type(exc).__name__}: {exc}). Perintah dihentikan; penyimpanan buku kerja "
          f"hanya terjadi seluruhnya atau tidak sama sekali.{after} {shown}", file=sys.stderr)
    return EXIT_UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
