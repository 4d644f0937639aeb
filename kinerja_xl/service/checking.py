"""`kinerja-xl check`: a workbook's integrity from the file alone (no Excel, no VBA), or an export folder's."""
from __future__ import annotations

import json
from pathlib import Path

from kinerja_xl.adapters import definition_file, package
from kinerja_xl.adapters.anchor_file import load_anchor, pending_note
from kinerja_xl.adapters.layout import cell_label
from kinerja_xl.adapters.openpyxl_book import FileWorkbook
from kinerja_xl.adapters.part_book import PartWorkbook
from kinerja_xl.adapters.part_looks import AsLoaded
from kinerja_xl.adapters.port import WorkbookPort
from kinerja_xl.adapters.refs import parse_ref
from kinerja_xl.adapters.vba_read import VbaProjectError
from kinerja_xl.adapters.vba_sources import code, document_code, fingerprint, stored_modules
from kinerja_xl.builder.as_built import as_built
from kinerja_xl.builder.assemble import conf_fingerprint
from kinerja_xl.domain import audit, registry, rollover, signing, status
from kinerja_xl.domain import names as N
from kinerja_xl.domain.digest import canonical
from kinerja_xl.domain.period import load_period
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.errors import DefinitionError, FileProblem, KinerjaError
from kinerja_xl.domain.integrity import Report, check, check_definition


def structure_problems(port: WorkbookPort, built: WorkbookPort) -> list[str]:
    """Sheets and names against the workbook the embedded definition builds (`built`): every name must point
    exactly where the builder put it. The workbook's own name map is checked against that, never trusted."""
    problems = []
    sheets, wanted = port.sheet_names(), built.sheet_names()
    if sheets != wanted:
        missing = [s for s in wanted if s not in sheets]
        extra = [s for s in sheets if s not in wanted]
        problems.append(f"Susunan lembar berubah: hilang {missing or '-'}, tambahan {extra or '-'}"
                        + ("" if missing or extra else ", urutan berbeda"))
    names, expected = port.names(), built.names()
    for name, ref in expected.items():
        if name not in names:
            problems.append(f"Nama '{name}' hilang dari buku kerja.")
        elif _place(names[name]) != _place(ref):
            problems.append(f"Nama '{name}' menunjuk ke {names[name]}, seharusnya {ref}: data yang dibaca bukan "
                            "yang ditampilkan di tempat semula.")
    for name in sorted(set(names) - set(expected)):
        if not name.startswith("_xlnm."):  # print areas and filters Excel adds for itself
            problems.append(f"Nama '{name}' ({names[name]}) tidak dibuat oleh kinerja-xl.")
    if N.NAME_MAP in names and _on(names[N.NAME_MAP], sheets):
        listed = {row[0]: _place(row[1]) for row in port.read([N.NAME_MAP])[N.NAME_MAP].values if row[0]}
        if listed != {k: _place(v) for k, v in expected.items() if k != N.NAME_MAP}:
            problems.append(f"Daftar nama di lembar tersembunyi '{N.MAP_SHEET}' tidak cocok dengan susunan buku kerja "
                            "menurut definisinya.")
    return problems


def conf_findings(rows) -> tuple[list[str], list[str]]:
    """The xlwings.conf keys the office may not change, as built: they decide which Python runs on a click.
    Interpreter_Win is the office's to set (Python is installed per computer), so it is shown, and refused
    only where anyone with the share could replace the program: a network path or a web address."""
    problems, notes = [], []
    for (key, value, editable), row in zip(N.XLWINGS_CONF, rows):
        found = (str(row[0] or ""), str(row[1] if row[1] is not None else ""))
        if not editable and found != (key, value):
            problems.append(f"Lembar {N.CONF_SHEET}, baris {key}: seharusnya '{value}', sekarang '{found[1]}'"
                            + ("" if found[0] == key else f" (kunci '{found[0]}')") + ". Pengaturan ini menjaga agar "
                            "tombol hanya menjalankan paket kinerja-xl yang terpasang; kembalikan nilainya, lalu "
                            "laporkan ke admin.")
        elif key == "Interpreter_Win" and found[1].strip():
            where = found[1].strip()
            if where.startswith(("\\\\", "//")) or "://" in where:
                problems.append(f"Lembar {N.CONF_SHEET}, Interpreter_Win menunjuk ke lokasi jaringan '{where}': setiap "
                                "klik menjalankan program yang dapat diganti siapa pun yang dapat menulis ke sana. Isi "
                                "dengan Python yang terpasang di komputer masing-masing (C:\\...).")
            else:
                notes.append(f"Interpreter_Win diisi '{where}': setiap tombol menjalankan program itu. Pastikan itu "
                             "Python yang dipasang admin di setiap komputer.")
    return problems, notes


