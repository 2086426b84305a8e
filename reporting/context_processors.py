from __future__ import annotations

from django.http import HttpRequest

from reporting.models import Observation


def demo_data(request: HttpRequest) -> dict[str, bool]:
    """Whether demo observations exist, for the banner on every page."""
    return {"demo_data_present": Observation.objects.filter(is_demo=True).exists()}
