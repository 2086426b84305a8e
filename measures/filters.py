"""The filters of the measure list: the measures page, its exports and the API's /measures/."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import Measure, MeasureResponsibility, MeasureUpdate
from measures.selectors import filter_deadline_state, latest_update_value
from targets.filters import BUREAU, CITY, PLAN, SECTOR, IdFilter, code_filter, request_user

# The status filter's value for measures nobody has reported on yet.
NOT_REPORTED = "not_reported"
DEADLINE_STATES = [("overdue", _("已逾期")), ("due_soon", _("即将到期")), ("none", _("无到期提醒"))]
MAX_TEXT = 100  # typed text is cut here: a search needs no more, and a LIKE over more is waste


class MeasureFilter(filters.FilterSet):
    city = code_filter("plan__city__code", CITY)
    plan = code_filter("plan__code", PLAN)
    sector = code_filter("sector__code", SECTOR)
    bureau = IdFilter(method="filter_bureau", label=BUREAU)
    # Typed text matched against bureau names: the bureau field of the page without JavaScript.
    bureau_name = filters.CharFilter(method="filter_bureau_name", label=_("责任单位名称包含"))
    target = IdFilter(field_name="target_links__target", label=_("关联目标编号"))
    deadline_state = filters.ChoiceFilter(choices=DEADLINE_STATES, method="filter_deadline_state", label=_("时限状态"))
    status = filters.CharFilter(method="filter_status", label=_("最新进展的状态代码（not_reported：未报告）"))
    q = filters.CharFilter(method="filter_text", label=_("关键词（任务名称、内容或条款号）"))
    can_report = filters.BooleanFilter(method="filter_can_report", label=_("只看当前用户能否填报的任务"))

    class Meta:
        model = Measure
        fields = ["city", "plan", "sector", "bureau", "bureau_name", "target", "deadline_state", "status", "q"]
        fields += ["can_report"]

    # Responsibility as EXISTS, not a join: a measure with two matching bureaus stays one row.
    def filter_bureau(self, queryset: QuerySet[Measure], name: str, value: int) -> QuerySet[Measure]:
        return queryset.filter(Exists(_responsible(bureau_id=value)))

    def filter_bureau_name(self, queryset: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        return queryset.filter(Exists(_responsible(bureau__name__icontains=value.strip()[:MAX_TEXT])))

    def filter_text(self, queryset: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        text = value.strip()[:MAX_TEXT]
        return queryset.filter(Q(title__icontains=text) | Q(text__icontains=text) | Q(section=text))

    def filter_status(self, queryset: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        if value == NOT_REPORTED:
            return queryset.filter(~Exists(MeasureUpdate.objects.filter(measure=OuterRef("pk"))))
        return queryset.alias(filter_status=latest_update_value("status__code")).filter(filter_status=value)

    def filter_deadline_state(self, queryset: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        return filter_deadline_state(queryset, value, timezone.localdate())

    def filter_can_report(self, queryset: QuerySet[Measure], name: str, value: bool) -> QuerySet[Measure]:
        editable = Measure.objects.editable_by(request_user(self)).values("pk")
        return queryset.filter(pk__in=editable) if value else queryset.exclude(pk__in=editable)


def _responsible(**lookup: object) -> QuerySet[MeasureResponsibility]:
    return MeasureResponsibility.objects.filter(measure=OuterRef("pk"), **lookup)


class MeasureUpdateFilter(filters.FilterSet):
    measure = IdFilter(field_name="measure", label=_("任务编号"))
    city = code_filter("measure__plan__city__code", CITY)
    status = code_filter("status__code", _("状态代码"))

    class Meta:
        model = MeasureUpdate
        fields = ["measure", "city", "status"]
