"""Writes of measure progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.change_sources import ChangeSource
from config.notes import note_clean
from measures.models import Measure, MeasureStatus, MeasureUpdate


def ensure_can_update(*, measure: Measure | None, user: Any) -> None:
    """PermissionDenied unless `user` may report on `measure`. With no measure (a request that
    did not name a valid one), unless the user may report on any measure at all."""
    editable = Measure.objects.editable_by(user)
    if measure is None:
        if not editable.exists():
            raise PermissionDenied(_("您没有填报权限。"))
        return
    if not editable.filter(pk=measure.pk).exists():
        raise PermissionDenied(_("您无权更新任务“%(section)s”。") % {"section": measure.section})


@transaction.atomic
def measure_update_record(
    *,
    measure: Measure,
    status: MeasureStatus,
    user: Any,
    source: ChangeSource,
    percent_complete: int | None = None,
    note: object = "",
) -> MeasureUpdate:
    """Record a status report on a measure. Each report is kept: the list is the timeline.
    Its history row carries the user and `source` (page, API, admin) as the change reason.
    The permission is checked first, before any value is looked at."""
    ensure_can_update(measure=measure, user=user)
    percent_complete, note = measure_update_check(status=status, percent_complete=percent_complete, note=note)
    update = MeasureUpdate(
        measure=measure, status=status, percent_complete=percent_complete, note=note, created_by=user
    )
    update._history_user = user
    update._change_reason = source
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
    cleaned_note = ""
    try:
        cleaned_note = note_clean(note)
    except ValidationError as exc:
        errors["note"] = [exc]
    if errors:
        raise ValidationError(errors)
    if status.is_completed and percent_complete is None:
        percent_complete = 100
    return percent_complete, cleaned_note
