"""Computed cells: capaian per indicator row for the period, total rows, mirrors, and `derive` over written tables."""
from __future__ import annotations

import copy

import pytest

from kinerja_xl.domain import derived
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.definition_rules import parse_definition

from tests.unit.sop_dicts import button, indikator_table, raw_definition, sop01, step

SOP01 = sop01()
IND = SOP01.table("indikator")
REVIU = SOP01.table("reviu")

# no, sasaran, indikator, satuan, arah, target, tw1, tw2, tw3, tw4, capaian, sumber, keterangan
NAIK = [1, "Sasaran A", "Indikator A", "%", "naik", 80, 40, 60, 70, 88, None, "LKjIP", None]
TURUN = [2, "Sasaran B", "Indikator B", "kasus", "Turun", "10", "14", "12", None, None, None, "Laporan", "x"]
EMPTY = [None] * 13


def capaian_of(rows):
    return [r[10] for r in rows]


@pytest.mark.parametrize("period_index, expected", [
    (0, [50.0, 60.0, None]),     # TW I:   40/80, 2 - 14/10
    (1, [75.0, 80.0, None]),     # TW II:  60/80, 2 - 12/10
    (2, [87.5, "realisasi belum diisi", None]),
    (3, [110.0, "realisasi belum diisi", None]),
])
def test_capaian_uses_the_realisasi_column_of_the_period(period_index, expected):
    rows = [list(NAIK), list(TURUN), list(EMPTY)]
    assert capaian_of(derived.with_capaian(SOP01, IND, rows, period_index)) == expected


@pytest.mark.parametrize("period_index", [None, 4])
def test_without_a_known_period_capaian_says_so_on_filled_rows_only(period_index):
    out = derived.with_capaian(SOP01, IND, [list(NAIK), list(EMPTY)], period_index)
    assert capaian_of(out) == ["periode belum diisi di Pengaturan", None]


def test_with_capaian_keeps_other_cells_and_does_not_change_its_input():
    rows = [list(NAIK), list(TURUN)]
    before = copy.deepcopy(rows)
    out = derived.with_capaian(SOP01, IND, rows, 1)
    assert rows == before
    assert [r[:10] + r[11:] for r in out] == [r[:10] + r[11:] for r in before]


def test_a_stale_capaian_in_an_emptied_row_is_cleared():
    row = list(EMPTY)
    row[10] = 99.0
    assert capaian_of(derived.with_capaian(SOP01, IND, [row], 1)) == [None]


def test_target_missing_and_unknown_arah_are_reasons_not_errors():
    no_target = list(NAIK)
    no_target[5] = None
    odd = list(NAIK)
    odd[4] = "datar"
    out = derived.with_capaian(SOP01, IND, [no_target, odd], 0)
    assert capaian_of(out) == ["target belum diisi", "arah 'datar' tidak dikenal (naik, turun)"]


def test_realisation_column_choice():
    assert [derived.realisation_column(IND, i) for i in (0, 1, 2, 3, 4, None)] == [
        "realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4", None, None]


# A definition with one realisasi column, a butir table with totals, and a mirror of the indikator table.
SINGLE = indikator_table(realisasi=["real_1"])
SINGLE["kolom"] = [c for c in SINGLE["kolom"] if c["nama"] not in ("real_2", "real_3", "real_4")]
BELANJA = {"nama": "belanja", "label": "Belanja", "jenis": "butir", "baris": 4, "total": ["jumlah", "volume"],
           "kolom": [{"nama": "uraian", "label": "Uraian", "tipe": "teks"},
                     {"nama": "jumlah", "label": "Jumlah", "tipe": "rupiah"},
                     {"nama": "volume", "label": "Volume", "tipe": "bulat"},
                     {"nama": "catatan", "label": "Catatan", "tipe": "teks"}]}
MIRROR = {"nama": "reviu", "label": "Reviu", "jenis": "cermin", "cermin": "indikator",
          "cermin_kolom": ["no", "target", "capaian"],
          "kolom": [{"nama": "hasil", "label": "Hasil", "tipe": "teks"}]}
