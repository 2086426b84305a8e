"""Keyword search over what the dashboards show: targets, measures, indicators, bureaus, plans.

Chinese needs no word segmentation here: a keyword matches as a substring (`icontains`, LIKE on
SQLite, UPPER(...) LIKE on PostgreSQL), so 光伏 finds 光伏发电装机容量 and 三（一） finds every
clause numbered under it. Each kind is one queryset, counted and sliced by the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from measures.models import Measure
from targets.models import Bureau, Indicator, Plan, Target

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchKind:
    code: str
    label: Promise
    fields: tuple[str, ...]


KINDS = (
    SearchKind("targets", _("目标"), ("indicator__name", "indicator__name_en", "source_text", "section")),
    SearchKind("measures", _("重点任务"), ("title", "text", "section")),
    SearchKind("indicators", _("指标"), ("name", "name_en", "code")),
    SearchKind("bureaus", _("责任单位"), ("name", "name_en")),
    SearchKind("plans", _("规划"), ("title", "title_en", "document_number")),
)
KIND_CODES = frozenset(kind.code for kind in KINDS)


def _matching(fields: tuple[str, ...], query: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return condition


def _matching_json_list(field: str, query: str) -> Q:
    """A list of strings in a JSONField: PostgreSQL matches its text with the characters as
    they are, SQLite stores them escaped as JSON writes them (\\u5e02...), so try both."""
    escaped = json.dumps(query)[1:-1]
    return Q(**{f"{field}__icontains": query}) | Q(**{f"{field}__icontains": escaped})


def search_results(*, kind: str, query: str) -> QuerySet:
    """One kind's matches, ordered for reading. Everything searched is what the dashboards show,
    so whoever may open the dashboards (the view checks that) may see every result."""
    spec = next(k for k in KINDS if k.code == kind)
    condition = _matching(spec.fields, query)
    if kind == "targets":
        return (
            Target.objects.filter(condition)
            .select_related("plan__city", "indicator")
            .order_by("plan__city__code", "target_year", "plan__issued", "position")
        )
    if kind == "measures":
        return (
            Measure.objects.filter(condition)
            .select_related("plan__city")
            .order_by("plan__city__code", "plan__issued", "position")
        )
    if kind == "indicators":
        targets = Prefetch("targets", queryset=Target.objects.select_related("plan").order_by("target_year", "pk"))
        return (
            Indicator.objects.filter(condition)
            .select_related("city", "sector")
            .prefetch_related(targets)
            .order_by("city__code", "sector__position", "code")
        )
    if kind == "bureaus":
        # Aliases hold the spellings the plan texts used, typos included.
        aliases = _matching_json_list("aliases", query)
        return Bureau.objects.filter(condition | aliases).select_related("city").order_by("city__code", "name")
    return Plan.objects.filter(condition).select_related("city").order_by("city__code", "issued")
