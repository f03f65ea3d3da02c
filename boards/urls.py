from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "boards"

urlpatterns = [
    path("referrals/<int:pk>/decide/", views.ReferralDecideView.as_view(), name="referral_decide"),
    path("members/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    *resource_urls("boards"),
]
