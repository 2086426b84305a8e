"""Endpoints for what bureau staff report: observations and measure updates.

Writes go through the same services as the entry pages, so who may write what and the
recompute that follows are the same. As on the pages, an item the user's bureau does not own
is refused (403) before its values are looked at, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import write_scope
from api import selectors
from api.errors import api_permission_denied, api_validation_error
from api.measure_serializers import MeasureUpdateCreateSerializer, MeasureUpdateSerializer
from api.observation_serializers import (
    ObservationCreateSerializer,
    ObservationSerializer,
    RecordedObservationSerializer,
)
from measures.filters import MeasureUpdateFilter
from measures.models import Measure
from measures.services import measure_update_record
from reporting.filters import ObservationFilter
from reporting.models import Observation
from reporting.periods import parse_period
from reporting.services import ensure_can_report, observation_record


def refuse_without_write_scope(user: Any, permission: str) -> None:
    """Users who may write nothing (leaders, staff without a bureau) are refused at once."""
    if write_scope(user, permission).nothing:
        raise exceptions.PermissionDenied(_("您没有填报权限。"))


def referenced(serializer: serializers.Serializer, name: str) -> Any:
    """The object a payload's field names, or None when the field is missing or bad (the
    serializer then reports it)."""
    data = serializer.initial_data
    if not isinstance(data, Mapping) or name not in data:
        return None
    try:
        return serializer.fields[name].run_validation(data[name])
    except serializers.ValidationError:
        return None


class ObservationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = selectors.observations()
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter

    @extend_schema(
        request=ObservationCreateSerializer,
        responses={
            201: OpenApiResponse(RecordedObservationSerializer, description=_("已记录该期间的新数值。")),
            200: OpenApiResponse(RecordedObservationSerializer, description=_("该期间已有数值，已更新（历史保留）。")),
        },
        description=_("记录某指标某期间的数值；该期间已有数值时更新它，旧值保留在历史中。只能填报本单位负责的指标。"),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        refuse_without_write_scope(request.user, "reporting.add_observation")
        payload = ObservationCreateSerializer(data=request.data)
        indicator = referenced(payload, "indicator")
        if indicator is not None:
            try:
                ensure_can_report(indicator=indicator, user=request.user)
            except DjangoPermissionDenied as exc:
                raise api_permission_denied(exc) from None
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        existed = _observation_exists(data["indicator"], data["period"])
        try:
            observation = observation_record(
                indicator=data["indicator"],
                period=data["period"],
                value=data.get("value"),
                note=data["note"],
                user=request.user,
            )
        except DjangoPermissionDenied as exc:
            raise api_permission_denied(exc) from None
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from None
        queued = getattr(observation, "recompute_queued", None)  # unset when nothing changed
        observation = selectors.observations().get(pk=observation.pk)
        observation.recompute_queued = queued
        body = RecordedObservationSerializer(observation, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


def _observation_exists(indicator: Any, period: str) -> bool:
    """Whether the (already validated) period has a value, to answer 200 rather than 201."""
    label, _end = parse_period(period)
    return Observation.objects.filter(indicator=indicator, period=label).exists()


@extend_schema_view(list=extend_schema(description=_("任务进展填报，由新到旧；每次填报都保留，构成任务的进展时间线。")))
class MeasureUpdateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = selectors.measure_updates()
    serializer_class = MeasureUpdateSerializer
    filterset_class = MeasureUpdateFilter

    @extend_schema(
        request=MeasureUpdateCreateSerializer,
        responses={201: MeasureUpdateSerializer},
        description=_("填报任务进展。只能填报本单位牵头或配合的任务。"),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        refuse_without_write_scope(request.user, "measures.add_measureupdate")
        payload = MeasureUpdateCreateSerializer(data=request.data)
        measure = referenced(payload, "measure")
        if measure is not None and not Measure.objects.editable_by(request.user).filter(pk=measure.pk).exists():
            raise exceptions.PermissionDenied(_("您无权更新任务“%(section)s”。") % {"section": measure.section})
        payload.is_valid(raise_exception=True)
        try:
            update = measure_update_record(user=request.user, **payload.validated_data)
        except DjangoPermissionDenied as exc:
            raise api_permission_denied(exc) from None
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from None
        update = selectors.measure_updates().get(pk=update.pk)
        body = MeasureUpdateSerializer(update, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
