from django.urls import include, path

from core.api.router import router

# Every app's viewsets are in the router by now: the declarations (core.resources) and the apps'
# api.py modules are loaded when the apps are ready, before the URLconf.
urlpatterns = [path("", include(router.urls))]
