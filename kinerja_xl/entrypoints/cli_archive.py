"""`kinerja-xl arsip`, `rekap` and `pk`: the archive of validated periods, the year's recap, the PK lampiran.

Registered on the `kinerja-xl` group by `register(cli)`. Exit codes as the rest of the CLI: 0 done, 2 usage
error, 3 a folder refused (the others are archived all the same), 4 a file or the archive could not be read or
written.
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import click

from kinerja_xl.domain.errors import FileProblem, UsageError
from kinerja_xl.entrypoints import show
from kinerja_xl.entrypoints.clickid import CONTEXT, Jalur, Perintah, argumen, opsi

ARCHIVE_SCHEMA = "https://kinerja-xl/skema/arsip/1"
RECAP_SCHEMA = "https://kinerja-xl/skema/rekap/1"
PATH = Jalur()
EXIT_REFUSED, EXIT_FILE = 3, 4


def register(group: click.Group) -> None:
    """Add `arsip`, `rekap` and `pk` to the `kinerja-xl` group."""
    archive = opsi("--arsip", "archive", metavar="ARSIP",
                   help="berkas SQLite (bawaan: arsip.sqlite di samping buku kerja) atau "
                        "postgresql+psycopg://pengguna@server/basisdata")
    definitions = opsi("--definisi", "definitions", type=PATH, multiple=True, metavar="BERKAS",
                       help="definisi SOP (.toml, atau folder berisi .toml) bagi ekspor yang definisinya belum ada "
                            "di arsip; boleh berulang")
    as_json = opsi("--json", is_flag=True, help="hasil sebagai JSON")
    expected = opsi("--daftar-opd", "expected", type=PATH, metavar="BERKAS",
                    help="daftar OPD yang wajib melapor, satu per baris (yang belum pernah mengirim pun dilaporkan)")
    _command(group, "arsip", "arsipkan folder ekspor tervalidasi (diperiksa dulu) ke basis data arsip", archive_cmd,
             argumen("folders", type=PATH, nargs=-1, required=True, metavar="FOLDER...",
                     keterangan="folder ekspor, atau folder berisi banyak folder ekspor (mis. ekspor/ semua OPD)"),
             archive, definitions, expected, as_json)
    _command(group, "rekap", "rekap capaian per indikator per periode, tahun ini dan tahun lalu; xlsx dan PDF dengan "
                                "grafik",
             recap_cmd,
             argumen("folders", type=PATH, nargs=-1, metavar="[FOLDER]...",
                     keterangan="folder ekspor yang diarsipkan dulu (boleh kosong: rekap dari arsip saja)"),
             archive, definitions,
             opsi("--tahun", "year", type=int, metavar="TAHUN", help="tahun yang direkap (bawaan: tahun terakhir)"),
             opsi("--opd", metavar="TEKS", help="hanya OPD yang namanya memuat teks ini"),
             opsi("--sasaran", metavar="TEKS", help="hanya sasaran yang memuat teks ini"),
             opsi("--xlsx", type=PATH, metavar="BERKAS", help="tulis juga xlsx: rekap, grafik tren, lampiran PK, "
                                                              "evaluasi Renja, capaian LKjIP"),
             opsi("--pdf", type=PATH, metavar="BERKAS", help="tulis juga PDF (A4 mendatar): kop, saringan, tabel rekap "
                                                             "berwarna menurut kategori, grafik tren per indikator"),
             expected, as_json)
    _command(group, "pk", "ubah lampiran PK (No, Sasaran, Indikator, Target) menjadi CSV untuk 'import'", pk_cmd,
             argumen("source", type=PATH, metavar="LAMPIRAN", keterangan="lampiran PK sebagai xlsx atau CSV"),
             opsi("--out", type=PATH, required=True, metavar="BERKAS", help="CSV indikator yang ditulis"),
             opsi("--definition", type=PATH, metavar="BERKAS", help="definisi SOP (TOML); bawaan: definisi bawaan paket"),
             opsi("--arah", default="naik", metavar="ARAH", help="arah bila lampiran tidak memuatnya (bawaan: naik)"),
             opsi("--sumber", default="", metavar="TEKS", help="sumber data bila lampiran tidak memuatnya"))


def _command(group, name: str, help: str, run, *declared) -> None:
    def callback(**params):
        from kinerja_xl.adapters.files import refuse_special  # openpyxl: not for --help

        for value in params.values():
            for path in value if isinstance(value, tuple) else (value,):
                if isinstance(path, Path):
                    refuse_special(path)
        try:
            return run(**params)
        except BrokenPipeError:
            show.quiet_pipe()
            return 0

    holder = lambda: None  # noqa: E731 - click's decorators collect the parameters on it, last first
    for decorate in reversed(declared):
        decorate(holder)
    example = (run.__doc__ or "").partition("Example:")[2].strip()
    group.add_command(Perintah(name, callback=callback, params=holder.__click_params__[::-1], help=help,
                               short_help=help, contoh=example, context_settings=CONTEXT))


def _open(spec, folders) -> object:
    from kinerja_xl.adapters.archive_db import open_archive

    return open_archive(spec, beside=_beside(folders))


def _beside(folders) -> Path:
    """Beside the workbooks: the folder holding `ekspor/` when the folders are (in) one; else here."""
    for folder in map(Path, folders or ()):
        folder = folder.resolve()
        for candidate in (folder, folder.parent):
            if candidate.name == "ekspor":
                return candidate.parent
    return Path.cwd()


def _expected(path) -> list[str]:
    if path is None:
        return []
    try:
        return [line.strip() for line in Path(path).read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    except OSError as exc:
        raise FileProblem(f"Daftar OPD '{path}' tidak dapat dibaca ({exc.strerror or exc}).") from None


# ---------------------------------------------------------------- arsip


def archive_cmd(folders, archive, definitions, expected, json) -> int:
    """Example: kinerja-xl arsip ekspor/ --arsip arsip.sqlite"""
    from kinerja_xl.service import archive as service

    with _open(archive, folders) as db:
        known = service.Definitions(db, list(definitions))
        with show.working("Memeriksa dan mengarsipkan folder ekspor…"):
            result = service.consolidate(db, list(folders), known)
        years = sorted({db.period(o.period_id)["year"] for o in result.outcomes if o.period_id is not None})
        gaps = service.gaps(db, years, _expected(expected)) if years else []
        if json:
            print(_dump({"$schema": ARCHIVE_SCHEMA, "arsip": db.url, "hasil": [_outcome(o) for o in result.outcomes],
                         "jumlah": _counts(result), "kekurangan": [_gap(g) for g in gaps]}))
        else:
            for o in result.outcomes:
                print(o.message)
                for p in o.problems:
                    print(f"  - {p}")
            _print_summary(result, db)
            _print_gaps(gaps)
    return _exit(result)


def _counts(result) -> dict:
    from kinerja_xl.service import archive as s

    return {"diarsipkan": result.count(s.NEW, s.REPLACES, s.OLDER), "sudah_ada": result.count(s.KNOWN),
            "ditolak": result.count(s.REFUSED), "tidak_terbaca": result.count(s.UNREADABLE)}


def _print_summary(result, db) -> None:
    c = _counts(result)
    size = db.size_bytes()
    where = db.url + (f" ({size / 1024:,.0f} KB)".replace(",", ".") if size else "")
    print(f"{c['diarsipkan']} diarsipkan, {c['sudah_ada']} sudah ada, {c['ditolak']} ditolak"
          + (f", {c['tidak_terbaca']} tidak terbaca" if c["tidak_terbaca"] else "") + f". Arsip: {where}")
    if result.refused:
        print("Ditolak/tidak terbaca: " + ", ".join(o.folder.name for o in result.refused))


def _print_gaps(gaps) -> None:
    if not gaps:
        return
    print("Belum lengkap atau terlambat:")
    for g in gaps:
        print(f"- {g.opd}, {g.period} {g.year}: {g.status} ({g.detail})")


def _exit(result) -> int:
    from kinerja_xl.service import archive as s

    if result.count(s.UNREADABLE):
        return EXIT_FILE
    return EXIT_REFUSED if result.count(s.REFUSED) else 0


def _outcome(o) -> dict:
    return {"folder": str(o.folder), "status": o.status, "pesan": o.message, "masalah": list(o.problems)}


def _gap(g) -> dict:
    return {"opd": g.opd, "tahun": g.year, "periode": g.period, "status": g.status, "keterangan": g.detail}


# ---------------------------------------------------------------- rekap


def recap_cmd(folders, archive, definitions, year, opd, sasaran, xlsx, pdf, expected, json) -> int:
    """Example: kinerja-xl rekap --arsip arsip.sqlite --tahun 2026 --xlsx rekap_2026.xlsx --pdf rekap_2026.pdf"""
    from kinerja_xl.adapters.archive_db import archive_url
    from kinerja_xl.service import archive as service

    for target, example in ((xlsx, "rekap.xlsx"), (pdf, "rekap.pdf")):
        _writable(target, example)
    if not folders and archive is None and not (_beside(folders) / "arsip.sqlite").is_file():
        raise FileProblem(f"Arsip '{_beside(folders) / 'arsip.sqlite'}' tidak ada: arsipkan dulu (kinerja-xl arsip "
                          "FOLDER) atau sebutkan --arsip.")
    if archive and "://" not in str(archive) and not folders and not Path(archive).is_file():
        raise FileProblem(f"Arsip '{archive}' tidak ada: arsipkan dulu (kinerja-xl arsip FOLDER) atau periksa "
                          f"namanya ({archive_url(archive)}).")
    code = 0
    with _open(archive, folders) as db:
        known = service.Definitions(db, list(definitions))
        if folders:
            with show.working("Memeriksa dan mengarsipkan folder ekspor…"):
                result = service.consolidate(db, list(folders), known)
            code = _exit(result)
            if not json:
                for o in result.refused:
                    print(o.message, file=sys.stderr)
                    for p in o.problems:
                        print(f"  - {p}", file=sys.stderr)
        year = year or max((s["year"] for s in db.slots()), default=None)
        if year is None:
            raise UsageError("Arsip masih kosong: arsipkan dulu folder ekspor (kinerja-xl arsip FOLDER).")
        result = service.recap_of(db, known, year, opd, sasaran)
        gaps = service.gaps(db, [year], _expected(expected))
        sops = _definitions_of(db, known, year) if pdf is not None else {}
    if xlsx is not None:
        _write_xlsx(xlsx, result)
    if pdf is not None:
        _write_pdf(pdf, result, year, opd, sasaran, sops)
    if json:
        print(_dump(_recap_json(result, year, gaps)))
    else:
        recap_table(result, year)
        _print_gaps(gaps)
        if xlsx is not None:
            print(f"Rekap ditulis ke {xlsx}")
        if pdf is not None:
            print(f"Rekap PDF ditulis ke {pdf}")
    return code


def _writable(path, example: str) -> None:
    """An output named as a folder, or in a folder that is not there, is refused before any work is done."""
    if path is None:
        return
    path = Path(path)
    if path.is_dir():
        raise FileProblem(f"'{path}' adalah folder: sebutkan nama berkas yang ditulis, mis. {path / example}.")
    if not path.parent.is_dir():
        raise FileProblem(f"Folder '{path.parent}' untuk '{path.name}' tidak ada: buat dulu foldernya atau pilih "
                          "tempat lain.")


def _write_xlsx(path: Path, result) -> None:
    from kinerja_xl.adapters.package import atomic_write
    from kinerja_xl.export.recap_xlsx import recap_bytes

    raw = recap_bytes(result.rows, result.labels, result.unit)
    try:
        atomic_write(Path(path), raw, keep_backup=False)
    except OSError as exc:
        raise FileProblem(f"'{path}' tidak dapat ditulis ({exc.strerror or exc}): tutup berkas itu di Excel, "
                          "periksa foldernya, lalu ulangi.") from None


def _definitions_of(db, known, year: int) -> dict:
    """(OPD, SOP) -> the definition of its latest current period of the year (its band thresholds, its zone)."""
    out = {}
    for slot in db.slots():
        if slot["year"] == year and slot["current"]:
            found = known.get(slot["definition_sha256"])
            if found is not None:
                out[(slot["opd"], slot["sop"])] = found[0]
    return out


def _write_pdf(path: Path, result, year: int, opd, sasaran, sops: dict) -> None:
    from kinerja_xl.adapters.package import atomic_write
    from kinerja_xl.bootstrap import now
    from kinerja_xl.export.recap_pdf import Scale, recap_pdf_bytes
    from kinerja_xl.export.texts import time_text

    filters = [("Tahun", str(year)), ("OPD", f'yang namanya memuat "{opd}"' if opd else "semua OPD"),
               ("Sasaran", f'yang memuat "{sasaran}"' if sasaran else "semua sasaran")]
    if sops:
        d = next(iter(sops.values()))
        filters.append(("Dicetak", time_text(d, now(d.tz))))
    scales = {key: Scale(d.red_below, d.green_above) for key, d in sops.items()}
    raw = recap_pdf_bytes(result.rows, result.labels, result.unit, year, filters, scales)
    try:
        atomic_write(Path(path), raw, keep_backup=False)
    except OSError as exc:
        raise FileProblem(f"'{path}' tidak dapat ditulis ({exc.strerror or exc}): tutup berkas itu di pembaca PDF, "
                          "periksa foldernya, lalu ulangi.") from None


def _recap_json(result, year: int, gaps) -> dict:
    rows = []
    for r in result.rows:
        rows.append({"opd": r.opd, "sop": r.sop, "tahun": r.year, "no": r.key, "sasaran": r.sasaran,
                     "indikator": r.indikator, "satuan": r.satuan, "arah": r.arah, "target": _plain(r.target),
                     "periode": [{"periode": label, "realisasi": _plain(q.realisasi), "capaian": _plain(q.capaian),
                                  "alasan": q.reason if q.realisasi is not None else None,
                                  "dari_periode": result.labels[q.source] if q.source is not None else None}
                                 for label, q in zip(result.labels, r.quarters)],
                     "capaian_tahun": _plain(r.result), "capaian_tahun_lalu": _plain(r.last_year),
                     "kategori": r.band, "tren": r.trend, "dasar_tren": r.trend_basis})
    return {"$schema": RECAP_SCHEMA, "tahun": year, "satuan_periode": result.unit, "indikator": rows,
            "kekurangan": [_gap(g) for g in gaps]}


def _plain(value: Decimal | None):
    return None if value is None else float(value)


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _fig(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}".rstrip("0")
    return text.replace(".", ",")


def recap_table(result, year: int, file=None) -> None:
    """Per OPD: each indicator with realisasi / capaian per period (two lines a cell), the year, last year, band."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    file = file or sys.stdout
    console = Console(file=file, width=show.WIDTH, highlight=False)
    plain = not console.is_terminal
    colours = {"merah": "red", "kuning": "yellow", "hijau": "green"}
    if not result.rows:
        print(f"Tidak ada indikator untuk tahun {year} dengan saringan ini.", file=file)
        return
    groups: dict[tuple, list] = {}
    for r in result.rows:
        groups.setdefault((r.opd, r.sop), []).append(r)
    for (opd, sop), rows in groups.items():
        table = Table(title=f"{opd} · {sop} · {year}", box=show._ascii_simple() if plain else box.SIMPLE_HEAD,
                      expand=True, show_edge=False, pad_edge=False, header_style="" if plain else "bold",
                      title_justify="left")
        table.add_column("No", no_wrap=True, min_width=2)
        table.add_column("Indikator", ratio=3, min_width=18, overflow="fold")
        table.add_column("Target", no_wrap=True)
        for label in result.labels:
            table.add_column(f"{label}\nR / C%", no_wrap=True, justify="right")
        for head in ("Tahun", "Lalu", "Kat.", "Tren"):
            table.add_column(head, no_wrap=True)
        for r in rows:
            cells = [f"{_fig(q.realisasi)}{'*' if q.source not in (None, k) else ''}\n{_pct(q.capaian) or '–'}"
                     for k, q in enumerate(r.quarters)]
            table.add_row(r.key, f"{r.indikator} ({r.satuan}, {r.arah})", _fig(r.target), *cells, _pct(r.result),
                          _pct(r.last_year),
                          Text(r.band or "", style="" if plain else colours.get(r.band or "", "")), r.trend or "")
        console.print(table)
    console.print("R = realisasi kumulatif, C% = capaian; * = dari ekspor periode berikutnya.", markup=False)


# ---------------------------------------------------------------- pk


def pk_cmd(source, out, definition, arah, sumber) -> int:
    """Example: kinerja-xl pk lampiran_pk_2026.xlsx --out indikator.csv"""
    from kinerja_xl.adapters.definition_file import load_definition
    from kinerja_xl.adapters.package import atomic_write
    from kinerja_xl.adapters.pk_lampiran import read_lampiran, to_indicator_csv

    if arah not in ("naik", "turun"):
        raise UsageError(f"--arah '{arah}': pilih naik atau turun.")
    rows = read_lampiran(source)
    raw, notes = to_indicator_csv(load_definition(definition), rows, arah, sumber)
    try:
        atomic_write(Path(out), raw, keep_backup=False)
    except OSError as exc:
        raise FileProblem(f"'{out}' tidak dapat ditulis ({exc.strerror or exc}).") from None
    print(f"{len(rows)} indikator dari lampiran PK ditulis ke {out}; impor dengan: kinerja-xl import BUKU {out} "
          "--as PENGGUNA")
    for note in notes:
        print(f"Catatan: {note}")
    return 0
