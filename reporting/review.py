"""Review of reported values (审核): a city's coordinating office approves an entry or returns
it with a note. Only approved values count for statuses and charts. Every transition is a
history row carrying the reviewer and the time, and the submitter gets a notice."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notices import notices_send
from accounts.roles import write_scope
from config.change_sources import ChangeSource
from config.data_version import FRAGMENT_SECONDS, data_version
from reporting.models import Observation
from reporting.querysets import ObservationQuerySet
from reporting.services import queue_recompute_for


def _reviewable(observation: Observation, user: Any) -> Observation:
    locked = Observation.objects.select_for_update().filter(pk=observation.pk).first()
    if locked is None or not Observation.objects.reviewable_by(user).filter(pk=observation.pk).exists():
        raise PermissionDenied(_("您无权审核这条数据。"))
    if locked.status != Observation.Status.SUBMITTED:
        raise ValidationError(_("这条数据不在待审核状态。"), code="not_pending")
    return locked


def _notify(observation: Observation, message: str) -> None:
    entered_by = observation.entered_by
    if entered_by is not None:
        link = reverse("entry:observation_create", args=[observation.indicator_id])
        notices_send(users=[entered_by], message=message, link=link)


@transaction.atomic
def observation_approve(*, observation: Observation, user: Any) -> Observation:
    observation = _reviewable(observation, user)
    observation.status = Observation.Status.APPROVED
    observation.reviewed_by, observation.reviewed_at, observation.review_note = user, timezone.now(), ""
    observation._history_user = user
    observation._change_reason = ChangeSource.REVIEW
    observation.save()
    _notify(
        observation,
        _("“%(indicator)s”%(period)s的数据已审核通过。")
        % {"indicator": observation.indicator.name, "period": observation.period},
    )
    indicator_id = observation.indicator_id
    transaction.on_commit(lambda: queue_recompute_for(indicator_id))
    return observation


@transaction.atomic
def observation_return(*, observation: Observation, user: Any, note: str) -> Observation:
    if not note.strip():
        raise ValidationError({"review_note": _("退回时请写明需要修改的地方。")})
    observation = _reviewable(observation, user)
    observation.status = Observation.Status.RETURNED
    observation.reviewed_by, observation.reviewed_at, observation.review_note = user, timezone.now(), note.strip()
    observation._history_user = user
    observation._change_reason = ChangeSource.REVIEW
    observation.save()
    _notify(
        observation,
        _("“%(indicator)s”%(period)s的数据被退回：%(note)s")
        % {"indicator": observation.indicator.name, "period": observation.period, "note": observation.review_note},
    )
    return observation


def observations_approve(*, observations: ObservationQuerySet, user: Any) -> int:
    """Approve every pending value among `observations` that `user` may review (an import
    batch at once); each is approved as if one by one. Returns how many."""
    pending = observations.pending() & Observation.objects.reviewable_by(user)
    count = 0
    with transaction.atomic():
        for observation in pending.select_related("indicator", "entered_by"):
            observation_approve(observation=observation, user=user)
            count += 1
    return count


def pending_for_review(*, user: Any) -> QuerySet[Observation]:
    return (
        Observation.objects.reviewable_by(user)
        .pending()
        .select_related("indicator__city", "entered_by")
        .order_by("batch", "indicator__name", "period_end")
    )


def pending_review_count(*, user: Any) -> int:
    """How many values wait for `user`'s review: kept in the cache for this user (never for
    another) on the data version, which every saved value moves, and the user's write scope."""
    scope = write_scope(user, "reporting.change_observation")  # the scope `reviewable_by` applies
    version = data_version()
    if not version:  # no cache: count every time
        return pending_for_review(user=user).count()
    key = f"pending-review:{user.pk}:{scope.everything}:{scope.bureau_id}:{version}"
    count = cache.get(key)
    if count is None:
        count = pending_for_review(user=user).count()
        cache.set(key, count, FRAGMENT_SECONDS)
    return int(count)
