"""The ribbon's attribute quoting is the standard library's `quoteattr`, without importing it (it imports urllib)."""
from xml.sax.saxutils import quoteattr as standard

from hypothesis import given
from hypothesis import strategies as st

from kinerja_xl.builder.ribbon_xml import quoteattr


@given(st.text(alphabet=st.sampled_from("ab\"'&<>\n\r\t xé"), max_size=16) | st.text(max_size=16))
def test_quoteattr_is_the_standard_librarys(value):
    assert quoteattr(value) == standard(value)
