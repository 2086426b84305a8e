"""The REST API under /api/v1/: data endpoints, the token endpoint, the schema and its docs."""

from csp.decorators import csp_update
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from api import cycle_views, entry_views, progress_views, reference_views
from api.token_views import TokenView


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


class ApiRouter(DefaultRouter):
    include_format_suffixes = False  # responses are JSON only


router = ApiRouter()
router.register("cities", reference_views.CityViewSet, basename="city")
router.register("sectors", reference_views.SectorViewSet, basename="sector")
router.register("plans", reference_views.PlanViewSet, basename="plan")
router.register("bureaus", reference_views.BureauViewSet, basename="bureau")
router.register("indicators", reference_views.IndicatorViewSet, basename="indicator")
router.register("targets", progress_views.TargetViewSet, basename="target")
router.register("progress-history", progress_views.ProgressHistoryViewSet, basename="progress-history")
router.register("measures", progress_views.MeasureViewSet, basename="measure")
router.register("measure-statuses", reference_views.MeasureStatusViewSet, basename="measure-status")
router.register("measure-updates", entry_views.MeasureUpdateViewSet, basename="measure-update")
router.register("observations", entry_views.ObservationViewSet, basename="observation")

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI runs no inline script in its split form, but injects <style> elements as it
    # renders; the docs page holds no data, so it alone may apply inline styles.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("reporting/due/", cycle_views.ReportingDueView.as_view(), name="reporting-due"),
    # Any id segment reaches the views (as the router's routes do), which answer 404 in JSON.
    re_path(
        r"^observations/(?P<pk>[^/]+)/approve/$",
        cycle_views.ObservationApproveView.as_view(),
        name="observation-approve",
    ),
    re_path(
        r"^observations/(?P<pk>[^/]+)/return/$", cycle_views.ObservationReturnView.as_view(), name="observation-return"
    ),
    path("observations/approve-batch/", cycle_views.BatchApproveView.as_view(), name="observation-approve-batch"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ ending in a slash (an id like "1.5" that no route takes)
    # answers in JSON like the rest of the API, not with the site's HTML 404 page.
    re_path(r"^.+/$", not_found),
]
