"""Excel keeps at most 32,767 characters in a cell: longer typed text is refused, never cut."""
from __future__ import annotations

import datetime as dt

import pytest

from kinerja_xl.domain.definition import Field
from kinerja_xl.domain.inputs import MAX_CELL_TEXT, check_text, normalise
from kinerja_xl.domain.values import InvalidValue

TODAY = dt.date(2026, 10, 5)


def test_excel_cell_limit_is_32767():
    assert MAX_CELL_TEXT == 32_767


def test_text_at_the_limit_passes_and_one_more_is_refused_with_both_numbers():
    assert check_text("a" * 32_767) == "a" * 32_767
    with pytest.raises(InvalidValue) as exc:
        check_text("a" * 40_000)
    assert exc.value.message.startswith("terlalu panjang: 40.000 karakter, Excel menyimpan paling banyak 32.767 per sel")


def test_characters_outside_the_basic_plane_count_twice_as_excel_counts_them():
    with pytest.raises(InvalidValue, match="32.768 karakter"):
        check_text("a" * 32_766 + "\U0001F600")


@pytest.mark.parametrize("kind", ["teks", "angka", "pilihan"])
def test_every_field_type_refuses_an_over_long_text_before_parsing_it(kind):
    field = Field("isi", "Isi", kind, choices=("a",))
    with pytest.raises(InvalidValue, match="terlalu panjang"):
        normalise(field, "x" * 32_768, TODAY)
