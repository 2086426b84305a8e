"""Who may read the dashboards: signed-in users, or everyone when PUBLIC_DASHBOARDS is on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


def dashboard_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_authenticated or settings.PUBLIC_DASHBOARDS):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
