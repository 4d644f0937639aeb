"""`kinerja-xl check FOLDER [--anchor A]`: an export folder against its manifest, and the manifest against an anchor.

Only what an export writes is accepted: a manifest of the expected shape that names plain files inside the
folder, each a regular file (never a link, a device or a pipe) hashed in chunks. Inside the folder the log
CSV must be an unbroken chain ending at the manifest's log head, every row signed by its user's registered key,
the xlsx free of macros and the PDF whole, its signatures intact (`folder_signatures`: a PDF may grow by
signatures appended later, e.g. a certified TTE through BSrE, and nothing else).
What a rewritten manifest can hide is only exposed by an anchor kept elsewhere: a copy of the manifest (e-mail,
archive) is compared key by key; a printed `N:HASH`, a bare hash or a workbook's sidecar is compared with
the log head.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from kinerja_xl.adapters.anchor_file import MANIFEST, load_anchor
from kinerja_xl.domain import audit, rollover
from kinerja_xl.domain.errors import FileProblem, UsageError
from kinerja_xl.domain.integrity import Anchor, Report
from kinerja_xl.export import log_csv
from kinerja_xl.service import folder_signatures

MAX_MANIFEST = 1 << 20
MAX_LOG_CSV = 64 << 20
CHUNK = 1 << 20
OS_LITTER = {"thumbs.db", "desktop.ini", ".ds_store"}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_SHAPE = {"sop": (str, "teks"), "dibuat": (str, "teks"), "draft": (bool, "true/false"), "definisi": (str, "teks"),
          "berkas": (dict, "objek"), "data": (dict, "objek"), "log": (dict, "objek")}
_OPTIONAL = {"ukuran": (dict, "objek"), "kunci": (list, "daftar"), "zona": (str, "teks"),
             "sebelumnya": (str, "teks")}  # older exports lack them
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
NO_ANCHOR = ("Tanpa --anchor (hash dari cetakan ekspor, atau salinan manifest.json yang disimpan di tempat lain), "
             "pemeriksaan ini tidak dapat membuktikan bahwa manifest tidak ditulis ulang bersama berkas yang diubah.")
ADVICE = ("Jangan memakai berkas yang disebut di atas. Buat ekspor baru dari buku kerja (kinerja-xl export BUKU), "
          "bandingkan, dan laporkan temuan ini ke admin/Inspektorat.")


class _NotRegular(Exception):
    pass


def check_folder(folder: Path, anchor: str | None = None,
                 trusted: folder_signatures.Trusted | None = None) -> Report:
    """Every problem found, each naming the file (and the log row or manifest key) concerned. `trusted`: the
    office's key registry and its label (`check DIR --kunci`); the manifest's keys are held to it."""
    folder = Path(folder)
    report = Report()
    manifest = _read_manifest(folder, report)
    if manifest is not None:
        grown = _check_listed(folder, manifest, report)
        entries = _check_contents(folder, manifest, grown, report, trusted)
        _check_anchor(folder, manifest, entries, anchor, report)
    if report.problems:
        report.unproven.append(ADVICE)
    return report


# ---------------------------------------------------------------- the manifest


def _read_manifest(folder: Path, report: Report) -> dict | None:
    path = folder / MANIFEST
    try:
        raw = _read_regular(path, MAX_MANIFEST)
    except FileNotFoundError:
        report.problems.append(f"{MANIFEST} tidak ada di folder '{folder}': isi folder tidak dapat dibuktikan.")
        return None
    except _NotRegular as exc:
        report.problems.append(f"{MANIFEST} {exc}.")
        return None
    try:
        data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        report.problems.append(f"{MANIFEST}: kunci '{exc}' ganda: manifest ini tidak ditulis oleh kinerja-xl.")
        return None
    except ValueError as exc:
        report.problems.append(f"{MANIFEST} bukan JSON yang sah ({exc}): manifest rusak atau diubah.")
        return None
    problems = _shape_problems(data)
    report.problems += [f"{MANIFEST}: {p}" if not p.startswith(MANIFEST) else p for p in problems]
    return None if problems else data


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs):
    """JSON keeps the last of two equal keys, so a reader and `check` could see different manifests."""
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _shape_problems(data) -> list[str]:
    if not isinstance(data, dict):
        return [f"{MANIFEST} bukan objek JSON (isinya {_kind(data)}): manifest ini tidak ditulis oleh kinerja-xl."]
    problems = []
    for key, (kind, label) in _SHAPE.items():
        if key not in data:
            problems.append(f"kunci '{key}' tidak ada")
        elif not isinstance(data[key], kind):
            problems.append(f"kunci '{key}' harus berupa {label}, bukan {_kind(data[key])}")
    for key, (kind, label) in _OPTIONAL.items():
        if key in data and not isinstance(data[key], kind):
            problems.append(f"kunci '{key}' harus berupa {label}, bukan {_kind(data[key])}")
    if problems:
        return problems
    if not data["berkas"]:
        problems.append("'berkas' tidak mencatat satu berkas pun")
    for name, digest in data["berkas"].items():
        if (why := _name_problem(name)) is not None:
            problems.append(f"'{name}' bukan nama berkas di dalam folder ekspor ({why}); berkas itu tidak dibuka")
        elif not _is_sha256(digest):
            problems.append(f"berkas '{name}': {_kind(digest)} bukan SHA-256 (64 huruf hex)")
    rows = data["log"].get("baris")
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
        problems.append(f"log.baris harus bilangan bulat 0 atau lebih, bukan {_kind(rows)}")
    if not _is_sha256(data["log"].get("hash")):
        problems.append(f"log.hash: {_kind(data['log'].get('hash'))} bukan SHA-256 (64 huruf hex)")
    problems += [f"data.{k}: bukan SHA-256" for k, v in data["data"].items() if not _is_sha256(v)]
    if not _is_sha256(data["definisi"]):
        problems.append("definisi: bukan SHA-256 (64 huruf hex)")
    return problems


def _name_problem(name: str) -> str | None:
    """A plain file name inside the folder: no path, no parent, no drive, no device, nothing Windows would alias."""
    if name in ("", ".", "..") or any(ch in name for ch in "/\\:\0"):
        return "jalur, '..', nama drive atau nama kosong tidak diterima"
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor:
        return "jalur mutlak tidak diterima"
    if name != name.strip() or name.endswith("."):
        return "spasi atau titik di ujung nama tidak diterima"
    if name.split(".")[0].lower() in _WINDOWS_DEVICES:
        return "nama perangkat Windows tidak diterima"
    if name == MANIFEST:
        return "manifest tidak dapat mencatat dirinya sendiri"
    return None


def _is_sha256(value) -> bool:
    return isinstance(value, str) and _SHA256.match(value) is not None


def _kind(value) -> str:
    names = {dict: "objek", list: "daftar", str: "teks", bool: "true/false", int: "angka", float: "angka"}
    return "null" if value is None else f"{names.get(type(value), type(value).__name__)} {json.dumps(value)[:40]}"


# ---------------------------------------------------------------- the files


def _check_listed(folder: Path, manifest: dict, report: Report) -> dict[str, int]:
    """Each listed file against its SHA-256; returns the PDFs that grew after the export (name -> the manifest's
    size), whose appended part `folder_signatures.check_pdf` judges."""
    listed, sizes, grown = manifest["berkas"], manifest.get("ukuran", {}), {}
    missing = {}
    for name, expected in listed.items():
        try:
            actual = _sha256(folder / name)
        except FileNotFoundError:
            missing[expected] = name
            continue
        except _NotRegular as exc:
            report.problems.append(f"Berkas '{name}' {exc}; tidak dibuka.")
            continue
        if actual == expected:
            continue
        if name.lower().endswith(".pdf") and folder_signatures.grown_pdf(folder / name, sizes.get(name), expected,
                                                                         _chunks):
            grown[name] = sizes[name]
        else:
            report.problems.append(f"Berkas '{name}' berubah (SHA-256 tidak cocok dengan manifest).")
    renamed = _check_unlisted(folder, listed, missing, report)
    report.problems[0:0] = [f"Berkas '{name}' yang tercatat di manifest tidak ada" + (
        f"; '{renamed[digest]}' berisi sama persis (diganti nama)." if digest in renamed else ".")
        for digest, name in missing.items()]
    return grown


def _check_unlisted(folder: Path, listed: dict, missing: dict, report: Report) -> dict[str, str]:
    """Anything else in the folder is not part of the export: named, and never trusted. OS litter is a note."""
    renamed = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise FileProblem(f"Folder '{folder}' tidak dapat dibaca ({exc.strerror or exc}): periksa hak bacanya, lalu "
                          "ulangi.") from None
    for entry in entries:
        if entry.name in listed or entry.name == MANIFEST:
            continue
        if entry.name.lower() in OS_LITTER:
            report.unproven.append(f"Berkas sistem '{entry.name}' di folder diabaikan.")
            continue
        kind = ("Folder" if entry.is_dir(follow_symlinks=False) else
                "Tautan simbolik" if entry.is_symlink() else "Berkas")
        report.problems.append(f"{kind} '{entry.name}' tidak tercatat di manifest: bukan bagian dari ekspor ini dan "
                               "tidak dapat dipercaya.")
        if kind == "Berkas" and missing:
            try:
                digest = _sha256(Path(entry.path))
            except (_NotRegular, OSError):
                continue
            if digest in missing:
                renamed[digest] = entry.name
    return renamed


def _read_regular(path: Path, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in _chunks(path):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _NotRegular(f"terlalu besar (lebih dari {limit:,} bita)".replace(",", "."))
    return b"".join(chunks)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    for chunk in _chunks(path):
        h.update(chunk)
    return h.hexdigest()


def _chunks(path: Path):
    """A regular file only, never through a link, in chunks: a device such as /dev/zero never ends and a pipe
    blocks. FileNotFoundError when it is not there; FileProblem (exit 4) when it cannot be read."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise _NotRegular(f"adalah tautan simbolik (ke '{os.readlink(path)}'), bukan berkas ekspor")
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if not os.path.lexists(path):
            raise FileNotFoundError(path) from None
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise _NotRegular("adalah tautan simbolik, bukan berkas ekspor") from None
        raise FileProblem(f"'{path}' tidak dapat dibaca ({exc.strerror or exc}): periksa hak baca folder ekspor, "
                          "lalu ulangi.") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise _NotRegular("bukan berkas biasa (folder, perangkat atau pipa)")
        try:
            while chunk := f.read(CHUNK):
                yield chunk
        except OSError as exc:
            raise FileProblem(f"'{path}' tidak dapat dibaca ({exc.strerror or exc}): ulangi, atau salin folder ekspor "
                              "ke disk lokal lalu periksa salinannya.") from None