D = parse_definition(raw_definition(step(1, button("submit"), tabel=[SINGLE, BELANJA]),
                                    step(2, button("validate"), tabel=[MIRROR])))
# no, arah, target, real_1, capaian
SINGLE_ROWS = [[1, "naik", 50, 45, None], [None, None, None, None, None], [3, "turun", 0, 0, None]]


@pytest.mark.parametrize("period_index", [None, 0, 3])
def test_a_single_realisasi_column_is_used_whatever_the_period(period_index):
    out = derived.with_capaian(D, D.table("indikator"), [list(r) for r in SINGLE_ROWS], period_index)
    assert [r[4] for r in out] == [90.0, None, 100.0]


def test_totals_sum_the_amount_columns_and_label_the_row():
    rows = [["ATK", 75000, 3, "a"], ["Konsumsi", "1.250.000", "2", None], [None, None, None, None],
            ["Rusak", "tidak tahu", None, "b"]]
    assert derived.totals(D, D.table("belanja"), rows) == [["Jumlah", 1325000, 5, None]]


def test_totals_keep_fractions_and_are_zero_for_empty_tables():
    table = D.table("belanja")
    assert derived.totals(D, table, [["a", "0,50", 1, None], ["b", 0.25, 1, None]]) == [["Jumlah", 0.75, 2, None]]
    assert derived.totals(D, table, [[None] * 4] * 2) == [["Jumlah", 0, 0, None]]


def test_totals_do_not_overwrite_a_first_column_that_is_summed():
    raw = copy.deepcopy(BELANJA)
    raw["kolom"] = [raw["kolom"][1], raw["kolom"][0]]
    raw["total"] = ["jumlah"]
    d = parse_definition(raw_definition(step(1, button("validate"), tabel=[raw])))
    assert derived.totals(d, d.table("belanja"), [[1000, "x"], ["2.000", "y"]]) == [[3000, None]]


def test_mirror_rows_copy_the_source_filled_rows_and_keep_own_columns():
    # SOP-01 reviu: no, indikator_kinerja, satuan, target, capaian | hasil, catatan
    source = [list(NAIK), list(EMPTY), list(TURUN)]
    source[0][10], source[2][10] = 75.0, 80.0
    current = [[None] * 5 + ["sesuai", "ok"], [None] * 5 + ["perlu perbaikan", None], ["old"] * 5 + [None, None]]
    out = derived.mirror_rows(SOP01, REVIU, source, current)
    assert out == [[1, "Indikator A", "%", 80, 75.0, "sesuai", "ok"],
                   [2, "Indikator B", "kasus", "10", 80.0, "perlu perbaikan", None],
                   [None] * 5 + [None, None]]
    assert current[2][:5] == ["old"] * 5  # the input is not changed


def test_derive_fills_capaian_totals_and_mirrors_of_written_tables_only():
    blocks = {"reviu": Block("2 Langkah", 5, 2, ((None, None, None, "sesuai"), (None, None, None, None)))}
    belanja = [["ATK", "75.000", 1, None], ["Honor", 500000, 2, None]]
    writes = {"indikator": [list(r) for r in SINGLE_ROWS], "belanja": belanja}
    before = copy.deepcopy(writes)
    out = derived.derive(D, writes, blocks, 0)
    assert writes == before
    assert set(out) == {"indikator", "belanja", "belanja_total", "reviu"}
    assert [r[4] for r in out["indikator"]] == [90.0, None, 100.0]
    assert out["belanja"] == belanja
    assert out["belanja_total"] == [["Jumlah", 575000, 3, None]]
    assert out["reviu"] == [[1, 50, 90.0, "sesuai"], [3, 0, 100.0, None]]


def test_derive_without_written_source_tables_leaves_totals_and_mirrors_alone():
    writes = {"catatan": [["x"]]}
    assert derived.derive(D, writes, {}, 0) == writes
    only_belanja = derived.derive(D, {"belanja": [["a", 10, 1, None]]}, {}, None)
    assert set(only_belanja) == {"belanja", "belanja_total"}
    assert only_belanja["belanja_total"] == [["Jumlah", 10, 1, None]]
