"""Strict, predictable parsing of what people type into cells.

Numbers (`parse_number`), the accepted forms:
- a number stored by Excel (int or float) as it is; NaN, infinity and magnitudes above 1e12 are refused;
- text: spaces ignored, an optional trailing `%` dropped (`85%` is 85: the percentage itself);
- `.` and `,` together: `.` groups thousands and `,` is the decimal comma (`1.234,5` = 1234.5);
- only `,`: one decimal comma (`85,5`);
- only `.`: several dots grouping thousands (`1.234.567`), or one decimal point (`68.5`) —
  except one dot followed by exactly three digits (`1.234`), which is ambiguous and refused;
- a minus sign only where negatives are allowed; anything else is refused with a reason.
Amounts (`parse_amount`, for rupiah and whole-number columns): dots only group thousands there,
so `75.000` is seventy-five thousand; an optional `Rp` prefix and a decimal comma (`13.845.500,50`);
whole numbers only where `whole=True`.
Dates (`parse_date`): date cells, `17-08-2026`, `17/08/2026`, `2026-08-17`, `17 Agustus 2026`.
NIP (`parse_nip`): 18 digits (spaces allowed): birth date, appointment year+month, gender, serial.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

NUMBER_FORMS_HELP = "Bentuk yang diterima: 85, 85,5, 1.234,5, 68.5 atau 85%."
DATE_FORMS_HELP = "Bentuk yang diterima: 17-08-2026, 17/08/2026, 2026-08-17 atau 17 Agustus 2026."
LIMIT = Decimal(10) ** 12
MONTHS = {name: i for i, name in enumerate(
    ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
     "november", "desember"), 1)}
MONTHS |= {name[:3]: i for name, i in list(MONTHS.items())} | {"agu": 8, "agt": 8, "okt": 10, "nop": 11, "des": 12}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LONG = re.compile(r"^(\d{1,2}) ([a-z]+) (\d{4})$")


class InvalidValue(ValueError):
    """A cell value that cannot be accepted; `.message` is Indonesian, for staff."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw))


def parse_number(raw, *, allow_negative: bool = False) -> Decimal | None:
    if _blank(raw):
        return None
    if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.time)):
        raise InvalidValue(f"bukan angka: '{raw}'. {NUMBER_FORMS_HELP}")
    if isinstance(raw, (int, float, Decimal)):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise InvalidValue(f"bukan angka: '{raw}'. {NUMBER_FORMS_HELP}")
        number = Decimal(str(raw))
    else:
        number = _parse_text(str(raw))
    if abs(number) > LIMIT:
        raise InvalidValue(f"angka terlalu besar: '{raw}' (paling besar 1.000.000.000.000)")
    if number < 0 and not allow_negative:
        raise InvalidValue(f"tidak boleh negatif: '{raw}'")
    return number


def _parse_text(raw: str) -> Decimal:
    text = _SPACES.sub("", raw)
    if text.startswith("="):
        raise InvalidValue(f"rumus tidak diterima di sel isian: '{raw}'. Ketik angkanya langsung.")
    text = text[:-1] if text.endswith("%") else text
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    if not body or not re.fullmatch(r"[0-9.,]+", body) or not body[0].isdigit() or not body[-1].isdigit():
        raise InvalidValue(f"bukan angka: '{raw}'. {NUMBER_FORMS_HELP}")
    if "." in body and "," in body:
        whole, _, frac = body.rpartition(",")
        if "," in whole or not re.fullmatch(r"\d{1,3}(\.\d{3})+", whole):
            raise InvalidValue(f"bukan angka: '{raw}'. {NUMBER_FORMS_HELP}")
        plain = whole.replace(".", "") + "." + frac
    elif "," in body:
        if body.count(",") > 1:
            raise InvalidValue(f"bukan angka: '{raw}' (koma lebih dari satu). {NUMBER_FORMS_HELP}")
        plain = body.replace(",", ".")
    elif body.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+", body):
            raise InvalidValue(f"bukan angka: '{raw}'. {NUMBER_FORMS_HELP}")
        plain = body.replace(".", "")
    elif re.fullmatch(r"\d+\.\d{3}", body):
        raise InvalidValue(f"angka ambigu: '{raw}' bisa berarti ribuan atau desimal. "
                           f"Tulis {body.replace('.', '')} untuk ribuan atau {body.replace('.', ',')} untuk desimal.")
    else:
        plain = body
    try:
        return Decimal(sign + plain)
    except InvalidOperation:
        raise InvalidValue(f"bukan angka: '{raw}'. {NUMBER_FORMS_HELP}") from None


