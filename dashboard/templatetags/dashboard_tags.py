from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats

from accounts.display import entered_by_label
from dashboard.units import unit_label
from targets.names import english_active, name_in_language

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """`mapping|lookup:key` for a key held in a variable."""
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return ""


@register.filter
def number(value: Any, digits: int = 4) -> str:
    """A figure to `digits` significant digits (never dropping whole-number digits), without
    trailing zeros, grouped and punctuated for the active language; — for none."""
    if value is None or value == "":
        return "—"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    decimals = max(int(digits) - 1 - math.floor(math.log10(abs(x))), 0)
    text = f"{round(x, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text), use_l10n=True, force_grouping=True)


@register.filter
def unit(value: Any) -> str:
    """An indicator's unit in the active language."""
    return unit_label(str(value or ""))


@register.filter
def local_name(obj: Any) -> str:
    """`name_en` of a vocabulary row (sector, status, city) in English when it has one, else `name`."""
    return name_in_language(obj)


@register.filter
def latest_status_label(measure: Any) -> str:
    """The name of a measure's latest reported status, in the page's language."""
    english = getattr(measure, "latest_status_name_en", "") if english_active() else ""
    return english or getattr(measure, "latest_status_name", "") or ""


@register.filter
def entered_by(person: Any, viewer: Any) -> str:
    """`entry.history_user|entered_by:request.user`: the account name for signed-in viewers, the
    bureau for anonymous ones (accounts.display)."""
    return entered_by_label(person, viewer=viewer) or "—"
