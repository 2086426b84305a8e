"""Reads for the measure list (its page and its exports) and for one measure with its timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from measures.deadlines import DeadlineState, deadline_state, deadline_state_q
from measures.filters import MAX_TEXT, MeasureFilter
from measures.models import Measure, MeasureResponsibility, MeasureUpdate
from measures.selectors import deadline_states, with_latest_update
from targets.filters import filter_errors
from targets.models import Bureau
from targets.querysets import lead_first

if TYPE_CHECKING:
    from measures.selectors import MeasureWithLatest, MeasureWithTimeline


@dataclass(frozen=True)
class MeasureFilters:
    """The measure page's filters as parsed by the list's FilterSet (measures.filters): what the
    form shows, the page caches by and the export links carry."""

    city: str = ""
    plan: str = ""
    sector: str = ""
    bureau: int | None = None
    bureau_name: str = ""
    status: str = ""
    deadline_state: str = ""
    q: str = ""

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> tuple[MeasureFilters, list[str]]:
        """The values that parse, and a line naming each filter whose value did not."""
        filterset = MeasureFilter({key: query[key] for key in PAGE_FILTERS if key in query})
        filterset.is_valid()
        cleaned = filterset.form.cleaned_data
        values = {key: cleaned[key] for key in PAGE_FILTERS if cleaned.get(key) not in ("", None)}
        for key in ("bureau_name", "q"):
            if key in values:
                values[key] = values[key].strip()[:MAX_TEXT]
        return cls(**values), filter_errors(filterset)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> MeasureFilters:
        return cls.parse(query)[0]

    def as_query(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items() if value not in ("", None)}

    def is_active(self) -> bool:
        return bool(self.as_query())

    def picks_by_progress(self) -> bool:
        """Whether which measures pass depends on their progress (latest report, deadline state)."""
        return bool(self.status or self.deadline_state)


PAGE_FILTERS = tuple(field.name for field in fields(MeasureFilters))


def measure_filters_from_query(query: Mapping[str, str]) -> tuple[MeasureFilters, Bureau | None, list[str]]:
    """The filters, the bureau picked by id, and the filters whose values did not parse. The
    form sends the picked id (set by the suggestion script) next to the typed text; when the
    text no longer names that bureau, the text was edited (without the script to clear the id),
    and the text wins."""
    filters, errors = MeasureFilters.parse(query)
    bureau = Bureau.objects.select_related("city").filter(pk=filters.bureau).first() if filters.bureau else None
    if bureau is None or ("bureau_name" in query and not filters.bureau_name.endswith(bureau.name)):
        return replace(filters, bureau=None), None, errors
    return replace(filters, bureau_name=""), bureau, errors


def filtered_measures(filters: MeasureFilters) -> QuerySet[Measure]:
    """Measures passing the filters, in plan order, without per-row annotations: count it and
    slice it in the database, then build rows for one page with `measure_rows`."""
    measures = MeasureFilter(filters.as_query(), queryset=Measure.objects.all()).qs
    return measures.order_by("plan__city__code", "plan__issued", "position", "pk")


def overdue_count(measures: QuerySet[Measure], today: dt.date | None = None) -> int:
    """How many of the measures are overdue (measures.deadlines.deadline_state: past the
    deadline, latest update not completed)."""
    today = today or timezone.localdate()
    return measures.filter(deadline_state_q(DeadlineState.OVERDUE, today=today)).count()


def measure_rows(measures: QuerySet[Measure], today: dt.date | None = None) -> list[MeasureWithLatest]:
    """The measures in their order, with their latest update, deadline state, plan, city and
    sector: the exports' rows, which read their bureaus as values (documents.scope), since as
    model instances those of 14,000 measures took three seconds."""
    return deadline_states(with_latest_update(measures).select_related("plan__city", "sector"), today)


def measure_rows_by_id(ids: list[int]) -> list[Measure]:
    """One page of the list's measures, in the order given, with their plan, city, sector and
    bureaus (lead first): the plan text of its rows. Their progress is read apart, per request
    (dashboard/progress_slots.py)."""
    measures = Measure.objects.filter(pk__in=ids).select_related("plan__city", "sector")
    by_id = {measure.pk: measure for measure in measures.prefetch_related(lead_first(MeasureResponsibility))}
    return [by_id[pk] for pk in ids if pk in by_id]


def measure_list(filters: MeasureFilters, today: dt.date | None = None) -> list[MeasureWithLatest]:
    """Every measure passing the filters, as rows (for exports, which hold them all)."""
    return measure_rows(filtered_measures(filters), today)


def measure_detail(pk: int, today: dt.date | None = None) -> MeasureWithTimeline:
    """One measure with its bureaus (lead first), linked targets, children and update timeline
    (each update with the `source` of its change, config.change_sources).

    Raises Measure.DoesNotExist."""
    measure = (
        Measure.objects.select_related("plan__city", "sector", "parent")
        .prefetch_related(
            lead_first(MeasureResponsibility),
            "children",
            "targets__indicator",
            Prefetch(
                "updates",
                queryset=MeasureUpdate.objects.select_related("status", "created_by__bureau").order_by(
                    "-created_at", "-id"
                ),
                to_attr="timeline",
            ),
        )
        .get(pk=pk)
    )
    # Where each update came from (page, API, admin…), as its history row records it.
    sources = dict(
        MeasureUpdate.history.filter(id__in=[u.pk for u in measure.timeline], history_type="+")
        .values_list("id", "history_change_reason")
    )  # fmt: skip
    for update in measure.timeline:
        update.source = sources.get(update.pk) or ""
    completed = bool(measure.timeline) and measure.timeline[0].status.is_completed
    measure.deadline_state = deadline_state(measure.deadline, completed, today or timezone.localdate())
    return measure
