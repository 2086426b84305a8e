"""Excel and CSV downloads of the list pages. Reads: the same access rule as the dashboards.

A small export is made in the request and sent at once: up to EXPORT_DIRECT_ROWS rows (targets,
measures and observations together). Measured on PostgreSQL on the shared 2-core machine under
a load average of 10, Zibo's workbook took 3.5 s with 2,000 observations and 7.5 s with 5,000
(the observations CSV 0.7 s and 2.4 s). A larger export is a background job
(documents.report_jobs) and the link leads to its page, which shows the progress and then the
download.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from accounts.access import dashboard_access
from documents.report_jobs import EXPORT, export_file, export_scope, report_job_request
from documents.scope import SCOPES, ExportScope
from jobs.views import job_redirect

CSV_LISTS = ("targets", "measures", "observations")
EXPORT_DIRECT_ROWS = 2000


def _export(request: HttpRequest, params: dict) -> HttpResponse:
    try:
        scope = export_scope(params)
    except KeyError:
        raise Http404(f"unknown export scope {params['scope']!r}") from None
    fmt, kind = params["format"], params.get("kind", "")
    if fmt == "csv" and not (kind == "measures" or (kind in CSV_LISTS and scope.has_targets)):
        raise Http404(f"no {kind} list here")
    if _rows(scope, fmt, kind) > getattr(settings, "EXPORT_DIRECT_ROWS", EXPORT_DIRECT_ROWS):
        city = params["key"] if params["scope"] == "cities" else None
        return job_redirect(report_job_request(kind=EXPORT, params=params, user=request.user, city_code=city))
    content, name, content_type = export_file(scope, fmt, kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _rows(scope: ExportScope, fmt: str, kind: str) -> int:
    """How many rows the file will hold (one count query for the observations)."""
    targets, measures = len(scope.target_rows or []), len(scope.measures)
    observations = scope.observations().count() if scope.has_targets and kind in ("", "observations") else 0
    if fmt == "xlsx":
        return targets + measures + observations
    return {"targets": targets, "measures": measures, "observations": observations}[kind]


@dashboard_access
def workbook(request: HttpRequest, scope: str, key: str) -> HttpResponse:
    if scope not in SCOPES:
        raise Http404(f"unknown export scope {scope!r}")
    return _export(request, {"scope": scope, "key": key, "query": request.GET.dict(), "format": "xlsx"})


@dashboard_access
def csv_list(request: HttpRequest, scope: str, key: str, kind: str) -> HttpResponse:
    if scope not in SCOPES:
        raise Http404(f"unknown export scope {scope!r}")
    params = {"scope": scope, "key": key, "query": request.GET.dict(), "format": "csv", "kind": kind}
    return _export(request, params)


@dashboard_access
def measures_workbook(request: HttpRequest) -> HttpResponse:
    return _export(request, {"scope": "measures", "key": "", "query": request.GET.dict(), "format": "xlsx"})


@dashboard_access
def measures_csv(request: HttpRequest) -> HttpResponse:
    params = {"scope": "measures", "key": "", "query": request.GET.dict(), "format": "csv", "kind": "measures"}
    return _export(request, params)
