from django.urls import path, re_path

from reporting import review_views, upload_views, views

app_name = "entry"
urlpatterns = [
    path("indicators/<int:indicator_id>/observations/", views.observation_create, name="observation_create"),
    path("measures/<int:measure_id>/updates/", views.measure_update_create, name="measure_update_create"),
    path("observations/upload/", upload_views.observation_upload, name="observation_upload"),
    re_path(r"^observations/template\.(?P<fmt>csv|xlsx)$", views.entry_template, name="entry_template"),
    path("reviews/", review_views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/approve/", review_views.review_decide, {"decision": "approve"}, name="review_approve"),
    path("reviews/<int:pk>/return/", review_views.review_decide, {"decision": "return"}, name="review_return"),
    path("reviews/batch/<slug:batch>/approve/", review_views.review_batch, name="review_batch"),
]
