"""Filters that show plan data in the page's language: numbers, units, names, a measure's
status, who entered a value. Every page loads them (dashboard, entry and review, the annual
report), so they live in the read layer below those apps, not in one of them."""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats, translation
from django.utils.translation import get_language

from accounts.display import entered_by_label
from measures.selectors import latest_status_label
from targets.names import english_active, name_in_language
from targets.units import unit_label

register = template.Library()
register.filter("latest_status_label", latest_status_label)


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
    decimal_point, thousands, grouping = _number_format(get_language())
    # Django's own rule for a grouping that varies by position, and for tiny numbers, which it
    # writes in scientific notation.
    if not isinstance(grouping, int) or len(text) > 150:
        return formats.number_format(Decimal(text), use_l10n=True, force_grouping=True)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _point, fraction = text.partition(".")
    if thousands and 0 < grouping < len(whole):
        head = len(whole) % grouping or grouping
        whole = thousands.join([whole[:head]] + [whole[i : i + grouping] for i in range(head, len(whole), grouping)])
    return sign + whole + (decimal_point + fraction if fraction else "")


@functools.cache
def _number_format(language: str | None) -> tuple[str, str, Any]:
    """The language's decimal point, thousands separator and grouping, read once: Django's
    number_format looks all three up again for every number, a third of the city page's
    progress cells' time (`number` is checked against it in the tests)."""
    with translation.override(language):
        return (
            formats.get_format("DECIMAL_SEPARATOR"),
            formats.get_format("THOUSAND_SEPARATOR"),
            formats.get_format("NUMBER_GROUPING"),
        )


@register.filter
def unit(value: Any) -> str:
    """An indicator's unit in the active language."""
    return unit_label(str(value or ""))


@register.filter
def local_name(obj: Any) -> str:
    """`name_en` of a vocabulary row (sector, status, city) in English when it has one, else `name`."""
    return name_in_language(obj)


@register.filter
def entered_by(person: Any, viewer: Any) -> str:
    """`entry.history_user|entered_by:request.user`: the account name for signed-in viewers, the
    bureau for anonymous ones (accounts.display)."""
    return entered_by_label(person, viewer=viewer) or "—"


@register.simple_tag
def language_name(name: str, name_en: str = "") -> str:
    """A stored name and its English form, in the page's language (the Chinese when no English exists)."""
    return (name_en or name) if english_active() else name
