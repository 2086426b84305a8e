"""`{% cache 600 city city.pk page_version|for_city:city %}`: a fragment key scoped to one city."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def for_city(page_version: Any, city: Any) -> str:
    """The page version of one city (a City or its id): unchanged by other cities' writes."""
    return page_version.for_city(city)


@register.filter
def plan_for_city(page_version: Any, city: Any) -> str:
    """`page_version|plan_for_city:city`: for plan text, kept while only progress changes."""
    return page_version.plan_for_city(city)
