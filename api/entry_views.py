"""Endpoints for what bureau staff report: observations and measure updates.

Writes go through the same services as the entry pages, so who may write what, how the values
are read and the recompute that follows are the same; the views add the transport (JSON, the
fields' types, status codes). As on the pages, an item the user's bureau does not own is
refused (403) before its values are looked at, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api import selectors
from api.errors import api_permission_denied, api_validation_error
from api.measure_serializers import MeasureUpdateCreateSerializer, MeasureUpdateSerializer
from api.observation_serializers import (
    ObservationCreateSerializer,
    ObservationSerializer,
    RecordedObservationSerializer,
)
from config.change_sources import ChangeSource
from measures.filters import MeasureUpdateFilter
from measures.services import ensure_can_update, measure_update_record
from reporting.filters import ObservationFilter
from reporting.services import Outcome, ensure_can_report, observation_record

T = TypeVar("T")


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


def refuse_before_errors(payload: serializers.Serializer, item: str, ensure: Callable[..., None], user: Any) -> None:
    """A payload the service will not see (its fields' types are wrong): ask the service's own
    permission rule for the item it names, so a refusal (403) still comes before the errors."""
    try:
        ensure(**{item: referenced(payload, item)}, user=user)
    except DjangoPermissionDenied as exc:
        raise api_permission_denied(exc) from None
    raise exceptions.ValidationError(payload.errors)


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
        payload = ObservationCreateSerializer(data=request.data)
        if not payload.is_valid():
            refuse_before_errors(payload, "indicator", ensure_can_report, request.user)
        # Checks the permission first, then every field; the history row says "API".
        result = _answered(
            lambda: observation_record(user=request.user, source=ChangeSource.API, **payload.validated_data)
        )
        # The service's own object (its indicator and city read with the payload, its user the
        # caller): no second query to answer.
        context = {**self.get_serializer_context(), "recompute_queued": result.recompute_queued}
        body = RecordedObservationSerializer(result.observation, context=context).data
        created = result.outcome == Outcome.CREATED
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


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
        payload = MeasureUpdateCreateSerializer(data=request.data)
        if not payload.is_valid():
            refuse_before_errors(payload, "measure", ensure_can_update, request.user)
        update = _answered(
            lambda: measure_update_record(user=request.user, source=ChangeSource.API, **payload.validated_data)
        )
        update = selectors.measure_updates().get(pk=update.pk)
        body = MeasureUpdateSerializer(update, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


def _answered(service: Callable[[], T]) -> T:
    """The service's result, its refusals raised as the API's (403 for the permission, 400 with
    the fields for the values)."""
    try:
        return service()
    except DjangoPermissionDenied as exc:
        raise api_permission_denied(exc) from None
    except DjangoValidationError as exc:
        raise api_validation_error(exc) from None
