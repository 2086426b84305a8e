"""Pages about bureaus: what a bureau owns, and "my bureau" for the staff who report for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from accounts.access import dashboard_access
from accounts.models import User
from accounts.notices import notices_take
from accounts.roles import write_scope
from config.data_version import plan_cached
from dashboard.progress_slots import MeasureProgress, PageProgress, TargetProgress
from measures.models import Measure, MeasureResponsibility
from reporting.context_processors import PageVersion
from reporting.progress_selectors import target_rows
from reporting.review import pending_review_count
from reporting.status_selectors import completeness_by_bureau, owed_by, submitted_by
from targets.models import Bureau, Indicator, IndicatorReporting, Target
from targets.querysets import lead_first


def _measures(queryset: QuerySet[Measure]) -> list[Measure]:
    """The plan text of a bureau's measure rows; their progress is read apart, per request
    (dashboard/progress_slots.py). Many measures naming few bureaus: the bureaus in a query of
    their own."""
    responsibilities = lead_first(MeasureResponsibility, bureaus_apart=True)
    return list(queryset.select_related("plan").prefetch_related(responsibilities))


@dataclass(frozen=True)
class PageItems:
    """What a page's progress is read for, kept with its plan text on the plan version: its
    targets with their units and its measures with their deadlines. So after a change of
    progress the page reads the snapshots and the measures' updates by id, and nothing that
    finds the targets or measures again."""

    target_units: dict[int, str]
    measure_deadlines: dict[int, dt.date | None]
    reports_any: bool = False  # whether the bureau reports any indicator (数据报送单位)

    @classmethod
    def of(cls, targets: QuerySet[Target], measures: QuerySet[Measure], *, reports_any: bool = False) -> PageItems:
        return cls(
            dict(targets.order_by().values_list("pk", "indicator__unit")),
            dict(measures.order_by().values_list("pk", "deadline")),
            reports_any,
        )

    def progress(self) -> PageProgress:
        return PageProgress(
            TargetProgress.of_units(self.target_units), MeasureProgress.of_deadlines(self.measure_deadlines)
        )


def _bureau(pk: int) -> Bureau | None:
    """The bureau with its city (the pages name both), kept on the plan version."""
    return plan_cached(f"bureau:{pk}", lambda: Bureau.objects.select_related("city").filter(pk=pk).first())


@dashboard_access
def bureau_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bureau = _bureau(pk)
    if bureau is None:
        raise Http404
    targets = Target.objects.filter(responsibilities__bureau=bureau).distinct()
    measures = Measure.objects.filter(responsibilities__bureau=bureau).distinct()
    items = cache(partial(plan_cached, f"bureau-items:{bureau.pk}", lambda: PageItems.of(targets, measures)))
    context = {
        "bureau": bureau,
        # Lazy: progress is read only when the page is not cached (on the data version), the
        # plan text (targets and measures) only when its fragment is not (on the plan version).
        "completeness": SimpleLazyObject(lambda: completeness_by_bureau(bureau=bureau)),
        "progress": SimpleLazyObject(lambda: items().progress()),
        "rows": SimpleLazyObject(lambda: target_rows(list(targets.select_related("plan", "indicator")))),
        "measures": SimpleLazyObject(lambda: _measures(measures)),
    }
    return render(request, "dashboard/bureau.html", context)


@login_required
def my_bureau(request: HttpRequest) -> HttpResponse:
    """Everything the user may report on: the same rule as the server applies to every write.

    Notices and reviews waiting are the user's own, kept for this user only, and follow every
    notice sent and every value saved (accounts.notices, reporting.review); the rest (what the
    bureau owes, what the user may report and update) is cached under the bureau's city version
    and what the user may write (the scopes), so a change of role or bureau is never served an
    old list."""
    user = cast(User, request.user)  # login_required: never the anonymous user
    bureau = _bureau(user.bureau_id) if user.bureau_id else None
    if bureau is not None:
        user.bureau = bureau  # the site's header names it: not read again
    version = PageVersion(request)
    scopes = (write_scope(user, "reporting.add_observation"), write_scope(user, "measures.add_measureupdate"))
    body_key = ":".join([str(bureau.pk if bureau else ""), *(f"{s.everything:d}-{s.bureau_id or ''}" for s in scopes)])
    indicators = cache(partial(_reportable_indicators, user))  # read once, and only if needed
    # What the user may report and update is plan data (who answers for what): kept on the plan
    # version for this user, and read again only when the plans change.
    items = cache(
        partial(
            plan_cached,
            f"my-bureau-items:{user.pk}:{body_key}",
            lambda: PageItems.of(
                Target.objects.filter(indicator__in=indicators()),
                Measure.objects.editable_by(user),
                reports_any=bool(bureau) and IndicatorReporting.objects.filter(bureau=bureau).exists(),
            ),
        )
    )
    context = {
        "bureau": bureau,
        "notices": notices_take(user=user),
        "pending_reviews": pending_review_count(user=user),
        "body_key": body_key,
        "body_version": version.for_city(bureau.city_id) if bureau else str(version),
        # The lists' fragment outlives changes of progress, which fills their slots.
        "lists_version": version.plan_for_city(bureau.city_id) if bureau else version.plan,
        # Lazy: read only when the body is not in the cache.
        "owed": SimpleLazyObject(lambda: owed_by(bureau=bureau) if bureau else []),
        # None without an indicator the bureau reports, which the items know.
        "awaiting_review": SimpleLazyObject(
            lambda: list(submitted_by(bureau=bureau)[:100]) if bureau and items().reports_any else []
        ),
        "reports_any": SimpleLazyObject(lambda: items().reports_any),
        "rows": SimpleLazyObject(lambda: target_rows(_reportable_targets(indicators()))),
        "measures": SimpleLazyObject(lambda: _measures(Measure.objects.editable_by(user))),
        "progress": SimpleLazyObject(lambda: items().progress()),
    }
    return render(request, "dashboard/my_bureau.html", context)


def _reportable_indicators(user: Any) -> list[int]:
    # In a query of their own: as a subquery, the rule's OR of two conditions left the planner
    # scanning every target of every city.
    return list(Indicator.objects.editable_by(user).values_list("pk", flat=True))


def _reportable_targets(indicators: list[int]) -> list[Target]:
    # Ordered by pk last: the same indicator name and year in two plans, always in one order.
    return list(
        Target.objects.filter(indicator__in=indicators)
        .select_related("plan__city", "indicator")
        .order_by("indicator__name", "target_year", "pk")
    )
