"""Response headers every dynamic page gets."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    """Progress data is internal: dashboards, exports and API answers may be kept by the user's
    own browser but never by a shared proxy or cache between the city's offices and the server.
    Static files are served before this middleware runs (whitenoise) and keep their own
    long-lived public caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        cache_control = response.get("Cache-Control", "")
        if "public" not in cache_control:
            patch_cache_control(response, private=True)
        return response
