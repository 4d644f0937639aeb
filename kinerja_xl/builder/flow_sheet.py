"""The Bagan Alir sheet: the PermenPAN-RB 35/2012 matrix (No, Kegiatan, one column per pelaksana, Mutu Baku,
Keterangan) with the flowchart symbols drawn as cells, from the definition alone (`export/pdf_flow.py` draws the
same matrix for the PDF). A Status column (`bagan_status`), rewritten by every action, marks whose turn it is;
conditional formatting highlights that step's row and symbol, so nothing but the marks ever changes.

Symbols: a terminator (heavy frame, "Mulai" / "Selesai") for the first and last step, a process box for the
others, a decision ("◇ Sesuai?") for a step that can send the work back, with "Tidak: kembali ke langkah N";
when the last step is a decision, a terminator row below it ends the chart. An arrow in the pelaksana cells
between two consecutive steps shows the hand-over from one column to the next.
"""
from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kinerja_xl.adapters import sheet_style as style
from kinerja_xl.builder import sheets
from kinerja_xl.domain import names as N
from kinerja_xl.domain import status, workflow
from kinerja_xl.domain.definition import Definition, Step

HEADER_ROW = 5   # two header rows: groups (Pelaksana, Mutu Baku), then the role and mutu baku columns
FIRST_STEP_ROW = HEADER_ROW + 2
MUTU_BAKU = ("Kelengkapan", "Waktu", "Output")
SYMBOL_FONT = Font(name="Calibri", bold=True)
WIDTHS = {"No": 5, "Kegiatan": 44, "role": 18, "Kelengkapan": 22, "Waktu": 11, "Output": 28, "Keterangan": 26,
          "Status": 16}


def symbol(d: Definition, step: Step) -> tuple[str, str]:
    """(kind, label) of a step's flowchart symbol."""
    if step.returns:
        targets = " atau ".join(str(b.to) for b in step.returns)
        return "decision", f"◇ Sesuai?\nTidak: kembali ke langkah {targets}"
    if step.no == 1:
        return "terminator", "Mulai" if len(d.steps) > 1 else "Mulai / Selesai"
    if step.no == len(d.steps):
        return "terminator", "Selesai"
    return "process", "Proses"


def note(step: Step) -> str:
    return "; ".join(f"Bila tidak sesuai, dikembalikan ke langkah {b.to}" for b in step.returns)


