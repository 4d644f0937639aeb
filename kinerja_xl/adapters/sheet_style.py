"""Look and print setup shared by every sheet, so all steps read the same on screen and on A4."""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TITLE = Font(name="Calibri", size=14, bold=True)
BOLD = Font(name="Calibri", bold=True)
HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")   # required input: pale yellow
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
OUTPUT_FILL = PatternFill("solid", fgColor="EDEDED")     # written by the workflow, never typed
RED_FILL = PatternFill("solid", fgColor="F8CBAD")
YELLOW_FILL = PatternFill("solid", fgColor="FFE699")
GREEN_FILL = PatternFill("solid", fgColor="C6E0B4")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# The Bagan Alir's flowchart symbols, drawn as cells: fill and frame tell them apart, a short label names them.
DARK = Side(style="thin", color="000000")
HEAVY = Side(style="medium", color="000000")
TERMINATOR_FILL = PatternFill("solid", fgColor="BDD7EE")  # Mulai / Selesai
PROCESS_FILL = PatternFill("solid", fgColor="DDEBF7")     # kegiatan
DECISION_FILL = PatternFill("solid", fgColor="FCE4D6")    # keputusan: lanjut, atau kembali ke langkah sebelumnya
SYMBOL_FRAMES = {"terminator": Border(left=HEAVY, right=HEAVY, top=HEAVY, bottom=HEAVY),
                 "process": Border(left=DARK, right=DARK, top=DARK, bottom=DARK),
                 "decision": Border(left=HEAVY, right=HEAVY, top=HEAVY, bottom=HEAVY)}
SYMBOL_FILLS = {"terminator": TERMINATOR_FILL, "process": PROCESS_FILL, "decision": DECISION_FILL}
ACTIVE_ROW_FILL = PatternFill("solid", fgColor="FFF2CC", bgColor="FFF2CC")   # the step whose turn it is
ACTIVE_FILL = PatternFill("solid", fgColor="FFC000", bgColor="FFC000")       # its symbol and status cell
DONE_FILL = PatternFill("solid", fgColor="C6E0B4", bgColor="C6E0B4")
CONNECTOR_FONT = Font(name="Calibri", color="808080", bold=True)
REQUIRED_MARK = " *"
# How typed numbers show: Excel puts the office locale's separators in (Rp 13.845.500 on Indonesian Windows).
NUMBER_FORMATS = {"rupiah": '"Rp "#,##0', "bulat": "#,##0", "tanggal": "DD-MM-YYYY"}


def header_row(ws: Worksheet, row: int, col: int, labels) -> None:
    for i, label in enumerate(labels):
        cell = ws.cell(row, col + i, label)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BOX, CENTER


def box(ws: Worksheet, row: int, col: int, rows: int, cols: int, fill: PatternFill) -> None:
    """Border, fill and wrap on every cell of the range, each cell keeping its other formats. The formats are
    added to the workbook's tables once and set on each cell by index, which is what openpyxl's style
    descriptors do per cell (a 500-row log through them took a third of a second)."""
    wb = ws.parent
    border, fill_id, align = wb._borders.add(BOX), wb._fills.add(fill), wb._alignments.add(WRAP)
    for r in range(row, row + rows):
        for c in range(col, col + cols):
            cell = ws.cell(r, c)
            if cell._style is None:  # a cell without formats has no array yet (openpyxl makes it on first set)
                cell._style = StyleArray()
            cell._style.borderId, cell._style.fillId, cell._style.alignmentId = border, fill_id, align


def print_setup(ws: Worksheet, sop_number: str, landscape: bool) -> None:
    """A4, fit to one page wide, SOP number on top and page numbers below."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.left.text = sop_number
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.center.text = "Halaman &P dari &N"


def print_area(ws: Worksheet, skipped: list[tuple[int, int]]) -> None:
    """Print the used part of the sheet except the row spans in `skipped` (the empty rows of long tables): each
    remaining span is one print range, so an empty 200-row table does not fill pages."""
    last_row, last_col = ws.max_row, ws.max_column
    spans, top = [], 1
    for first, last in sorted(skipped):
        if first > top:
            spans.append((top, first - 1))
        top = max(top, last + 1)
    if top <= last_row:
        spans.append((top, last_row))
    letter = get_column_letter(last_col)
    ws.print_area = [f"A{first}:{letter}{last}" for first, last in spans]
