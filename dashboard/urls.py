from django.urls import path

from dashboard import bureau_views, index_views, measure_views, search_views, sector_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("cities/<slug:code>/", views.city_dashboard, name="city"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("plans/<slug:code>/", views.plan_detail, name="plan"),
    path("bureaus/", index_views.bureau_index, name="bureaus"),
    path("sectors/", index_views.sector_index, name="sectors"),
    path("search/", search_views.search, name="search"),
    path("bureaus/<int:pk>/", bureau_views.bureau_detail, name="bureau"),
    path("my-bureau/", bureau_views.my_bureau, name="my_bureau"),
    path("sectors/<slug:code>/", sector_views.sector_view, name="sector"),
    path("measures/", measure_views.measure_index, name="measures"),
    path("measures/bureaus/", measure_views.bureau_suggestions, name="measure_bureaus"),
    path("measures/<int:pk>/", measure_views.measure_page, name="measure"),
]
