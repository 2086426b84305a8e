from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dashboard.access import dashboard_access
from dashboard.selectors import plan_measures, plan_targets, plans_with_counts
from targets.models import Plan


@dashboard_access
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html", {"plans": plans_with_counts()})


@dashboard_access
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("city"), code=code)
    context = {"plan": plan, "targets": plan_targets(plan), "measures": plan_measures(plan)}
    return render(request, "dashboard/plan_detail.html", context)
