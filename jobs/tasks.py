"""The one task of this app: run a background job by its id."""

from __future__ import annotations

from celery import shared_task

from jobs.services import job_run, jobs_prune


@shared_task(acks_late=True, ignore_result=True)
def run_job(job_id: str) -> None:
    """Not retried: a job that fails says why on its page, and the user asks again. A worker
    that dies mid-run has the task redelivered (acks_late), and job_run starts it afresh.
    No result is stored: the job's row is its result, and sending touches only the broker."""
    job_run(job_id=job_id)


@shared_task(acks_late=True)
def prune_jobs() -> int:
    """Daily: results and stashed uploads are kept for a week."""
    return jobs_prune()
