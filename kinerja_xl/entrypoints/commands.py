"""What each CLI verb does: open a unit of work, hand one command to the handler table, print the result."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kinerja_xl import bootstrap
from kinerja_xl.domain.commands import Act, Check, Export, Fill, RegisterKey, RollOver, ShowStatus
from kinerja_xl.domain.errors import FileProblem, KinerjaError, Refused, UsageError
from kinerja_xl.domain.medium import CLI
from kinerja_xl.entrypoints import show
from kinerja_xl.service.handlers import export_from, handle

if TYPE_CHECKING:  # data entry's rules load with `set` and `import` only
    from kinerja_xl.domain.data_entry import Entry


def run(args) -> int:
    from kinerja_xl.adapters.files import refuse_special  # openpyxl: not for --help

    for value in vars(args).values():  # a pipe or a device named anywhere would block or be read forever
        if isinstance(value, Path):
            refuse_special(value)
    try:
        return _VERBS[args.command](args)
    except BrokenPipeError:  # `status --json | head`: the reader has what it wanted; whatever was saved stays saved
        show.quiet_pipe()
        return 0


def example(verb) -> str:
    """The `Example:` of a verb's docstring, for its `--help`."""
    return (verb.__doc__ or "").partition("Example:")[2].strip()


@contextlib.contextmanager
def _writing(path: Path):
    """A unit of work that may save; says so when it first settled what an interrupted save left."""
    with bootstrap.file_uow(path, write=True) as uow:
        if uow.recovered:
            print(f"Catatan: {uow.recovered}", file=sys.stderr)
        yield uow


def build(args) -> int:
    """Example: kinerja-xl build --check"""
    from kinerja_xl.builder import assemble

    out = args.out or assemble.default_out(args.definition)
    if args.check:
        if assemble.is_stale(args.definition, args.config, out):
            print(f"{out} usang atau tidak ada: jalankan 'kinerja-xl build' dan commit hasilnya.", file=sys.stderr)
            return 1
        print(f"{out} sesuai dengan hasil build.")
        return 0
    with show.working("Membangun buku kerja…"):
        built = assemble.build(args.definition, args.config, out)
    print(f"Buku kerja dibangun: {built}")
    return 0


def set_values(args) -> int:
    """Example: kinerja-xl set buku.xlsm nomor_surat=005/X/2026 --as nama_pengguna"""
    from kinerja_xl.domain.data_entry import Entry

    values = {}
    for item in args.assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"'{item}' harus berbentuk NAMA=NILAI, mis. nomor_surat=005/X/2026 atau tabel[2].jumlah=1.250.000")
        values[name.strip()] = value
    return _fill(args, Entry(values=values))


def import_data(args) -> int:
    """Example: kinerja-xl import buku.xlsm data.csv --as nama_pengguna"""
    from kinerja_xl.adapters.tabular import read_table
    from kinerja_xl.domain.data_entry import Entry

    if args.data.is_dir():
        raise FileProblem(f"'{args.data}' adalah folder, bukan berkas data. Sebutkan berkas CSV atau xlsx-nya, "
                          f"mis. kinerja-xl import {args.file} {args.data / 'data.csv'} --as {args.user}")
    header, rows = read_table(args.data)
    return _fill(args, Entry(table=args.tabel, header=header, rows=rows, source=args.data.name, importing=True))


def _fill(args, entry: Entry) -> int:
    with show.working("Memeriksa dan menyimpan isian…"), _writing(args.file) as uow:
        message = handle(Fill(args.user, entry), uow, bootstrap.env(uow))
    print(message)
    return 0


def submit(args) -> int:
    """Example: kinerja-xl submit buku.xlsm --as nama_pengguna --note 'Segera'"""
    return _action(args)


def verify(args) -> int:
    """Example: kinerja-xl verify buku.xlsm --as nama_pengguna"""
    return _action(args)


def validate(args) -> int:
    """Example: kinerja-xl validate buku.xlsm --as nama_pengguna"""
    return _action(args)


def return_(args) -> int:
    """Example: kinerja-xl return buku.xlsm --as nama_pengguna --note 'Lengkapi bukti indikator 4' --ke 3"""
    return _action(args)


def _action(args) -> int:
    command = Act(args.command, args.user, args.note or "", to=getattr(args, "ke", None), medium=CLI)
    keys = bootstrap.key_store(args.berkas_kunci)
    with _writing(args.file) as uow:
        env = bootstrap.env(uow, keys=keys)
        outcome = handle(command, uow, env)
        definition_hash = uow.definition_hash
    del uow  # the loaded workbook is not needed by the export that may follow: free it first
    print(outcome.message)
    return _export_after_signing(args.file, outcome, definition_hash, env) if outcome.signed_now else 0


