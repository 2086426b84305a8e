from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("cities/<slug:code>/", views.city_dashboard, name="city"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("plans/<slug:code>/", views.plan_detail, name="plan"),
]
