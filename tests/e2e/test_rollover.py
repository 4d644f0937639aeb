"""Period after period (issue 18): a validated workbook rolls over to the next period, the new one runs the whole
SOP, and its log continues the old one's chain, which `check --sebelumnya` verifies."""
from __future__ import annotations

import json

import pytest

from kinerja_xl.domain import names as N
from tests.conftest import digest as file_digest, named_cells
from tests.flow import log_rows, tamper, validated, value
from tests import keys
from tests.keys import registry_of


def third_quarter(run, book):
    """SOP-01 for TW III 2026, signed by every official's own key, validated (and exported)."""
    assert run("set", book, "pengaturan_periode=III", "pengaturan_mulai=01-07-2026", "--as", "ardiansyah",
               now="2026-09-30T10:00").code == 0
    validated(run, book)


@pytest.fixture(scope="module")
def tw3_folder(tmp_path_factory, demo_bytes):
    return keys.signed_folder(tmp_path_factory, demo_bytes, "tw3", third_quarter)


@pytest.fixture
def tw3(tw3_folder, tmp_path, monkeypatch):
    return keys.signed_copy(tw3_folder, tmp_path, monkeypatch, "tw3")


def test_the_next_quarter_carries_people_keys_and_indicators_and_runs_the_whole_sop(cli, tw3):
    before = file_digest(tw3)
    r = cli("rollover", tw3, "--as", "ardiansyah", now="2026-09-30T12:00")
    assert r.code == 0, r.err
    new = tw3.with_name("Kinerja_SETWAN_2026_TW-IV.xlsm")
    assert str(new) in r.out and "tabel indikator dengan target dan realisasi" in r.out
    assert file_digest(tw3) == before  # the old period is not touched
    assert (value(new, N.YEAR), value(new, N.PERIOD)) == (2026, "IV")
    assert value(new, N.PERIOD_START).date().isoformat() == "2026-10-01"
    old_rows = [r for r in value(tw3, "indikator") if r[0] is not None]
    new_rows = [r for r in value(new, "indikator") if r[0] is not None]
    assert [r[:10] for r in new_rows] == [r[:10] for r in old_rows]  # targets and realisasi so far
    assert all(r[10] is None for r in new_rows)  # capaian is the new period's to compute
    assert {r[0] for r in value(new, N.KEYS) if r[0]} == {"ardiansyah", "ridha", "rahmah", "fauzi"}
    assert not log_rows(new) and value(new, "disposisi_nomor") is None
    link = json.loads(value(new, N.META_PREVIOUS))
    assert (link["tahun"], link["periode"], link["baris"]) == (2026, "III", len(log_rows(tw3)))

    validated(cli, new)  # the whole SOP again, signed by the same keys
    first = log_rows(new)[0]
    assert first[11] == log_rows(tw3)[-1][12]  # the new log's first row links to the old log's head
    r = cli("check", new, "--sebelumnya", tw3, "--kunci", registry_of(tw3))
    assert r.code == 0, r.out
    export = next((new.parent / "ekspor").glob("*TW-IV*"))
    r = cli("check", export)
    assert r.code == 0, r.out
    r = cli("check", new, "--sebelumnya", next((tw3.parent / "ekspor").glob("*")))
    assert r.code == 0, r.out


def test_a_new_year_starts_from_its_pk_but_keeps_the_link(cli, tw3):
    assert cli("rollover", tw3, "--as", "ardiansyah", "--out", tw3.with_name("iv.xlsm"), now="2026-09-30T12:00").code == 0
    iv = tw3.with_name("iv.xlsm")
    validated(cli, iv)
    r = cli("rollover", iv, "--as", "ardiansyah", now="2026-10-08T09:00")
    assert r.code == 0, r.err
    assert "tahun baru dimulai dari PK" in r.out
    new = iv.with_name("Kinerja_SETWAN_2027_TW-I.xlsm")
    assert (value(new, N.YEAR), value(new, N.PERIOD)) == (2027, "I")
    assert not [r for r in value(new, "indikator") if r[0] is not None]
    assert json.loads(value(new, N.META_PREVIOUS))["periode"] == "IV"


def test_check_names_a_link_that_does_not_match_the_previous_period(cli, tw3, closed):
    assert cli("rollover", tw3, "--as", "ardiansyah", now="2026-09-30T12:00").code == 0
    new = tw3.with_name("Kinerja_SETWAN_2026_TW-IV.xlsm")
    r = cli("check", new)
    assert r.code == 0 and "Periode ini melanjutkan SOP-01-SETWAN 2026 periode III" in r.out
    r = cli("check", new, "--sebelumnya", closed)  # another period's workbook
    assert r.code == 1 and "Tautan ke periode sebelumnya tidak cocok" in r.out
    validated(cli, new)

    def relink(wb):
        link = json.loads(named_cells(wb, N.META_PREVIOUS)[0][0].value)
        link["hash"] = "f" * 64
        named_cells(wb, N.META_PREVIOUS)[0][0].value = json.dumps(link)
    tamper(new, relink)
    r = cli("check", new)
    assert r.code == 1 and "Log baris 2: hash sebelumnya tidak cocok" in r.out


def test_only_a_validated_period_rolls_over_and_only_by_the_admin_or_first_official(cli, book, tmp_path):
    before = file_digest(book)
    r = cli("rollover", book, "--as", "ardiansyah")
    assert r.code == 3 and "belum divalidasi" in r.err
    assert file_digest(book) == before and not list(book.parent.glob("*_TW-*.xlsm"))


def test_someone_else_may_not_roll_over_and_an_existing_file_is_not_replaced(cli, tw3):
    r = cli("rollover", tw3, "--as", "rahmah")
    assert r.code == 3 and "admin atau Sekretaris DPRD" in r.err
    target = tw3.with_name("Kinerja_SETWAN_2026_TW-IV.xlsm")
    target.write_bytes(b"milik orang lain")
    r = cli("rollover", tw3, "--as", "ardiansyah")
    assert r.code == 3 and "sudah ada" in r.err and target.read_bytes() == b"milik orang lain"
