"""Celery tasks: thin wrappers that take ids and call services.

All are idempotent (a recompute over unchanged data writes nothing; a reminder is sent once),
acknowledged late and retried on failure, so a lost worker or a passing database error costs
nothing but time.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def recompute_indicator(indicator_id: int) -> dict[str, int]:
    """Recompute one indicator's targets after its data changed."""
    from reporting.recompute import progress_recompute_indicator

    result = progress_recompute_indicator(indicator_id=indicator_id)
    return {"targets": result.targets, "written": result.written}


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def recompute_all(self: Task) -> dict[str, int | str]:
    """The nightly full recompute. A lock that dies with its holder (reporting.recompute_lock)
    keeps two from running at once; the second is skipped and says which run holds the lock and
    since when, and the next night catches up anyway."""
    from reporting.recompute import progress_recompute_all_exclusive
    from reporting.recompute_lock import LockHolder

    outcome = progress_recompute_all_exclusive(run=self.request.id or "in-process")
    if isinstance(outcome, LockHolder):
        logger.info("Full recompute skipped: %s holds the lock", outcome)
        since = outcome.since.isoformat() if outcome.since else ""
        return {"skipped": f"held by {outcome}", "held_by": outcome.run, "since": since}
    return {"targets": outcome.targets, "written": outcome.written}


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
