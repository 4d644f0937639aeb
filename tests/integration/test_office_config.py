"""`build --config`: the office's data is checked by the rules Pengaturan is checked by, before anything is
written; a missing or malformed file is a file problem (exit 4), wrong values are refused (exit 3)."""
from __future__ import annotations

import pytest

from tests.conftest import CONFIG


def config_with(tmp_path, old: str, new: str):
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pengaturan.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, expected", [
    ("tahun = 2026", 'tahun = "dua ribu"', "periode.tahun: 'dua ribu' bukan tahun"),
    ('nip = "19620718198302 1 004"', 'nip = "123"', "pejabat[1].nip:"),
    ("mulai = 2026-10-01", 'mulai = "kemarin"', "periode.mulai:"),
    ('jenis = "Plh."', 'jenis = "Pj."', "pengganti[1].jenis: 'Pj.' harus 'Plh.' atau 'Plt.'"),
    ('pengguna = "ardiansyah"', 'pengguna = ""', "pejabat[1].pengguna: wajib diisi"),
    ("[kantor]", "[kantr]", "kantr: bagian tidak dikenal"),
])
def test_a_wrong_value_is_refused_naming_where_and_nothing_is_written(cli, tmp_path, old, new, expected):
    out = tmp_path / "Kinerja_SETWAN.xlsm"
    r = cli("build", "--config", config_with(tmp_path, old, new), "--out", out)
    assert r.code == 3 and expected in r.err and "docs/office-config.md" in r.err, r.err
    assert not out.exists()


@pytest.mark.parametrize("content, expected", [(None, "tidak ditemukan"), ("[periode\ntahun = 2026", "bukan TOML yang sah")])
def test_a_missing_or_malformed_config_file_is_a_file_problem(cli, tmp_path, content, expected):
    path = tmp_path / "pengaturan.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    r = cli("build", "--config", path, "--out", tmp_path / "x.xlsm")
    assert r.code == 4 and expected in r.err, r.err


def test_the_documented_example_builds(cli, tmp_path):
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "office-config.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "contoh.toml"
    path.write_text(example, encoding="utf-8")
    assert cli("build", "--config", path, "--out", tmp_path / "x.xlsm").code == 0


def test_build_without_out_writes_beside_you_unless_there_is_a_workbook_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("build").code == 0 and (tmp_path / "Kinerja_SETWAN.xlsm").exists()
    assert not (tmp_path / "workbook").exists()
    (tmp_path / "workbook").mkdir()
    assert cli("build").code == 0 and (tmp_path / "workbook" / "Kinerja_SETWAN.xlsm").exists()
