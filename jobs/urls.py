from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/status.json", views.job_status, name="status"),
    path("<uuid:job_id>/download/", views.job_download, name="download"),
]
