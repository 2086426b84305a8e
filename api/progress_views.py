"""Read endpoints for targets with their current status, their progress history, and measures
with their deadline state and latest update."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, cast

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from api import selectors
from api.measure_serializers import MeasureSerializer
from api.target_serializers import ProgressHistorySerializer, TargetSerializer
from measures.filters import MeasureFilter
from measures.models import Measure
from reporting.filters import ProgressHistoryFilter, TargetFilter
from targets.models import Target

_Row = TypeVar("_Row")  # a page row, as GenericAPIView.paginate_queryset is typed


@extend_schema_view(
    list=extend_schema(
        description=_("规划目标，附当前进展状态及其背后的数值（最新进展快照，计算方法见 docs/progress-method.md）。")
    ),
    retrieve=extend_schema(description=_("一个规划目标，附当前进展状态及其背后的数值。")),
)
class TargetViewSet(viewsets.ReadOnlyModelViewSet[Target]):
    queryset = selectors.targets()
    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def paginate_queryset(self, queryset: QuerySet[Target, _Row] | Sequence[_Row]) -> list[_Row] | None:
        page = super().paginate_queryset(queryset)
        if page is not None:
            # The rows are Targets: this viewset's queryset holds model instances, not values().
            selectors.attach_current_snapshots(cast(list[Target], page))
        return page

    def get_object(self) -> Target:
        target = super().get_object()
        selectors.attach_current_snapshots([target])
        return target


@extend_schema_view(
    list=extend_schema(
        description=_(
            "进展快照，按目标、由早到晚排列。目标的计算结果每次变化都会写入一条，因此同一目标的各条即其进展历史。"
        )
    ),
)
class ProgressHistoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.progress_history()
    serializer_class = ProgressHistorySerializer
    filterset_class = ProgressHistoryFilter


@extend_schema_view(
    list=extend_schema(description=_("重点任务，附责任单位（牵头单位在前）、时限状态和最近一次进展。")),
)
class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter

    def get_queryset(self) -> QuerySet[Measure]:
        return selectors.measures(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}
