"""Filters that put targets and plans into words in the page's language (reporting.target_text)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reporting.target_text import progress_text, target_goal
from targets.names import english_active

register = template.Library()


@register.filter
def goal(target: Any) -> str:
    return target_goal(target)


@register.filter
def progress(pct: Any) -> str:
    return progress_text(None if pct is None or pct == "" else float(pct))


def _in_language(chinese: str, english: str) -> SafeString:
    """The English name on an English page when the data has one; otherwise the Chinese name,
    marked as Chinese on an English page (for screen readers, and for the reader)."""
    if not english_active():
        return format_html("{}", chinese)
    if english:
        return format_html("{}", english)
    return format_html('<span lang="zh-Hans">{}</span> <span class="lang-note">({})</span>', chinese, _("中文"))


@register.filter
def plan_title(plan: Any) -> SafeString:
    """The plans print no English title, so `title_en` is blank unless one is published."""
    return _in_language(plan.title, plan.title_en)


@register.filter
def data_name(obj: Any) -> SafeString:
    """An indicator's, bureau's, sector's or city's name in the page's language."""
    if obj is None or obj == "":
        return format_html("")
    # Not getattr(obj, "name", str(obj)): the default is evaluated, and an indicator's str()
    # reads its city, one query per row.
    name = getattr(obj, "name", None)
    return _in_language(str(obj) if name is None else name, getattr(obj, "name_en", ""))
