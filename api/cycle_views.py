"""The reporting cycle in the API: what a bureau owes (due and late periods), and the review
of submitted values (approve, return with a note, approve an import). Submitting is
POST /observations/ (a staff entry in a city that reviews entries comes back `submitted`).
The rules are the services' and querysets': Observation.objects.reviewable_by decides who
may review, as on the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.errors import api_permission_denied, api_validation_error
from api.observation_serializers import ObservationSerializer
from api.schema import VALIDATION_ERROR_SCHEMA, ErrorDetailSerializer
from reporting.models import Observation
from reporting.review import observation_approve, observation_return, observations_approve
from reporting.status_selectors import reporting_items
from targets.models import Bureau

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("观测值编号。"))
NOT_PENDING = OpenApiResponse(VALIDATION_ERROR_SCHEMA, description=_("各字段的错误信息。"))


class ReportingItemSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    indicator_code = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    bureau = serializers.IntegerField(source="bureau_id")
    period = serializers.CharField()
    due = serializers.DateField()
    state = serializers.ChoiceField(
        choices=["missing", "open", "returned", "late", "on_time"],
        help_text=_(
            "missing：逾期未报；open：已结束、未到截止日；returned：被退回待修改；late：逾期报送；on_time：按时报送。"
        ),
    )
    status = serializers.CharField(allow_null=True, help_text=_("该期间数据的审核状态；尚未报送时为空。"))


class ReturnSerializer(serializers.Serializer):
    review_note = serializers.CharField(help_text=_("退回意见：需要修改的地方。"))


class BatchSerializer(serializers.Serializer):
    batch = serializers.SlugField(max_length=36, help_text=_("导入批次（观测值的 batch 字段）。"))


class ReportingDueView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("bureau", int, description=_("报送单位编号；局办工作人员默认为本单位。")),
            OpenApiParameter("state", str, description=_("只列出某一状态，如 missing 或 late。")),
        ],
        responses={
            200: ReportingItemSerializer(many=True),
            400: OpenApiResponse(VALIDATION_ERROR_SCHEMA, description=_("各字段的错误信息。")),
            404: OpenApiResponse(ErrorDetailSerializer, description=_("不存在，或页码超出范围。")),
        },
        description=_("某报送单位各指标各期应报数据：截止日期和报送状态（逾期未报、逾期报送等）。"),
    )
    def get(self, request: Request) -> Response:
        bureau_id = request.query_params.get("bureau") or getattr(request.user, "bureau_id", None)
        if not bureau_id or not str(bureau_id).isdigit():
            raise exceptions.ValidationError({"bureau": [_("请指定报送单位编号。")]})
        bureau = get_object_or_404(Bureau, pk=int(bureau_id))
        items = reporting_items(bureau=bureau)
        if state := request.query_params.get("state"):
            items = [item for item in items if item.state == state]
        return Response(ReportingItemSerializer(items, many=True).data)


def _decide(request: Request, pk: str, decide: Any) -> Response:
    if not pk.isdigit():
        raise exceptions.NotFound()
    observation = get_object_or_404(Observation, pk=int(pk))
    try:
        decide(observation)
    except DjangoPermissionDenied as exc:
        raise api_permission_denied(exc) from None
    except DjangoValidationError as exc:
        raise api_validation_error(exc) from None
    return Response(ObservationSerializer(selectors.observations().get(pk=observation.pk)).data)


class ObservationApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[ID],
        request=None,
        responses={200: ObservationSerializer, 400: NOT_PENDING},
        description=_("审核通过一条待审核数据。"),
    )
    def post(self, request: Request, pk: str) -> Response:
        return _decide(request, pk, lambda o: observation_approve(observation=o, user=request.user))


class ObservationReturnView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[ID],
        request=ReturnSerializer,
        responses={200: ObservationSerializer, 400: NOT_PENDING},
        description=_("退回一条待审核数据并说明原因。"),
    )
    def post(self, request: Request, pk: str) -> Response:
        payload = ReturnSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = payload.validated_data["review_note"]
        return _decide(request, pk, lambda o: observation_return(observation=o, user=request.user, note=note))


class BatchApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=BatchSerializer,
        responses={200: {"type": "object", "properties": {"approved": {"type": "integer"}}}},
        description=_("整批审核通过一次导入中您有权审核的待审核数据。"),
    )
    def post(self, request: Request) -> Response:
        payload = BatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        observations = Observation.objects.filter(batch=payload.validated_data["batch"])
        count = observations_approve(observations=observations, user=request.user)
        if not count and observations.pending().exists():
            raise exceptions.PermissionDenied(_("您无权审核这条数据。"))
        return Response({"approved": count})
