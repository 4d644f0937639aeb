"""What the ribbon's VBA calls: `RunPython "import kinerja_xl.ribbon as r; r.tekan('L3_submit')"`.

A click starts Python and imports this module, so it imports nothing heavy at the
top: the live path (xlwings adapter, core) is imported inside `tekan`.
"""
from __future__ import annotations

import re

_STEP_BUTTON = re.compile(r"^L(\d+)_(submit|verify|return|validate)$")
COMMON = ("status", "check", "export")


def parse_button(button_id: str) -> tuple[int | None, str]:
    """'L4_return' -> (4, 'return'); 'status' -> (None, 'status')."""
    match = _STEP_BUTTON.match(button_id)
    if match:
        return int(match.group(1)), match.group(2)
    if button_id in COMMON:
        return None, button_id
    raise ValueError(f"tombol tidak dikenal: {button_id}")


def known_button(button_id: str, definition) -> bool:
    """Whether the definition has this button (used by tests and by `tekan` before acting)."""
    try:
        step, action = parse_button(button_id)
    except ValueError:
        return False
    return step is None or (1 <= step <= len(definition.steps) and action in definition.step(step).actions)


def tekan(button_id: str) -> None:
    """A ribbon button was pressed in the workbook that called us."""
    import xlwings as xw

    from kinerja_xl.live import press

    press(xw.Book.caller(), button_id)
