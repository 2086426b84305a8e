"""The search page: matches grouped by kind, a few of each, or one kind paginated."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import dashboard_access
from dashboard.search_selectors import KIND_CODES, KINDS, MAX_QUERY_LENGTH, search_results
from reporting.progress_selectors import TargetRow, current_snapshots
from reporting.statuses import status_label
from targets.models import Target

PREVIEW_SIZE = 5
PAGE_SIZE = 20


@dashboard_access
def search(request: HttpRequest) -> HttpResponse:
    # PostgreSQL refuses a NUL character in a string: a typed query never holds one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    kind = request.GET.get("kind", "")
    kind = kind if kind in KIND_CODES else ""
    groups = []
    if query:
        for spec in KINDS:
            if kind and spec.code != kind:
                continue
            results = search_results(kind=spec.code, query=query)
            if kind:
                page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
            else:
                page = Paginator(results, PREVIEW_SIZE).get_page(1)
            page.object_list = list(page.object_list)  # evaluated once: the template reads it again
            if spec.code == "targets":
                _attach_statuses(page.object_list)
            groups.append((spec, page))
    context = {
        "query": query,
        "kind": kind,
        "kinds": KINDS,
        "groups": groups,
        "total": sum(page.paginator.count for _, page in groups),
    }
    return render(request, "dashboard/search.html", context)


def _attach_statuses(targets: list[Target]) -> None:
    """The page's targets with their current status: one query for the page, not per target."""
    snapshots = current_snapshots([t.pk for t in targets])
    for target in targets:
        target.status = TargetRow(target, snapshots.get(target.pk)).status
        target.status_label = status_label(target.status)
