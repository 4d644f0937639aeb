"""The archive's fixtures: a throwaway PostgreSQL cluster, an archive per test on SQLite and on PostgreSQL, and
real validated export folders for four triwulan of 2026 and TW IV of 2025, made by running the whole SOP.

PostgreSQL: `initdb` and `pg_ctl` from PATH or /usr/lib/postgresql/*/bin, a cluster in a temporary folder on a
unix socket (no port, no password); as root, the cluster runs as `nobody` (postgres refuses root). When it cannot
be started the PostgreSQL tests FAIL, unless KINERJA_XL_TANPA_POSTGRES=1 says this machine has none.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import CONFIG, runner

WITHOUT_POSTGRES = "KINERJA_XL_TANPA_POSTGRES"
_counter = itertools.count(1)


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_cluster_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    return [runuser, "-u", "nobody", "--", *cmd] if runuser else ["su", "nobody", "-s", "/bin/sh", "-c",
                                                                   " ".join(cmd)]


@pytest.fixture(scope="session")
def postgres_server():
    """The socket folder of a running cluster, or a skip when KINERJA_XL_TANPA_POSTGRES=1 (else a failure)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        if os.environ.get(WITHOUT_POSTGRES) == "1":
            pytest.skip("PostgreSQL tidak terpasang (KINERJA_XL_TANPA_POSTGRES=1)")
        pytest.fail("initdb/pg_ctl tidak ditemukan: pasang PostgreSQL (apt-get install postgresql) atau setel "
                    f"{WITHOUT_POSTGRES}=1")
    root = Path(tempfile.mkdtemp(prefix="kxl-pg-"))
    os.chmod(root, 0o777)
    data, log = root / "data", root / "log"
    try:
        subprocess.run(_as_cluster_user([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync",
                                         "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        subprocess.run(_as_cluster_user([pg_ctl, "-D", str(data), "-l", str(log), "-w", "-o",
                                         f"-k {root} -c listen_addresses='' -F -c max_connections=50", "start"]),
                       check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        if os.environ.get(WITHOUT_POSTGRES) == "1":
            pytest.skip(f"PostgreSQL tidak dapat dijalankan ({exc})")
        pytest.fail(f"PostgreSQL tidak dapat dijalankan: {exc}\n{detail.decode(errors='replace')}")
    try:
        yield root
    finally:
        subprocess.run(_as_cluster_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _fresh_pg_database(root: Path) -> str:
    import sqlalchemy as sa

    name = f"arsip_{os.getpid()}_{next(_counter)}"
    admin = sa.create_engine(f"postgresql+psycopg://postgres@/postgres?host={root}", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@/{name}?host={root}"


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_spec(request, tmp_path) -> str:
    """Where a test's archive lives: an SQLite file in tmp_path, or a fresh database on the test cluster."""
    if request.param == "sqlite":
        return str(tmp_path / "arsip.sqlite")
    return _fresh_pg_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def archive(archive_spec):
    from kinerja_xl.adapters.archive_db import open_archive

    with open_archive(archive_spec) as db:
        yield db


# ---------------------------------------------------------------- real exports through the real workflow

# Three indicators, realisasi cumulative per triwulan: a naik one, a turun one (days, target 3), a naik one that
# falls short. Each triwulan's workbook carries the realisasi known by then.
INDICATORS = [
    ("1", "Sasaran A", "Persentase dokumen tepat waktu", "%", "naik", "100", ["20", "45", "70", "95"]),
    ("2", "Sasaran A", "Rata-rata hari penyelesaian", "hari", "turun", "3", ["4", "3.5", "3", "2.4"]),
    ("3", "Sasaran B", "Indeks kepuasan layanan", "indeks", "naik", "80", ["50", "56", "60", "64"]),
]
LAST_YEAR_TW4 = {"1": "90", "2": "3.3", "3": "70"}
HEADER = "no,sasaran_strategis,indikator_kinerja,satuan,arah,target,{real},sumber_data"
# (year, triwulan, first day of the SOP run): the run after the quarter, Monday-Wednesday starts.
RUNS = [(2026, "I", "2026-04-01"), (2026, "II", "2026-07-01"), (2026, "III", "2026-10-01"), (2026, "IV", "2027-01-04"),
        (2025, "IV", "2026-01-05")]


def _csv(path: Path, year: int, k: int) -> Path:
    columns = [f"realisasi_tw{i}" for i in range(1, 5)]
    lines = [HEADER.format(real=",".join(columns))]
    for no, sasaran, name, unit, arah, target, real in INDICATORS:
        values = real[:k + 1] + [""] * (3 - k)
        if year == 2025:
            values = ["", "", "", LAST_YEAR_TW4[no]]
        lines.append(",".join([no, sasaran, name, unit, arah, target, *values, "Bagian Umum"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _at(day: str, plus: int, time: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(day) + dt.timedelta(days=plus)).isoformat() + "T" + time


def _drive(run, book: Path, year: int, tw: str, start: str, data: Path) -> None:
    import datetime as dt

    ddmm = lambda day: dt.date.fromisoformat(day).strftime("%d-%m-%Y")  # noqa: E731
    d1, d2, d3 = start, _at(start, 1, "")[:10], _at(start, 2, "")[:10]
    steps = [
        ("set", book, f"pengaturan_tahun={year}", f"pengaturan_periode={tw}", f"pengaturan_mulai={ddmm(d1)}",
         "--as", "ardiansyah", _at(d1, 0, "08:00")),
        ("set", book, "disposisi_nomor=005/X", f"disposisi_tanggal={ddmm(d1)}", "disposisi_kepada=Kepala Bagian",
         "disposisi_isi=Segera", "--as", "ardiansyah", _at(d1, 0, "09:00")),
        ("submit", book, "--as", "ardiansyah", _at(d1, 0, "09:05")),
        ("set", book, "perintah_kepada=Kasubbag", f"perintah_tanggal={ddmm(d1)}", "perintah_isi=Input",
         "--as", "ridha", _at(d1, 0, "10:00")),
        ("submit", book, "--as", "ridha", _at(d1, 0, "10:05")),
        ("import", book, data, "--as", "rahmah", _at(d2, 0, "09:00")),
        ("set", book, *[f"kelengkapan[{i}].{c}" for i in (1, 2, 3) for c in ("ada=Ada", "referensi=Dok")],
         "--as", "rahmah", _at(d2, 0, "09:05")),
        ("submit", book, "--as", "rahmah", _at(d2, 0, "09:10")),
        ("set", book, f"verifikasi_tanggal={ddmm(d2)}", *[f"reviu[{i}].hasil=sesuai" for i in (1, 2, 3)],
         "--as", "ridha", _at(d2, 0, "11:00")),
        ("verify", book, "--as", "ridha", _at(d2, 0, "11:05")),
        ("set", book, "validasi_tempat=Paringin", f"validasi_tanggal={ddmm(d3)}", "--as", "ardiansyah",
         _at(d3, 0, "09:00")),
        ("validate", book, "--as", "ardiansyah", _at(d3, 0, "09:05")),
    ]
    for *args, now in steps:
        result = run(*args, now=now)
        assert result.code == 0, (args, result)


@pytest.fixture(scope="session")
def real_exports(tmp_path_factory, demo_bytes) -> dict[tuple[int, str], Path]:
    """(year, triwulan) -> a validated export folder made by `kinerja-xl` itself (all under one ekspor/)."""
    root = tmp_path_factory.mktemp("periode")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        run = runner(mp)
        for n, (year, tw, start) in enumerate(RUNS):
            book = root / f"buku_{year}_{tw}" / "Kinerja_SETWAN.xlsm"
            book.parent.mkdir()
            book.write_bytes(demo_bytes)
            _drive(run, book, year, tw, start, _csv(root / f"data_{n}.csv", year, ["I", "II", "III", "IV"].index(tw)))
            exported = next((book.parent / "ekspor").iterdir())
            out[(year, tw)] = exported
    return out


@pytest.fixture
def exports_copy(real_exports, tmp_path):
    """A private copy of the real exports (tests may tamper with them): (year, tw) -> folder."""
    root = tmp_path / "ekspor"
    root.mkdir()
    return {key: Path(shutil.copytree(folder, root / folder.name)) for key, folder in real_exports.items()}


__all__ = ["CONFIG"]
