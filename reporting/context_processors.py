from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from config.compiled_sql import CompiledRows
from config.data_version import FRAGMENT_SECONDS, data_version, plan_version
from reporting.models import Observation

# Asked on every page after each change: its SQL is composed once (config.compiled_sql).
_demo_row = CompiledRows(lambda: Observation.objects.filter(is_demo=True).order_by().values_list("pk")[:1])


def _version(request: HttpRequest) -> str:
    # Both processors below need it: one cache read per request, not two (kept on the request).
    memo = vars(request)
    if "_data_version" not in memo:
        memo["_data_version"] = data_version()
    return memo["_data_version"]


def demo_data(request: HttpRequest) -> dict[str, bool]:
    """Whether demo observations exist, for the banner on every page (asked once per data version)."""
    version = _version(request)
    present = cache.get(f"demo-data-present:{version}") if version else None
    if present is None:
        present = bool(_demo_row())
        if version:  # no version means no cache (Redis down): do not try to write
            cache.set(f"demo-data-present:{version}", present, FRAGMENT_SECONDS)
    return {"demo_data_present": present}


class PageVersion:
    """What a cached page fragment depends on besides its own parameters: the data, the
    language, today's date (deadlines turn overdue at midnight) and the audience (signed-in
    users see who entered a value, anonymous visitors of public dashboards see the bureau).

    As text it is the cross-city version (for the overview and sector pages); a page about one
    city keys its fragment on `page_version|for_city:city` (reporting/templatetags/page_cache),
    which stays valid while other cities change."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        audience = "user" if request.user.is_authenticated else "public"
        self.suffix = f"{get_language()}:{timezone.localdate().isoformat()}:{audience}"
        self._cities: dict[str, str] = {}  # read once per page, however many fragments ask

    def __str__(self) -> str:
        return f"{_version(self._request)}:{self.suffix}"

    def for_city(self, city: Any) -> str:
        key = str(getattr(city, "pk", city))
        if key not in self._cities:
            self._cities[key] = f"{data_version(city=city)}:{self.suffix}"
        return self._cities[key]

    @property
    def plan(self) -> str:
        """For a fragment of plan text across cities: it outlives changes of progress."""
        return f"{plan_version()}:{self.suffix}"

    def plan_for_city(self, city: Any) -> str:
        """For a fragment of plan text about one city: it outlives changes of progress."""
        return f"{plan_version(city=city)}:{self.suffix}"


def page_version(request: HttpRequest) -> dict[str, PageVersion]:
    return {"page_version": PageVersion(request)}
