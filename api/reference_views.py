"""Read endpoints for what the plans are about: cities, sectors, plans, bureaus, indicators and
the vocabulary of measure statuses."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins, viewsets

from api import selectors
from api.measure_serializers import MeasureStatusSerializer
from api.reference_serializers import (
    BureauSerializer,
    CitySerializer,
    IndicatorSerializer,
    PlanSerializer,
    SectorSerializer,
)
from measures.models import MeasureStatus
from targets.filters import BureauFilter, IndicatorFilter, PlanFilter
from targets.models import City, Indicator, Sector


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = City.objects.order_by("code", "id")
    serializer_class = CitySerializer


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Sector.objects.order_by("position", "code", "id")
    serializer_class = SectorSerializer


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.plans()
    serializer_class = PlanSerializer
    filterset_class = PlanFilter


class BureauViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = selectors.bureaus()
    serializer_class = BureauSerializer
    filterset_class = BureauFilter


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicators(self.request.user)


class MeasureStatusViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = MeasureStatus.objects.order_by("position", "code")
    serializer_class = MeasureStatusSerializer
