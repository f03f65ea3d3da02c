from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "community_service"

urlpatterns = [
    path("people/<int:pk>/", views.OffenderServiceView.as_view(), name="offender"),
    path("agencies/<int:pk>/send-link/", views.AgencyLinkSendView.as_view(), name="agency_send_link"),
    path("hours/<int:pk>/verify/", views.HourLogVerifyView.as_view(), name="hourlog_verify"),
    path("hours/<int:pk>/sheet/", views.HourLogSheetView.as_view(), name="hourlog_sheet"),
    path("orders/<int:pk>/close/", views.OrderCloseView.as_view(), name="order_close"),
    path("orders/<int:pk>/letter.pdf", views.OrderLetterView.as_view(), name="order_letter"),
    path("verify/<str:token>/", views.LinkVerifyView.as_view(), name="verify"),
    *resource_urls("community_service"),
]
