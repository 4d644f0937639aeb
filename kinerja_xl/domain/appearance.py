"""What a reader sees of a locked block besides its values: a number format can print 68.5 as "95", a hidden
row drops an indicator from the printout, white text on a white cell vanishes, a formula shows (and sends)
whatever it computes. The builder and the actions never do any of this, so in completed steps, the log and
the signature it is a finding (docs/integrity.md)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_QUOTED = re.compile(r'"([^"]*)"')
_SECTION = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')  # a ; outside quotes
_DECORATION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')  # literals, escapes, [colour]/[condition], padding
_DATE_CODES = re.compile(r"[dmyhsDMYHS]")


@dataclass(frozen=True)
class Look:
    """A block's appearance: number formats by cell, hidden rows and columns (0-based in the block), and cells
    whose text is drawn in the colour of their background."""

    formats: tuple[tuple[str, ...], ...]
    hidden_rows: tuple[int, ...] = ()
    hidden_cols: tuple[int, ...] = ()
    invisible: tuple[tuple[int, int], ...] = ()
    formulas: tuple[tuple[int, int], ...] = ()


def unreadable(colour: str | None, background: str | None) -> bool:
    """Text drawn in (nearly) the colour of its background, both as ARGB (None: not known): a contrast ratio
    under 1.5 (WCAG's formula), e.g. white on white or on the pale input fills."""
    if colour is None or background is None:
        return False
    light, dark = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05) < 1.5


def _luminance(argb: str) -> float:
    def channel(hex2: str) -> float:
        v = int(hex2, 16) / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    rgb = argb[-6:]
    r, g, b = (channel(rgb[i:i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def forging_format(number_format: str) -> bool:
    """A format that shows something other than the value: a section with no placeholder for it (`"95"`,
    `[>0]"OK"`, a text section without @), an empty section (`0;;;` prints nothing), or literal digits. Dates,
    decimals, currency text, thousands separators and colours are fine, however an engine spells them
    (LibreOffice writes DD-MM-YYYY as dd\\-mm\\-yyyy)."""
    if number_format in ("General", "@"):
        return False
    if any(ch.isdigit() for text in _QUOTED.findall(number_format) for ch in text) or re.search(r"\\\d", number_format):
        return True
    for section in _SECTION.split(number_format)[:4]:
        core = _DECORATION.sub("", section).strip()
        if not core or not (set(core) & set("0#?@") or _DATE_CODES.search(core) or core.lower() == "general"):
            return True
    return False


def same_format(a: str, b: str) -> bool:
    """Two spellings of one format: engines differ in case and in escaping literal separators."""
    def plain(f: str) -> str:
        return re.sub(r'\\(.)|"([^"0-9A-Za-z])"', lambda m: m.group(1) or m.group(2), f).lower()
    return plain(a) == plain(b)


def _sealed_by_format(value, built_format: str) -> bool:
    """Whose printed form the format decides: a number always (0.00 shown as 0 rounds 68.5 to 69); a date where
    the builder chose its format (mm-dd-yyyy prints 1 October as 10-01). A date in a General cell gets whatever
    format the engine picks when it is typed or written (Excel's locale short date, openpyxl's yyyy-mm-dd), so
    there the format is not evidence either way."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, (dt.date, dt.time)) and not same_format(built_format, "General")


def problems(name: str, look: Look, built: Look, values, at, label) -> list[str]:
    """Findings for one block against the block as built; `values` are its cells, `at(r, c)` and
    `label(r, c)` name a cell. A number's format, and a date's where the builder chose it, must stay as built;
    any cell's format may not forge."""
    found = []
    for r, row in enumerate(look.formats):
        for c, number_format in enumerate(row):
            was = built.formats[r][c] if r < len(built.formats) and c < len(built.formats[r]) else "General"
            if number_format == was or same_format(number_format, was):
                continue
            value = values[r][c] if r < len(values) and c < len(values[r]) else None
            if forging_format(number_format):
                found.append(f"Sel {at(r, c)} ({label(r, c)}) diberi format angka '{number_format}' yang menampilkan "
                             "isi lain dari nilainya.")
            elif _sealed_by_format(value, was):
                found.append(f"Format angka sel {at(r, c)} ({label(r, c)}) diubah dari '{was}' menjadi "
                             f"'{number_format}': yang tercetak berbeda dari yang tercatat.")
    for r in look.hidden_rows:
        found.append(f"Baris sel {at(r, 0)} ({label(r, 0)}) disembunyikan: isinya tidak tampak di layar dan cetakan.")
    for c in look.hidden_cols:
        found.append(f"Kolom sel {at(0, c)} ({label(0, c)}) disembunyikan: isinya tidak tampak di layar dan cetakan.")
    for r, c in look.invisible:
        found.append(f"Teks sel {at(r, c)} ({label(r, c)}) berwarna sama dengan latarnya, jadi tidak terbaca.")
    for r, c in look.formulas:
        found.append(f"Sel {at(r, c)} ({label(r, c)}) berisi rumus, bukan nilai: yang tampak dihitung oleh Excel, "
                     "bukan yang tercatat.")
    return found
