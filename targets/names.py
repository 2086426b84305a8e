"""Which name of a row to show: `name_en` on an English page when the row has one, else `name`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def english_active() -> bool:
    return (get_language() or "").startswith("en")


def name_in_language(obj: Any) -> str:
    """The name of a vocabulary or data row (sector, city, measure status, indicator, bureau) in
    the active language."""
    if obj is None or obj == "":
        return ""
    english = getattr(obj, "name_en", "") if english_active() else ""
    if english:
        return english
    name = getattr(obj, "name", None)
    return str(obj) if name is None else name