def code_problems(path: Path, manifest, conf_rows) -> list[str]:
    """The file's VBA modules and ribbon against the fingerprints recorded when it was built (`meta_kode`,
    sealed by the step-1 digest): a changed module, an added one, code in a document module, another ribbon."""
    try:
        recorded = json.loads(str(manifest))
        modules, ribbon, conf = dict(recorded["vba"]), str(recorded["pita"]), str(recorded["conf"])
    except (ValueError, TypeError, KeyError):
        return [f"Sidik kode ({N.META_CODE}) di lembar {N.HOME_SHEET} rusak atau hilang, jadi modul VBA dan pita "
                "tidak dapat dibandingkan dengan saat buku kerja dibangun."]
    problems = []
    try:
        stored = stored_modules(path)
    except VbaProjectError:  # nothing to compare: one finding, not a module-by-module list
        stored, modules = {}, {}
        problems.append("Proyek VBA (xl/vbaProject.bin) rusak dan tidak dapat dibaca, jadi modul VBA tidak dapat "
                        "dibandingkan dengan sidik kode saat buku kerja dibangun. Jangan pakai buku kerja ini; "
                        "laporkan ke admin/Inspektorat.")
    for name, source in sorted(stored.items()):
        if name in modules:
            if fingerprint(code(source)) != modules[name]:
                problems.append(f"Modul VBA '{name}' berubah sejak buku kerja dibangun: tombol dapat menjalankan "
                                "kode lain. Jangan pakai buku kerja ini; laporkan ke admin/Inspektorat.")
        elif document_code(source):
            problems.append(f"Modul VBA '{name}' berisi kode ({document_code(source)[0].strip()[:60]} ...), padahal "
                            "buku kerja dibangun tanpa kode di sana.")
    for name in sorted(set(modules) - set(stored)):
        problems.append(f"Modul VBA '{name}' hilang dari buku kerja.")
    if conf_fingerprint(conf_rows) != conf:
        problems.append(f"Pengaturan {N.CONF_SHEET} yang menentukan Python mana yang dijalankan berbeda dari saat buku "
                        "kerja dibangun.")
    ui = package.read_part(path, package.CUSTOMUI_PART)
    if ui is None or fingerprint(ui) != ribbon:
        problems.append("Pita (customUI: tombol dan makro yang dipanggilnya) berubah sejak buku kerja dibangun.")
    return problems


def status_problems(d, blocks) -> list[str]:
    """The status table and the turn on Beranda are what the log says at its last action: each action writes
    them so, and nothing else may (export and Status recompute them from the log)."""
    if any(n not in blocks for n in (N.STATUS, N.TURN, N.LOG)):
        return []
    try:
        period = load_period(d, blocks)
    except KinerjaError:  # a broken log or changed step is reported by the checks that found it
        return []
    last = audit.moment(period.entries[-1]) if period.entries else None
    if last is None:
        return []
    expected = status.rows(d, period.state, period.entries, period.settings, last.astimezone(d.tz))
    problems = []
    for i, (row, want) in enumerate(zip(blocks[N.STATUS].values, expected)):
        if [canonical(v) for v in row] != [canonical(v) for v in want]:
            problems.append(f"Tabel status di {N.HOME_SHEET} baris {i + 1} (langkah {want[0]}) tidak sesuai dengan log: "
                            f"tertulis {' | '.join(canonical(v) for v in row)}.")
    if canonical(blocks[N.TURN].value()) != canonical(status.turn(d, period.state, period.people)):
        problems.append(f"'Giliran saat ini' di {N.HOME_SHEET} tidak sesuai dengan log.")
    return problems


def signature_findings(d, blocks, trusted: tuple[registry.Registry, str] | None) -> tuple[list[str], list[str]]:
    """Every log row signed by its official's registered key; with the office's registry (`--kunci`), those keys
    held to it. Without registered keys the log proves order and content, not who acted: a note, unless a
    registry says the office signs."""
    if N.LOG not in blocks or N.KEYS not in blocks:
        return [], []
    entries, _ = audit.parse_rows(blocks[N.LOG].values)
    keys, _ = signing.parse_keys(blocks[N.KEYS].values, lambda r, c: blocks[N.KEYS].at(r, c))
    problems = signing.row_problems(entries, keys) if keys else []
    notes = [] if keys or not entries else [
        "Log tidak ditandatangani secara elektronik (belum ada kunci di lembar Pengaturan): log membuktikan urutan dan "
        "isi, tetapi tidak membuktikan siapa yang bertindak."]
    if trusted is not None:
        judged = registry.judge(trusted[0], trusted[1], keys, entries, d.tz)
        problems += judged.problems
        notes = judged.notes
    return problems, notes


def link_findings(blocks, previous: Path | None) -> tuple[list[str], list[str]]:
    """The previous period this one continues: the first log row links to its log head. With `--sebelumnya`
    (the previous workbook or its export folder) that head is compared with the previous period's own."""
    link = rollover.parse_link(blocks[N.META_PREVIOUS].value()) if N.META_PREVIOUS in blocks else None
    if previous is None:
        return [], ([f"Periode ini melanjutkan {link.label}. Berikan buku kerja atau folder ekspor periode itu dengan "
                     "--sebelumnya untuk memastikan tautannya."] if link else [])
    rows, head = previous_head(Path(previous))
    return rollover.link_problems(link, rows, head, f"'{Path(previous).name}'"), []


