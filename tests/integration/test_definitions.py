"""Definitions as data: another SOP builds without code changes; a broken one is refused whole."""
from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
import pytest

from kinerja_xl.domain.errors import DefinitionError
from kinerja_xl.adapters.definition_file import default_definition_path, load_definition, parse_definition

SECOND = Path(__file__).parents[1] / "data" / "sop_02_contoh.toml"


def raw_default() -> dict:
    return tomllib.loads(default_definition_path().read_text(encoding="utf-8"))


def test_embedded_definition_is_sop_01_setwan_verbatim(definition):
    h = definition.header
    assert (h.number, h.name, h.unit) == ("SOP – 01/SETWAN", "SOP Mekanisme Pengumpulan Data Kinerja",
                                          "Sekretariat DPRD Kabupaten Balangan")
    assert [r.label for r in definition.roles] == ["Sekretaris DPRD", "Kepala Bagian", "Kepala Sub Bagian"]
    assert [(s.no, s.role, s.time and s.time.label) for s in definition.steps] == [
        (1, "sekretaris", "3 hari kerja"), (2, "kabag", None), (3, "kasubbag", "3 hari kerja"),
        (4, "kabag", "3 hari kerja"), (5, "sekretaris", "3 hari kerja")]
    assert definition.step(3).documents == "PK, Rencana aksi, draft laporan kinerja"
    assert (definition.header.zone, definition.header.period_unit) == ("WITA", "triwulan")
    assert [b.to for b in definition.step(4).returns + definition.step(5).returns] == [3, 3]


def test_second_sop_builds_and_runs_through_the_cli(tmp_path, cli):
    out = tmp_path / "cuti.xlsm"
    assert cli("build", "--definition", SECOND, "--out", out).code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:4] == ["Beranda", "Pengaturan", "1 Pengajuan", "2 Persetujuan"]
    assert {"cuti_mulai", "cuti_lama", "persetujuan_catatan"} <= set(wb.defined_names)
    # no official is registered by default: a stranger is refused clearly, with whose turn it is
    r = cli("submit", out, "--as", "ardiansyah")
    assert r.code == 3 and "tidak terdaftar" in r.err and "Pegawai" in r.err


def test_each_workbook_runs_the_sop_it_carries(tmp_path, cli, book):
    assert "Disposisi" in cli("status", book, now="2026-10-05T10:00").out
    out = tmp_path / "cuti.xlsm"
    cli("build", "--definition", SECOND, "--out", out)
    r = cli("status", out, "--json")  # the table wraps kegiatan to fit the terminal; the JSON keeps it whole
    assert r.code == 0 and "Mengajukan permohonan cuti" in r.out and "Disposisi" not in r.out


def test_broken_definition_lists_every_problem_and_writes_nothing(tmp_path, cli):
    raw = raw_default()
    raw["langkah"][0]["pelaksana"] = "bupati"                       # unknown role
    raw["langkah"][1]["isian"][0]["nama"] = "disposisi_nomor"         # duplicate field name
    del raw["sop"]["nomor"]                                          # missing key
    raw["langkah"][2]["tabel"][0]["kolom"][5]["tipe"] = "uang"       # bad type
    with pytest.raises(DefinitionError) as caught:
        parse_definition(raw)
    problems = caught.value.problems
    assert "langkah[1].pelaksana: peran 'bupati' tidak dikenal (kabag, kasubbag, sekretaris)" in problems
    assert any(p.startswith("langkah[2].isian[1].nama: nama 'disposisi_nomor' ganda") for p in problems)
    assert "sop.nomor: wajib ada" in problems
    assert any(p.startswith("langkah[3].tabel[1].kolom[6].tipe: 'uang' bukan tipe") for p in problems)
    assert "langkah[3].tabel[1].target: kolom 'target' harus bertipe angka, rupiah atau bulat" in problems
    assert len(problems) == 5


def test_cli_refuses_broken_definition_with_exit_2_and_no_file(tmp_path, cli):
    bad = tmp_path / "rusak.toml"
    bad.write_text(default_definition_path().read_text(encoding="utf-8").replace('pelaksana = "kabag"', 'pelaksana = "camat"'))
    out = tmp_path / "x.xlsm"
    r = cli("build", "--definition", bad, "--out", out)
    assert r.code == 2 and "peran 'camat' tidak dikenal" in r.err and r.err.count("camat") == 2
    assert not out.exists()


def test_names_that_look_like_cells_and_newer_formats_are_refused():
    raw = raw_default()
    raw["langkah"][0]["isian"][0]["nama"] = "tw1"
    raw["format_versi"] = 9
    with pytest.raises(DefinitionError) as caught:
        parse_definition(raw)
    assert any("'tw1' tidak sah" in p for p in caught.value.problems)
    assert any("versi 9 tidak didukung" in p for p in caught.value.problems)


def test_missing_or_unparseable_definition_file(tmp_path):
    with pytest.raises(DefinitionError, match="tidak ditemukan"):
        load_definition(tmp_path / "tidak_ada.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("ini = bukan [toml")
    with pytest.raises(DefinitionError, match="bukan TOML"):
        load_definition(bad)
