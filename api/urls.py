"""The REST API under /api/v1/ (filled in by the API work)."""

app_name = "api"
urlpatterns: list = []
