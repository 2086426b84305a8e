"""The filters of the lists of targets with their progress, of the progress history and of
observations: the pages' selectors and the API's /targets/, /progress-history/ and
/observations/ share them. Targets are filtered here, not in `targets`, because their status
is a progress snapshot's, which this app owns."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

import django_filters as filters
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from reporting.models import Observation, ProgressSnapshot
from targets.filters import BUREAU, CITY, PLAN, SECTOR, IdFilter, YearFilter, code_filter
from targets.models import Target

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CurrentStatus(TypedDict):
    current_status: str


def with_current_status(queryset: QuerySet[Target]) -> QuerySet[WithAnnotations[Target, CurrentStatus]]:
    """Alias `current_status`: the latest snapshot's status, "no_data" without one. The latest
    is the highest id, as in `current_snapshots`, so the filter and the rows always agree."""
    latest = ProgressSnapshot.objects.filter(target=OuterRef("pk")).order_by("-id").values("status")[:1]
    return queryset.alias(current_status=Coalesce(Subquery(latest), Value(ProgressSnapshot.Status.NO_DATA)))


class TargetFilter(filters.FilterSet):
    city = code_filter("plan__city__code", CITY)
    plan = code_filter("plan__code", PLAN)
    sector = code_filter("indicator__sector__code", SECTOR)
    bureau = IdFilter(field_name="responsibilities__bureau", label=BUREAU)
    indicator = IdFilter(field_name="indicator", label=_("指标编号"))
    indicator_code = code_filter("indicator__code", _("通用指标代码"))
    target_year = YearFilter(field_name="target_year", label=_("目标年"))
    status = filters.ChoiceFilter(
        choices=ProgressSnapshot.Status.choices, method="filter_status", label=_("当前进展状态")
    )

    class Meta:
        model = Target
        fields = ["city", "plan", "sector", "bureau", "indicator", "indicator_code", "target_year", "kind", "status"]

    def filter_status(self, queryset: QuerySet[Target], name: str, value: str) -> QuerySet[Target]:
        return with_current_status(queryset).filter(current_status=value)


class ProgressHistoryFilter(filters.FilterSet):
    target = IdFilter(field_name="target", label=_("目标编号"))
    city = code_filter("target__plan__city__code", CITY)
    plan = code_filter("target__plan__code", PLAN)
    status = filters.ChoiceFilter(choices=ProgressSnapshot.Status.choices, label=_("状态"))
    # Dates (local time), inclusive: the history is read by day, and a date has no offset to get wrong.
    computed_from = filters.DateFilter(field_name="computed_at__date", lookup_expr="gte", label=_("计算日期不早于"))
    computed_to = filters.DateFilter(field_name="computed_at__date", lookup_expr="lte", label=_("计算日期不晚于"))

    class Meta:
        model = ProgressSnapshot
        fields = ["target", "city", "plan", "status", "computed_from", "computed_to"]


class ObservationFilter(filters.FilterSet):
    city = code_filter("indicator__city__code", CITY)
    indicator = IdFilter(field_name="indicator", label=_("指标编号"))
    indicator_code = code_filter("indicator__code", _("通用指标代码"))
    sector = code_filter("indicator__sector__code", SECTOR)
    period = code_filter("period", _("期间，如 2023、2023-Q2、2023-06"))
    year_from = YearFilter(field_name="period_end__year", lookup_expr="gte", label=_("期末年份不早于"))
    year_to = YearFilter(field_name="period_end__year", lookup_expr="lte", label=_("期末年份不晚于"))

    class Meta:
        model = Observation
        fields = ["city", "indicator", "indicator_code", "sector", "period", "year_from", "year_to", "is_demo"]
