"""Late-data reminders to the users of the bureau that reports an indicator: 7 days before a
period's value is due, and once it is overdue. Each stage is sent once per indicator, period
and due date, by e-mail and as an in-app notice; one message per bureau lists its items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.notices import notices_send
from reporting.models import ReportingReminder
from reporting.status_selectors import ReportingItem, reporting_items

DAYS_BEFORE = 7


def reporting_stage(item: ReportingItem) -> str | None:
    if item.state == "missing":
        return ReportingReminder.Stage.OVERDUE
    if item.state == "open" and item.days_left <= DAYS_BEFORE:
        return ReportingReminder.Stage.DAYS_7
    return None


def reporting_reminders_send(today: dt.date | None = None) -> int:
    """Send the late-data reminders due today; returns how many items were reminded."""
    today = today or timezone.localdate()
    staged: dict[tuple[int, str], list[ReportingItem]] = defaultdict(list)
    for item in reporting_items(today=today):
        stage = reporting_stage(item)
        if stage is not None:
            staged[(item.bureau_id, stage)].append(item)
    sent_before = set(
        ReportingReminder.objects.filter(
            indicator_id__in={i.indicator.pk for v in staged.values() for i in v}
        ).values_list("indicator_id", "period", "stage", "due")
    )
    reminded = 0
    for (bureau_id, stage), items in staged.items():
        items = [i for i in items if (i.indicator.pk, i.period, stage, i.due) not in sent_before]
        if not items:
            continue
        users = list(User.objects.filter(bureau_id=bureau_id, is_active=True))
        try:
            with transaction.atomic():
                # The rows first: if another run got here at the same moment, it wins and we stop.
                ReportingReminder.objects.bulk_create(
                    [
                        ReportingReminder(
                            indicator=i.indicator, period=i.period, stage=stage, due=i.due, recipients=len(users)
                        )
                        for i in items
                    ]
                )
                subject, body = _message(items, stage)
                notices_send(users=users, message=subject, link=reverse("dashboard:my_bureau"))
                emails = [u.email for u in users if u.email]
                if emails:
                    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, emails)], fail_silently=False)
        except IntegrityError:
            continue
        reminded += len(items)
    return reminded


def _message(items: list[ReportingItem], stage: str) -> tuple[str, str]:
    city = items[0].indicator.city.name
    if stage == ReportingReminder.Stage.OVERDUE:
        subject = f"【数据报送提醒】{city}：{len(items)}项数据已逾期未报"
    else:
        subject = f"【数据报送提醒】{city}：{len(items)}项数据将于{DAYS_BEFORE}天内到期"
    lines = [f"{i.indicator.name}（{i.indicator.code}）{i.period}：截止{i.due:%Y-%m-%d}" for i in items]
    return subject, "\n".join([*lines, "", "请登录规划目标跟踪系统“我的单位”页面填报或上传数据。"])
