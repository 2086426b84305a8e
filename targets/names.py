"""Which name of a row to show: `name_en` on an English page when the row has one, else `name`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def english_active() -> bool:
    return (get_language() or "").startswith("en")


def name_in_language(obj: Any, english_page: bool | None = None) -> str:
    """The name of a vocabulary or data row (sector, city, measure status, indicator, bureau) in
    the active language; `english_page` is english_active(), when a page naming a hundred rows
    has read it once (the read costs more than the rest)."""
    if obj is None or obj == "":
        return ""
    if english_page is None:
        english_page = english_active()
    english = getattr(obj, "name_en", "") if english_page else ""
    if english:
        return english
    name = getattr(obj, "name", None)
    return str(obj) if name is None else name
