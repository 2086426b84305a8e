"""Excel and CSV downloads of the list pages. Reads: the same access rule as the dashboards."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from dashboard.access import dashboard_access
from reports.csv_files import CSV_CONTENT_TYPE, table_csv
from reports.scope import SCOPES, ExportScope, measures_scope
from reports.tables import measure_table, observation_table, target_table
from reports.workbook import XLSX_CONTENT_TYPE, scope_workbook

CSV_LISTS = ("targets", "measures", "observations")


def _scope(scope: str, key: str, request: HttpRequest) -> ExportScope:
    if scope not in SCOPES:
        raise Http404(f"unknown export scope {scope!r}")
    return SCOPES[scope](key, request.GET.dict())


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv(scope: ExportScope, kind: str) -> HttpResponse:
    if kind == "measures":
        table = measure_table(scope.measures)
    elif kind in CSV_LISTS and scope.has_targets:
        rows = scope.target_rows or []
        table = target_table(rows, with_plan=True) if kind == "targets" else observation_table(scope.observations())
    else:
        raise Http404(f"no {kind} list here")
    return _download(table_csv(table), CSV_CONTENT_TYPE, f"{scope.slug}-{kind}.csv")


@dashboard_access
def workbook(request: HttpRequest, scope: str, key: str) -> HttpResponse:
    found = _scope(scope, key, request)
    return _download(scope_workbook(found), XLSX_CONTENT_TYPE, f"{found.slug}.xlsx")


@dashboard_access
def csv_list(request: HttpRequest, scope: str, key: str, kind: str) -> HttpResponse:
    return _csv(_scope(scope, key, request), kind)


@dashboard_access
def measures_workbook(request: HttpRequest) -> HttpResponse:
    found = measures_scope(request.GET.dict())
    return _download(scope_workbook(found), XLSX_CONTENT_TYPE, "measures.xlsx")


@dashboard_access
def measures_csv(request: HttpRequest) -> HttpResponse:
    return _csv(measures_scope(request.GET.dict()), "measures")
