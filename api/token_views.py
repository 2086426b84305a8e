"""Getting and revoking one's own API token while signed in (session or token)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.tokens import token_issue, token_revoke


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("请求时放在请求头中：Authorization: Token <token>"))


class TokenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_token_create",
        request=None,
        responses={
            201: OpenApiResponse(TokenSerializer, description=_("已为您生成新令牌。")),
            200: OpenApiResponse(TokenSerializer, description=_("您已有令牌，返回该令牌。")),
        },
        description=_("返回当前用户的 API 令牌，没有则生成一个。浏览器中使用时需附带 CSRF 令牌。"),
    )
    def post(self, request: Request) -> Response:
        token, created = token_issue(user=request.user)
        return Response({"token": token.key}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: OpenApiResponse(description=_("令牌已作废。"))},
        description=_("作废当前用户的 API 令牌；之后可再申请新令牌。"),
    )
    def delete(self, request: Request) -> Response:
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
