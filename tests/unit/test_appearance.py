"""What a reader sees of locked data: which number formats forge, which spellings are the same format."""
from __future__ import annotations

import pytest

from kinerja_xl.domain.appearance import Look, forging_format, problems, same_format


@pytest.mark.parametrize("fmt, forges", [
    ('"95"', True), ('0;;;', True), ('\\9\\5', True), ('[>0]"OK";0', True), ('"Rp "#,##0', False),
    ('0;0;0;"ORANG LAIN"', True), ('[Red]0.00', False), ("DD-MM-YYYY HH:MM", False), ('0.00;[Red]-0.00', False),
    ("DD-MM-YYYY", False), ("dd\\-mm\\-yyyy", False), ("0.00", False), ("General", False), ('0"%"', False),
    ('#,##0;-#,##0', False), ('0;-0;;@', True),
])
def test_a_format_forges_when_it_prints_digits_that_are_not_the_value_or_hides_it(fmt, forges):
    assert forging_format(fmt) is forges


@pytest.mark.parametrize("a, b, same", [
    ("DD-MM-YYYY", "dd\\-mm\\-yyyy", True), ('"Rp "#,##0', '"Rp "#,##0', True), ("0.00", "0", False),
    ('0"-"0', "0-0", True), ("General", "general", True), ('"95"', "95", False),
])
def test_engines_spell_one_format_in_several_ways(a, b, same):
    assert same_format(a, b) is same


def test_a_number_whose_format_changed_is_named_and_text_is_not():
    built = Look(formats=(("0.00", "General"),))
    look = Look(formats=(("0", "dd/mm/yyyy"),), hidden_rows=(0,), formulas=((0, 1),))
    found = problems("t", look, built, ((68.5, "teks"),), lambda r, c: f"X{r}{c}", lambda r, c: "L")
    assert found == ["Format angka sel X00 (L) diubah dari '0.00' menjadi '0': yang tercetak berbeda dari yang "
                     "tercatat.",
                     "Baris sel X00 (L) disembunyikan: isinya tidak tampak di layar dan cetakan.",
                     "Sel X01 (L) berisi rumus, bukan nilai: yang tampak dihitung oleh Excel, bukan yang tercatat."]
