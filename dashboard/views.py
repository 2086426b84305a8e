from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard.access import dashboard_access
from dashboard.selectors import plans_with_counts


@dashboard_access
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html", {"plans": plans_with_counts()})
