from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "restitution"

urlpatterns = [
    path("", views.CaseloadView.as_view(), name="caseload"),
    path("offenders/<int:pk>/", views.OffenderRestitutionView.as_view(), name="offender"),
    path("offenders/<int:pk>/obligations/add/", views.ObligationCreateView.as_view(), name="obligation_add"),
    path("offenders/<int:pk>/payments/add/", views.PaymentCreateView.as_view(), name="payment_add"),
    path("obligations/<int:pk>/plans/add/", views.PlanCreateView.as_view(), name="plan_add"),
    path("obligations/<int:pk>/waive/", views.ObligationWaiveView.as_view(), name="obligation_waive"),
    path("obligations/<int:pk>/amend/", views.ObligationAmendView.as_view(), name="obligation_amend"),
    path("payments/<int:pk>/receipt.pdf", views.PaymentReceiptView.as_view(), name="payment_receipt"),
    path("payments/<int:pk>/reverse/", views.PaymentReverseView.as_view(), name="payment_reverse"),
    path("payees/<int:pk>/disburse/", views.DisbursementCreateView.as_view(), name="disbursement_add"),
    *resource_urls("restitution"),
]
