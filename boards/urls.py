from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "boards"

urlpatterns = [
    path("referrals/<int:pk>/decide/", views.ReferralDecideView.as_view(), name="referral_decide"),
    path("members/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("members/<int:pk>/conflict/", views.MemberConflictView.as_view(), name="member_conflict"),
    path("referrals/<int:pk>/meeting/", views.MeetingRunView.as_view(), name="meeting_run"),
    path("meetings/<int:pk>/agreement/", views.MeetingAgreementView.as_view(), name="meeting_agreement"),
    path("agreements/<int:pk>/sign/", views.AgreementSignView.as_view(), name="agreement_sign"),
    path("agreements/<int:pk>/review/", views.AgreementReviewView.as_view(), name="agreement_review"),
    path("agreements/<int:pk>/close/", views.AgreementCloseView.as_view(), name="agreement_close"),
    path("meetings/<int:pk>/packet.pdf", views.MeetingPacketView.as_view(), name="meeting_packet"),
    path("agreements/<int:pk>/agreement.pdf", views.AgreementPdfView.as_view(), name="agreement_pdf"),
    path("agreements/<int:pk>/letter.pdf", views.AgreementLetterView.as_view(), name="agreement_letter"),
    path("refer/<int:pk>/", views.ReferView.as_view(), name="refer"),
    path("boards/<int:pk>/bylaws/", views.BoardBylawsView.as_view(), name="board_bylaws"),
    path("boards/<int:pk>/calendar/", views.BoardCalendarView.as_view(), name="board_calendar"),
    path("conditions/<int:pk>/record/", views.ConditionRecordView.as_view(), name="condition_record"),
    path("conditions/<int:pk>/evidence/", views.ConditionEvidenceView.as_view(), name="condition_evidence"),
    *resource_urls("boards"),
]
