"""Writes of reported data. Every entry path (forms, imports, admin, API) calls these."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_admin
from reporting.models import Observation
from reporting.values import fits_storage, note_clean, observation_input_clean, parse_value
from targets.models import CitySetup, Indicator

__all__ = ["ensure_can_report", "fits_storage", "observation_record", "parse_value", "queue_recompute_for"]

logger = logging.getLogger(__name__)


def ensure_can_report(*, indicator: Indicator, user: Any) -> None:
    if not Indicator.objects.editable_by(user).filter(pk=indicator.pk).exists():
        raise PermissionDenied(_("您无权填报“%(indicator)s”的数据。") % {"indicator": indicator.name})


@transaction.atomic
def observation_record(
    *,
    indicator: Indicator,
    period: object,
    value: object,
    user: Any,
    note: str = "",
    is_demo: bool = False,
    check_permission: bool = True,
    queue_recompute: bool = True,
    batch: str = "",
) -> Observation:
    """Create or update the indicator's value for a period, keeping the old value in history.

    A recompute of the indicator's targets is queued when the transaction commits (bulk
    imports pass queue_recompute=False and queue once per indicator). Raises PermissionDenied
    when the user's bureau is not responsible for the indicator and ValidationError (by field)
    for a bad period or value. In a city that reviews entries, a staff entry is `submitted`
    and counts only once approved (reporting.review); otherwise it counts at once.
    """
    if check_permission:
        ensure_can_report(indicator=indicator, user=user)
    cleaned = observation_input_clean(period=period, value=value, note=note)
    label, number, note = cleaned.period, cleaned.value, cleaned.note

    observation = Observation.objects.select_for_update().filter(indicator=indicator, period=label).first()
    if observation is None:
        observation = Observation(indicator=indicator, period=label)
    elif (
        observation.value == number
        and observation.note == note
        and observation.is_demo == is_demo
        and observation.status != Observation.Status.RETURNED
    ):
        return observation  # nothing changed: no new history row, no recompute
    observation.period_end = cleaned.period_end
    observation.value = number
    observation.note = note
    observation.is_demo = is_demo
    observation.entered_by = user if getattr(user, "is_authenticated", False) else None
    observation.status = entry_status(indicator=indicator, user=user, is_demo=is_demo)
    observation.submitted_at = observation.submitted_at or timezone.now()
    observation.reviewed_by, observation.reviewed_at, observation.review_note = None, None, ""
    observation.batch = batch
    observation._history_user = observation.entered_by
    observation.save()
    # Runs when the outermost transaction commits; a page can then tell the user whether the
    # figures will follow at once or only after the nightly recompute.
    observation.recompute_queued = None
    if queue_recompute:

        def queue() -> None:
            observation.recompute_queued = queue_recompute_for(indicator.pk)

        transaction.on_commit(queue)
    return observation


# What every entry path tells the user when a value was saved but no recompute could be queued.
LAG_WARNING = gettext_lazy("数据已保存，但后台计算服务暂时不可用，状态和图表可能滞后；系统会在夜间自动补算。")


def entry_status(*, indicator: Indicator, user: Any, is_demo: bool = False) -> str:
    """`submitted` for a staff entry in a city that reviews entries; otherwise `approved`.
    Admins' entries, demo data and entries made without a user (management commands run by an
    operator) count at once."""
    if is_demo or user is None or is_admin(user):
        return Observation.Status.APPROVED
    review = CitySetup.objects.filter(city_id=indicator.city_id, review_required=True).exists()
    return Observation.Status.SUBMITTED if review else Observation.Status.APPROVED


def queue_recompute_for(indicator_id: int) -> bool:
    """Ask the workers to recompute the indicator's targets. If the broker is down the value
    is already saved and the nightly run catches up; returns whether it was queued."""
    from reporting.tasks import recompute_indicator

    try:
        recompute_indicator.delay(indicator_id)
    except Exception:  # the broker being down must never lose a saved observation
        logger.warning(
            "Could not queue a recompute for indicator %s; the nightly run will catch up", indicator_id, exc_info=True
        )
        return False
    return True


@transaction.atomic
def target_assess(*, target: Any, verdict: str, note: str, user: Any) -> Any:
    """Record a person's assessment of a qualitative target; the engine shows the latest."""
    from reporting.models import TargetAssessment

    if not Indicator.objects.editable_by(user).filter(pk=target.indicator_id).exists():
        raise PermissionDenied(_("您无权评估该目标。"))
    if verdict not in TargetAssessment.Verdict.values:
        raise ValidationError({"verdict": _("未知的评估结论。")})
    try:
        note = note_clean(note)
    except ValidationError as exc:
        raise ValidationError({"note": [exc]}) from None
    if not note:
        raise ValidationError({"note": _("请说明评估依据。")})
    assessment = TargetAssessment(target=target, verdict=verdict, note=note, assessed_by=user)
    assessment._history_user = user
    assessment.save()
    transaction.on_commit(lambda: queue_recompute_for(target.indicator_id))
    return assessment
