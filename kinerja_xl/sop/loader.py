"""Load and check an SOP definition (TOML): every problem is collected, then refused at once.

Why one pass that collects: whoever edits a definition should fix everything in
one go, not meet the problems one run at a time.
"""
from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from kinerja_xl.core.errors import DefinitionError
from kinerja_xl.sop.model import ACTIONS, FIELD_TYPES, Button, Definition, Field, Header, Role, Signer, Step, Table

SUPPORTED_FORMAT = 1
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[a-z]{1,3}[0-9]+$")
_RESERVED = {"r", "c"}
_TABLE_KINDS = ("indikator", "daftar", "cermin")
_RUMUS = ("r_per_t", "dua_minus_r_per_t", "t_per_r", "t_minus_r_per_t")


def default_definition_path() -> Path:
    return Path(str(resources.files("kinerja_xl.sop") / "sop_01_setwan.toml"))


def load_definition(path: str | Path | None = None) -> Definition:
    """Read a definition file (the embedded SOP-01/SETWAN when `path` is None)."""
    path = Path(path) if path else default_definition_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionError([f"{path}: berkas definisi tidak ditemukan"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"{path}: bukan TOML yang sah ({exc})"]) from None
    return parse_definition(raw)


def parse_definition(raw: dict) -> Definition:
    checker = _Checker()
    definition = checker.definition(raw)
    if checker.problems:
        raise DefinitionError(checker.problems)
    return definition


