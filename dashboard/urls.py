from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:code>/", views.plan_detail, name="plan"),
]
