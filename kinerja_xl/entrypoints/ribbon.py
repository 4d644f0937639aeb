"""What the ribbon's VBA calls: `RunPython "import kinerja_xl.entrypoints.ribbon as r; r.tekan('L3_submit')"`.

A click starts Python and imports this module, so it imports nothing heavy at the
top: the live path (xlwings adapter, domain) is imported inside `tekan`.
"""
from __future__ import annotations


def tekan(button_id: str) -> None:
    """A ribbon button was pressed in the workbook that called us."""
    import xlwings as xw

    from kinerja_xl.entrypoints.live import press

    press(xw.Book.caller(), button_id)
