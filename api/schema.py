"""OpenAPI schema generation: the error responses every operation can give, documented once."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from api.permissions import DashboardAccess, reads_are_public


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# Field name -> messages. A request body that cannot be parsed gives {"detail": "..."} instead.
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
    "example": {"value": ["数值“abc”不是数字。"]},
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _error_responses(self) -> dict[str, OpenApiResponse]:
        writes = self.method not in SAFE_METHODS
        filtered = self._is_list_view() and getattr(self.view, "filterset_class", None) is not None
        paginated = self._is_list_view() and self._get_paginator() is not None
        errors = {"401": OpenApiResponse(ErrorDetailSerializer, description=_("未登录，或令牌无效。"))}
        if writes:
            errors["403"] = OpenApiResponse(ErrorDetailSerializer, description=_("无权执行此操作。"))
        if (writes and self.get_request_serializer() is not None) or (not writes and filtered):
            errors["400"] = OpenApiResponse(VALIDATION_ERROR_SCHEMA, description=_("各字段的错误信息。"))
        if "{" in self.path or paginated:
            errors["404"] = OpenApiResponse(ErrorDetailSerializer, description=_("不存在，或页码超出范围。"))
        return errors

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        public_read = self.method in SAFE_METHODS and reads_are_public()
        if public_read and any(isinstance(p, DashboardAccess) for p in self.view.get_permissions()) and {} not in auths:
            auths.append({})
        return auths
