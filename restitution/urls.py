from django.urls import path

from . import views

app_name = "restitution"

urlpatterns = [
    path("", views.CaseloadView.as_view(), name="caseload"),
    path("offenders/<int:pk>/", views.OffenderRestitutionView.as_view(), name="offender"),
    path("offenders/<int:pk>/obligations/add/", views.ObligationCreateView.as_view(), name="obligation_add"),
    path("offenders/<int:pk>/payments/add/", views.PaymentCreateView.as_view(), name="payment_add"),
    path("obligations/", views.ObligationListView.as_view(), name="obligation_list"),
    path("obligations/<int:pk>/", views.ObligationDetailView.as_view(), name="obligation_detail"),
    path("obligations/<int:pk>/history/", views.ObligationHistoryView.as_view(), name="obligation_history"),
    path("obligations/<int:pk>/plans/add/", views.PlanCreateView.as_view(), name="plan_add"),
    path("obligations/<int:pk>/waive/", views.ObligationWaiveView.as_view(), name="obligation_waive"),
    path("obligations/<int:pk>/amend/", views.ObligationAmendView.as_view(), name="obligation_amend"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("payments/<int:pk>/", views.PaymentDetailView.as_view(), name="payment_detail"),
    path("payments/<int:pk>/history/", views.PaymentHistoryView.as_view(), name="payment_history"),
    path("payments/<int:pk>/receipt.pdf", views.PaymentReceiptView.as_view(), name="payment_receipt"),
    path("payments/<int:pk>/reverse/", views.PaymentReverseView.as_view(), name="payment_reverse"),
    path("payees/", views.PayeeListView.as_view(), name="payee_list"),
    path("payees/add/", views.PayeeEditView.as_view(), name="payee_add"),
    path("payees/<int:pk>/", views.PayeeDetailView.as_view(), name="payee_detail"),
    path("payees/<int:pk>/edit/", views.PayeeEditView.as_view(), name="payee_edit"),
    path("payees/<int:pk>/history/", views.PayeeHistoryView.as_view(), name="payee_history"),
    path("payees/<int:pk>/disburse/", views.DisbursementCreateView.as_view(), name="disbursement_add"),
    path("disbursements/", views.DisbursementListView.as_view(), name="disbursement_list"),
    path("disbursements/<int:pk>/", views.DisbursementDetailView.as_view(), name="disbursement_detail"),
]
