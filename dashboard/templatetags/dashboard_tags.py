from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

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
    """A figure with up to `digits` significant digits, no trailing zeros; — for none."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.{int(digits)}g}"
    except (TypeError, ValueError):
        return str(value)


def _english() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def local_name(obj: Any) -> str:
    """`name_en` of a vocabulary row (sector, status, city) in English when it has one, else `name`."""
    if obj is None or obj == "":
        return ""
    english = getattr(obj, "name_en", "") if _english() else ""
    return english or getattr(obj, "name", str(obj))


@register.filter
def latest_status_label(measure: Any) -> str:
    """The name of a measure's latest reported status, in the page's language."""
    english = getattr(measure, "latest_status_name_en", "") if _english() else ""
    return english or getattr(measure, "latest_status_name", "") or ""
