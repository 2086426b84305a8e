"""Turning the services' exceptions into API responses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def api_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as a 400 with the errors under their fields."""
    if hasattr(exc, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return exceptions.ValidationError(detail)


def api_permission_denied(exc: DjangoPermissionDenied) -> exceptions.PermissionDenied:
    """A service's refusal as a 403 that keeps its message."""
    return exceptions.PermissionDenied(str(exc) or None)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, except that a missing row answers with DRF's translated "Not found."
    rather than Django's English "No Target matches the given query."."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
