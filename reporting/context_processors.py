from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from config.data_version import FRAGMENT_SECONDS, data_version
from reporting.models import Observation


def _version(request: HttpRequest) -> str:
    # Both processors below need it: one cache read per request, not two.
    if not hasattr(request, "_data_version"):
        request._data_version = data_version()
    return request._data_version


def demo_data(request: HttpRequest) -> dict[str, bool]:
    """Whether demo observations exist, for the banner on every page (asked once per data version)."""
    key = f"demo-data-present:{_version(request)}"
    present = cache.get(key)
    if present is None:
        present = Observation.objects.filter(is_demo=True).exists()
        cache.set(key, present, FRAGMENT_SECONDS)
    return {"demo_data_present": present}


def page_version(request: HttpRequest) -> dict[str, str]:
    """What a cached page fragment depends on besides its own parameters: the data, the
    language, today's date (deadlines turn overdue at midnight) and the audience (signed-in
    users see who entered a value, anonymous visitors of public dashboards see the bureau)."""
    audience = "user" if request.user.is_authenticated else "public"
    return {"page_version": f"{_version(request)}:{get_language()}:{timezone.localdate().isoformat()}:{audience}"}
