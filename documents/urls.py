"""Excel/CSV exports of the list pages and the annual city progress report."""

from django.urls import path

from documents import export_views, report_views

app_name = "documents"
urlpatterns = [
    path("cities/<slug:code>/", report_views.annual_report_choose, name="annual_choose"),
    path("cities/<slug:code>/<int:year>/", report_views.annual_report, name="annual"),
    path("cities/<slug:code>/<int:year>.pdf", report_views.annual_report_pdf, name="annual_pdf"),
    path("cities/<slug:code>/<int:year>.docx", report_views.annual_report_docx, name="annual_docx"),
    path("export/measures.xlsx", export_views.measures_workbook, name="measures_xlsx"),
    path("export/measures.csv", export_views.measures_csv, name="measures_csv"),
    path("export/<slug:scope>/<slug:key>.xlsx", export_views.workbook, name="xlsx"),
    path("export/<slug:scope>/<slug:key>/<slug:kind>.csv", export_views.csv_list, name="csv"),
]
