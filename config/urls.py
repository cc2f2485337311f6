from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import password_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Forgotten password and invitation links (config/password_views.py): public pages.
    path("accounts/reset/", password_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/reset/sent/", password_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("health/", views.health, name="health"),
    path("", include("cells.urls")),
    path("", include("assignments.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
