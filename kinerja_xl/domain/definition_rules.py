"""Check a raw definition (the dict of a TOML file) and turn it into a `Definition`: every problem at once.

Why one pass that collects: whoever edits a definition should fix everything in one go,
not meet the problems one run at a time. Each problem says where it is (`langkah[3].tabel[1]...`).
"""
from __future__ import annotations

import re

from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import (ACTIONS, FIELD_TYPES, NUMERIC_TYPES, PERIODS, TABLE_KINDS, TIME_UNITS,
                                          ZONES, Button, Definition, Field, Header, Role, Step, Table, TimeStandard)
from kinerja_xl.domain.errors import DefinitionError

SUPPORTED_FORMAT = 2
RUMUS = ("r_per_t", "dua_minus_r_per_t", "t_per_r", "t_minus_r_per_t")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[a-z]{1,3}[0-9]+$")
_SHEET_FORBIDDEN = set("[]:*?/\\")
_LIST_LIMIT = 255  # Excel keeps at most 255 characters of a dropdown's list

# Office control ids a ribbon button may take its picture from (imageMso). Each is in Microsoft's published list of
# Excel's control identifiers for Office 2013, Office 2016 and Microsoft 365 (Current Channel 2402), the
# excelcontrols.xlsx files of https://github.com/OfficeDev/office-fluent-ui-command-identifiers; a name Excel
# does not know shows no picture at all. A chosen few for workflow buttons: add one only after finding it there.
OFFICE_ICONS = frozenset({
    "AutoSum", "CalculateNow", "Copy", "DataValidation", "ErrorChecking", "FileAddDigitalSignature", "FileCheckIn",
    "FileCheckOut", "FileClose", "FileDocumentInspect", "FileEmailAsPdfEmailAttachment", "FileMarkAsFinal", "FileNew",
    "FileOpen", "FilePermission", "FilePrint", "FilePrintPreview", "FilePrintQuick", "FileSave", "FileSaveAs",
    "FileSaveAsPdfOrXps", "FileSendAsAttachment", "GetExternalDataFromText", "Help", "HyperlinkInsert", "Paste", "Redo",
    "Refresh", "RefreshAll", "ReviewAcceptOrRejectChangeDialog", "ReviewHighlightChanges", "ReviewNewComment",
    "ReviewProtectWorkbook", "ReviewSendForReview", "ReviewShareWorkbook", "SheetProtect", "SignatureLineInsert",
    "SortAscendingExcel", "SortDescendingExcel", "TraceError", "Undo",
})
# The picture of a button whose definition names none.
DEFAULT_ICONS = {"submit": "FileSendAsAttachment", "verify": "DataValidation", "return": "Undo",
                 "validate": "ReviewProtectWorkbook"}

KEYS = {
    "definisi": {"format_versi", "sop", "capaian", "peran", "langkah"},
    "sop": {"kode", "satuan_kerja", "nomor", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", "disahkan_oleh",
            "nama", "judul_bagan", "dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan",
            "pencatatan", "hari", "zona", "periode", "aplikasi", "berkas"},
    "capaian": {"naik", "turun", "merah_di_bawah", "hijau_di_atas"},
    "peran": {"id", "label"},
    "langkah": {"no", "lembar", "kegiatan", "pelaksana", "kelengkapan", "waktu", "satuan_waktu", "output", "tombol",
                "isian", "tabel", "tempat_ttd"},
    "tombol": {"aksi", "label", "ikon", "ke"},
    "isian": {"nama", "label", "tipe", "wajib", "pilihan", "lebar", "boleh_mendatang"},
    "tabel": {"nama", "label", "jenis", "baris", "min_baris", "butir", "kolom", "cermin", "cermin_kolom", "impor",
              "kunci", "total", "target", "arah", "realisasi"},
}


def parse_definition(raw: dict) -> Definition:
    checker = _Checker()
    definition = checker.definition(raw)
    checker.whole(definition)
    if checker.problems:
        raise DefinitionError(checker.problems)
    return definition


def did_you_mean(word: str, known) -> str:
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f"; maksud Anda '{close[0]}'?" if close else ""


