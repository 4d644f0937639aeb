"""The archive on SQLite and PostgreSQL: real exports of four triwulan in, the recap's capaian out, the xlsx with
its chart and regional tables, a tampered folder refused by name, the same export twice stored once, and the
regency report of late and missing OPDs."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kinerja_xl.adapters.archive_db import archive_url, open_archive
from kinerja_xl.service import archive as service
from tests.archive import generator as gen

D = Decimal


def _ingest(db, paths, definitions=()):
    return service.consolidate(db, [Path(p) for p in paths], service.Definitions(db, list(definitions)))


def _row(result, no):
    return next(r for r in result.rows if r.key == no)


def test_four_triwulan_give_the_capaian_of_each_for_naik_and_turun_indicators(archive, exports_copy):
    folder = next(iter(exports_copy.values())).parent
    result = _ingest(archive, [folder])
    assert result.count(service.NEW, service.REPLACES) == 5 and not result.refused
    recap = service.recap_of(archive, service.Definitions(archive), 2026)
    assert recap.labels == ("I", "II", "III", "IV") and len(recap.rows) == 3
    # naik, target 100: R/T x 100 per triwulan, from each triwulan's own export
    one = _row(recap, "1")
    assert [q.capaian for q in one.quarters] == [D("20.00"), D("45.00"), D("70.00"), D("95.00")]
    assert [q.source for q in one.quarters] == [0, 1, 2, 3]
    assert (one.result, one.last_year, one.band, one.trend) == (D("95.00"), D("90.00"), "hijau", "membaik")
    # turun, target 3 days: (2 - R/T) x 100, floored at 0: 4 -> 66.67, 3.5 -> 83.33, 3 -> 100, 2.4 -> 120
    two = _row(recap, "2")
    assert [q.capaian for q in two.quarters] == [D("66.67"), D("83.33"), D("100.00"), D("120.00")]
    assert [float(q.realisasi) for q in two.quarters] == [4, 3.5, 3, 2.4]
    assert (two.result, two.last_year, two.band, two.trend) == (D("120.00"), D("90.00"), "hijau", "membaik")
    # naik, target 80: 64/80 = 80 % this year against 70/80 = 87.5 % last year
    three = _row(recap, "3")
    assert [q.capaian for q in three.quarters] == [D("62.50"), D("70.00"), D("75.00"), D("80.00")]
    assert (three.result, three.last_year, three.band, three.trend) == (D("80.00"), D("87.50"), "kuning", "memburuk")


def test_recap_filters_by_sasaran_and_opd(archive, exports_copy):
    _ingest(archive, [next(iter(exports_copy.values())).parent])
    known = service.Definitions(archive)
    assert [r.key for r in service.recap_of(archive, known, 2026, sasaran="sasaran b").rows] == ["3"]
    assert service.recap_of(archive, known, 2026, opd="Dinas Lain").rows == []
    assert len(service.recap_of(archive, known, 2026, opd="sekretariat dprd").rows) == 3


def test_the_same_export_twice_is_said_once_and_stored_once(archive, exports_copy):
    folder = exports_copy[(2026, "I")]
    first = _ingest(archive, [folder])
    before = archive.counts()
    again = _ingest(archive, [folder])
    assert first.outcomes[0].status == service.NEW
    assert again.outcomes[0].status == service.KNOWN and "sudah ada" in again.outcomes[0].message
    assert archive.counts() == before


def test_a_tampered_folder_is_refused_by_name_and_the_others_go_in(archive, exports_copy):
    bad = exports_copy[(2026, "II")]
    xlsx = next(bad.glob("*.xlsx"))
    xlsx.write_bytes(xlsx.read_bytes() + b"x")
    result = _ingest(archive, [bad.parent])
    refused = result.refused
    assert [o.folder.name for o in refused] == [bad.name]
    assert bad.name in refused[0].message and any(xlsx.name in p for p in refused[0].problems)
    assert result.count(service.NEW, service.REPLACES) == 4
    assert {s["period"] for s in archive.slots() if s["year"] == 2026} == {"I", "III", "IV"}


def test_a_draft_or_an_unknown_definition_is_refused(archive, tmp_path):
    o = gen.opd(1, 3)
    folder = gen.export_folder(tmp_path / "e", o, 2026, 0, gen.indicator_rows(o, 2026, 0, 3))
    unknown = _ingest(archive, [folder])
    assert unknown.outcomes[0].status == service.REFUSED and "--definisi" in unknown.outcomes[0].message
    known = _ingest(archive, [folder], [gen.write_definition(o, tmp_path / "def")])
    assert known.outcomes[0].status == service.NEW
    assert _ingest(archive, [folder]).outcomes[0].status == service.KNOWN  # the definition is in the archive now


def test_a_later_validated_export_of_the_same_period_is_current_and_both_are_kept(archive, tmp_path):
    import datetime as dt

    o = gen.opd(2, 3)
    defs = [gen.write_definition(o, tmp_path / "def")]
    rows = gen.indicator_rows(o, 2026, 0, 3)
    early = gen.export_folder(tmp_path / "a", o, 2026, 0, rows, when=dt.datetime(2026, 4, 7, 10, 0, tzinfo=o.definition.tz))
    rows[0]["realisasi"][0] = 33.0
    later = gen.export_folder(tmp_path / "b", o, 2026, 0, rows, when=dt.datetime(2026, 4, 9, 10, 0, tzinfo=o.definition.tz))
    first = _ingest(archive, [later], defs).outcomes[0]
    second = _ingest(archive, [early], defs).outcomes[0]
    assert first.status == service.NEW
    assert second.status == service.OLDER and later.name in second.message
    slots = [s for s in archive.slots() if s["year"] == 2026]
    assert len(slots) == 2 and [s["current"] for s in slots] == [True, False]
    recap = service.recap_of(archive, service.Definitions(archive), 2026)
    assert float(_row(recap, "1").quarters[0].realisasi) == 33.0


def test_late_and_missing_opds_are_reported_per_period(archive, tmp_path):
    opds = gen.regency(tmp_path / "kab", 3, [2026], periods=3, indicators=2, skip={(2, 2026, 2)}, late={(3, 2026, 1)})
    defs = [gen.write_definition(o, tmp_path / "def") for o in opds]
    _ingest(archive, [tmp_path / "kab"], defs)
    gaps = service.gaps(archive, [2026], expected=["Dinas Baru"])
    found = {(g.opd, g.period, g.status) for g in gaps}
    assert found == {("Dinas Contoh 02", "III", "belum ada"), ("Dinas Contoh 03", "II", "terlambat"),
                     ("Dinas Baru", "I", "belum ada"), ("Dinas Baru", "II", "belum ada"),
                     ("Dinas Baru", "III", "belum ada")}


def test_a_small_regency_consolidates_with_one_tampered_folder_refused(archive, tmp_path):
    opds = gen.regency(tmp_path / "kab", 4, [2025, 2026], indicators=5)
    defs = [gen.write_definition(o, tmp_path / "def") for o in opds]
    victim = sorted((tmp_path / "kab" / opds[2].code / "ekspor").iterdir())[5]
    manifest = json.loads((victim / "manifest.json").read_text())
    manifest["log"]["baris"] = 4
    (victim / "manifest.json").write_text(json.dumps(manifest))
    result = _ingest(archive, [tmp_path / "kab"], defs)
    assert [o.folder.name for o in result.refused] == [victim.name]
    assert result.count(service.NEW, service.REPLACES) == 4 * 2 * 4 - 1
    assert archive.counts()["indicators"] == (4 * 2 * 4 - 1) * 5
    recap = service.recap_of(archive, service.Definitions(archive), 2026)
    assert len(recap.rows) == 4 * 5 and all(r.last_year is not None for r in recap.rows)


# ---------------------------------------------------------------- migrations


def test_an_archive_at_version_1_is_migrated_and_a_newer_one_refused(archive_spec):
    import sqlalchemy as sa

    from kinerja_xl.adapters import archive_schema as S
    from kinerja_xl.domain.errors import Refused

    with open_archive(archive_spec) as db:
        assert db.version() == S.LATEST
    engine = sa.create_engine(archive_url(archive_spec))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_periods_slot"))
        conn.execute(sa.text("DROP INDEX ix_periods_current_year"))
        conn.execute(sa.text("DROP INDEX ix_indicators_period"))
        conn.execute(S.schema_version.delete().where(S.schema_version.c.version == 2))
    with open_archive(archive_spec) as db:
        assert db.version() == 2
        assert {"ix_periods_slot"} <= {i["name"] for i in sa.inspect(db.engine).get_indexes("periods")}
    with engine.begin() as conn:
        conn.execute(S.schema_version.insert().values(version=99, description="masa depan", applied_at="x"))
    engine.dispose()
    with pytest.raises(Refused, match="lebih baru"):
        open_archive(archive_spec)


# ---------------------------------------------------------------- the CLI and the xlsx


def test_rekap_writes_an_xlsx_with_a_line_chart_and_the_regional_tables(cli, exports_copy, archive_spec, tmp_path):
    folder = next(iter(exports_copy.values())).parent
    r = cli("arsip", folder, "--arsip", archive_spec)
    assert r.code == 0, r.err
    assert "5 diarsipkan" in r.out
    out = tmp_path / "rekap.xlsx"
    r = cli("rekap", "--arsip", archive_spec, "--tahun", 2026, "--xlsx", out)
    assert r.code == 0, r.err
    assert "Persentase" in r.out and "120,00" in r.out and "memburuk" in r.out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Rekap", "Grafik Tren", "PK Lampiran", "Evaluasi Renja", "Capaian LKjIP"]
    charts = wb["Grafik Tren"]._charts
    assert len(charts) == 1 and type(charts[0]).__name__ == "LineChart" and len(charts[0].series) == 3
    pk = [list(r) for r in wb["PK Lampiran"].iter_rows(min_row=4, max_row=7, values_only=True)]
    assert pk[0][:4] == ["No", "Sasaran", "Indikator", "Target"]
    assert pk[1][:4] == ["1", "Sasaran A", "Persentase dokumen tepat waktu", 100]
    assert pk[2][:4] == ["2", "Sasaran A", "Rata-rata hari penyelesaian", 3]
    renja = [list(r) for r in wb["Evaluasi Renja"].iter_rows(min_row=4, max_row=6, values_only=True)]
    assert renja[0] == ["No", "Sasaran", "Indikator Kinerja", "Satuan", "Target Renja (K)",
                        "Realisasi Kinerja Triwulan I (K)", "Realisasi Kinerja Triwulan II (K)",
                        "Realisasi Kinerja Triwulan III (K)", "Realisasi Kinerja Triwulan IV (K)",
                        "Realisasi Capaian (K)", "Tingkat Capaian (%)"]
    assert renja[2][4:] == [3, 4, 3.5, 3, 2.4, 2.4, 120]
    lkjip = [list(r) for r in wb["Capaian LKjIP"].iter_rows(min_row=4, max_row=7, values_only=True)]
    assert lkjip[0] == ["Indikator", "Satuan", "Target", "Realisasi", "Capaian %"]
    assert lkjip[3] == ["Indeks kepuasan layanan", "indeks", 80, 64, 80]


def test_rekap_json_and_the_arsip_exit_code_for_a_refused_folder(cli, exports_copy, archive_spec):
    bad = exports_copy[(2026, "III")]
    (bad / "manifest.json").unlink()
    r = cli("arsip", bad.parent, "--arsip", archive_spec)
    assert r.code == 3 and bad.name in r.out and "4 diarsipkan" in r.out
    r = cli("rekap", "--arsip", archive_spec, "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["$schema"].endswith("rekap/1") and data["tahun"] == 2026
    two = next(i for i in data["indikator"] if i["no"] == "2")
    # TW III's own export is missing: its figure comes from TW IV's realisasi_tw3 column, and says so
    assert [p["capaian"] for p in two["periode"]] == [66.67, 83.33, 100.0, 120.0]
    assert [p["dari_periode"] for p in two["periode"]] == ["I", "II", "IV", "IV"]
    assert {"opd": "Sekretariat DPRD Kabupaten Balangan", "tahun": 2026, "periode": "III", "status": "belum ada",
            "keterangan": "tidak ada ekspor tervalidasi di arsip"} in data["kekurangan"]


def test_rekap_without_an_archive_is_a_file_problem(cli, tmp_path):
    r = cli("rekap", "--arsip", tmp_path / "tidak_ada.sqlite")
    assert r.code == 4 and "tidak ada" in r.err
    r = cli("arsip", tmp_path / "tidak_ada", "--arsip", tmp_path / "a.sqlite")
    assert r.code == 4


def test_pk_lampiran_becomes_a_csv_the_workbook_imports(cli, book, tmp_path):
    from tests.flow import to_step

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No", "Sasaran", "Indikator Kinerja", "Satuan", "Target"])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)"])
    ws.append([1, "Meningkatnya layanan", "Persentase layanan tepat waktu", "%", 100])
    ws.append([2, None, "Jumlah keluhan", "keluhan", "10"])
    ws.append([3, "Meningkatnya akuntabilitas", "Nilai SAKIP", None, "70 nilai"])
    wb.save(tmp_path / "pk.xlsx")
    r = cli("pk", tmp_path / "pk.xlsx", "--out", tmp_path / "pk.csv", "--sumber", "Bagian Umum")
    assert r.code == 0, r.err
    text = (tmp_path / "pk.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[2].startswith("2,Meningkatnya layanan,Jumlah keluhan,keluhan,naik,10,")
    assert text[3].startswith("3,Meningkatnya akuntabilitas,Nilai SAKIP,nilai,naik,70,")
    to_step(cli, book, 3)
    r = cli("import", book, tmp_path / "pk.csv", "--as", "rahmah", now="2026-10-05T10:00")
    assert r.code == 0, r.err
