"""The Grafik sheet of the exported xlsx: capaian per indicator as bars coloured by band, with the 100 % line."""
from __future__ import annotations

from kinerja_xl.domain.definition import Definition
from kinerja_xl.export import xlsx_styles as S, xlsx_writer as X
from kinerja_xl.export.series import indicator_points

COLOURS = {"merah": "C0504D", "kuning": "E3B505", "hijau": "4E9A3A"}
SHEET = "Grafik"
HEADER = ("Indikator", "Capaian (%)", "Garis 100 %")
_NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')


def capaian_sheet(book: X.Book, d: Definition, blocks, title: str) -> None:
    """Nothing when the SOP has no indicator with a computed capaian. The sheet goes second, after Ringkasan."""
    for table, points in indicator_points(d, blocks):
        if not points:
            continue
        ws = book.sheet(SHEET, (60, 14, 14), index=1)
        ws.row(1, (f"Grafik Capaian per Indikator — {title}",), S.TITLE)
        ws.row(3, HEADER, S.HEADER)
        styles = (S.DEFAULT, S.TWO_DECIMALS, S.DEFAULT)
        for r, p in enumerate(points, 4):
            ws.row(r, (p.label, round(p.value, 2), 100), styles)
        last = 3 + len(points)
        colours = [COLOURS[_band(d, p.value)] for p in points]
        ws.add_chart(chart_xml(f"Capaian per Indikator ({table.label})", last, colours), last + 2, 24, 12)
        return


def _band(d: Definition, value: float) -> str:
    return "merah" if value < d.red_below else "hijau" if value > d.green_above else "kuning"


def _ref(col: str, first: int, last: int | None = None) -> str:
    name = "'" + SHEET.replace("'", "''") + "'"
    return f"{name}!${col}${first}" + (f":${col}${last}" if last else "")


def _rich(text: str) -> str:
    return (f"<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:t>{X.text(text)}</a:t>"
            "</a:r></a:p></c:rich></c:tx>")


def chart_xml(title: str, last: int, colours: list[str]) -> str:
    """A clustered column chart of B4:B`last` over the labels in A, each bar its band's colour, and a dashed line
    of C (100) on the same axes. Values come from the cells (no cached copies), as the export wrote them before."""
    points = "".join(f'<c:dPt><c:idx val="{i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/><c:spPr>'
                     f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr></c:dPt>'
                     for i, colour in enumerate(colours))
    axes = '<c:axId val="10"/><c:axId val="100"/>'
    bars = (f'<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/><c:ser>'
            f'<c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>{_ref("B", 3)}</c:f></c:strRef></c:tx>'
            f'<c:invertIfNegative val="0"/>{points}<c:cat><c:strRef><c:f>{_ref("A", 4, last)}</c:f></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{_ref("B", 4, last)}</c:f></c:numRef></c:val></c:ser><c:gapWidth val="150"/>'
            f"{axes}</c:barChart>")
    line = (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/><c:ser><c:idx val="1"/>'
            f'<c:order val="1"/><c:tx><c:strRef><c:f>{_ref("C", 3)}</c:f></c:strRef></c:tx><c:spPr><a:ln>'
            '<a:solidFill><a:srgbClr val="1F4E78"/></a:solidFill><a:prstDash val="dash"/></a:ln></c:spPr>'
            f'<c:marker><c:symbol val="none"/></c:marker><c:val><c:numRef><c:f>{_ref("C", 4, last)}</c:f></c:numRef>'
            f'</c:val><c:smooth val="0"/></c:ser><c:marker val="1"/>{axes}</c:lineChart>')
    category_axis = ('<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
                     '<c:delete val="0"/><c:axPos val="b"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
                     '<c:tickLblPos val="nextTo"/><c:crossAx val="100"/><c:crosses val="autoZero"/><c:auto val="1"/>'
                     '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>')
    value_axis = ('<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling>'
                  f'<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:title>{_rich("Capaian (%)")}'
                  '<c:overlay val="0"/></c:title><c:numFmt formatCode="General" sourceLinked="1"/>'
                  '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
                  '<c:crossAx val="10"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>')
    return (f'{X.XML}<c:chartSpace {_NS}><c:style val="10"/><c:chart><c:title>{_rich(title)}<c:overlay val="0"/>'
            f'</c:title><c:autoTitleDeleted val="0"/><c:plotArea>{bars}{line}{category_axis}{value_axis}</c:plotArea>'
            '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
            '<c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>')
