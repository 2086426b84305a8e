"""Excel/CSV exports and the annual city progress report (filled in by the reports work)."""

app_name = "reports"
urlpatterns: list = []