def flow_sheet(wb, d: Definition) -> None:
    ws = wb.create_sheet(N.FLOW_SHEET)
    lanes = d.lanes
    n = len(lanes)
    first_lane, mutu = 3, 3 + n
    keterangan, state_col = mutu + 3, mutu + 4
    ws.cell(1, 1, d.header.chart_title or d.header.name).font = style.TITLE
    ws.cell(2, 1, f"{d.header.name} · {d.header.number}")
    ws.cell(3, 1, "Simbol: Mulai/Selesai (bingkai tebal, biru) · Proses (kotak) · ◇ keputusan: bila sesuai lanjut, "
                  f"bila tidak kembali ke langkah yang disebut. Baris berwarna: langkah yang sedang berjalan ({status.TURN_MARK}).")
    _header(ws, d, lanes, first_lane, mutu, keterangan, state_col)
    marks = status.flow_marks(workflow.initial(d))
    previous = None
    for i, step in enumerate(d.steps):
        row = FIRST_STEP_ROW + i
        lane = first_lane + lanes.index(step.role)
        texts = {1: step.no, 2: step.activity, mutu: step.documents, mutu + 1: step.time.label if step.time else "",
                 mutu + 2: step.output, keterangan: note(step), state_col: marks[i][0]}
        for col in range(1, state_col + 1):
            cell = ws.cell(row, col, texts.get(col))
            cell.border, cell.alignment = style.BOX, style.WRAP
        for col in (1, mutu + 1, state_col):
            ws.cell(row, col).alignment = style.CENTER
        kind, label = symbol(d, step)
        _draw(ws, row, lane, kind, label)
        if previous is not None and previous != lane:  # the hand-over from the previous step's column
            step_by = 1 if lane > previous else -1
            for col in range(previous, lane, step_by):
                cell = ws.cell(row, col, "→" if step_by > 0 else "←")
                cell.font, cell.alignment = style.CONNECTOR_FONT, style.CENTER
        previous = lane
        lines = max(3, len(step.activity) // 40 + 1, len(step.output) // 25 + 1, len(label.split("\n")) + 1,
                    len(note(step)) // 24 + 1)
        ws.row_dimensions[row].height = 15 * lines
    last = FIRST_STEP_ROW + len(d.steps) - 1
    if d.steps[-1].returns:  # the decision ends the chart only through a terminator below it
        for col in range(1, state_col + 1):
            ws.cell(last + 1, col).border = style.BOX
        _draw(ws, last + 1, previous, "terminator", "Selesai")
        ws.row_dimensions[last + 1].height = 24
    sheets.define(wb, N.FLOW_STATUS, ws, FIRST_STEP_ROW, state_col, len(d.steps), 1)
    _highlight(ws, last, first_lane, mutu, state_col)
    widths = [WIDTHS["No"], WIDTHS["Kegiatan"]] + [WIDTHS["role"]] * n + \
        [WIDTHS[k] for k in (*MUTU_BAKU, "Keterangan", "Status")]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    style.print_setup(ws, d.header.number, landscape=True)


def _header(ws, d: Definition, lanes, first_lane, mutu, keterangan, state_col) -> None:
    top, below = HEADER_ROW, HEADER_ROW + 1
    style.header_row(ws, top, 1, [""] * state_col)
    style.header_row(ws, below, 1, [""] * state_col)
    for col, label in ((1, "No"), (2, "Kegiatan"), (keterangan, "Keterangan"), (state_col, "Status")):
        ws.cell(top, col, label)
        ws.merge_cells(start_row=top, start_column=col, end_row=below, end_column=col)
    ws.cell(top, first_lane, "Pelaksana")
    ws.merge_cells(start_row=top, start_column=first_lane, end_row=top, end_column=mutu - 1)
    ws.cell(top, mutu, "Mutu Baku")
    ws.merge_cells(start_row=top, start_column=mutu, end_row=top, end_column=mutu + 2)
    for i, role in enumerate(lanes):
        ws.cell(below, first_lane + i, d.role(role).label)
    for i, label in enumerate(MUTU_BAKU):
        ws.cell(below, mutu + i, label)
    ws.row_dimensions[below].height = 30


def _draw(ws, row: int, col: int, kind: str, label: str) -> None:
    cell = ws.cell(row, col, label)
    cell.fill, cell.border, cell.font = style.SYMBOL_FILLS[kind], style.SYMBOL_FRAMES[kind], SYMBOL_FONT
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _highlight(ws, last: int, first_lane: int, mutu: int, state_col: int) -> None:
    """The row of the step whose turn it is (its status cell holds the turn mark), its symbol stronger; completed
    steps' status cells green. Conditional formatting only: each action rewrites the marks and nothing else."""
    mark = f"${get_column_letter(state_col)}{FIRST_STEP_ROW}"
    turn = f'ISNUMBER(SEARCH("{status.TURN_MARK.split()[-1]}",{mark}))'
    lanes = f"{get_column_letter(first_lane)}{FIRST_STEP_ROW}:{get_column_letter(mutu - 1)}{last}"
    lane_cell = f"{get_column_letter(first_lane)}{FIRST_STEP_ROW}"
    ws.conditional_formatting.add(lanes, FormulaRule(formula=[f'AND({turn},{lane_cell}<>"",{lane_cell}<>"→",'
                                                              f'{lane_cell}<>"←")'],
                                                     fill=style.ACTIVE_FILL, stopIfTrue=True))
    state = f"{get_column_letter(state_col)}{FIRST_STEP_ROW}:{get_column_letter(state_col)}{last}"
    ws.conditional_formatting.add(state, FormulaRule(formula=[turn], fill=style.ACTIVE_FILL, font=SYMBOL_FONT,
                                                     stopIfTrue=True))
    ws.conditional_formatting.add(state, FormulaRule(formula=[f'{mark}="{status.DONE_MARK}"'], fill=style.DONE_FILL))
    for block in (f"A{FIRST_STEP_ROW}:B{last}",
                  f"{get_column_letter(mutu)}{FIRST_STEP_ROW}:{get_column_letter(state_col - 1)}{last}"):
        ws.conditional_formatting.add(block, FormulaRule(formula=[turn], fill=style.ACTIVE_ROW_FILL, font=SYMBOL_FONT))
