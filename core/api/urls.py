from django.urls import include, path

from core.api import views  # noqa: F401  (registers core's viewsets)
from core.api.router import router

urlpatterns = [path("", include(router.urls))]
