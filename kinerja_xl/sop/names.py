"""The workbook contract: defined names that do not come from the definition, and fixed columns.

Inputs and tables are named by the definition (`disposisi_nomor`, `indikator`, ...);
these are the names every SOP workbook has. The README lists them all.
"""
from __future__ import annotations

HOME_SHEET = "Beranda"
SETTINGS_SHEET = "Pengaturan"
LOG_SHEET = "Log"
CONF_SHEET = "xlwings.conf"
MAP_SHEET = "_peta"   # very hidden: every defined name and its address, for one-call lookup in live Excel

META_FORMAT = "meta_format"
META_SOP = "meta_sop"
META_XLWINGS = "meta_xlwings"
STATUS = "beranda_status"
TURN = "beranda_giliran"
LOG = "log_tabel"
OFFICIALS = "pengaturan_pejabat"
STANDINS = "pengaturan_pengganti"
YEAR = "pengaturan_tahun"
QUARTER = "pengaturan_triwulan"
PERIOD_START = "pengaturan_mulai"
OFF_DAYS = "pengaturan_libur"
SIGNATURE = "ttd_blok"
NAME_MAP = "meta_peta"

SETTINGS_INPUTS = (YEAR, QUARTER, PERIOD_START, OFFICIALS, STANDINS, OFF_DAYS)
QUARTERS = ("I", "II", "III", "IV")

STATUS_COLUMNS = ("No", "Kegiatan", "Pelaksana", "Status", "Oleh", "Waktu Aksi", "Batas Waktu",
                  "Sisa / Terlambat", "Langkah Berikutnya")
LOG_COLUMNS = ("No", "Waktu (WITA)", "Pengguna", "Pejabat", "NIP", "Peran", "Kedudukan", "Aksi", "Langkah",
               "Catatan", "Digest Data", "Hash Sebelumnya", "Hash")
OFFICIAL_COLUMNS = ("Nama", "NIP", "Jabatan", "Peran", "Pengguna Windows")
STANDIN_COLUMNS = ("Jenis (Plh./Plt.)", "Nama", "NIP", "Pengguna Windows", "Menggantikan Peran", "Mulai", "Selesai")
OFF_DAY_COLUMNS = ("Tanggal", "Keterangan")
RECORD_COLUMNS = ("Oleh", "Waktu (WITA)", "Catatan")
SIGNATURE_LABELS = ("Tempat, tanggal", "Jabatan", "Nama", "NIP", "Keterangan")
SIGNATURE_ROWS = len(SIGNATURE_LABELS)

LOG_ROWS = 500
OFFICIAL_ROWS = 20
STANDIN_ROWS = 10
OFF_DAY_ROWS = 40


def record(step_no: int) -> str:
    """The action record of a step sheet: a column of oleh, waktu, catatan."""
    return f"aksi_{step_no}"
