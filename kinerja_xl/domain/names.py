"""The workbook contract: the named parts every SOP workbook has besides the definition's own inputs.

Inputs and tables are named by the definition (`spj_nomor`, `indikator`, ...); these
are the system names, and the only fixed words the code knows. The README lists them all.
"""
from __future__ import annotations

HOME_SHEET = "Beranda"
SETTINGS_SHEET = "Pengaturan"
LOG_SHEET = "Log"
CONF_SHEET = "xlwings.conf"
MAP_SHEET = "_peta"            # very hidden: every defined name and its address, for one-call lookup in live Excel
DEFINITION_SHEET = "_definisi"  # very hidden: the SOP definition the workbook was built from
FLOW_SHEET = "Bagan Alir"      # the PermenPAN-RB 35/2012 flowchart matrix, drawn with cells
SYSTEM_SHEETS = (HOME_SHEET, SETTINGS_SHEET, LOG_SHEET, CONF_SHEET, MAP_SHEET, DEFINITION_SHEET, FLOW_SHEET)
SYSTEM_PREFIXES = ("meta_", "beranda_", "pengaturan_", "log_", "aksi_", "ttd_", "bagan_")
ADMIN_ROLE = "admin"           # may maintain Pengaturan before the period starts
ADMIN_LABEL = "Admin"

META_FORMAT = "meta_format"
META_SOP = "meta_sop"
META_XLWINGS = "meta_xlwings"
META_CONF = "meta_xlwings_conf"
META_PREVIOUS = "meta_sebelumnya"  # the period this one continues (JSON: SOP, year, period, file, log head); empty at first
META_CODE = "meta_kode"  # short SHA-256 of each VBA module and of the ribbon, as built (JSON)
# The xlwings.conf sheet: (key, value as built, may the office change it). xlwings reads this sheet first,
# then an xlwings.conf file beside the workbook, then the user's: every key its Windows code reads is set
# here, so a file dropped on the shared folder cannot choose the interpreter or put the folder on sys.path
# (ADD_WORKBOOK_TO_PYTHONPATH defaults to true in xlwings). See docs/excel.md.
XLWINGS_CONF = (("Interpreter_Win", "", True), ("Interpreter", "python", False), ("PYTHONPATH", "", False),
                ("ADD_WORKBOOK_TO_PYTHONPATH", "False", False), ("Conda Path", "", False), ("Conda Env", "", False),
                ("UDF Modules", "", False), ("Debug UDFs", "False", False), ("LICENSE_KEY", "", False),
                ("Use UDF Server", "False", True), ("Show Console", "False", True))
META_DEFINITION = "meta_definisi"            # the canonical definition, in chunks down one column
META_DEFINITION_HASH = "meta_definisi_sha256"
STATUS = "beranda_status"
TURN = "beranda_giliran"
FLOW_STATUS = "bagan_status"   # the Bagan Alir's status column, one cell per step: marks whose turn it is
LOG = "log_tabel"
OFFICIALS = "pengaturan_pejabat"
STANDINS = "pengaturan_pengganti"
YEAR = "pengaturan_tahun"
PERIOD = "pengaturan_periode"
PERIOD_START = "pengaturan_mulai"
PLACE = "pengaturan_tempat"
ADDRESS = "pengaturan_alamat"  # the office's address, for the kop of the documents
OFF_DAYS = "pengaturan_libur"
KEYS = "pengaturan_kunci"      # each user's public signing key (base64) and its fingerprint
SIGNATURE = "ttd_blok"
NAME_MAP = "meta_peta"

SETTINGS_INPUTS = (YEAR, PERIOD, PERIOD_START, PLACE, ADDRESS, OFFICIALS, STANDINS, OFF_DAYS, KEYS)

STATUS_COLUMNS = ("No", "Kegiatan", "Pelaksana", "Status", "Oleh", "Waktu Aksi", "Batas Waktu",
                  "Sisa / Terlambat", "Langkah Berikutnya")
OFFICIAL_COLUMNS = ("Nama", "NIP", "Jabatan", "Peran", "Pengguna Windows")
STANDIN_COLUMNS = ("Jenis (Plh./Plt.)", "Nama", "NIP", "Pengguna Windows", "Menggantikan Peran", "Mulai", "Selesai")
OFF_DAY_COLUMNS = ("Tanggal", "Keterangan")
KEY_COLUMNS = ("Pengguna Windows", "Kunci Publik (Ed25519)", "Sidik Jari")
SIGNATURE_LABELS = ("Tempat, tanggal", "Jabatan", "Nama", "NIP", "Keterangan")
SIGNATURE_ROWS = len(SIGNATURE_LABELS)
RECORD_ROWS = 3

LOG_ROWS = 500
OFFICIAL_ROWS = 20
STANDIN_ROWS = 10
KEY_ROWS = OFFICIAL_ROWS + STANDIN_ROWS  # one per official and stand-in
OFF_DAY_ROWS = 60  # a year of holidays and cuti bersama (about 25), the next year's first quarter, the office's


def log_columns(zone: str) -> tuple[str, ...]:
    return ("No", f"Waktu ({zone})", "Pengguna", "Pejabat", "NIP", "Peran", "Kedudukan", "Aksi", "Langkah",
            "Catatan", "Digest Data", "Hash Sebelumnya", "Hash", "Tanda Tangan Elektronik")


def record_columns(zone: str) -> tuple[str, ...]:
    return ("Oleh", f"Waktu ({zone})", "Catatan")


def record(step_no: int) -> str:
    """The action record of a step sheet: a column of oleh, waktu, catatan."""
    return f"aksi_{step_no}"


def is_system_name(name: str) -> bool:
    return name.startswith(SYSTEM_PREFIXES)
