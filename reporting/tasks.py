"""Celery tasks: thin wrappers that take ids and call services.

All are idempotent (a recompute over unchanged data writes nothing; a reminder is sent once),
acknowledged late and retried on failure, so a lost worker or a passing database error costs
nothing but time.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

logger = logging.getLogger(__name__)
FULL_RECOMPUTE_LOCK = "progress:full-recompute"
FULL_RECOMPUTE_LOCK_SECONDS = 30 * 60


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def recompute_indicator(indicator_id: int) -> dict[str, int]:
    """Recompute one indicator's targets after its data changed."""
    from reporting.progress_service import progress_recompute_indicator

    result = progress_recompute_indicator(indicator_id=indicator_id)
    return {"targets": result.targets, "written": result.written}


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def recompute_all() -> dict[str, int] | str:
    """The nightly full recompute. A lock in the shared cache (Redis) keeps two from running
    at once; the second returns "skipped", and the next night catches up anyway."""
    from reporting.progress_service import progress_recompute

    if not cache.add(FULL_RECOMPUTE_LOCK, "running", timeout=FULL_RECOMPUTE_LOCK_SECONDS):
        logger.info("A full recompute is already running; skipping this one")
        return "skipped"
    try:
        result = progress_recompute()
    finally:
        cache.delete(FULL_RECOMPUTE_LOCK)
    return {"targets": result.targets, "written": result.written}


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def send_deadline_reminders() -> int:
    """The daily check of measure deadlines and of reporting due dates; returns how many
    reminders were sent."""
    from measures.reminders import deadline_reminders_send
    from reporting.reminders import reporting_reminders_send

    return deadline_reminders_send() + reporting_reminders_send()


@shared_task(acks_late=True)
def count_targets(city_code: str) -> int:
    """How many targets a city's plans hold, read by the worker from the database.

    Used by deployment smoke checks and the test that proves a real worker is reachable.
    """
    from targets.models import Target

    return Target.objects.for_city(city_code).count()
