"""What each CLI verb does: open, call one application service, print the Indonesian result."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kinerja_xl import app, bootstrap
from kinerja_xl.core.actions import Command
from kinerja_xl.core.data_entry import Entry
from kinerja_xl.core.errors import KinerjaError, UsageError
from kinerja_xl.sop import names as N

def run(args) -> int:
    return _HANDLERS[args.command](args)


def build(args) -> int:
    """Example: kinerja-xl build --check"""
    from kinerja_xl.build import builder

    out = args.out or builder.DEFAULT_OUT
    if args.check:
        if builder.is_stale(args.definition, args.config, out):
            print(f"{out} usang atau tidak ada: jalankan 'kinerja-xl build' dan commit hasilnya.", file=sys.stderr)
            return 1
        print(f"{out} sesuai dengan hasil build.")
        return 0
    print(f"Buku kerja dibangun: {builder.build(args.definition, args.config, out)}")
    return 0


def set_values(args) -> int:
    """Example: kinerja-xl set Kinerja_SETWAN.xlsm disposisi_nomor=005/SETWAN/2026 --as ardiansyah"""
    values = {}
    for item in args.assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"'{item}' harus berbentuk NAMA=NILAI, mis. disposisi_nomor=005/SETWAN/2026")
        values[name.strip()] = value
    return _enter(args, Entry(values=values))


def import_data(args) -> int:
    """Example: kinerja-xl import Kinerja_SETWAN.xlsm contoh_pk_2026.csv --as kasubbag"""
    from kinerja_xl.workbook.tabular import read_table

    header, rows = read_table(args.data)
    return _enter(args, Entry(table="indikator", header=header, rows=rows, source=args.data.name))


def _enter(args, entry: Entry) -> int:
    d = bootstrap.definition(args.definition)
    with bootstrap.file_port(args.file, d, write=True) as port:
        print(app.enter(port, d, args.user, entry, bootstrap.clock))
    return 0


def action(args) -> int:
    """Example: kinerja-xl submit Kinerja_SETWAN.xlsm --as ardiansyah --note 'Segera'"""
    d = bootstrap.definition(args.definition)
    with bootstrap.file_port(args.file, d, write=True) as port:
        outcome = app.perform(port, d, Command(args.command, args.user, args.note or ""), bootstrap.clock,
                              bootstrap.password())
    print(outcome.message)
    if outcome.state.closed:
        return _export_after_validate(args.file, d)
    return 0


def _export_after_validate(path: Path, d) -> int:
    """Validation is saved whatever happens here; a failed export only needs repeating."""
    from kinerja_xl.export import export_file

    try:
        result = export_file(path, d, clock=bootstrap.clock)
    except KinerjaError as exc:
        print(f"Validasi tersimpan, tetapi ekspor otomatis gagal: {exc.message}\n"
              f"Ulangi dengan: kinerja-xl export {path}", file=sys.stderr)
        return 0
    print(f"Hasil diekspor ke {result.folder}")
    return 0


def export(args) -> int:
    """Example: kinerja-xl export Kinerja_SETWAN.xlsm --out arsip"""
    from kinerja_xl.export import export_file

    d = bootstrap.definition(args.definition)
    result = export_file(args.file, d, args.out, draft=args.draft, clock=bootstrap.clock,
                         pdf_maker=None if args.pdf else False)
    print(f"Hasil diekspor ke {result.folder}:")
    for f in [*result.files, result.manifest]:
        print(f"  {f.name}")
    return 0


def check(args) -> int:
    """Example: kinerja-xl check Kinerja_SETWAN.xlsm --anchor ekspor/.../manifest.json"""
    from kinerja_xl import integrity

    if args.file.is_dir():
        report = integrity.check_folder(args.file)
    else:
        d = bootstrap.definition(args.definition)
        report = integrity.check_file(args.file, d, args.anchor)
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
    """Example: kinerja-xl status Kinerja_SETWAN.xlsm --json"""
    d = bootstrap.definition(getattr(args, "definition", None))
    with bootstrap.file_port(args.file, d, write=False) as port:
        rep = app.report(port, d, bootstrap.clock)
    if args.json:
        steps = [dict(zip(("no", "kegiatan", "pelaksana", "status", "oleh", "waktu_aksi", "batas_waktu",
                           "sisa_terlambat", "langkah_berikutnya"), row)) for row in rep.rows]
        print(json.dumps({"giliran": rep.turn, "ditutup": rep.closed, "langkah": steps,
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


def demo(args) -> int:
    """Example: kinerja-xl demo --out demo"""
    from kinerja_xl.demo import run_demo

    return run_demo(args.out)


_HANDLERS = {"build": build, "set": set_values, "import": import_data, "submit": action, "verify": action,
             "return": action, "validate": action, "status": show_status, "demo": demo, "export": export,
             "check": check}