_AMOUNT = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$")
AMOUNT_FORMS_HELP = "Bentuk yang diterima: 13845500, 13.845.500, Rp 13.845.500 atau 13.845.500,50."


def parse_amount(raw, *, whole: bool = False) -> Decimal | None:
    """An amount of money or a count: thousands are always grouped with dots here, never ambiguous."""
    if _blank(raw):
        return None
    if isinstance(raw, str):
        text = _SPACES.sub("", raw)
        if text[:2].casefold() == "rp":
            text = text[2:].lstrip(".")
        if text.startswith("="):
            raise InvalidValue(f"rumus tidak diterima di sel isian: '{raw}'. Ketik angkanya langsung.")
        if not _AMOUNT.match(text):
            raise InvalidValue(f"bukan jumlah: '{raw}'. {AMOUNT_FORMS_HELP}")
        number = parse_number(Decimal(text.replace(".", "").replace(",", ".")))
    else:
        number = parse_number(raw)
    if whole and number is not None and number != number.to_integral_value():
        raise InvalidValue(f"harus bilangan bulat: '{raw}'")
    return number


def parse_date(raw, *, not_after: dt.date | None = None) -> dt.date | None:
    if _blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        raise InvalidValue(f"'{raw}' adalah angka, bukan tanggal. {DATE_FORMS_HELP}")
    else:
        day = _parse_date_text(str(raw))
    if not_after is not None and day > not_after:
        raise InvalidValue(f"tanggal di masa depan: {day:%d-%m-%Y} (hari ini {not_after:%d-%m-%Y}). "
                           "Isi tanggal yang sudah terjadi.")
    return day


def _parse_date_text(raw: str) -> dt.date:
    text = _SPACES.sub(" ", raw).strip().lower()
    if text.startswith("="):
        raise InvalidValue(f"rumus tidak diterima di sel isian: '{raw}'. Ketik tanggalnya langsung.")
    for pattern, order in ((_DMY, "dmy"), (_YMD, "ymd"), (_LONG, "dMy")):
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = MONTHS.get(parts["M"]) if "M" in parts else int(parts["m"])
        if month is None:
            raise InvalidValue(f"nama bulan tidak dikenal: '{raw}'. {DATE_FORMS_HELP}")
        try:
            return dt.date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            raise InvalidValue(f"tanggal tidak ada: '{raw}'") from None
    raise InvalidValue(f"bukan tanggal: '{raw}'. {DATE_FORMS_HELP}")


def parse_nip(raw) -> str | None:
    if _blank(raw):
        return None
    if isinstance(raw, float) or isinstance(raw, bool):
        raise InvalidValue(f"NIP '{raw}' harus ditulis sebagai teks 18 angka, mis. 19620718 198302 1 004")
    digits = _SPACES.sub("", str(raw))
    if not digits.isdigit() or len(digits) != 18:
        count = sum(ch.isdigit() for ch in digits)
        raise InvalidValue(f"NIP '{raw}' harus 18 angka (ditemukan {count} angka"
                           f"{', dan karakter lain' if not digits.isdigit() else ''})")
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidValue(f"NIP '{raw}': 8 angka pertama bukan tanggal lahir yang sah") from None
    if not 1940 <= born.year <= 2015:
        raise InvalidValue(f"NIP '{raw}': tahun lahir {born.year} tidak wajar")
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12 or not 1960 <= year <= 2100:
        raise InvalidValue(f"NIP '{raw}': angka 9–14 bukan tahun dan bulan pengangkatan yang sah")
    if year < born.year + 17:
        raise InvalidValue(f"NIP '{raw}': pengangkatan {year} terlalu dekat dengan tahun lahir {born.year}")
    if digits[14] not in "12":
        raise InvalidValue(f"NIP '{raw}': angka ke-15 (jenis kelamin) harus 1 atau 2")
    return digits


def format_nip(digits: str) -> str:
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
