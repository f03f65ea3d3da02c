from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.views import signin
from core.views.ops import healthz, readyz

# Django admin is for superusers only.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "RJ Admin (superusers)"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Sign-in pages at Django's default paths. No e-mailed password reset: an administrator sets a
    # new password in the app (a closed state network cannot count on e-mail reaching staff).
    path("accounts/login/", signin.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", signin.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/two-factor/", signin.TwoFactorView.as_view(), name="two_factor"),
    path("accounts/two-factor/setup/", signin.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("accounts/two-factor/verify/", signin.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/keep-alive/", signin.KeepAliveView.as_view(), name="keep_alive"),
    path("django-admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("core.api.urls")),
    path("gardens/", include("gardens.urls")),
    path("donations/", include("donations.urls")),
    path("restitution/", include("restitution.urls")),
    path("community-service/", include("community_service.urls")),
    path("victims/", include("victims.urls")),
    path("", include("puppies.public_urls")),
    path("puppies/", include("puppies.urls")),
    path("classes/", include("classes.urls")),
    path("boards/", include("boards.urls")),
    path("", include("reports.urls")),
    path("", include("core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
