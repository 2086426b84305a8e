"""Writes of reported data. Every entry path (forms, imports, admin, API) calls these, and adds
nothing but its transport: who may report, how a period, a value and a note are read, and what
a change leaves in the history are decided here."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_admin
from config.change_sources import ChangeSource
from reporting.entry_checks import observation_warnings
from reporting.models import Observation
from reporting.values import ObservationInput, fits_storage, note_clean, observation_input_clean, parse_value
from targets.models import CitySetup, Indicator

__all__ = [
    "ChangeSource",
    "NeedsConfirmation",
    "Outcome",
    "RecordResult",
    "ensure_can_report",
    "fits_storage",
    "observation_record",
    "parse_value",
    "queue_recompute_for",
    "reportable_indicators",
]

logger = logging.getLogger(__name__)


def reportable_indicators(user: Any) -> QuerySet[Indicator]:
    """The indicators `user` may report. No user means an operator's management command, which
    may report every indicator."""
    return Indicator.objects.all() if user is None else Indicator.objects.editable_by(user)


def refusal(indicator: Indicator) -> str:
    """What every entry path says when the user may not report the indicator."""
    return _("您无权填报“%(indicator)s”的数据。") % {"indicator": indicator.name}


def ensure_can_report(*, indicator: Indicator | None, user: Any) -> None:
    """PermissionDenied unless `user` may report `indicator`. With no indicator (a request that
    did not name a valid one), unless the user may report any indicator at all, so a user who
    may write nothing is refused whatever was sent."""
    if indicator is None:
        if not reportable_indicators(user).exists():
            raise PermissionDenied(_("您没有填报权限。"))
        return
    if not reportable_indicators(user).filter(pk=indicator.pk).exists():
        raise PermissionDenied(refusal(indicator))


class Outcome(enum.StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"  # the same value and note were stored already: no write, no history


@dataclass
class RecordResult:
    """What observation_record did. `recompute_queued` is set when the transaction commits:
    True when a recompute was queued, False when the broker was down (the figures lag until
    the nightly run), None when nothing was queued (or the transaction has not committed)."""

    observation: Observation
    outcome: Outcome
    recompute_queued: bool | None = None


class NeedsConfirmation(Exception):
    """The value looks odd (see reporting.entry_checks); nothing was stored. The entry page
    shows the reasons and records the value once the user confirms."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("; ".join(warnings))
        self.warnings = warnings


@transaction.atomic
def observation_record(
    *,
    indicator: Indicator,
    period: object,
    value: object,
    user: Any,
    source: ChangeSource,
    note: object = "",
    is_demo: bool | None = None,
    confirmed: bool = True,
    queue_recompute: bool = True,
    batch: str = "",
) -> RecordResult:
    """Create or update the indicator's value for a period, keeping the old value in history
    with `source` (page, API, admin, ...) as the history row's change reason. `is_demo` is the
    demo mark where the path states it (the admin's box, the demo data); left None, a written
    value is real data and an unchanged one keeps its mark.

    First the permission (PermissionDenied, before any value is looked at), then every field at
    once (ValidationError by field), then, unless `confirmed`, the plausibility checks
    (NeedsConfirmation). A recompute of the indicator's targets is queued when the transaction
    commits (bulk imports pass queue_recompute=False and queue once per indicator). In a city
    that reviews entries, a staff entry is `submitted` and counts only once approved
    (reporting.review); otherwise it counts at once.
    """
    ensure_can_report(indicator=indicator, user=user)
    cleaned = observation_input_clean(period=period, value=value, note=note)
    observation = Observation.objects.select_for_update().filter(indicator=indicator, period=cleaned.period).first()
    if not confirmed:
        warnings = observation_warnings(indicator=indicator, entry=cleaned, existing=observation)
        if warnings:
            raise NeedsConfirmation(warnings)
    if observation is None:
        observation, outcome = Observation(indicator=indicator, period=cleaned.period), Outcome.CREATED
    elif observation_unchanged(observation, cleaned, is_demo=is_demo):
        return RecordResult(observation, Outcome.UNCHANGED)  # no new history row, no recompute
    else:
        outcome = Outcome.CHANGED
    observation.period_end = cleaned.period_end
    observation.value = cleaned.value
    observation.note = cleaned.note
    observation.is_demo = bool(is_demo)
    observation.entered_by = user if getattr(user, "is_authenticated", False) else None
    observation.status = entry_status(indicator=indicator, user=user, is_demo=bool(is_demo))
    observation.submitted_at = observation.submitted_at or timezone.now()
    observation.reviewed_by, observation.reviewed_at, observation.review_note = None, None, ""
    observation.batch = batch
    observation._history_user = observation.entered_by
    observation._change_reason = source
    observation.save()
    result = RecordResult(observation, outcome)
    if queue_recompute:
        # Runs when the outermost transaction commits; a page can then tell the user whether
        # the figures will follow at once or only after the nightly recompute.
        def queue() -> None:
            result.recompute_queued = queue_recompute_for(indicator.pk)

        transaction.on_commit(queue)
    return result


def observation_unchanged(stored: Observation, entry: ObservationInput, *, is_demo: bool | None) -> bool:
    """Whether storing `entry` would change nothing: the same value and note, the same demo
    mark where the path states one (a re-imported export leaves a demo row as it is), and not
    returned (a returned value is sent again for review)."""
    return (
        stored.value == entry.value
        and stored.note == entry.note
        and (is_demo is None or stored.is_demo == is_demo)
        and stored.status != Observation.Status.RETURNED
    )


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
def target_assess(*, target: Any, verdict: str, note: str, user: Any, source: ChangeSource) -> Any:
    """Record a person's assessment of a qualitative target; the engine shows the latest."""
    from reporting.models import TargetAssessment

    if not reportable_indicators(user).filter(pk=target.indicator_id).exists():
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
    assessment._change_reason = source
    assessment.save()
    transaction.on_commit(lambda: queue_recompute_for(target.indicator_id))
    return assessment
