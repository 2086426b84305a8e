"""The reviewer's pages: values waiting for review, approve, return with a note, approve an
import at once. Thin: the rule for who may review is Observation.objects.reviewable_by."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reporting.models import Observation
from reporting.review import observation_approve, observation_return, observations_approve, pending_for_review


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(pending_for_review(user=request.user), 50).get_page(request.GET.get("page"))
    batches = sorted({o.batch for o in page.object_list if o.batch})
    previous = _previous_values(list(page.object_list))
    rows = [(o, previous.get(o.pk)) for o in page.object_list]
    return render(request, "reporting/review_queue.html", {"page": page, "rows": rows, "batches": batches})


def _previous_values(observations: list[Observation]) -> dict[int, Observation]:
    """Each pending value's latest approved predecessor, for the reviewer to compare."""
    approved = (
        Observation.objects.counted()
        .filter(indicator_id__in={o.indicator_id for o in observations})
        .order_by("indicator_id", "period_end")
    )
    by_indicator: dict[int, list[Observation]] = {}
    for row in approved:
        by_indicator.setdefault(row.indicator_id, []).append(row)
    result = {}
    for observation in observations:
        earlier = [r for r in by_indicator.get(observation.indicator_id, []) if r.period_end < observation.period_end]
        if earlier:
            result[observation.pk] = earlier[-1]
    return result


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    observation = get_object_or_404(Observation.objects.select_related("indicator", "entered_by"), pk=pk)
    try:
        if decision == "approve":
            observation_approve(observation=observation, user=request.user)
            messages.success(request, _("已审核通过。"))
        else:
            observation_return(observation=observation, user=request.user, note=request.POST.get("review_note", ""))
            messages.success(request, _("已退回填报单位修改。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("entry:review_queue")


@login_required
@require_POST
def review_batch(request: HttpRequest, batch: str) -> HttpResponse:
    count = observations_approve(observations=Observation.objects.filter(batch=batch), user=request.user)
    if not count:
        raise PermissionDenied
    messages.success(request, _("已审核通过本次导入的%(n)s条数据。") % {"n": count})
    return redirect("entry:review_queue")
