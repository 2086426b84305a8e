"""Reads about observations that pages of many cities share."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery

from reporting.models import Observation
from targets.models import Indicator


def latest_period_end_by_city() -> dict[int, dt.date]:
    """Per city id, the end of the latest period any of its indicators has a value for.

    One index lookup per indicator (observation_by_time: indicator, period_end), instead of a
    MAX over a join of every observation, which reads every row of the table."""
    last = Observation.objects.filter(indicator=OuterRef("pk")).order_by("-period_end").values("period_end")[:1]
    latest: dict[int, dt.date] = {}
    for city_id, period_end in (
        Indicator.objects.order_by().annotate(last=Subquery(last)).values_list("city_id", "last")
    ):
        if period_end is not None and (city_id not in latest or period_end > latest[city_id]):
            latest[city_id] = period_end
    return latest
