"""`kinerja-xl demo`: the whole SOP on the sample data, through the same CLI staff and tests use,
ending with the exports and an integrity check.

The clock is simulated (fixed WITA times, a few working days apart) so every run
prints the same story.
"""
from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
from importlib import resources
from pathlib import Path

from kinerja_xl.bootstrap import CLOCK_ENV

CONFIG = "contoh_pengaturan.toml"
DATA = "contoh_pk_2026.csv"


def _sample(name: str) -> Path:
    return Path(str(resources.files("kinerja_xl.sop") / name))


def script(book: Path) -> list[tuple[str, str, list[str]]]:
    """(WITA time, what happens, CLI arguments) for each step of the demo."""
    b = str(book)
    review = [f"reviu[{i}].hasil=sesuai" for i in range(1, 9)]
    return [
        ("2026-10-01T09:00", "Sekretaris DPRD mengisi disposisi",
         ["set", b, "disposisi_nomor=005/SETWAN/X/2026", "disposisi_tanggal=01-10-2026",
          "disposisi_kepada=Kepala Bagian", "disposisi_isi=Segera input data kinerja organisasi TW IV 2026",
          "--as", "ardiansyah"]),
        ("2026-10-01T09:05", "Sekretaris DPRD menekan Kirim Disposisi", ["submit", b, "--as", "ardiansyah"]),
        ("2026-10-02T08:30", "Kepala Bagian mengisi perintah",
         ["set", b, "perintah_kepada=Kepala Sub Bagian Perencanaan dan Keuangan", "perintah_tanggal=02-10-2026",
          "perintah_isi=Input data kinerja sesuai PK 2026", "--as", "ridha"]),
        ("2026-10-02T08:35", "Kepala Bagian menekan Teruskan ke Kasubbag", ["submit", b, "--as", "ridha"]),
        ("2026-10-05T10:00", "Kepala Sub Bagian mengimpor indikator PK", ["import", b, str(_sample(DATA)), "--as", "rahmah"]),
        ("2026-10-05T10:10", "Kepala Sub Bagian mengisi kelengkapan",
         ["set", b, "kelengkapan[1].ada=Ada", "kelengkapan[1].referensi=PK 2026 No. 050/01/SETWAN",
          "kelengkapan[2].ada=Ada", "kelengkapan[2].referensi=Rencana Aksi 2026",
          "kelengkapan[3].ada=Ada", "kelengkapan[3].referensi=Draft LKjIP 2026 v1", "--as", "rahmah"]),
        ("2026-10-05T10:15", "Kepala Sub Bagian menekan Kirim Data Kinerja", ["submit", b, "--as", "rahmah"]),
        ("2026-10-06T09:00", "Kepala Bagian mengembalikan untuk perbaikan",
         ["return", b, "--as", "ridha", "--note", "Indikator 4: lampirkan bukti nilai evaluasi SAKIP"]),
        ("2026-10-06T14:00", "Kepala Sub Bagian melengkapi keterangan",
         ["set", b, "indikator[4].keterangan=Bukti: LHE SAKIP 2026 dari Inspektorat", "--as", "rahmah"]),
        ("2026-10-06T14:05", "Kepala Sub Bagian mengirim ulang", ["submit", b, "--as", "rahmah"]),
        ("2026-10-07T09:00", "Kepala Bagian mengisi hasil verifikasi",
         ["set", b, "verifikasi_tanggal=07-10-2026", *review, "--as", "ridha"]),
        ("2026-10-07T09:10", "Kepala Bagian menekan Verifikasi", ["verify", b, "--as", "ridha"]),
        ("2026-10-08T10:00", "Sekretaris DPRD mengisi tempat dan tanggal",
         ["set", b, "validasi_tempat=Paringin", "validasi_tanggal=08-10-2026", "--as", "ardiansyah"]),
        ("2026-10-08T10:05", "Sekretaris DPRD menekan Validasi & Tandatangani", ["validate", b, "--as", "ardiansyah"]),
        ("2026-10-08T10:06", "Status akhir", ["status", b]),
        ("2026-10-09T09:00", "Inspektorat memeriksa integritas buku kerja", ["check", b]),
    ]


def run_demo(out: Path) -> int:
    from kinerja_xl.cli import main

    out = Path(out)
    book = out / "Kinerja_SETWAN_demo.xlsm"
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("Kinerja_SETWAN_demo.xlsm*"):
        stale.unlink()
    shutil.rmtree(out / "ekspor", ignore_errors=True)
    steps = [("", "Membangun buku kerja baru dengan pengaturan contoh",
              ["build", "--config", str(_sample(CONFIG)), "--out", str(book)])] + script(book)
    saved = os.environ.get(CLOCK_ENV)
    try:
        for number, (when, what, argv) in enumerate(steps, 1):
            print(f"\n[{number}/{len(steps)}] {what}" + (f" — {_human(when)}" if when else ""))
            print("  $ kinerja-xl " + " ".join(shlex.quote(a) for a in argv))
            if when:
                os.environ[CLOCK_ENV] = when + "+08:00"
            code = main(argv)
            if code != 0:
                print(f"Demo berhenti: perintah keluar dengan kode {code}.")
                return code
    finally:
        if saved is None:
            os.environ.pop(CLOCK_ENV, None)
        else:
            os.environ[CLOCK_ENV] = saved
    exports = sorted((out / "ekspor").glob("*"))
    print(f"\nSelesai. Buku kerja demo: {book}")
    for folder in exports:
        print(f"Ekspor: {folder}/ ({', '.join(sorted(p.name for p in folder.iterdir()))})")
    return 0


def _human(when: str) -> str:
    return dt.datetime.fromisoformat(when).strftime("%d-%m-%Y %H:%M WITA")
