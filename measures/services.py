"""Writes of measure progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from measures.models import Measure, MeasureStatus, MeasureUpdate


@transaction.atomic
def measure_update_record(
    *,
    measure: Measure,
    status: MeasureStatus,
    user: Any,
    percent_complete: int | None = None,
    note: str = "",
) -> MeasureUpdate:
    """Record a status report on a measure. Each report is kept: the list is the timeline."""
    if not Measure.objects.editable_by(user).filter(pk=measure.pk).exists():
        raise PermissionDenied(_("您无权更新任务“%(section)s”。") % {"section": measure.section})
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        raise ValidationError({"percent_complete": _("完成百分比应在0到100之间。")})
    if status.is_completed and percent_complete is None:
        percent_complete = 100
    if status.is_completed and percent_complete < 100:
        raise ValidationError(
            {"percent_complete": _("状态为“%(status)s”时完成百分比应为100。") % {"status": status.name}}
        )
    update = MeasureUpdate(
        measure=measure, status=status, percent_complete=percent_complete, note=note.strip(), created_by=user
    )
    update._history_user = user
    update.save()
    return update
