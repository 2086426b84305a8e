"""Filters of the lists of plans, bureaus and indicators, and the filter kinds every list shares.

One FilterSet per list, used by the API (DRF's filter backend) and by the pages' selectors, so
a list filters the same way, under the same names, wherever it is read. A value that does not
parse is a form error: the API answers 400, a page names the field and ignores the value.
Cities, plans and sectors are named by code, as in the page URLs; bureaus, indicators, targets
and measures by id.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

from targets.models import Bureau, Indicator, Plan

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_ID = 2**63 - 1  # the largest BigAutoField value; a larger number overflows the database's integer


class IdFilter(filters.NumberFilter):
    """An id: an integer in the schema and in validation, where NumberFilter takes decimals."""

    field_class = forms.IntegerField
    schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        # Set per instance: a schema override replaces the label as the description.
        set_override(self, "field", {**self.schema, "description": self.label or ""})


class YearFilter(IdFilter):
    schema = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)


def code_filter(field_name: str, label: str | Promise) -> filters.CharFilter:
    return filters.CharFilter(field_name=field_name, label=label)


CITY = _("城市代码，如 zibo")
PLAN = _("规划代码")
SECTOR = _("领域代码，如 energy")
BUREAU = _("责任单位编号（牵头或配合）")


def request_user(filterset: filters.FilterSet) -> Any:
    """Who asks: the API passes its request; a page's selector may not, and then nobody may write."""
    return getattr(filterset.request, "user", None) or AnonymousUser()


def filter_errors(filterset: filters.FilterSet) -> list[str]:
    """The filter values that did not parse, one line each naming the filter, for a page to show."""
    return [
        gettext("%(label)s：%(errors)s")
        % {"label": filterset.form.fields[name].label or name, "errors": " ".join(errors)}
        for name, errors in filterset.errors.items()
    ]


class PlanFilter(filters.FilterSet):
    city = code_filter("city__code", CITY)

    class Meta:
        model = Plan
        fields = ["city", "kind"]


class BureauFilter(filters.FilterSet):
    city = code_filter("city__code", CITY)

    class Meta:
        model = Bureau
        fields = ["city", "kind"]


class IndicatorFilter(filters.FilterSet):
    city = code_filter("city__code", CITY)
    sector = code_filter("sector__code", SECTOR)
    code = code_filter("code", _("通用指标代码，各城市相同"))
    can_report = filters.BooleanFilter(label=_("只看当前用户能否填报的指标"), method="filter_can_report")

    class Meta:
        model = Indicator
        fields = ["city", "sector", "code", "nature", "can_report"]

    def filter_can_report(self, queryset: QuerySet[Indicator], name: str, value: bool) -> QuerySet[Indicator]:
        editable = Indicator.objects.editable_by(request_user(self)).values("pk")
        return queryset.filter(pk__in=editable) if value else queryset.exclude(pk__in=editable)
