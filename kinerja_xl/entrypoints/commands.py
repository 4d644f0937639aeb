"""What each CLI verb does: open a unit of work, hand one command to the handler table, print the result."""
from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from kinerja_xl import bootstrap
from kinerja_xl.adapters.files import refuse_special
from kinerja_xl.domain import names as N
from kinerja_xl.domain.commands import Act, Check, Export, Fill, ShowStatus
from kinerja_xl.domain.data_entry import Entry
from kinerja_xl.domain.errors import KinerjaError, UsageError
from kinerja_xl.service.handlers import handle


def run(args) -> int:
    for value in vars(args).values():  # a pipe or a device named anywhere would block or be read forever
        if isinstance(value, Path):
            refuse_special(value)
    return _VERBS[args.command](args)


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
    print(f"Buku kerja dibangun: {assemble.build(args.definition, args.config, out)}")
    return 0


def set_values(args) -> int:
    """Example: kinerja-xl set buku.xlsm nomor_surat=005/X/2026 --as nama_pengguna"""
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

    header, rows = read_table(args.data)
    return _fill(args, Entry(table=args.tabel, header=header, rows=rows, source=args.data.name, importing=True))


def _fill(args, entry: Entry) -> int:
    with _writing(args.file) as uow:
        print(handle(Fill(args.user, entry), uow, bootstrap.env(uow)))
    return 0


def action(args) -> int:
    """Example: kinerja-xl submit buku.xlsm --as nama_pengguna --note 'Segera'"""
    command = Act(args.command, args.user, args.note or "", to=getattr(args, "ke", None))
    with _writing(args.file) as uow:
        outcome = handle(command, uow, bootstrap.env(uow))
    print(outcome.message)
    return _export_after_signing(args.file) if outcome.signed_now else 0


def _export_after_signing(path: Path) -> int:
    """The signature is saved whatever happens here; a failed export only needs repeating."""
    try:
        with bootstrap.file_uow(path, write=False) as uow:
            result = handle(Export(), uow, bootstrap.env(uow))
    except KinerjaError as exc:
        print(f"Penandatanganan tersimpan, tetapi ekspor otomatis gagal: {exc.message}\n"
              f"Ulangi dengan: kinerja-xl export {path}", file=sys.stderr)
        return 0
    print(f"Hasil diekspor ke {result.folder}")
    return 0


def export(args) -> int:
    """Example: kinerja-xl export buku.xlsm --out arsip"""
    with bootstrap.file_uow(args.file, write=False) as uow:
        result = handle(Export(args.out, args.draft, None if args.pdf else False), uow, bootstrap.env(uow))
    print(f"Hasil diekspor ke {result.folder}:")
    for f in [*result.files, result.manifest]:
        print(f"  {f.name}")
    return 0


def check(args) -> int:
    """Example: kinerja-xl check buku.xlsm --anchor ekspor/.../manifest.json"""
    if args.file.is_dir():
        from kinerja_xl.service.folder_check import check_folder

        report = check_folder(args.file, args.anchor)
    else:
        with bootstrap.file_uow(args.file, write=False, open_book=False) as uow:
            report = handle(Check(args.anchor), uow, None)
    if args.json:
        print(json.dumps({"bersih": report.clean, "masalah": report.problems, "tidak_terbukti": report.unproven},
                         ensure_ascii=False, indent=2))
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
        steps = [dict(zip(("no", "kegiatan", "pelaksana", "status", "oleh", "waktu_aksi", "batas_waktu",
                           "sisa_terlambat", "langkah_berikutnya"), row)) for row in rep.rows]
        print(json.dumps({"giliran": rep.turn, "ditutup": rep.closed, "ditandatangani": rep.signed, "langkah": steps,
                          "log": {"baris": rep.log_head[0], "hash_terakhir": rep.log_head[1]}}, ensure_ascii=False, indent=2))
        return 0
    print(_table(N.STATUS_COLUMNS, rep.rows))
    print(f"\n{rep.turn}\nLog: {rep.log_head[0]} baris, hash terakhir {rep.log_head[1]}")
    return 0


def _table(header, rows) -> str:
    shown = [[str(v if v is not None else "") for v in r] for r in rows]
    cut = [[c if len(c) <= 40 else c[:37] + "..." for c in r] for r in [list(header)] + shown]
    widths = [max(len(r[i]) for r in cut) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cut]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


_VERBS = {"build": build, "set": set_values, "import": import_data, "submit": action, "verify": action,
          "return": action, "validate": action, "status": show_status, "export": export, "check": check}
