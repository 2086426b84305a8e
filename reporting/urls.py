from django.urls import path

from reporting import upload_views, views

app_name = "entry"
urlpatterns = [
    path("indicators/<int:indicator_id>/observations/", views.observation_create, name="observation_create"),
    path("measures/<int:measure_id>/updates/", views.measure_update_create, name="measure_update_create"),
    path("observations/upload/", upload_views.observation_upload, name="observation_upload"),
]