def previous_head(path: Path) -> tuple[int, str]:
    """The log head of the previous period: from its export folder's manifest, or its workbook's Log."""
    if path.is_dir():
        try:
            data = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            return int(data["log"]["baris"]), str(data["log"]["hash"])
        except (OSError, ValueError, KeyError, TypeError):
            raise FileProblem(f"'{path}' bukan folder ekspor yang manifest.json-nya dapat dibaca (--sebelumnya).") from None
    with FileWorkbook.reading(path) as port:
        names = port.names()
        wanted = [n for n in (N.LOG, N.META_PREVIOUS) if n in names]
        if N.LOG not in wanted:
            raise FileProblem(f"'{path}' bukan buku kerja kinerja-xl (tidak ada log) untuk --sebelumnya.")
        blocks = port.read(wanted)
    entries, _ = audit.parse_rows(blocks[N.LOG].values)
    return audit.head(entries, rollover.genesis(blocks))


def _on(ref, sheets) -> bool:
    """A name that can be read: it points at cells of a sheet that is there (Excel writes `#REF!` for a name whose
    rows or sheet were deleted; that is reported as a moved name, not read)."""
    place = _place(ref)
    return place is not None and place[0] in sheets


def _place(ref) -> tuple | None:
    """What a reference points at, however it is quoted: Excel and LibreOffice drop needless quotes on save
    (`'Beranda'!$A$19` becomes `Beranda!$A$19`), so the text alone cannot be compared (docs/excel.md)."""
    try:
        return parse_ref(str(ref))
    except ValueError:
        return None


def embedded_definition(port: WorkbookPort, path: Path, report: Report) -> tuple[dict | None, str]:
    """The definition the workbook carries; a changed one is a finding, and is still used to read the rest.
    None when it no longer parses: nothing else can be read by it."""
    names, sheets = port.names(), set(port.sheet_names())
    readable = [n for n in (N.META_DEFINITION, N.META_DEFINITION_HASH) if n in names and _on(names[n], sheets)]
    if N.META_DEFINITION not in readable:
        raise FileProblem(f"'{path}' bukan buku kerja kinerja-xl yang dapat diperiksa: definisi SOP "
                          f"({N.META_DEFINITION}, lembar {N.DEFINITION_SHEET}) tidak ada.")
    blocks = port.read(readable)
    cells = [row[0] for row in blocks[N.META_DEFINITION].values]
    stored = blocks[N.META_DEFINITION_HASH].value() if N.META_DEFINITION_HASH in blocks else None
    text = "".join(str(c) for c in cells if c is not None)
    digest = definition_file.sha256(text)
    if digest != str(stored or ""):
        report.problems.append("Definisi SOP di dalam buku kerja telah diubah: SHA-256-nya tidak cocok dengan "
                               f"{N.META_DEFINITION_HASH}.")
    try:
        raw = json.loads(text)
        parse_definition(raw)
        return raw, str(stored or "")
    except (ValueError, DefinitionError):
        return None, str(stored or "")


def check_file(path, anchor: str | None = None, trusted: tuple[registry.Registry, str] | None = None,
               previous: Path | None = None) -> Report:
    """`trusted`: the office's key registry and its label (`check --kunci`); `previous`: the period this one
    continues (`check --sebelumnya`)."""
    path = Path(path)
    found = Report()
    book = PartWorkbook.open(path)
    book.require_well_formed()
    port = AsLoaded(book)  # parts read as they are asked for, sheets streamed: no tree
    raw, definition_hash = embedded_definition(port, path, found)
    if raw is None:
        found.problems.append(f"Definisi SOP di dalam buku kerja ({N.DEFINITION_SHEET}) rusak dan tidak dapat dibaca, "
                              "jadi isi buku kerja tidak dapat diperiksa lebih jauh. Laporkan ke admin/Inspektorat.")
        return found
    built, d = as_built(raw)
    structure = structure_problems(port, built)
    sheets, names = set(port.sheet_names()), port.names()
    readable = [n for n in built.names() if n in names and _on(names[n], sheets)]
    blocks = port.read(readable)
    notes = []
    if N.META_CONF in blocks:
        found_conf, notes = conf_findings(blocks[N.META_CONF].values)
        structure += found_conf
    if N.META_CODE in blocks:
        structure += code_problems(path, blocks[N.META_CODE].value(), blocks[N.META_CONF].values if N.META_CONF in blocks else ())
    structure += status_problems(d, blocks)
    signed, signature_notes = signature_findings(d, blocks, trusted)
    structure += signed
    linked, link_notes = link_findings(blocks, previous)
    structure += linked
    notes = notes + signature_notes + link_notes
    expected = built.looks(readable)
    looks = {n: (look, expected[n]) for n, look in port.looks(readable).items()}
    anchored = load_anchor(anchor, path)
    report = check(d, blocks, found.problems + structure, lambda name, r, c: cell_label(d, name, r, c), anchored, looks)
    check_definition(anchored, definition_hash, report)
    interrupted = pending_note(path) if anchor is None else None
    report.unproven[:0] = [interrupted] if interrupted else []
    report.unproven += notes
    return report
