from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("entry/", include("reporting.urls")),
    path("api/v1/", include("api.urls")),
    path("reports/", include("documents.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("dashboard.urls")),
]

handler403 = "dashboard.error_views.permission_denied"
handler404 = "dashboard.error_views.page_not_found"
handler500 = "dashboard.error_views.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
