from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "community_service"

urlpatterns = [
    path("people/<int:pk>/", views.OffenderServiceView.as_view(), name="offender"),
    *resource_urls("community_service"),
]
