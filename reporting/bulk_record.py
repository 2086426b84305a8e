"""The observation service's bulk path: many checked entries stored in one transaction, with
their history rows (who, and where the change came from), in a number of queries that grows
with chunks, not rows. File imports and the demo data use it; a single entry uses
reporting.services.observation_record, whose rules (permission, reading the fields, what
counts as unchanged, the review status) this path shares."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.change_sources import ChangeSource
from config.data_version import progress_changed
from jobs.registry import Progress
from reporting.bulk_writes import observations_bulk_update, observations_history_insert
from reporting.models import Observation
from reporting.services import entry_status, observation_unchanged, queue_recompute_for
from reporting.values import ObservationInput
from targets.models import Indicator

CHUNK = 2000  # rows per bulk write and per progress report


@dataclass(frozen=True)
class CheckedEntry:
    """An entry the service's checks accepted (reporting.values.observation_input_clean and the
    permission for `indicator`). `submitted_at` stands for the time of the first submission
    where it is not now (demo data dates its values)."""

    indicator: Indicator
    entry: ObservationInput
    submitted_at: dt.datetime | None = None


@dataclass
class BulkResult:
    counts: Counter[str] = field(default_factory=Counter)  # created / updated / unchanged
    recomputes_not_queued: int = 0  # the broker was down: the figures lag until the nightly run


def observations_record_bulk(
    entries: list[CheckedEntry],
    *,
    user: Any,
    source: ChangeSource,
    is_demo: bool | None = None,
    batch: str = "",
    queue_recompute: bool = True,
    progress: Progress | None = None,
) -> BulkResult:
    """Store the entries in one transaction. An entry whose value and note are stored already is
    left as it is: no write, no history, no recompute. Each indicator written gets one
    recompute when the transaction commits (unless queue_recompute is False). `is_demo` as for
    observation_record: None for entries that are real data, True for the demo data."""
    result = BulkResult()
    entered_by = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    creates: list[Observation] = []
    updates: list[Observation] = []
    changed: set[int] = set()
    statuses: dict[int, str] = {}  # review status of an entry, per city
    total = len(entries)
    with transaction.atomic():
        # Locked until the end, so a value entered meanwhile cannot be overwritten unseen.
        existing = {
            (o.indicator_id, o.period): o
            for o in Observation.objects.select_for_update().filter(indicator__in={e.indicator for e in entries})
        }
        for checked in entries:
            indicator, entry = checked.indicator, checked.entry
            before = existing.get((indicator.pk, entry.period))
            if before is not None and observation_unchanged(before, entry, is_demo=is_demo):
                result.counts["unchanged"] += 1
                continue
            observation = before or Observation(indicator=indicator, period=entry.period)
            observation.period_end, observation.value, observation.note = entry.period_end, entry.value, entry.note
            observation.is_demo, observation.entered_by, observation.entered_at = bool(is_demo), entered_by, now
            if indicator.city_id not in statuses:
                statuses[indicator.city_id] = entry_status(indicator=indicator, user=user, is_demo=bool(is_demo))
            observation.status, observation.batch = statuses[indicator.city_id], batch
            observation.submitted_at = observation.submitted_at or checked.submitted_at or now
            observation.reviewed_by, observation.reviewed_at, observation.review_note = None, None, ""
            (updates if before is not None else creates).append(observation)
            changed.add(indicator.pk)
        result.counts["created"], result.counts["updated"] = len(creates), len(updates)
        result.counts += Counter()  # drop zero counts, as the counts of a row-by-row import had none
        written = result.counts["unchanged"]
        stage = _("正在写入")
        for start in range(0, len(creates), CHUNK):
            chunk = creates[start : start + CHUNK]
            Observation.objects.bulk_create(chunk)
            observations_history_insert([o.pk for o in chunk], user=entered_by, reason=source, kind="+")
            written += len(chunk)
            if progress is not None:
                progress(written, total, stage)
        for start in range(0, len(updates), CHUNK):
            chunk = updates[start : start + CHUNK]
            observations_bulk_update(chunk, user=entered_by, reason=source)
            written += len(chunk)
            if progress is not None:
                progress(written, total, stage)
        if changed:
            # bulk writes send no save signals: start new versions for the cities written
            progress_changed({e.indicator.city_id for e in entries if e.indicator.pk in changed})
        if queue_recompute:
            for indicator_id in changed:
                transaction.on_commit(partial(_queue, result, indicator_id))
    return result


def _queue(result: BulkResult, indicator_id: int) -> None:
    if not queue_recompute_for(indicator_id):
        result.recomputes_not_queued += 1