# ---------------------------------------------------------------- what is inside the files


def _check_contents(folder: Path, manifest: dict, grown: dict[str, int], report: Report,
                    trusted: folder_signatures.Trusted | None) -> list[audit.LogEntry] | None:
    """The xlsx without macros, the PDF whole and its signatures sound, the log CSV an unbroken chain of signed
    rows to the manifest's head (its entries are returned for the anchor)."""
    entries = _check_log(folder, manifest, report)
    keys = folder_signatures.check_log(_log_name(manifest), manifest, entries, report, trusted)
    for name in manifest["berkas"]:
        if name.lower().endswith(".pdf") and _is_plain_file(folder / name) and not _pdf_problem(folder / name):
            folder_signatures.check_pdf(folder / name, grown.get(name), manifest, entries, keys, report)
    return entries


def _log_name(manifest: dict) -> str:
    return next((n for n in manifest["berkas"] if n.endswith("_log.csv")), "")


def _check_log(folder: Path, manifest: dict, report: Report) -> list[audit.LogEntry] | None:
    for name in manifest["berkas"]:
        kind = {".xlsx": _xlsx_problem, ".pdf": _pdf_problem}.get(Path(name).suffix.lower())
        problem = kind(folder / name) if kind and _is_plain_file(folder / name) else None
        if problem:
            report.problems.append(f"Berkas '{name}' {problem}.")
    logs = [n for n in manifest["berkas"] if n.endswith("_log.csv")]
    if len(logs) != 1:
        report.problems.append(f"Manifest mencatat {len(logs)} log CSV (…_log.csv), seharusnya tepat satu.")
        return None
    name, head = logs[0], manifest["log"]
    try:
        link = rollover.parse_link(manifest.get("sebelumnya"))  # a rolled-over period's log starts at the last one's head
        entries, problems = log_csv.read_log(_read_regular(folder / name, MAX_LOG_CSV),
                                             link.head if link else audit.GENESIS)
    except (FileNotFoundError, _NotRegular):
        return None   # reported with the listed files
    except ValueError as exc:
        report.problems.append(f"Log CSV '{name}' tidak dapat dibaca sebagai log ekspor: {exc}.")
        return None
    report.problems += [f"Log CSV '{name}', {p}" for p in problems]
    if audit.head(entries) != (head["baris"], head["hash"]):
        report.problems.append(f"Kepala log di manifest ({_short(head['baris'], head['hash'])}) tidak sama dengan log "
                               f"CSV '{name}' ({_short(*audit.head(entries))}): salah satunya diubah.")
    return entries


