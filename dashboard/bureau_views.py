"""Pages about bureaus: what a bureau owns, and "my bureau" for the staff who report for it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dashboard.access import dashboard_access
from dashboard.progress_selectors import TargetRow, current_snapshots
from measures.models import Measure, MeasureResponsibility
from measures.selectors import deadline_status, with_latest_update
from targets.models import Bureau, Indicator, Target


def _target_rows(targets: list[Target]) -> list[TargetRow]:
    snapshots = current_snapshots([t.pk for t in targets])
    return [TargetRow(t, snapshots.get(t.pk)) for t in targets]


def _measures(queryset):  # type: ignore[no-untyped-def]
    lead_first = MeasureResponsibility.objects.select_related("bureau").order_by("position")
    measures = list(
        with_latest_update(queryset)
        .select_related("plan")
        .prefetch_related(Prefetch("responsibilities", queryset=lead_first))
    )
    from django.utils import timezone

    today = timezone.localdate()
    for measure in measures:
        measure.deadline_state = deadline_status(measure.deadline, bool(measure.latest_completed), today)
    return measures


@dashboard_access
def bureau_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bureau = get_object_or_404(Bureau.objects.select_related("city"), pk=pk)
    targets = list(
        Target.objects.filter(responsibilities__bureau=bureau).select_related("plan", "indicator").distinct()
    )
    measures = _measures(Measure.objects.filter(responsibilities__bureau=bureau).distinct())
    context = {
        "bureau": bureau,
        "rows": _target_rows(targets),
        "measures": measures,
        "overdue": [m for m in measures if m.deadline_state == "overdue"],
    }
    return render(request, "dashboard/bureau.html", context)


@login_required
def my_bureau(request: HttpRequest) -> HttpResponse:
    """Everything the user may report on: the same rule as the server applies to every write."""
    indicators = Indicator.objects.editable_by(request.user)
    targets = list(
        Target.objects.filter(indicator__in=indicators)
        .select_related("plan__city", "indicator")
        .order_by("indicator__name", "target_year")
    )
    context = {
        "bureau": getattr(request.user, "bureau", None),
        "rows": _target_rows(targets),
        "measures": _measures(Measure.objects.editable_by(request.user)),
    }
    return render(request, "dashboard/my_bureau.html", context)
