"""Writes of measure progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.notes import note_clean
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
    percent_complete, note = measure_update_check(status=status, percent_complete=percent_complete, note=note)
    update = MeasureUpdate(
        measure=measure, status=status, percent_complete=percent_complete, note=note, created_by=user
    )
    update._history_user = user
    update.save()
    return update


def measure_update_check(
    *, status: MeasureStatus, percent_complete: int | None, note: object
) -> tuple[int | None, str]:
    """The percentage and note as they will be stored, or a ValidationError by field. The
    entry form, the API and the admin all reach this rule (the admin's form calls it)."""
    errors: dict[str, list[ValidationError]] = {}
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        errors["percent_complete"] = [ValidationError(_("完成百分比应在0到100之间。"), code="out_of_range")]
    elif status.is_completed and percent_complete is not None and percent_complete != 100:
        errors["percent_complete"] = [
            ValidationError(
                _("状态为“%(status)s”时完成百分比应为100%%（填写的是%(percent)s%%）：请改为100，或选择其他状态。"),
                code="completed_below_100",
                params={"status": status.name, "percent": percent_complete},
            )
        ]
    try:
        note = note_clean(note)
    except ValidationError as exc:
        errors["note"] = [exc]
    if errors:
        raise ValidationError(errors)
    if status.is_completed and percent_complete is None:
        percent_complete = 100
    return percent_complete, note