def _is_plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _xlsx_problem(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            macros = [n for n in z.namelist() if "vbaproject" in n.lower()]
    except (OSError, zipfile.BadZipFile, ValueError):
        return "bukan xlsx yang utuh (tidak dapat dibuka sebagai zip)"
    return (f"memuat makro ({', '.join(macros)}): ekspor selalu tanpa makro, jadi berkas ini diganti (misalnya "
            "dengan buku kerja .xlsm)") if macros else None


def _pdf_problem(path: Path) -> str | None:
    try:
        with open(path, "rb") as f:
            start = f.read(5)
            f.seek(max(0, os.fstat(f.fileno()).st_size - 1024))
            end = f.read()
    except OSError:
        return None
    if start != b"%PDF-" or b"%%EOF" not in end:
        return "bukan PDF utuh (tidak diawali %PDF- atau tidak diakhiri %%EOF): terpotong atau diganti"
    return None


# ---------------------------------------------------------------- the anchor


def _check_anchor(folder: Path, manifest: dict, entries, spec: str | None, report: Report) -> None:
    if spec is None:
        report.unproven.append(NO_ANCHOR)
        return
    anchor = load_anchor(spec, folder)
    if anchor is not None:
        anchor = dataclasses.replace(anchor, head=str(anchor.head).lower())
    if anchor is None or anchor.rows < -1 or not _is_sha256(anchor.head):
        raise UsageError(f"Anchor '{spec}' tidak sah: jumlah baris atau hash log tidak terbaca. Gunakan hash dari "
                         "cetakan (N:HASH), salinan manifest.json, atau berkas .anchor.json yang utuh.")
    kept = _kept_manifest(Path(spec), folder, report)
    if kept is not None:
        _compare_manifests(manifest, kept, report)
    if anchor.definition and anchor.definition != manifest["definisi"]:
        report.problems.append("Definisi SOP di manifest berbeda dari yang tercatat di anchor.")
    _compare_heads(manifest["log"], entries, anchor, report)


def _kept_manifest(spec: Path, folder: Path, report: Report) -> dict | None:
    """The anchor as a whole manifest (a copy kept elsewhere), or None for a hash or a sidecar."""
    if not spec.is_file():
        return None
    try:
        if spec.resolve() == (folder / MANIFEST).resolve():
            report.unproven.append("Anchor ini adalah manifest folder itu sendiri, jadi tidak membuktikan apa pun: "
                                   "gunakan salinan manifest yang disimpan di tempat lain atau hash dari cetakan.")
            return None
        data = json.loads(_read_regular(spec, MAX_MANIFEST).decode("utf-8-sig"))
    except (OSError, ValueError, _NotRegular):
        return None
    return data if isinstance(data, dict) and "berkas" in data else None


def _compare_manifests(manifest: dict, kept: dict, report: Report) -> None:
    differ = []
    files, kept_files = manifest["berkas"], kept.get("berkas") if isinstance(kept.get("berkas"), dict) else {}
    for name in sorted(set(files) | set(kept_files)):
        if files.get(name) != kept_files.get(name):
            differ.append(f"berkas '{name}'" + ("" if name in files and name in kept_files else
                                                " (hanya di salah satu)"))
    differ += [f"'{k}'" for k in sorted(set(manifest) | set(kept)) if k != "berkas" and manifest.get(k) != kept.get(k)]
    if differ:
        report.problems.append(f"Manifest berbeda dari manifest anchor: {', '.join(differ)}. Manifest di folder ditulis "
                               "ulang setelah ekspor.")


def _compare_heads(head: dict, entries, anchor: Anchor, report: Report) -> None:
    rows, last = head["baris"], head["hash"]
    if anchor.rows == -1:   # a bare hash off a printout
        if anchor.head == last:
            return
        position = next((i for i, e in enumerate(entries or []) if e.hash == anchor.head), None)
        if position is None:
            report.problems.append("Hash anchor tidak ditemukan di log ekspor ini: manifest dan log CSV dibuat ulang, "
                                   "atau anchor berasal dari ekspor lain.")
        else:
            report.unproven.append(f"Anchor menunjuk log baris {position + 2}; {rows - position - 1} baris setelahnya "
                                   "tidak dijamin oleh anchor ini.")
        return
    if anchor.rows == rows:
        if anchor.head != last:
            report.problems.append(f"Kepala log di manifest ({_short(rows, last)}) berbeda dari anchor "
                                   f"({_short(anchor.rows, anchor.head)}): manifest atau log dibuat ulang.")
        return
    if anchor.rows > rows:
        message = f"Kepala log tidak cocok: anchor mencatat {anchor.rows} baris log, manifest ekspor ini hanya {rows}"
        if anchor.exact:
            report.unproven.append(message + ": buku kerja berlanjut setelah ekspor ini, jadi keduanya tidak dapat "
                                   "dibandingkan dari kepala log saja.")
        else:
            report.problems.append(message + ": baris terakhir log dihapus dari ekspor ini, atau anchor berasal dari "
                                   "ekspor yang lebih baru.")
        return
    at = None if entries is None or len(entries) < anchor.rows else (
        entries[anchor.rows - 1].hash if anchor.rows else audit.GENESIS)
    if at is None:
        report.unproven.append("Log CSV tidak terbaca, jadi anchor yang lebih lama dari ekspor ini tidak dibandingkan.")
    elif at != anchor.head:
        report.problems.append(f"Log baris {anchor.rows + 1} di ekspor ini tidak sama dengan anchor "
                               f"({_short(anchor.rows, anchor.head)}): log dibuat ulang atau diubah.")
    else:
        report.unproven.append(f"Log ekspor ini memiliki {rows - anchor.rows} baris setelah anchor ({anchor.rows} "
                               "baris); baris tersebut tidak dijamin oleh anchor ini.")


def _short(rows: int, digest: str) -> str:
    return f"{rows}:{digest[:12]}…"