class _Checker:
    """Reads the raw dict, noting each problem with its location instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.names: dict[str, str] = {}

    def keys(self, d: dict, kind: str, where: str) -> None:
        for key in d:
            if key not in KEYS[kind]:
                self.problems.append(f"{where}.{key}: kunci tidak dikenal{did_you_mean(key, KEYS[kind])}")

    def need(self, d: dict, key: str, where: str, kind: type | tuple = str, default=None, required=True):
        if key not in d:
            if required:
                self.problems.append(f"{where}.{key}: wajib ada")
            return default
        value = d[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problems.append(f"{where}.{key}: jenis nilai salah ({type(value).__name__})")
            return default
        return value

    def items(self, d: dict, key: str, where: str, kind: str, required=True) -> list[tuple[str, dict]]:
        """A list of tables (`[[langkah]]`, `kolom = [...]`), each with its place and its keys checked."""
        out = []
        for i, item in enumerate(self.need(d, key, where, list, [], required)):
            at = f"{where}.{key}[{i + 1}]" if where != "definisi" else f"{key}[{i + 1}]"
            if not isinstance(item, dict):
                self.problems.append(f"{at}: harus berupa tabel TOML")
                continue
            self.keys(item, kind, at)
            out.append((at, item))
        return out

    def name(self, name: str, where: str) -> None:
        if not name:
            self.problems.append(f"{where}: nama wajib diisi")
        elif not _NAME.match(name) or _CELL_LIKE.match(name) or name in ("r", "c"):
            self.problems.append(f"{where}: nama '{name}' tidak sah (huruf kecil, angka, garis bawah; bukan alamat sel)")
        elif N.is_system_name(name):
            self.problems.append(f"{where}: nama '{name}' dipakai sistem (awalan {', '.join(N.SYSTEM_PREFIXES)})")
        elif name in self.names:
            self.problems.append(f"{where}: nama '{name}' ganda (sudah dipakai di {self.names[name]})")
        else:
            self.names[name] = where

    def definition(self, raw: dict) -> Definition:
        self.keys(raw, "definisi", "definisi")
        version = self.need(raw, "format_versi", "definisi", int, 0)
        if version and version != SUPPORTED_FORMAT:
            self.problems.append(f"definisi.format_versi: versi {version} tidak didukung (program ini membaca versi "
                                 f"{SUPPORTED_FORMAT})")
        sop = self.need(raw, "sop", "definisi", dict, {})
        self.keys(sop, "sop", "sop")
        header = self.header(sop)
        roles = tuple(Role(self.need(r, "id", at, str, ""), self.need(r, "label", at, str, ""))
                      for at, r in self.items(raw, "peran", "definisi", "peran"))
        self.roles(roles)
        day_unit = "hari kalender" if sop.get("hari") == "kalender" else "hari kerja"
        steps = tuple(self.step(at, s, i + 1, {r.id for r in roles}, day_unit)
                      for i, (at, s) in enumerate(self.items(raw, "langkah", "definisi", "langkah")))
        if not steps:
            self.problems.append("definisi.langkah: minimal satu langkah")
        capaian = self.need(raw, "capaian", "definisi", dict, {}, required=False)
        self.keys(capaian, "capaian", "capaian")
        rules = {"naik": "r_per_t", "turun": "dua_minus_r_per_t"} | {k: v for k, v in capaian.items() if k in ("naik", "turun")}
        for arah, rumus in rules.items():
            if rumus not in RUMUS:
                self.problems.append(f"capaian.{arah}: rumus '{rumus}' tidak dikenal ({', '.join(RUMUS)})")
        red = float(self.need(capaian, "merah_di_bawah", "capaian", (int, float), 70, False))
        green = float(self.need(capaian, "hijau_di_atas", "capaian", (int, float), 90, False))
        if red > green:
            self.problems.append("capaian.merah_di_bawah: harus tidak lebih dari hijau_di_atas")
        self.periods_of_indicators(steps, header)
        return Definition(version, header, roles, steps, rules, red, green)

    def periods_of_indicators(self, steps, header: Header) -> None:
        count = len(PERIODS[header.period_unit])
        for step in steps:
            for i, table in enumerate(step.tables, 1):
                if table.kind == "indikator" and len(table.realisations) not in (1, count):
                    self.problems.append(f"langkah[{step.no}].tabel[{i}].realisasi: {len(table.realisations)} kolom; "
                                         f"harus 1, atau {count} (satu per {header.period_unit})")

    def roles(self, roles) -> None:
        ids = [r.id for r in roles]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            self.problems.append(f"peran: id '{dup}' ganda")
        if N.ADMIN_ROLE in ids:
            self.problems.append(f"peran: id '{N.ADMIN_ROLE}' dipakai sistem (admin Pengaturan)")

    def header(self, sop: dict) -> Header:
        text = lambda k, req=True: self.need(sop, k, "sop", str, "", req)  # noqa: E731
        lines = lambda k: tuple(self.need(sop, k, "sop", list, [], False))  # noqa: E731
        if text("hari", False) not in ("", "kerja", "kalender"):
            self.problems.append(f"sop.hari: '{sop['hari']}' harus 'kerja' atau 'kalender'")
        zone = text("zona")
        if zone and zone not in ZONES:
            self.problems.append(f"sop.zona: '{zone}' harus salah satu dari {', '.join(ZONES)}")
        period = text("periode", False) or "tahun"
        if period not in PERIODS:
            self.problems.append(f"sop.periode: '{period}' harus salah satu dari {', '.join(PERIODS)}")
        code = text("kode")
        stem = text("berkas", False) or re.sub(r"[^A-Za-z0-9]+", "_", code).strip("_")
        if re.search(r'[<>:"/\\|?*]', stem):
            self.problems.append(f"sop.berkas: '{stem}' memuat karakter yang tidak boleh ada di nama berkas")
        return Header(code, text("satuan_kerja"), text("nomor"), text("tanggal_pembuatan"), text("tanggal_revisi", False),
                      text("tanggal_efektif"), text("disahkan_oleh"), text("nama"), text("judul_bagan", False),
                      lines("dasar_hukum"), lines("kualifikasi_pelaksana"), lines("keterkaitan"), lines("peralatan"),
                      text("peringatan", False), text("pencatatan", False), text("aplikasi", False) or code, stem,
                      zone if zone in ZONES else "WIB", period if period in PERIODS else "tahun")

    def step(self, where: str, raw: dict, index: int, role_ids: set[str], day_unit: str) -> Step:
        no = self.need(raw, "no", where, int, index)
        if no != index:
            self.problems.append(f"{where}.no: harus {index} (langkah berurutan)")
        role = self.need(raw, "pelaksana", where, str, "")
        if role and role not in role_ids:
            self.problems.append(f"{where}.pelaksana: peran '{role}' tidak dikenal ({', '.join(sorted(role_ids))})")
        buttons = tuple(self.button(at, b) for at, b in self.items(raw, "tombol", where, "tombol"))
        fields = tuple(self.field(at, f) for at, f in self.items(raw, "isian", where, "isian", False))
        tables = tuple(self.table(at, t) for at, t in self.items(raw, "tabel", where, "tabel", False))
        return Step(no, self.sheet(raw, where), self.need(raw, "kegiatan", where, str, ""), role,
                    self.need(raw, "kelengkapan", where, str, "", False), self.time(raw, where, day_unit),
                    self.need(raw, "output", where, str, "", False), buttons, fields, tables,
                    self.need(raw, "tempat_ttd", where, str, "", False))

    def sheet(self, raw: dict, where: str) -> str:
        sheet = self.need(raw, "lembar", where, str, "")
        if "lembar" in raw and not sheet.strip():
            self.problems.append(f"{where}.lembar: nama lembar wajib diisi")
        bad = sorted(set(sheet) & _SHEET_FORBIDDEN)
        if len(sheet) > 31:
            self.problems.append(f"{where}.lembar: '{sheet}' lebih dari 31 karakter (batas Excel)")
        if bad:
            self.problems.append(f"{where}.lembar: '{sheet}' memuat karakter yang tidak boleh di nama lembar Excel: "
                                 f"{' '.join(bad)}")
        if sheet.startswith("'") or sheet.endswith("'") or sheet.casefold() == "history":
            self.problems.append(f"{where}.lembar: '{sheet}' tidak boleh dipakai sebagai nama lembar Excel")
        return sheet

    def time(self, raw: dict, where: str, day_unit: str) -> TimeStandard | None:
        amount = self.need(raw, "waktu", where, int, None, required=False)
        unit = self.need(raw, "satuan_waktu", where, str, day_unit, required=False)
        if unit not in TIME_UNITS:
            self.problems.append(f"{where}.satuan_waktu: '{unit}' harus salah satu dari {', '.join(TIME_UNITS)}")
        if amount is not None and amount <= 0:
            self.problems.append(f"{where}.waktu: harus lebih dari 0")
        return TimeStandard(amount, unit) if amount else None

    def button(self, where: str, raw: dict) -> Button:
        action = self.need(raw, "aksi", where, str, "")
        if action and action not in ACTIONS:
            self.problems.append(f"{where}.aksi: '{action}' tidak dikenal ({', '.join(ACTIONS)})")
        to = self.need(raw, "ke", where, int, None, required=action == "return")
        if to is not None and action != "return":
            self.problems.append(f"{where}.ke: hanya untuk aksi 'return'")
        icon = self.need(raw, "ikon", where, str, "", False)
        if icon and icon not in OFFICE_ICONS:
            self.problems.append(f"{where}.ikon: '{icon}' bukan ikon Office (imageMso) yang dikenal Excel, jadi tombolnya "
                                 f"tanpa gambar{did_you_mean(icon, OFFICE_ICONS)} (daftar ikon: docs/definition.md)")
        return Button(action, self.need(raw, "label", where, str, ""), icon or DEFAULT_ICONS.get(action, "FileSave"), to)

    def field(self, where: str, raw: dict, register: bool = True) -> Field:
        name = self.need(raw, "nama", where, str, "")
        if register:
            self.name(name, f"{where}.nama")
        elif not _NAME.match(name):
            self.problems.append(f"{where}.nama: nama kolom '{name}' tidak sah (huruf kecil, angka, garis bawah)")
        kind = self.need(raw, "tipe", where, str, "teks")
        if kind not in FIELD_TYPES:
            self.problems.append(f"{where}.tipe: '{kind}' bukan tipe yang dikenal ({', '.join(FIELD_TYPES)})")
        choices = tuple(self.need(raw, "pilihan", where, list, [], required=kind == "pilihan"))
        self.choices(choices, where)
        future = self.need(raw, "boleh_mendatang", where, bool, False, required=False)
        if future and kind != "tanggal":
            self.problems.append(f"{where}.boleh_mendatang: hanya untuk tipe 'tanggal'")
        return Field(name, self.need(raw, "label", where, str, ""), kind, self.need(raw, "wajib", where, bool, False, False),
                     choices, float(self.need(raw, "lebar", where, (int, float), 14, False)), future)

    def choices(self, choices: tuple, where: str) -> None:
        for choice in choices:
            if not isinstance(choice, str) or not choice.strip():
                self.problems.append(f"{where}.pilihan: setiap pilihan harus teks yang tidak kosong")
            elif "," in choice or '"' in choice:
                self.problems.append(f"{where}.pilihan: '{choice}' memuat koma atau tanda kutip, yang memecah daftar "
                                     "pilihan Excel")
        if len(",".join(map(str, choices))) > _LIST_LIMIT:
            self.problems.append(f"{where}.pilihan: daftar pilihan lebih dari {_LIST_LIMIT} karakter (batas Excel)")

    def table(self, where: str, raw: dict) -> Table:
        name = self.need(raw, "nama", where, str, "")
        self.name(name, f"{where}.nama")
        kind = self.need(raw, "jenis", where, str, "")
        if kind and kind not in TABLE_KINDS:
            self.problems.append(f"{where}.jenis: '{kind}' tidak dikenal ({', '.join(TABLE_KINDS)})")
        columns = tuple(self.field(at, c, register=False) for at, c in self.items(raw, "kolom", where, "isian"))
        seen: set[str] = set()
        for i, column in enumerate(columns):
            if column.name in seen:
                self.problems.append(f"{where}.kolom[{i + 1}].nama: nama '{column.name}' ganda")
            seen.add(column.name)
        table = Table(name, self.need(raw, "label", where, str, ""), kind, columns,
                      self.need(raw, "baris", where, int, 0, required=kind in ("indikator", "butir")),
                      self.need(raw, "min_baris", where, int, 0, required=False),
                      tuple(self.need(raw, "butir", where, list, [], required=kind == "daftar")),
                      self.need(raw, "cermin", where, str, "", required=kind == "cermin"),
                      tuple(self.need(raw, "cermin_kolom", where, list, [], required=kind == "cermin")),
                      self.need(raw, "impor", where, bool, False, required=False),
                      self.need(raw, "kunci", where, str, "", required=False),
                      tuple(self.need(raw, "total", where, list, [], required=False)),
                      self.need(raw, "target", where, str, "", required=kind == "indikator"),
                      self.need(raw, "arah", where, str, "", required=kind == "indikator"),
                      tuple(self.need(raw, "realisasi", where, list, [], required=kind == "indikator")))
        self.table_columns(table, where, seen)
        if table.totals and name:
            self.name(table.total_name, f"{where}.total (baris jumlah)")
        return table

    def table_columns(self, table: Table, where: str, names: set[str]) -> None:
        types = {c.name: c.type for c in table.columns}
        for key, wanted in (("kunci", [table.key] if table.key else []), ("total", list(table.totals)),
                            ("target", [table.target] if table.target else []),
                            ("arah", [table.direction] if table.direction else []), ("realisasi", list(table.realisations))):
            for column in wanted:
                if column not in names:
                    self.problems.append(f"{where}.{key}: kolom '{column}' tidak ada di tabel ini{did_you_mean(column, names)}")
                elif key in ("total", "target", "realisasi") and types[column] not in NUMERIC_TYPES:
                    self.problems.append(f"{where}.{key}: kolom '{column}' harus bertipe angka, rupiah atau bulat")
        if table.kind == "indikator" and "capaian" not in types.values():
            self.problems.append(f"{where}.kolom: tabel indikator memerlukan satu kolom bertipe 'capaian'")
        if table.kind != "indikator" and "capaian" in types.values():
            self.problems.append(f"{where}.kolom: kolom bertipe 'capaian' hanya untuk tabel jenis 'indikator'")
        if table.importable and table.kind not in ("indikator", "butir"):
            self.problems.append(f"{where}.impor: hanya tabel jenis 'indikator' atau 'butir' yang dapat diimpor")
        if table.totals and table.kind != "butir":
            self.problems.append(f"{where}.total: baris jumlah hanya untuk tabel jenis 'butir'")

    def whole(self, d: Definition) -> None:
        """Rules across steps: sheets, mirrors, signing and where returns go."""
        sheets: dict[str, int] = {}
        for step in d.steps:
            key = step.sheet.casefold()
            if key in {s.casefold() for s in N.SYSTEM_SHEETS}:
                self.problems.append(f"langkah[{step.no}].lembar: '{step.sheet}' adalah nama lembar sistem")
            elif key in sheets:
                self.problems.append(f"langkah[{step.no}].lembar: '{step.sheet}' ganda (sama dengan langkah[{sheets[key]}])")
            sheets.setdefault(key, step.no)
            self.step_rules(d, step)
        self.mirrors(d)
        signing = [s.no for s in d.steps if s.signs]
        if not signing and d.steps:
            self.problems.append("definisi.langkah: tidak ada langkah penandatanganan (tombol dengan aksi 'validate')")
        if len(signing) > 1:
            self.problems.append(f"definisi.langkah: hanya satu langkah boleh menandatangani (aksi 'validate' di langkah "
                                 f"{', '.join(map(str, signing))})")

    def step_rules(self, d: Definition, step: Step) -> None:
        where = f"langkah[{step.no}]"
        forward = [b.action for b in step.buttons if b.action != "return"]
        if len(forward) != 1:
            self.problems.append(f"{where}.tombol: harus tepat satu tombol maju (submit, verify atau validate), "
                                 f"ada {len(forward)}")
        signed_before = any(s.signs for s in d.steps[: step.no - 1])
        targets = [b.to for b in step.returns]
        for i, button in enumerate(step.buttons, 1):
            if button.action == "return" and button.to is not None:
                if button.to >= step.no or button.to < 1:
                    self.problems.append(f"{where}.tombol[{i}].ke: pengembalian hanya ke langkah sebelumnya (1–{step.no - 1}), "
                                         f"bukan {button.to}")
                elif signed_before:
                    self.problems.append(f"{where}.tombol[{i}]: langkah setelah penandatanganan tidak dapat mengembalikan")
        if len(set(targets)) != len(targets):
            self.problems.append(f"{where}.tombol: dua tombol kembalikan ke langkah yang sama")
        if step.sign_place:
            if not step.signs:
                self.problems.append(f"{where}.tempat_ttd: hanya untuk langkah penandatanganan")
            elif step.sign_place not in {f.name for f in step.fields}:
                self.problems.append(f"{where}.tempat_ttd: isian '{step.sign_place}' tidak ada di langkah ini")

    def mirrors(self, d: Definition) -> None:
        tables = {t.name: t for t in d.tables}
        for step in d.steps:
            for table in step.tables:
                if table.kind != "cermin":
                    continue
                source = tables.get(table.mirror)
                if source is None or source.kind == "cermin":
                    self.problems.append(f"langkah[{step.no}].tabel '{table.name}': cermin '{table.mirror}' tidak ada")
                    continue
                known = {c.name for c in source.columns}
                for col in table.mirror_columns:
                    if col not in known:
                        self.problems.append(f"langkah[{step.no}].tabel '{table.name}': kolom cermin '{col}' tidak ada di "
                                             f"'{source.name}'")
