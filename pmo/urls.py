"""URL configuration: the core, the reports and each duty app under its own prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pmo.core.views import account

urlpatterns = [
    path("", include("pmo.core.urls")),
    path("reports/", include("pmo.reports.urls")),
    path("delivery/", include("delivery.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("decisions/", include("decisions.urls")),
    path("standards/", include("standards.urls")),
    path("talent/", include("talent.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("culture/", include("culture.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("accounts/login/", account.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account.password_change, name="password_change"),
    path("accounts/second-factor/", account.second_factor_setup, name="second_factor_setup"),
    path(
        "accounts/second-factor/verify/", account.second_factor_verify, name="second_factor_verify"
    ),
    path(
        "accounts/second-factor/remove/", account.second_factor_remove, name="second_factor_remove"
    ),
    path("accounts/sessions/end/", account.sessions_end_others, name="sessions_end_others"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
