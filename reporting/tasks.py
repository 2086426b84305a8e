"""Celery tasks: thin wrappers that take ids and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def recompute_indicator(indicator_id: int) -> int:
    """Recompute the progress of one indicator's targets; returns how many targets it read."""
    from reporting.progress_service import progress_recompute_indicator

    return progress_recompute_indicator(indicator_id=indicator_id)


@shared_task(acks_late=True)
def count_targets(city_code: str) -> int:
    """How many targets a city's plans hold, read by the worker from the database.

    Used by deployment smoke checks and the test that proves a real worker is reachable.
    """
    from targets.models import Target

    return Target.objects.for_city(city_code).count()
