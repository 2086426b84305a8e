"""Who may call the API: the same rule as the pages.

Reads need a signed-in user unless PUBLIC_DASHBOARDS is on; writes always need one. Which
rows a user may write is decided by the services (`editable_by`), not here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission


def reads_are_public() -> bool:
    return bool(settings.PUBLIC_DASHBOARDS)


class DashboardAccess(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        if request.user and request.user.is_authenticated:
            return True
        return request.method in SAFE_METHODS and reads_are_public()
