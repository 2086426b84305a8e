"""What an observation may hold: the one place where a typed number, a note and a period are
checked. Every entry path (entry form, API, CSV/Excel import, admin) calls these, so a rule
and its message live here only; the paths add nothing but their transport.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from config.notes import NOTE_MAX_LENGTH, note_clean
from reporting.periods import ascii_digits, parse_period

__all__ = [
    "NOTE_MAX_LENGTH",
    "STORED_DECIMALS",
    "VALUE_MAX_LENGTH",
    "ObservationInput",
    "fits_storage",
    "note_clean",
    "observation_input_clean",
    "parse_value",
]

# Observation.value is numeric(20, 6): 14 digits before the point, 6 after.
VALUE_LIMIT = Decimal(10) ** 14
STORED_DECIMALS = 6
STORED_PLACES = Decimal(1).scaleb(-STORED_DECIMALS)
# SQLite (the embedded mode) keeps decimals as 8-byte floats: 15 significant digits survive
# the round trip; more would be stored as a different number.
SQLITE_DIGITS = 15
VALUE_MAX_LENGTH = 40  # characters as typed, as on the entry form

# After digits are made ASCII: a plain decimal number with an optional exponent. Decimal()
# alone would also take "1_000", "NaN" and "Infinity".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
# Commas are accepted only as thousands separators in groups of three: 1,234.5 and 12,345,678.
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", re.ASCII)


def fits_storage(number: Decimal) -> bool:
    """Whether the number, rounded to the stored decimals as the database would, fits."""
    return abs(number) < VALUE_LIMIT and abs(number.quantize(STORED_PLACES)) < VALUE_LIMIT


def _number_text(raw: object) -> str:
    if isinstance(raw, float):
        # Spreadsheets and JSON give binary floats; repr is the shortest text that reads back
        # as the same float, so 455.6 stays 455.6.
        return repr(raw)
    return ascii_digits(str(raw)).strip()


def parse_value(raw: object) -> Decimal | None:
    """A reported number, or a ValidationError that quotes what was typed.

    Full-width and other Unicode digits count as their ASCII digits. A comma is a thousands
    separator only in groups of three (1,234.5); anything else with a comma (1,2,3) is refused
    rather than guessed. More decimals than are stored are refused, not silently rounded.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError(_("数值“%(value)s”不是数字。"), code="not_a_number", params={"value": raw})
    text = _number_text(raw)
    if len(text) > VALUE_MAX_LENGTH:
        raise ValidationError(_("数值最多%(limit)s个字符。"), code="max_length", params={"limit": VALUE_MAX_LENGTH})
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise ValidationError(
                _("数值“%(value)s”中的逗号位置不对：逗号只能作千位分隔符（如 1,234.5），多个数请分开填写。"),
                code="bad_grouping",
                params={"value": raw},
            )
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        if text.lower().lstrip("+-") in {"inf", "infinity", "nan", "snan"}:
            raise ValidationError(_("数值“%(value)s”不是有限的数字。"), code="not_a_number", params={"value": raw})
        raise ValidationError(_("数值“%(value)s”不是数字。"), code="not_a_number", params={"value": raw})
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid numbers
        raise ValidationError(_("数值“%(value)s”不是数字。"), code="not_a_number", params={"value": raw}) from None
    if not fits_storage(value):
        raise ValidationError(_("数值“%(value)s”过大，超出可存储的范围。"), code="too_large", params={"value": raw})
    if value != value.quantize(STORED_PLACES):
        raise ValidationError(
            _("数值“%(value)s”的小数超过%(places)s位：系统只保存%(places)s位小数，请四舍五入后再填写。"),
            code="too_precise",
            params={"value": raw, "places": STORED_DECIMALS},
        )
    if connection.vendor == "sqlite" and value and len(value.normalize().as_tuple().digits) > SQLITE_DIGITS:
        raise ValidationError(
            _("数值“%(value)s”超过%(digits)s位有效数字：嵌入式数据库（SQLite）无法精确保存，请减少位数。"),
            code="too_precise",
            params={"value": raw, "digits": SQLITE_DIGITS},
        )
    return value


@dataclass(frozen=True)
class ObservationInput:
    period: str
    period_end: dt.date
    value: Decimal | None
    note: str


def observation_input_clean(*, period: object, value: object, note: object) -> ObservationInput:
    """Every field of an observation checked at once; a ValidationError keyed by field."""
    errors: dict[str, list[ValidationError]] = {}
    label, period_end, number, text = "", dt.date.min, None, ""
    try:
        label, period_end = parse_period(period)
    except ValidationError as exc:
        errors["period"] = [exc]
    try:
        number = parse_value(value)
    except ValidationError as exc:
        errors["value"] = [exc]
    try:
        text = note_clean(note)
    except ValidationError as exc:
        errors["note"] = [exc]
    if not errors and number is None and not text:
        errors["value"] = [ValidationError(_("请填写数值，定性指标请在说明中填写评估。"), code="required")]
    if errors:
        raise ValidationError(errors)
    return ObservationInput(period=label, period_end=period_end, value=number, note=text)
