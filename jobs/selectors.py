"""Which jobs a user may see: their own, each re-checked against the rule of the page the work
came from (a leader who loses access to the dashboards loses the downloads too)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jobs.models import BackgroundJob
from jobs.registry import KINDS, job_kind


def job_visible(*, job: BackgroundJob, user: Any) -> bool:
    if job.kind not in KINDS:
        return False
    if job.owner_id is not None and job.owner_id != getattr(user, "pk", None):
        return False
    # A job without an owner was asked for by a visitor of public dashboards; its id is a
    # random UUID and it holds only what those public pages show.
    return job_kind(job.kind).can_view(user, job.params)


def jobs_of(*, user: Any) -> QuerySet[BackgroundJob]:
    if not getattr(user, "is_authenticated", False):
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.filter(owner=user).order_by("-created_at")
