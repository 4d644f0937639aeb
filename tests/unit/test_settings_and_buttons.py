"""Pengaturan as read from its blocks, the export period tag per period unit, and ribbon button ids <-> commands."""
from __future__ import annotations

import datetime as dt

import pytest

from kinerja_xl.domain import buttons
from kinerja_xl.domain import names as N
from kinerja_xl.domain.blocks import Block
from kinerja_xl.domain.commands import Act, Check, Export, RollOver, ShowStatus
from kinerja_xl.domain.definition_rules import parse_definition
from kinerja_xl.domain.settings import Settings, read_settings

from tests.unit.sop_dicts import button, raw_definition, six_steps, sop01, step

SOP01 = sop01()
BY_UNIT = {unit: parse_definition(raw_definition(periode=unit)) for unit in ("bulan", "triwulan", "semester", "tahun")}


def cell(value, row: int = 3) -> Block:
    return Block(N.SETTINGS_SHEET, row, 3, ((value,),))


def blocks(year=2026, period="IV", start="01-10-2026", place=" Paringin ", off=((None, None),)) -> dict[str, Block]:
    out = {N.YEAR: cell(year, 3), N.PERIOD: cell(period, 4), N.PERIOD_START: cell(start, 5),
           N.OFF_DAYS: Block(N.SETTINGS_SHEET, 20, 2, tuple(off))}
    if place is not None:
        out[N.PLACE] = cell(place, 6)
    return out


# ---------------------------------------------------------------- read_settings


def test_read_settings_parses_each_input():
    off = ((dt.date(2026, 12, 24), "Cuti bersama"), ("26-12-2026", "Cuti bersama"), (None, None),
           ("besok", "tidak terbaca"))
    s = read_settings(SOP01, blocks(year="2026", period="iv", start="01-10-2026", off=off))
    assert s == Settings(2026, "IV", dt.date(2026, 10, 1), "Paringin",
                         frozenset({dt.date(2026, 12, 24), dt.date(2026, 12, 26)}))


@pytest.mark.parametrize("year, expected", [(2026, 2026), (2026.0, 2026), ("2026", 2026), (1999, None), (2101, None),
                                            (2026.5, None), ("dua ribu", None), (None, None)])
def test_year_is_a_whole_number_between_2000_and_2100(year, expected):
    assert read_settings(SOP01, blocks(year=year)).year == expected


def test_unreadable_start_and_missing_place_are_empty_not_errors():
    s = read_settings(SOP01, blocks(start="awal oktober", place=None))
    assert s.start is None and s.place == ""


def test_problems_name_each_missing_setting_and_bad_off_day_with_its_cell():
    d = BY_UNIT["bulan"]
    b = blocks(year=None, period="Mai", start=None, off=((None, None), ("32-12-2026", "x")))
    s = read_settings(d, b)
    assert s.period is None
    assert s.problems(d, b) == [
        "Tahun di 'Pengaturan'!C3 (lembar Pengaturan) wajib diisi, mis. 2026",
        "Bulan di 'Pengaturan'!C4 (lembar Pengaturan) wajib diisi: " + ", ".join(d.periods),
        "Tanggal mulai periode di 'Pengaturan'!C5 (lembar Pengaturan) wajib diisi",
        "Tanggal libur di 'Pengaturan'!B21: tanggal tidak ada: '32-12-2026'",
    ]
    assert read_settings(SOP01, blocks()).problems(SOP01, blocks()) == []


# ---------------------------------------------------------------- period tags


@pytest.mark.parametrize("unit, typed, period, index, tag", [
    ("bulan", "Mei", "Mei", 4, "BLN-05"),
    ("bulan", "mei", "Mei", 4, "BLN-05"),
    ("bulan", "Januari", "Januari", 0, "BLN-01"),
    ("bulan", "DESEMBER", "Desember", 11, "BLN-12"),
    ("triwulan", "IV", "IV", 3, "TW-IV"),
    ("triwulan", " i ", "I", 0, "TW-I"),
    ("semester", "II", "II", 1, "SMT-II"),
    ("semester", "I", "I", 0, "SMT-I"),
    ("tahun", "", "Tahunan", 0, "TAHUNAN"),
    ("tahun", "apa saja", "Tahunan", 0, "TAHUNAN"),
])
def test_period_and_its_export_tag(unit, typed, period, index, tag):
    d = BY_UNIT[unit]
    s = read_settings(d, blocks(period=typed))
    assert (s.period, s.period_index(d), s.period_tag(d)) == (period, index, tag)


