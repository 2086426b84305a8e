"""Writes of reported data. Every entry path (forms, imports, admin, API) calls these."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_admin
from reporting.models import Observation
from reporting.periods import parse_period
from targets.models import CitySetup, Indicator

logger = logging.getLogger(__name__)


def parse_value(raw: object) -> Decimal | None:
    """A reported number, or a ValidationError naming what was typed."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, Decimal):
        return raw
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("数值“%(value)s”不是数字。"), code="not_a_number", params={"value": raw}) from None
    if not value.is_finite():
        raise ValidationError(_("数值“%(value)s”不是有限的数字。"), code="not_a_number", params={"value": raw})
    if not fits_storage(value):
        raise ValidationError(_("数值“%(value)s”过大，超出可存储的范围。"), code="too_large", params={"value": raw})
    return value


# Observation.value is numeric(20, 6): 14 digits before the point.
VALUE_LIMIT = Decimal(10) ** 14
STORED_PLACES = Decimal("0.000001")


def fits_storage(number: Decimal) -> bool:
    """Whether the number, rounded to the 6 stored decimals as the database will, fits."""
    return abs(number) < VALUE_LIMIT and abs(number.quantize(STORED_PLACES)) < VALUE_LIMIT


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
    errors: dict[str, list[ValidationError]] = {}
    try:
        label, period_end = parse_period(period)
    except ValidationError as exc:
        errors["period"] = [exc]
    try:
        number = parse_value(value)
    except ValidationError as exc:
        errors["value"] = [exc]
    if not errors and number is None and not note.strip():
        errors["value"] = [ValidationError(_("请填写数值，定性指标请在说明中填写评估。"), code="required")]
    if errors:
        raise ValidationError(errors)

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
    observation.period_end = period_end
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


def entry_status(*, indicator: Indicator, user: Any, is_demo: bool = False) -> str:
    """`submitted` for a staff entry in a city that reviews entries; otherwise `approved`.
    Admins' entries and demo data count at once."""
    if is_demo or is_admin(user):
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
    if not note.strip():
        raise ValidationError({"note": _("请说明评估依据。")})
    assessment = TargetAssessment(target=target, verdict=verdict, note=note.strip(), assessed_by=user)
    assessment._history_user = user
    assessment.save()
    transaction.on_commit(lambda: queue_recompute_for(target.indicator_id))
    return assessment
