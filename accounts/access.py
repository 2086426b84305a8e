"""Who may read the dashboards: signed-in users, or everyone when PUBLIC_DASHBOARDS is on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


def dashboard_readable(user: Any) -> bool:
    """The one rule for reading dashboards (and what is made from them: exports, reports)."""
    return bool(getattr(user, "is_authenticated", False) or settings.PUBLIC_DASHBOARDS)


def dashboard_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not dashboard_readable(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