def test_sop_01_is_triwulan():
    s = read_settings(SOP01, blocks(period="III"))
    assert s.period_tag(SOP01) == "TW-III" and s.period_index(SOP01) == 2


def test_a_period_of_another_unit_is_not_accepted():
    assert read_settings(BY_UNIT["triwulan"], blocks(period="Mei")).period is None
    assert read_settings(BY_UNIT["bulan"], blocks(period="IV")).period is None


@pytest.mark.parametrize("unit", ["bulan", "triwulan", "semester"])
def test_an_unset_period_is_not_tagged_as_yearly(unit):
    d = BY_UNIT[unit]
    assert read_settings(d, blocks(period=None)).period_tag(d) != "TAHUNAN"


# ---------------------------------------------------------------- ribbon buttons

SEVERAL = parse_definition(raw_definition(
    step(1, button("submit")), step(2, button("submit")), step(3, button("submit")), step(4, button("verify")),
    step(5, button("validate"), button("return", 2), button("return", 4))))


def test_button_ids_of_sop_01():
    assert buttons.ids(SOP01) == ["L1_submit", "L2_submit", "L3_submit", "L4_verify", "L4_return", "L5_validate",
                                  "L5_return", "status", "check", "export", "kunci", "periode"]


def test_several_returns_carry_their_target_in_the_id():
    step5 = SEVERAL.step(5)
    assert [buttons.button_id(step5, b) for b in step5.buttons] == ["L5_validate", "L5_return_2", "L5_return_4"]
    assert buttons.button_id(SOP01.step(4), SOP01.step(4).returns[0]) == "L4_return"


def test_single_return_command_has_no_target():
    assert buttons.command(SOP01, "L4_return", "budi", "lengkapi bukti") == Act("return", "budi", "lengkapi bukti", 4, None)
    assert buttons.command(SOP01, "L5_validate", "ani") == Act("validate", "ani", "", 5, None)


def test_several_returns_command_carries_the_target():
    assert buttons.command(SEVERAL, "L5_return_2", "ani") == Act("return", "ani", "", 5, 2)
    assert buttons.command(SEVERAL, "L5_return_4", "ani", "x") == Act("return", "ani", "x", 5, 4)


@pytest.mark.parametrize("d, button_id", [
    (SOP01, "L4_return_3"),    # a single return has no target in its id
    (SEVERAL, "L5_return"),    # several returns need it
    (SEVERAL, "L5_return_3"),  # not a declared target
    (SOP01, "L1_verify"),      # not on that step
    (SOP01, "L6_submit"),      # no such step
    (SOP01, "L01_submit"),
    (SOP01, "hapus"),
    (SOP01, ""),
    (SOP01, "STATUS"),
])
def test_unknown_ids_raise_value_error(d, button_id):
    with pytest.raises(ValueError) as caught:
        buttons.command(d, button_id, "budi")
    assert str(caught.value) == f"tombol tidak dikenal: {button_id}"


@pytest.mark.parametrize("button_id, expected", [
    ("status", ShowStatus()), ("check", Check()),
    ("export", Export(user="siapa saja")),         # the validating official's own key signs the PDF
    ("kunci", buttons.RegisterOwnKey("siapa saja")),  # the edge makes or loads the key, then RegisterKey
    ("periode", RollOver("siapa saja")),
])
def test_common_buttons_need_no_step(button_id, expected):
    assert buttons.command(SOP01, button_id, "siapa saja") == expected
    assert buttons.command(SEVERAL, button_id, "siapa saja") == expected


@pytest.mark.parametrize("d", [SOP01, SEVERAL, parse_definition(six_steps())], ids=["sop01", "several", "six"])
def test_every_button_id_is_unique_and_commands_its_own_button(d):
    all_ids = buttons.ids(d)
    assert len(all_ids) == len(set(all_ids))
    for s in d.steps:
        for b in s.buttons:
            act = buttons.command(d, buttons.button_id(s, b), "u")
            assert (act.action, act.step) == (b.action, s.no)
            assert act.to == (b.to if b.action == "return" and len(s.returns) > 1 else None)
