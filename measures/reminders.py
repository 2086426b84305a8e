"""Deadline reminders to the users of the bureaus responsible for a measure.

Stages: 30, 7 and 1 days before the deadline, and overdue. Each stage is sent once per
deadline; if the daily run is missed, the next run sends the stage the measure is in now
(not every stage it passed), so nobody gets a burst of stale reminders.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.notices import notices_send
from measures.models import DeadlineReminder, Measure
from measures.selectors import with_latest_update

logger = logging.getLogger(__name__)
STAGES = [(1, DeadlineReminder.Stage.DAYS_1), (7, DeadlineReminder.Stage.DAYS_7), (30, DeadlineReminder.Stage.DAYS_30)]


def reminder_stage(deadline: dt.date, today: dt.date) -> str | None:
    days_left = (deadline - today).days
    if days_left < 0:
        return DeadlineReminder.Stage.OVERDUE
    for limit, stage in STAGES:
        if days_left <= limit:
            return stage
    return None


def deadline_reminders_send(today: dt.date | None = None) -> int:
    """Send the reminders due today; returns how many measures were reminded."""
    today = today or timezone.localdate()
    sent = 0
    measures = with_latest_update(Measure.objects.filter(deadline__isnull=False)).select_related("plan__city")
    for measure in measures:
        deadline = measure.deadline
        if deadline is None or measure.latest_completed:  # (the query has no measure without one)
            continue
        stage = reminder_stage(deadline, today)
        if stage is None:
            continue
        if DeadlineReminder.objects.filter(measure=measure, stage=stage, deadline=deadline).exists():
            continue
        users = list(User.objects.filter(bureau__measures=measure, is_active=True).distinct())
        recipients = sorted({user.email for user in users if user.email})
        try:
            with transaction.atomic():
                # The row first: if another run got here at the same moment, it wins and we stop.
                DeadlineReminder.objects.create(
                    measure=measure, stage=stage, deadline=deadline, recipients=len(recipients)
                )
                message = _message(measure, deadline, stage, today, recipients)
                notices_send(users=users, message=message[0], link=reverse("dashboard:measure", args=[measure.pk]))
                if recipients:
                    send_mass_mail([message], fail_silently=False)
        except IntegrityError:
            continue
        sent += 1
    return sent


def _message(
    measure: Measure, deadline: dt.date, stage: str, today: dt.date, recipients: list[str]
) -> tuple[str, str, str, list[str]]:
    days_left = (deadline - today).days
    when = f"已逾期{-days_left}天" if days_left < 0 else f"还有{days_left}天到期"
    subject = f"【任务时限提醒】{measure.plan.city.name} {measure.section} {measure.title}：{when}"
    body = (
        f"{measure.plan.title}（{measure.plan.document_number}）\n"
        f"任务：{measure.section} {measure.title}\n"
        f"完成时限：{deadline:%Y-%m-%d}（{measure.deadline_source}），{when}。\n\n"
        "请登录规划目标跟踪系统更新任务进展。"
    )
    return subject, body, settings.DEFAULT_FROM_EMAIL, recipients
