"""The definition checker: each refusal with its message and its location, and all of them in one go."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kinerja_xl.domain import names as N
from kinerja_xl.domain.definition import Definition, TimeStandard
from kinerja_xl.domain.definition_rules import OFFICE_ICONS, parse_definition
from kinerja_xl.domain.errors import DefinitionError

from tests.unit.sop_dicts import button, indikator_table, raw_definition, raw_sop01, six_steps, step


def problems(raw: dict) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(raw)
    return caught.value.problems


def refused_with(raw: dict, expected: str) -> None:
    """`expected` is one of the problems, and the summary message staff see carries it with its location."""
    with pytest.raises(DefinitionError) as caught:
        parse_definition(raw)
    assert expected in caught.value.problems, caught.value.problems
    assert f"- {expected}" in caught.value.message
    assert caught.value.message.startswith("Definisi SOP tidak sah:")


# ---------------------------------------------------------------- the valid starting points


def test_the_base_dict_and_the_six_step_dict_are_valid():
    """Every refusal below changes one thing of these, so each refusal is caused by that one change."""
    assert isinstance(parse_definition(raw_definition()), Definition)
    d = parse_definition(six_steps())
    assert [s.no for s in d.steps] == [1, 2, 3, 4, 5, 6]
    assert d.signing_step.no == 4
    assert [s.signs for s in d.steps] == [False, False, False, True, False, False]
    assert [b.to for b in d.step(3).returns] == [1, 2]
    assert d.header.zone == "WITA" and d.header.period_unit == "tahun"


def test_sop_01_file_parses_into_its_five_steps():
    d = parse_definition(raw_sop01())
    assert d.header.code == "SOP-01-SETWAN"
    assert d.header.zone == "WITA" and d.header.period_unit == "triwulan"
    assert d.periods == ("I", "II", "III", "IV")
    assert [s.sheet for s in d.steps] == ["1 Disposisi", "2 Perintah", "3 Input Data", "4 Verifikasi", "5 Validasi"]
    assert [s.actions for s in d.steps] == [("submit",), ("submit",), ("submit",), ("verify", "return"),
                                            ("validate", "return")]
    assert d.signing_step.no == 5 and d.step(5).sign_place == "validasi_tempat"
    assert d.step(1).time == TimeStandard(3, "hari kerja") and d.step(2).time is None
    assert d.capaian_rules == {"naik": "r_per_t", "turun": "dua_minus_r_per_t"}
    assert (d.red_below, d.green_above) == (70.0, 90.0)
    indikator = d.table("indikator")
    assert indikator.realisations == ("realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4")
    assert [c.name for c in d.columns_of(d.table("reviu"))][:5] == ["no", "indikator_kinerja", "satuan", "target",
                                                                    "capaian"]
    assert d.rows_of(d.table("kelengkapan")) == 3 and d.rows_of(d.table("reviu")) == 200


def test_defaults_time_unit_follows_sop_hari():
    raw = raw_definition(step(1, button("validate"), waktu=2), hari="kalender")
    assert parse_definition(raw).step(1).time == TimeStandard(2, "hari kalender")
    raw = raw_definition(step(1, button("validate"), waktu=2, satuan_waktu="jam"))
    assert parse_definition(raw).step(1).time == TimeStandard(2, "jam")


# ---------------------------------------------------------------- keys and names


def test_unknown_key_says_where_and_suggests_the_close_one():
    raw = raw_definition()
    raw["langkah"][0]["waktu_hari_"] = 3
    refused_with(raw, "langkah[1].waktu_hari_: kunci tidak dikenal; maksud Anda 'waktu'?")


def test_unknown_key_in_the_header_and_in_a_button():
    raw = raw_definition()
    raw["sop"]["zonaa"] = "WITA"
    raw["langkah"][1]["tombol"][1]["kee"] = 1
    found = problems(raw)
    assert "sop.zonaa: kunci tidak dikenal; maksud Anda 'zona'?" in found
    assert "langkah[2].tombol[2].kee: kunci tidak dikenal; maksud Anda 'ke'?" in found


def test_unknown_key_with_nothing_close_has_no_suggestion():
    raw = raw_definition()
    raw["langkah"][0]["xyzzy"] = 1
    refused_with(raw, "langkah[1].xyzzy: kunci tidak dikenal")


@pytest.mark.parametrize("prefix", N.SYSTEM_PREFIXES)
def test_reserved_name_prefixes_are_refused(prefix):
    raw = raw_definition()
    raw["langkah"][0]["isian"] = [{"nama": f"{prefix}x", "label": "X", "tipe": "teks"}]
    refused_with(raw, f"langkah[1].isian[1].nama: nama '{prefix}x' dipakai sistem "
                      f"(awalan {', '.join(N.SYSTEM_PREFIXES)})")


def test_reserved_prefix_on_a_table_name():
    raw = raw_definition()
    raw["langkah"][0]["tabel"] = [indikator_table(nama="pengaturan_x")]
    refused_with(raw, "langkah[1].tabel[1].nama: nama 'pengaturan_x' dipakai sistem "
                      f"(awalan {', '.join(N.SYSTEM_PREFIXES)})")


# ---------------------------------------------------------------- sheet names


def test_sheet_name_longer_than_31_characters():
    raw = raw_definition()
    raw["langkah"][0]["lembar"] = "x" * 32
    refused_with(raw, f"langkah[1].lembar: '{'x' * 32}' lebih dari 31 karakter (batas Excel)")


def test_sheet_name_of_exactly_31_characters_is_fine():
    raw = raw_definition()
    raw["langkah"][0]["lembar"] = "x" * 31
    assert parse_definition(raw).step(1).sheet == "x" * 31


@pytest.mark.parametrize("char", list("[]:*?/\\"))
def test_forbidden_sheet_characters(char):
    raw = raw_definition()
    raw["langkah"][0]["lembar"] = f"1 Data{char}Masuk"
    refused_with(raw, f"langkah[1].lembar: '1 Data{char}Masuk' memuat karakter yang tidak boleh di nama lembar "
                      f"Excel: {char}")


def test_several_forbidden_sheet_characters_are_named_sorted():
    raw = raw_definition()
    raw["langkah"][0]["lembar"] = "a?b/c"
    refused_with(raw, "langkah[1].lembar: 'a?b/c' memuat karakter yang tidak boleh di nama lembar Excel: / ?")


def test_duplicate_sheet_names_ignore_case():
    raw = raw_definition()
    raw["langkah"][0]["lembar"] = "Data Masuk"
    raw["langkah"][1]["lembar"] = "DATA masuk"
    refused_with(raw, "langkah[2].lembar: 'DATA masuk' ganda (sama dengan langkah[1])")


@pytest.mark.parametrize("sheet", list(N.SYSTEM_SHEETS) + ["log", "BERANDA"])
def test_system_sheet_names_are_refused(sheet):
    raw = raw_definition()
    raw["langkah"][1]["lembar"] = sheet
    refused_with(raw, f"langkah[2].lembar: '{sheet}' adalah nama lembar sistem")


def test_history_and_quoted_sheet_names_are_refused():
    raw = raw_definition()
    raw["langkah"][0]["lembar"] = "History"
    raw["langkah"][1]["lembar"] = "'Data"
    found = problems(raw)
    assert "langkah[1].lembar: 'History' tidak boleh dipakai sebagai nama lembar Excel" in found
    assert "langkah[2].lembar: ''Data' tidak boleh dipakai sebagai nama lembar Excel" in found


# ---------------------------------------------------------------- choices


def test_a_choice_with_a_comma_is_refused():
    raw = raw_definition()
    raw["langkah"][0]["isian"] = [{"nama": "pilih", "label": "Pilih", "tipe": "pilihan", "pilihan": ["Ya, sudah", "Belum"]}]
    refused_with(raw, "langkah[1].isian[1].pilihan: 'Ya, sudah' memuat koma atau tanda kutip, yang memecah daftar "
                      "pilihan Excel")


def test_a_pilihan_field_needs_its_choices():
    raw = raw_definition()
    raw["langkah"][0]["isian"] = [{"nama": "pilih", "label": "Pilih", "tipe": "pilihan"}]
    refused_with(raw, "langkah[1].isian[1].pilihan: wajib ada")


# ---------------------------------------------------------------- signing


def test_no_signing_step():
    raw = raw_definition(step(1, button("submit")), step(2, button("verify")))
    refused_with(raw, "definisi.langkah: tidak ada langkah penandatanganan (tombol dengan aksi 'validate')")


def test_two_signing_steps():
    raw = raw_definition(step(1, button("validate")), step(2, button("submit")), step(3, button("validate")))
    refused_with(raw, "definisi.langkah: hanya satu langkah boleh menandatangani (aksi 'validate' di langkah 1, 3)")


def test_sign_place_only_on_the_signing_step_and_must_be_its_field():
    raw = raw_definition()
    raw["langkah"][0]["tempat_ttd"] = "tempat"
    raw["langkah"][1]["tempat_ttd"] = "tidak_ada"
    found = problems(raw)
    assert "langkah[1].tempat_ttd: hanya untuk langkah penandatanganan" in found
    assert "langkah[2].tempat_ttd: isian 'tidak_ada' tidak ada di langkah ini" in found


# ---------------------------------------------------------------- buttons and returns


@pytest.mark.parametrize("ke", [2, 3])
def test_a_return_to_itself_or_forward_is_refused(ke):
    raw = raw_definition(step(1, button("submit")), step(2, button("validate"), button("return", ke)),
                         step(3, button("submit")))
    refused_with(raw, f"langkah[2].tombol[2].ke: pengembalian hanya ke langkah sebelumnya (1–1), bukan {ke}")


def test_a_return_to_step_zero_is_refused():
    raw = raw_definition(step(1, button("submit")), step(2, button("validate"), button("return", 0)))
    refused_with(raw, "langkah[2].tombol[2].ke: pengembalian hanya ke langkah sebelumnya (1–1), bukan 0")


def test_a_return_without_ke():
    raw = raw_definition(step(1, button("submit")), step(2, button("validate"), button("return")))
    refused_with(raw, "langkah[2].tombol[2].ke: wajib ada")


def test_ke_only_on_a_return():
    raw = raw_definition(step(1, button("submit")), step(2, button("validate", ke=1)))
    refused_with(raw, "langkah[2].tombol[1].ke: hanya untuk aksi 'return'")


def test_two_returns_to_the_same_step():
    raw = raw_definition(step(1, button("submit")), step(2, button("submit")),
                         step(3, button("validate"), button("return", 1), button("return", 1)))
    refused_with(raw, "langkah[3].tombol: dua tombol kembalikan ke langkah yang sama")


def test_a_step_after_signing_cannot_return():
    raw = six_steps()
    raw["langkah"][4]["tombol"].append(button("return", 3))
    refused_with(raw, "langkah[5].tombol[2]: langkah setelah penandatanganan tidak dapat mengembalikan")


def test_two_forward_buttons_on_a_step():
    raw = raw_definition(step(1, button("submit"), button("verify")), step(2, button("validate")))
    refused_with(raw, "langkah[1].tombol: harus tepat satu tombol maju (submit, verify atau validate), ada 2")


def test_a_step_with_only_a_return_has_no_forward_button():
    raw = raw_definition(step(1, button("submit")), step(2, button("return", 1)), step(3, button("validate")))
    refused_with(raw, "langkah[2].tombol: harus tepat satu tombol maju (submit, verify atau validate), ada 0")


def test_unknown_action():
    raw = raw_definition(step(1, button("kirim")), step(2, button("validate")))
    refused_with(raw, "langkah[1].tombol[1].aksi: 'kirim' tidak dikenal (submit, verify, return, validate)")


def test_steps_must_be_numbered_in_order():
    raw = raw_definition(step(1, button("submit")), step(3, button("validate")))
    refused_with(raw, "langkah[2].no: harus 2 (langkah berurutan)")


def test_unknown_role():
    raw = raw_definition(step(1, button("submit"), pelaksana="bupati"), step(2, button("validate")))
    refused_with(raw, "langkah[1].pelaksana: peran 'bupati' tidak dikenal (kepala, staf)")


def test_admin_role_id_is_reserved():
    raw = raw_definition()
    raw["peran"].append({"id": "admin", "label": "Admin"})
    refused_with(raw, "peran: id 'admin' dipakai sistem (admin Pengaturan)")


# ---------------------------------------------------------------- icons (imageMso)


@pytest.mark.parametrize("icon, suggestion", [
    ("ReviewProtectSheet", "; maksud Anda 'ReviewProtectWorkbook'?"),  # not an Excel control id
    ("filesave", "; maksud Anda 'FileSave'?"),                         # ids are case-sensitive
    ("AcceptInvitation", ""),                                          # an Outlook control, not Excel's
])
def test_an_icon_excel_does_not_know_is_refused(icon, suggestion):
    raw = raw_definition()
    raw["langkah"][1]["tombol"][0]["ikon"] = icon
    refused_with(raw, f"langkah[2].tombol[1].ikon: '{icon}' bukan ikon Office (imageMso) yang dikenal Excel, jadi "
                      f"tombolnya tanpa gambar{suggestion} (daftar ikon: docs/definition.md)")


def test_a_button_without_an_icon_gets_one_for_its_action():
    d = parse_definition(six_steps())
    icons = {b.action: b.icon for s in d.steps for b in s.buttons}
    assert icons == {"submit": "FileSendAsAttachment", "verify": "DataValidation", "return": "Undo",
                     "validate": "ReviewProtectWorkbook"}
    assert set(icons.values()) <= OFFICE_ICONS


def test_every_icon_of_the_shipped_definitions_is_known():
    for raw in (raw_sop01(), tomllib.loads((Path(__file__).parents[1] / "data" / "sop_spj.toml").read_text("utf-8"))):
        d = parse_definition(raw)
        assert {b.icon for s in d.steps for b in s.buttons} <= OFFICE_ICONS


# ---------------------------------------------------------------- header and time


def test_unknown_zone():
    refused_with(raw_definition(zona="WIBB"), "sop.zona: 'WIBB' harus salah satu dari WIB, WITA, WIT")


def test_unknown_period():
    refused_with(raw_definition(periode="mingguan"),
                 "sop.periode: 'mingguan' harus salah satu dari bulan, triwulan, semester, tahun")


def test_unknown_hari():
    refused_with(raw_definition(hari="libur"), "sop.hari: 'libur' harus 'kerja' atau 'kalender'")


def test_unknown_time_unit():
    raw = raw_definition(step(1, button("submit"), waktu=3, satuan_waktu="menit"), step(2, button("validate")))
    refused_with(raw, "langkah[1].satuan_waktu: 'menit' harus salah satu dari hari kerja, hari kalender, jam")


def test_time_must_be_positive():
    raw = raw_definition(step(1, button("submit"), waktu=0), step(2, button("validate")))
    refused_with(raw, "langkah[1].waktu: harus lebih dari 0")


def test_a_wrong_value_type_names_the_type():
    raw = raw_definition(step(1, button("submit"), waktu="3"), step(2, button("validate")))
    refused_with(raw, "langkah[1].waktu: jenis nilai salah (str)")


def test_unsupported_format_version():
    raw = raw_definition()
    raw["format_versi"] = 1
    refused_with(raw, "definisi.format_versi: versi 1 tidak didukung (program ini membaca versi 2)")


def test_unknown_capaian_rule():
    raw = raw_definition()
    raw["capaian"] = {"naik": "r_kali_t"}
    refused_with(raw, "capaian.naik: rumus 'r_kali_t' tidak dikenal "
                      "(r_per_t, dua_minus_r_per_t, t_per_r, t_minus_r_per_t)")


# ---------------------------------------------------------------- tables


def with_table(table: dict) -> dict:
    raw = raw_definition(periode="triwulan")  # the helper's table has one realisasi column per triwulan
    raw["langkah"][0]["tabel"] = [table]
    return raw


def test_realisasi_columns_must_be_one_or_one_per_period():
    raw = with_table(indikator_table())
    raw["sop"]["periode"] = "semester"
    refused_with(raw, "langkah[1].tabel[1].realisasi: 4 kolom; harus 1, atau 2 (satu per semester)")


def test_the_indikator_table_helper_is_valid():
    d = parse_definition(with_table(indikator_table()))
    assert d.table("indikator").realisations == ("real_1", "real_2", "real_3", "real_4")


def test_indikator_table_without_a_capaian_column():
    table = indikator_table()
    table["kolom"] = [c for c in table["kolom"] if c["tipe"] != "capaian"]
    refused_with(with_table(table), "langkah[1].tabel[1].kolom: tabel indikator memerlukan satu kolom bertipe 'capaian'")


def test_indikator_table_naming_an_unknown_target_column():
    refused_with(with_table(indikator_table(target="targett")),
                 "langkah[1].tabel[1].target: kolom 'targett' tidak ada di tabel ini; maksud Anda 'target'?")


def test_indikator_table_naming_an_unknown_realisasi_column():
    refused_with(with_table(indikator_table(realisasi=["real_1", "reel_2"])),
                 "langkah[1].tabel[1].realisasi: kolom 'reel_2' tidak ada di tabel ini; maksud Anda 'real_2'?")


def test_indikator_target_must_be_numeric():
    refused_with(with_table(indikator_table(target="arah")),
                 "langkah[1].tabel[1].target: kolom 'arah' harus bertipe angka, rupiah atau bulat")


def test_indikator_table_needs_target_arah_realisasi_and_rows():
    table = indikator_table()
    for key in ("target", "arah", "realisasi", "baris"):
        del table[key]
    found = problems(with_table(table))
    for key in ("target", "arah", "realisasi", "baris"):
        assert f"langkah[1].tabel[1].{key}: wajib ada" in found


def butir_table(**extra) -> dict:
    table = {"nama": "belanja", "label": "Belanja", "jenis": "butir", "baris": 5,
             "kolom": [{"nama": "uraian", "label": "Uraian", "tipe": "teks"},
                       {"nama": "jumlah", "label": "Jumlah", "tipe": "rupiah"}]}
    table.update(extra)
    return table


def test_total_on_a_numeric_column_is_fine():
    assert parse_definition(with_table(butir_table(total=["jumlah"]))).table("belanja").totals == ("jumlah",)


def test_total_on_a_non_numeric_column():
    refused_with(with_table(butir_table(total=["uraian"])),
                 "langkah[1].tabel[1].total: kolom 'uraian' harus bertipe angka, rupiah atau bulat")


def test_total_only_on_butir_tables():
    raw = with_table(indikator_table(total=["target"]))
    refused_with(raw, "langkah[1].tabel[1].total: baris jumlah hanya untuk tabel jenis 'butir'")


def test_capaian_column_only_in_indikator_tables():
    table = butir_table()
    table["kolom"].append({"nama": "capaian", "label": "Capaian", "tipe": "capaian"})
    refused_with(with_table(table), "langkah[1].tabel[1].kolom: kolom bertipe 'capaian' hanya untuk tabel jenis 'indikator'")


def test_duplicate_column_names_in_a_table():
    table = butir_table()
    table["kolom"].append({"nama": "jumlah", "label": "Jumlah lagi", "tipe": "rupiah"})
    refused_with(with_table(table), "langkah[1].tabel[1].kolom[3].nama: nama 'jumlah' ganda")


def test_duplicate_input_names_across_steps():
    raw = raw_definition()
    raw["langkah"][0]["isian"] = [{"nama": "tanggal", "label": "Tanggal", "tipe": "tanggal"}]
    raw["langkah"][1]["isian"] = [{"nama": "tanggal", "label": "Tanggal", "tipe": "tanggal"}]
    refused_with(raw, "langkah[2].isian[1].nama: nama 'tanggal' ganda (sudah dipakai di langkah[1].isian[1].nama)")


def test_a_mirror_of_an_unknown_table():
    raw = raw_definition()
    raw["langkah"][1]["tabel"] = [{"nama": "reviu", "label": "Reviu", "jenis": "cermin", "cermin": "tidak_ada",
                                   "cermin_kolom": ["no"], "kolom": [{"nama": "hasil", "label": "Hasil", "tipe": "teks"}]}]
    refused_with(raw, "langkah[2].tabel 'reviu': cermin 'tidak_ada' tidak ada")


# ---------------------------------------------------------------- empty strings (present but blank)


def test_an_empty_sheet_name_is_refused():
    raw = raw_definition()
    raw["langkah"][0]["lembar"] = ""
    assert any(p.startswith("langkah[1].lembar:") for p in problems(raw))


@pytest.mark.parametrize("kind", ["isian", "tabel"])
def test_an_empty_input_or_table_name_is_refused(kind):
    raw = raw_definition()
    raw["langkah"][0][kind] = ([{"nama": "", "label": "A", "tipe": "teks"}] if kind == "isian"
                               else [indikator_table(nama="")])
    assert any(p.startswith(f"langkah[1].{kind}[1].nama:") for p in problems(raw))


# ---------------------------------------------------------------- everything at once


def test_all_problems_of_one_broken_dict_are_reported_together():
    raw = six_steps(zona="WIBB", periode="mingguan")
    raw["langkah"][0]["waktu_hari_"] = 3
    raw["langkah"][0]["lembar"] = "Data: masuk"
    raw["langkah"][1]["lembar"] = "Log"
    raw["langkah"][1]["isian"] = [{"nama": "pengaturan_x", "label": "X", "tipe": "teks"}]
    raw["langkah"][2]["tombol"].append(button("return", 3))
    raw["langkah"][4]["tombol"].append(button("return", 2))
    raw["langkah"][5]["tombol"].append(button("verify"))
    found = problems(raw)
    expected = [
        "sop.zona: 'WIBB' harus salah satu dari WIB, WITA, WIT",
        "sop.periode: 'mingguan' harus salah satu dari bulan, triwulan, semester, tahun",
        "langkah[1].waktu_hari_: kunci tidak dikenal; maksud Anda 'waktu'?",
        "langkah[1].lembar: 'Data: masuk' memuat karakter yang tidak boleh di nama lembar Excel: :",
        f"langkah[2].isian[1].nama: nama 'pengaturan_x' dipakai sistem (awalan {', '.join(N.SYSTEM_PREFIXES)})",
        "langkah[2].lembar: 'Log' adalah nama lembar sistem",
        "langkah[3].tombol[4].ke: pengembalian hanya ke langkah sebelumnya (1–2), bukan 3",
        "langkah[5].tombol[2]: langkah setelah penandatanganan tidak dapat mengembalikan",
        "langkah[6].tombol: harus tepat satu tombol maju (submit, verify atau validate), ada 2",
    ]
    assert [p for p in expected if p not in found] == []
    assert len(found) == len(expected), found


def test_a_valid_six_step_dict_with_steps_after_signing_parses():
    d = parse_definition(six_steps())
    assert [s.no for s in d.steps if not s.returns and not s.signs] == [1, 2, 5, 6]
    assert d.step(5).activity == "Kegiatan 5" and d.step(6).buttons[0].label == "Tutup"
