"""The annual progress report of a city: HTML for the browser (and its print), PDF and Word
files from the server.

The files take seconds to lay out, so each is made by a background job (documents.report_jobs):
its URL queues the job, or hands out the file of a finished one for the same data.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import dashboard_access
from documents.annual import ReportYearUnavailable, annual_report_build, check_report_year, report_years
from documents.report_jobs import DOCX, PDF, report_job_request
from jobs.views import job_redirect
from targets.models import City


def _unavailable(request: HttpRequest, message: str, city: City | None = None) -> HttpResponse:
    context = {"message": message, "city": city, "years": report_years(city) if city else []}
    return render(request, "documents/unavailable.html", context, status=404)


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
    return render(request, "documents/annual.html", context)


@dashboard_access
def annual_report_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _report_file(request, code, year, kind=PDF)


@dashboard_access
def annual_report_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _report_file(request, code, year, kind=DOCX)


def _report_file(request: HttpRequest, code: str, year: int, *, kind: str) -> HttpResponse:
    city = City.objects.filter(code=code).first()
    if city is None:
        return _unavailable(request, _("没有代码为“%(code)s”的城市。") % {"code": code})
    try:
        check_report_year(city, year)
    except ReportYearUnavailable as problem:
        return _unavailable(request, str(problem), city)
    job = report_job_request(kind=kind, params={"city": code, "year": year}, user=request.user, city_code=code)
    return job_redirect(job)


@dashboard_access
def annual_report_choose(request: HttpRequest, code: str) -> HttpResponse:
    """The year picker on the city dashboard submits here."""
    year = request.GET.get("year", "")
    if not year.isdigit():
        city = City.objects.filter(code=code).first()
        return _unavailable(request, _("请选择报告年份。"), city)
    return redirect("documents:annual", code=code, year=int(year))