class _Checker:
    """Reads the raw dict, noting each problem with its location instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.names: dict[str, str] = {}

    def need(self, d: dict, key: str, where: str, kind: type | tuple = str, default=None, required=True):
        if key not in d:
            if required:
                self.problems.append(f"{where}.{key}: wajib ada")
            return default
        value = d[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.problems.append(f"{where}.{key}: jenis nilai salah ({type(value).__name__})")
            return default
        return value

    def name(self, name: str, where: str) -> None:
        if not _NAME.match(name) or _CELL_LIKE.match(name) or name in _RESERVED:
            self.problems.append(f"{where}: nama '{name}' tidak sah (huruf kecil, angka, garis bawah; bukan alamat sel)")
        elif name in self.names:
            self.problems.append(f"{where}: nama '{name}' ganda (sudah dipakai di {self.names[name]})")
        else:
            self.names[name] = where

    def definition(self, raw: dict) -> Definition:
        version = self.need(raw, "format_versi", "definisi", int, 0)
        if version and version > SUPPORTED_FORMAT:
            self.problems.append(f"definisi.format_versi: versi {version} lebih baru dari yang didukung ({SUPPORTED_FORMAT})")
        sop = self.need(raw, "sop", "definisi", dict, {})
        header = self.header(sop)
        roles = tuple(self.role(r, f"peran[{i + 1}]") for i, r in enumerate(self.need(raw, "peran", "definisi", list, [])))
        role_ids = {r.id for r in roles}
        signer = self.signer(self.need(sop, "penandatangan", "sop", dict, {}), role_ids)
        steps = tuple(self.step(s, i + 1, role_ids) for i, s in enumerate(self.need(raw, "langkah", "definisi", list, [])))
        if not steps:
            self.problems.append("definisi.langkah: minimal satu langkah")
        self.mirrors(steps)
        capaian = self.need(raw, "capaian", "definisi", dict, {}, required=False)
        rules = {k: v for k, v in capaian.items() if k in ("naik", "turun")} or {"naik": "r_per_t", "turun": "dua_minus_r_per_t"}
        for arah, rumus in rules.items():
            if rumus not in _RUMUS:
                self.problems.append(f"capaian.{arah}: rumus '{rumus}' tidak dikenal ({', '.join(_RUMUS)})")
        return Definition(version, header, signer, roles, steps, rules,
                          float(capaian.get("merah_di_bawah", 70)), float(capaian.get("hijau_di_atas", 90)))

    def header(self, sop: dict) -> Header:
        text = lambda k, req=True: self.need(sop, k, "sop", str, "", req)  # noqa: E731
        lines = lambda k: tuple(self.need(sop, k, "sop", list, []))  # noqa: E731
        day_mode = text("hari", False) or "kerja"
        if day_mode not in ("kerja", "kalender"):
            self.problems.append(f"sop.hari: '{day_mode}' harus 'kerja' atau 'kalender'")
        return Header(text("kode"), text("satuan_kerja"), text("nomor"), text("tanggal_pembuatan"),
                      text("tanggal_revisi", False), text("tanggal_efektif"), text("disahkan_oleh"), text("nama"),
                      text("judul_bagan", False), lines("dasar_hukum"), lines("kualifikasi_pelaksana"),
                      lines("keterkaitan"), lines("peralatan"), text("peringatan"), text("pencatatan"),
                      day_mode, text("tempat", False))

    def role(self, raw: dict, where: str) -> Role:
        return Role(self.need(raw, "id", where, str, ""), self.need(raw, "label", where, str, ""))

    def signer(self, raw: dict, role_ids: set[str]) -> Signer:
        where = "sop.penandatangan"
        signer = Signer(*(self.need(raw, k, where, str, "") for k in ("nama", "nip", "jabatan", "peran", "pengguna")))
        if signer.role and signer.role not in role_ids:
            self.problems.append(f"{where}.peran: peran '{signer.role}' tidak dikenal")
        return signer

    def step(self, raw: dict, index: int, role_ids: set[str]) -> Step:
        where = f"langkah[{index}]"
        no = self.need(raw, "no", where, int, index)
        if no != index:
            self.problems.append(f"{where}.no: harus {index} (langkah berurutan)")
        role = self.need(raw, "pelaksana", where, str, "")
        if role and role not in role_ids:
            self.problems.append(f"{where}.pelaksana: peran '{role}' tidak dikenal ({', '.join(sorted(role_ids))})")
        buttons = tuple(self.button(b, f"{where}.tombol[{i + 1}]") for i, b in enumerate(self.need(raw, "tombol", where, list, [])))
        fields = tuple(self.field(f, f"{where}.isian[{i + 1}]") for i, f in enumerate(self.need(raw, "isian", where, list, [], False)))
        tables = tuple(self.table(t, f"{where}.tabel[{i + 1}]") for i, t in enumerate(self.need(raw, "tabel", where, list, [], False)))
        days = self.need(raw, "waktu_hari", where, int, None, required=False)
        return Step(no, self.need(raw, "lembar", where, str, ""), self.need(raw, "kegiatan", where, str, ""), role,
                    self.need(raw, "kelengkapan", where, str, ""), days, self.need(raw, "output", where, str, ""),
                    buttons, fields, tables)

    def button(self, raw: dict, where: str) -> Button:
        action = self.need(raw, "aksi", where, str, "")
        if action and action not in ACTIONS:
            self.problems.append(f"{where}.aksi: '{action}' tidak dikenal ({', '.join(ACTIONS)})")
        return Button(action, self.need(raw, "label", where, str, ""), self.need(raw, "ikon", where, str, "", False) or "Info")

    def field(self, raw: dict, where: str, register: bool = True) -> Field:
        name = self.need(raw, "nama", where, str, "")
        if register and name:
            self.name(name, f"{where}.nama")
        kind = self.need(raw, "tipe", where, str, "teks")
        if kind not in FIELD_TYPES:
            self.problems.append(f"{where}.tipe: '{kind}' bukan tipe yang dikenal ({', '.join(FIELD_TYPES)})")
        choices = tuple(self.need(raw, "pilihan", where, list, [], required=kind == "pilihan"))
        return Field(name, self.need(raw, "label", where, str, ""), kind, bool(raw.get("wajib", False)), choices,
                     float(raw.get("lebar", 14)))

    def table(self, raw: dict, where: str) -> Table:
        name = self.need(raw, "nama", where, str, "")
        if name:
            self.name(name, f"{where}.nama")
        kind = self.need(raw, "jenis", where, str, "")
        if kind and kind not in _TABLE_KINDS:
            self.problems.append(f"{where}.jenis: '{kind}' tidak dikenal ({', '.join(_TABLE_KINDS)})")
        columns = tuple(self.field(c, f"{where}.kolom[{i + 1}]", register=False)
                        for i, c in enumerate(self.need(raw, "kolom", where, list, [])))
        seen: set[str] = set()
        for i, column in enumerate(columns):
            if column.name in seen:
                self.problems.append(f"{where}.kolom[{i + 1}].nama: nama '{column.name}' ganda")
            seen.add(column.name)
        items = tuple(self.need(raw, "butir", where, list, [], required=kind == "daftar"))
        return Table(name, self.need(raw, "label", where, str, ""), kind, columns,
                     self.need(raw, "baris", where, int, 0, required=kind == "indikator"),
                     self.need(raw, "min_baris", where, int, 0, required=False), items,
                     self.need(raw, "cermin", where, str, "", required=kind == "cermin"),
                     tuple(self.need(raw, "cermin_kolom", where, list, [], required=kind == "cermin")))

    def mirrors(self, steps: tuple[Step, ...]) -> None:
        tables = {t.name: t for s in steps for t in s.tables}
        for step in steps:
            for table in step.tables:
                if table.kind != "cermin":
                    continue
                source = tables.get(table.mirror)
                if source is None:
                    self.problems.append(f"langkah[{step.no}].tabel '{table.name}': cermin '{table.mirror}' tidak ada")
                    continue
                known = {c.name for c in source.columns}
                for col in table.mirror_columns:
                    if col not in known:
                        self.problems.append(f"langkah[{step.no}].tabel '{table.name}': kolom cermin '{col}' tidak ada di '{source.name}'")
