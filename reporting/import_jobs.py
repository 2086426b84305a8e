"""The observation import as a background job: the confirmed upload is imported by a worker,
all or nothing, with its progress on the job's page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.models import BackgroundJob
from jobs.registry import JobFailed, JobKind, JobResult, Progress, job_kind_register
from reporting.imports import observations_import, read_table
from reporting.models import Observation
from reporting.services import LAG_WARNING

KIND = "observation_import"
SHOWN_PROBLEMS = 200  # the job's page lists this many bad rows; the count says how many in all


def observation_import_run(job: BackgroundJob, progress: Progress) -> JobResult:
    with job.source.open("rb") as handle:
        raw = handle.read()
    try:
        frame = read_table(raw, job.source_name)
    except ValidationError as problem:
        raise JobFailed(problem.messages[0]) from None
    report = observations_import(frame, user=job.owner, progress=progress)
    if not report.ok:
        # The data may have changed since the preview (an indicator removed, a right taken away).
        raise JobFailed(
            _("文件未通过校验，未保存任何数据。"),
            {"problems": [str(p) for p in report.problems[:SHOWN_PROBLEMS]], "problem_count": len(report.problems)},
        )
    counts = {key: report.counts[key] for key in ("created", "updated", "unchanged")}
    message = _("已导入%(n)s行：新增%(created)s，更新%(updated)s，未变%(unchanged)s。") % {
        "n": len(report.rows),
        **counts,
    }
    if Observation.objects.filter(batch=report.batch, status=Observation.Status.SUBMITTED).exists():
        message = f"{message} {_('这些数据已提交审核，审核通过后计入进展。')}"
    if report.recomputes_not_queued:
        message = f"{message} {LAG_WARNING}"
    return JobResult(
        message=message,
        total=len(report.rows),
        outcome={
            "counts": counts,
            "rows": len(report.rows),
            "next_url": reverse("dashboard:my_bureau"),
            "next_label": _("返回我的单位"),
        },
    )


def _can_view(user: Any, params: dict[str, Any]) -> bool:
    return getattr(user, "is_authenticated", False)  # and, as for every job, only its owner


def register() -> None:
    job_kind_register(
        KIND, JobKind(run=observation_import_run, can_view=_can_view, title=lambda params: _("导入观测数据"))
    )
