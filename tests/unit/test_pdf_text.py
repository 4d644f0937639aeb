"""The PDF's long tables break their cells' text themselves (`pdf_style.wrap`) instead of through a ReportLab
Paragraph per cell: the lines must be the ones a Paragraph makes, or rows would grow or shrink and pages break
elsewhere than the document always did."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja_xl.export import pdf_style as S
from kinerja_xl.export.pdf_tables import CUT_NOTE, LEADING, clip_lines, clipped

WORDS = ["Meningkatnya", "akuntabilitas", "kinerja", "dan", "DPRD", "a", "(b)", "–", "é", "100", "97,78", "x" * 40,
         "catatan00001catatan00002catatan00003"]


def paragraph_lines(text: str, size: float, room: float, bold: bool) -> list[str]:
    p = S.para(text, size, bold)
    p.wrap(room, 1e9)
    if p.blPara.kind == 0:
        lines = [" ".join(str(w) for w in line[1]) for line in p.blPara.lines]
    else:
        lines = ["".join(getattr(w, "text", "") for w in line.words) for line in p.blPara.lines]
    return [" ".join(line.split()) for line in lines]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS + ["\n", " ", "", "\t", "\xa0", "a\xa0b", "\r\n"]), max_size=40), joint=st.sampled_from([" ", "", "\n"]),
       size=st.sampled_from([6.5, 7.5, 8.5, 10]), room=st.floats(20, 300), bold=st.booleans())
def test_wrap_breaks_lines_where_a_paragraph_breaks_them(words, joint, size, room, bold):
    text = joint.join(words)
    assert [" ".join(line.split()) for line in S.wrap(text, size, room, bold)] == paragraph_lines(text, size, room, bold)


def test_width_is_reportlabs_string_width():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for text in ("", "Indikator Kinerja", "Capaian (%) – é …", "1.982"):
        for bold in (False, True):
            assert abs(S.width(text, 7.5, bold) - stringWidth(text, S.BOLD if bold else S.FONT, 7.5)) < 1e-9


def test_an_overlong_text_is_cut_at_a_word_with_the_note_as_a_paragraph_cell_is():
    text = " ".join(f"catatan{i:05d}" for i in range(1, 2501))
    lines = clip_lines(text, 7.5, 200)
    assert len(lines) * 7.5 * LEADING <= 300 and " ".join(lines).endswith(CUT_NOTE.strip())
    assert "catatan00001" in lines[0] and "catatan02500" not in " ".join(lines)
    assert list(lines) == paragraph_lines(clipped(text, 7.5, 200).text, 7.5, 200, False)
