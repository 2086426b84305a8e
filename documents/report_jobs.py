"""The annual report (PDF and Word) and large exports as background jobs.

A request for one finds a job for the same parameters, language, day and data version (a
finished one is handed out again, so a second leader does not wait for the same PDF), or
queues a new one. Who may see a job's page and file: the rule of the dashboards it is made
from, and only its requester (jobs.selectors).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import dashboard_readable
from config.data_version import data_version
from config.table_files import CSV_CONTENT_TYPE, csv_file
from documents.annual import AnnualReport, ReportYearUnavailable, annual_report_build
from documents.docx_report import DOCX_CONTENT_TYPE, annual_report_docx, report_title
from documents.pdf import html_to_pdf
from documents.scope import SCOPES, ExportScope, measures_scope
from documents.tables import measure_table, observation_table, target_table
from documents.workbook import XLSX_CONTENT_TYPE, scope_workbook
from jobs.models import BackgroundJob
from jobs.queue import job_request
from jobs.registry import JobFailed, JobKind, JobResult, Progress, job_kind_register
from reporting.templatetags.labels import local_name
from targets.models import Bureau, City, Plan, Sector

PDF = "annual_pdf"
DOCX = "annual_docx"
EXPORT = "export"
PDF_STEPS = 3


def report_data_version(city_code: str | None = None) -> str:
    """The data version a report of this city is made from. One place, so that a version per
    city (config.data_version taking the city) changes only this function."""
    return data_version()


def report_job_request(*, kind: str, params: dict[str, Any], user: Any, city_code: str | None = None) -> BackgroundJob:
    # The day is part of the request: deadline states and "this year" move with it.
    params = {**params, "today": timezone.localdate().isoformat()}
    return job_request(kind=kind, params=params, owner=user, data_version=report_data_version(city_code))


def _annual_report(job: BackgroundJob, progress: Progress) -> tuple[City, AnnualReport]:
    code, year = job.params["city"], int(job.params["year"])
    city = City.objects.filter(code=code).first()
    if city is None:
        raise JobFailed(_("没有代码为“%(code)s”的城市。") % {"code": code})
    progress(0, PDF_STEPS, _("正在汇总数据"))
    try:
        report = annual_report_build(city=city, year=year)
    except ReportYearUnavailable as problem:
        raise JobFailed(str(problem)) from None
    progress(1, PDF_STEPS, _("正在排版"))
    return city, report


def annual_pdf_run(job: BackgroundJob, progress: Progress) -> JobResult:
    city, report = _annual_report(job, progress)
    html = render_to_string("documents/annual_pdf.html", {"report": report})
    pdf = html_to_pdf(html)
    progress(PDF_STEPS, PDF_STEPS, "")
    return JobResult(
        content=pdf, file_name=f"{city.code}-{report.year}-progress-report.pdf", content_type="application/pdf"
    )


def annual_docx_run(job: BackgroundJob, progress: Progress) -> JobResult:
    """The Word version, named as its title reads (淄博2025年度进展报告.docx); the download
    also gives an ASCII name (_docx_ascii_name) for clients that cannot read the other."""
    _city, report = _annual_report(job, progress)
    content = annual_report_docx(report)
    progress(PDF_STEPS, PDF_STEPS, "")
    return JobResult(content=content, file_name=f"{report_title(report)}.docx", content_type=DOCX_CONTENT_TYPE)


def _docx_ascii_name(params: dict[str, Any]) -> str:
    return f"{params['city']}-{params['year']}-progress-report.docx"


def _pdf_title(params: dict[str, Any]) -> str:
    city = City.objects.filter(code=params["city"]).first()
    name = local_name(city) if city else params["city"]
    return _("%(city)s %(year)s年度进展报告（PDF）") % {"city": name, "year": params["year"]}


def _docx_title(params: dict[str, Any]) -> str:
    city = City.objects.filter(code=params["city"]).first()
    name = local_name(city) if city else params["city"]
    return _("%(city)s %(year)s年度进展报告（Word）") % {"city": name, "year": params["year"]}


def export_scope(params: dict[str, Any]) -> ExportScope:
    """The export's rows, read with the list page's own selectors and filters."""
    if params["scope"] == "measures":
        return measures_scope(params["query"])
    return SCOPES[params["scope"]](params["key"], params["query"])


def export_file(scope: ExportScope, fmt: str, kind: str = "") -> tuple[bytes, str, str]:
    """(content, file name, content type) of a workbook or one CSV list of the scope."""
    if fmt == "xlsx":
        return scope_workbook(scope), f"{scope.slug}.xlsx", XLSX_CONTENT_TYPE
    if kind == "measures":
        table = measure_table(scope.measures, scope.measure_bureaus)
    elif kind == "targets":
        table = target_table(scope.target_rows or [], scope.target_bureaus, with_plan=True)
    else:
        table = observation_table(scope.observations())
    return csv_file(table.headers, table.rows), f"{scope.slug}-{kind}.csv", CSV_CONTENT_TYPE


def export_run(job: BackgroundJob, progress: Progress) -> JobResult:
    progress(0, 2, _("正在读取数据"))
    try:
        scope = export_scope(job.params)
    except Exception as problem:  # the page's 404 (a city or plan deleted since the request)
        raise JobFailed(_("要导出的页面已不存在。")) from problem
    progress(1, 2, _("正在生成文件"))
    content, name, content_type = export_file(scope, job.params["format"], job.params.get("kind", ""))
    return JobResult(content=content, file_name=name, content_type=content_type)


def _export_title(params: dict[str, Any]) -> str:
    labels = {"targets": _("目标CSV"), "measures": _("任务CSV"), "observations": _("观测值CSV")}
    what = _("Excel工作簿") if params["format"] == "xlsx" else labels.get(params.get("kind", ""), "CSV")
    return _("导出：%(what)s（%(page)s）") % {"what": what, "page": _export_page_name(params)}


def _export_page_name(params: dict[str, Any]) -> str:
    """The exported page as its heading names it: the city, plan, bureau or sector."""
    key = params.get("key", "")
    found: City | Plan | Bureau | Sector | None
    if params["scope"] == "cities":
        found = City.objects.filter(code=key).first()
    elif params["scope"] == "plans":
        found = Plan.objects.filter(code=key).first()
    elif params["scope"] == "bureaus":
        found = Bureau.objects.filter(pk=int(key)).first() if key.isdigit() else None
    elif params["scope"] == "sectors":
        found = Sector.objects.filter(code=key).first()
    else:
        return _("重点任务")
    if found is None:
        return key
    return found.title if isinstance(found, Plan) else local_name(found)


def _can_view(user: Any, params: dict[str, Any]) -> bool:
    return dashboard_readable(user)


def register() -> None:
    job_kind_register(PDF, JobKind(run=annual_pdf_run, can_view=_can_view, title=_pdf_title))
    job_kind_register(
        DOCX, JobKind(run=annual_docx_run, can_view=_can_view, title=_docx_title, ascii_name=_docx_ascii_name)
    )
    job_kind_register(EXPORT, JobKind(run=export_run, can_view=_can_view, title=_export_title))
