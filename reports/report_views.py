"""The annual progress report of a city: HTML for the browser (and its print), PDF from the server."""

from __future__ import annotations

import logging
import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from dashboard.access import dashboard_access
from reports.annual import ReportYearUnavailable, annual_report_build, report_years
from reports.pdf import html_to_pdf
from targets.models import City

logger = logging.getLogger(__name__)


def _unavailable(request: HttpRequest, message: str, city: City | None = None) -> HttpResponse:
    context = {"message": message, "city": city, "years": report_years(city) if city else []}
    return render(request, "reports/unavailable.html", context, status=404)


def _report_context(request: HttpRequest, code: str, year: int) -> dict | HttpResponse:
    city = City.objects.filter(code=code).first()
    if city is None:
        return _unavailable(request, _("没有代码为“%(code)s”的城市。") % {"code": code})
    try:
        report = annual_report_build(city=city, year=year)
    except ReportYearUnavailable as problem:
        return _unavailable(request, str(problem), city)
    return {"report": report, "years": report_years(city)}


@dashboard_access
def annual_report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    context = _report_context(request, code, year)
    if isinstance(context, HttpResponse):
        return context
    return render(request, "reports/annual.html", context)


@dashboard_access
def annual_report_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    context = _report_context(request, code, year)
    if isinstance(context, HttpResponse):
        return context
    started = time.perf_counter()
    html = render_to_string("reports/annual.html", {**context, "for_pdf": True}, request=request)
    pdf = html_to_pdf(html)
    logger.info("PDF report %s %s: %.1f s, %d bytes", code, year, time.perf_counter() - started, len(pdf))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-{year}-progress-report.pdf"'
    return response


@dashboard_access
def annual_report_choose(request: HttpRequest, code: str) -> HttpResponse:
    """The year picker on the city dashboard submits here."""
    year = request.GET.get("year", "")
    if not year.isdigit():
        city = City.objects.filter(code=code).first()
        return _unavailable(request, _("请选择报告年份。"), city)
    return redirect("reports:annual", code=code, year=int(year))
