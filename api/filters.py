"""Query filters of the list endpoints. Cities, plans and sectors are named by code, as in the
page URLs; bureaus, indicators, targets and measures by id."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

from api.measure_serializers import DEADLINE_STATES
from api.selectors import filter_deadline_state, with_current_status
from measures.models import Measure, MeasureUpdate
from reporting.models import Observation, ProgressSnapshot
from targets.models import Bureau, Indicator, Plan, Target

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
    can_report = filters.BooleanFilter(label=_("只看当前用户能否填报的指标"))

    class Meta:
        model = Indicator
        fields = ["city", "sector", "code", "nature", "can_report"]


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


class MeasureFilter(filters.FilterSet):
    city = code_filter("plan__city__code", CITY)
    plan = code_filter("plan__code", PLAN)
    sector = code_filter("sector__code", SECTOR)
    bureau = IdFilter(field_name="responsibilities__bureau", label=BUREAU)
    target = IdFilter(field_name="target_links__target", label=_("关联目标编号"))
    deadline_state = filters.ChoiceFilter(
        choices=[*DEADLINE_STATES, ("none", _("无到期提醒"))], method="filter_deadline_state", label=_("时限状态")
    )
    status = code_filter("latest_status", _("最新进展的状态代码"))
    can_report = filters.BooleanFilter(label=_("只看当前用户能否填报的任务"))

    class Meta:
        model = Measure
        fields = ["city", "plan", "sector", "bureau", "target", "deadline_state", "status", "can_report"]

    def filter_deadline_state(self, queryset: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        return filter_deadline_state(queryset, value)


class MeasureUpdateFilter(filters.FilterSet):
    measure = IdFilter(field_name="measure", label=_("任务编号"))
    city = code_filter("measure__plan__city__code", CITY)
    status = code_filter("status__code", _("状态代码"))

    class Meta:
        model = MeasureUpdate
        fields = ["measure", "city", "status"]


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