def _export_after_signing(path: Path, outcome, definition_hash: str, env) -> int:
    """The signature is saved whatever happens here; a failed export only needs repeating. The period is the one
    the action left: nothing is read again, and the workbook is no longer held in memory."""
    try:
        with show.working("Mengekspor hasil…"):
            result = export_from(outcome.after, Export(user=outcome.entry.user), path, definition_hash, env)
    except KinerjaError as exc:
        print(f"Penandatanganan tersimpan, tetapi ekspor otomatis gagal: {exc.message}\n"
              f"Ulangi dengan: kinerja-xl export {path}", file=sys.stderr)
        return 0
    print(f"Hasil diekspor ke {result.folder}")
    return 0


def export(args) -> int:
    """Example: kinerja-xl export buku.xlsm --out arsip"""
    with show.working("Mengekspor hasil…"), bootstrap.file_uow(args.file, write=False) as uow:
        result = handle(Export(args.out, args.draft, False if args.no_pdf else None, medium=CLI, user=args.user), uow,
                        bootstrap.env(uow, keys=bootstrap.key_store(args.berkas_kunci) if args.user else None))
    print(f"Hasil diekspor ke {result.folder}:")
    for f in [*result.files, result.manifest]:
        print(f"  {f.name}")
    return 0


def check(args) -> int:
    """Example: kinerja-xl check buku.xlsm --anchor ekspor/.../manifest.json"""
    with show.working("Memeriksa integritas…"):
        if args.file.is_dir():
            from kinerja_xl.service.folder_check import check_folder

            from kinerja_xl.adapters.registry_file import read_registry

            trusted = (read_registry(args.kunci), args.kunci.name) if args.kunci else None
            report = check_folder(args.file, args.anchor, trusted)
        else:
            with bootstrap.file_uow(args.file, write=False, open_book=False) as uow:
                report = handle(Check(args.anchor, args.kunci, args.sebelumnya), uow, None)
    if args.json:
        print(show.check_json(report))
    else:
        print("Tidak ada perubahan yang terdeteksi." if report.clean else "DITEMUKAN MASALAH INTEGRITAS:")
        for line in report.problems:
            print(f"- {line}" if not line.startswith("  ") else line)
        for line in report.unproven:
            print(f"Catatan: {line}")
    return 0 if report.clean else 1


def show_status(args) -> int:
    """Example: kinerja-xl status buku.xlsm --json"""
    with bootstrap.file_uow(args.file, write=False) as uow:
        rep = handle(ShowStatus(), uow, bootstrap.env(uow))
    if args.json:
        print(show.status_json(rep))
    else:
        show.status_table(rep)
    return 0


def rollover(args) -> int:
    """Example: kinerja-xl rollover buku.xlsm --as admin"""
    with show.working("Membuat buku kerja periode berikutnya…"), bootstrap.file_uow(args.file, write=False) as uow:
        result = handle(RollOver(args.user, args.out, medium=CLI), uow, bootstrap.env(uow))
    print(result.message)
    return 0


def keygen(args) -> int:
    """Example: kinerja-xl keygen --as nama_pengguna"""
    from kinerja_xl.adapters.keystore import create
    from kinerja_xl.domain.signing import fingerprint, public_text

    key, where = create(bootstrap.key_store(args.berkas_kunci), args.user, replace=args.ganti)
    public = public_text(key)
    print(f"Kunci tanda tangan elektronik pengguna '{args.user}' dibuat dan disimpan di {where}.\n"
          f"Kunci publik: {public}\nSidik jari:   {fingerprint(public)}\n"
          "Kunci pribadi tidak pernah ditampilkan atau disimpan di buku kerja. Daftarkan kunci publik di buku kerja "
          f"periode ini sebelum langkah 1: kinerja-xl register-key BUKU --as {args.user}")
    return 0


def register_key(args) -> int:
    """Example: kinerja-xl register-key buku.xlsm --as nama_pengguna"""
    from kinerja_xl.domain.signing import public_text

    key = bootstrap.key_store(args.berkas_kunci).load(args.user)
    if key is None:
        raise Refused(f"Pengguna '{args.user}' belum punya kunci di komputer ini. Buat dulu: kinerja-xl keygen --as {args.user}")
    with _writing(args.file) as uow:
        message = handle(RegisterKey(args.user, public_text(key)), uow, bootstrap.env(uow))
    print(message)
    return 0


def registry(args) -> int:
    """Example: kinerja-xl registry daftar_kunci.json --dari buku.xlsm --as inspektorat"""
    from kinerja_xl.service.key_registry import update_registry

    for line in update_registry(args.registri, args.dari, args.user, bootstrap.key_store(args.berkas_kunci),
                                clock=bootstrap.now, revoke=args.cabut, since=args.sejak, why=args.alasan,
                                instansi=args.instansi):
        print(line)
    return 0


def demo(args) -> int:
    """Example: kinerja-xl demo --out demo"""
    from kinerja_xl.entrypoints.demo import run_demo

    return run_demo(args.out, args.run, args.script)


_VERBS = {"build": build, "set": set_values, "import": import_data, "submit": submit, "verify": verify,
          "return": return_, "validate": validate, "status": show_status, "export": export, "check": check,
          "rollover": rollover, "keygen": keygen, "register-key": register_key, "registry": registry, "demo": demo}
