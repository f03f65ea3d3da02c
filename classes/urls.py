from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "classes"

urlpatterns = [
    path("roster/", views.RosterView.as_view(), name="roster"),
    path("waiting/", views.WaitingListView.as_view(), name="waiting"),
    path("statewide/", views.StatewideView.as_view(), name="statewide"),
    path("people/<int:pk>/", views.PersonProgressView.as_view(), name="person"),
    path("offerings/<int:pk>/enroll/", views.OfferingEnrollView.as_view(), name="offering_enroll"),
    path("offerings/<int:pk>/schedule/", views.OfferingScheduleView.as_view(), name="offering_schedule"),
    path("curriculum/<int:pk>/revise/", views.CurriculumReviseView.as_view(), name="curriculum_revise"),
    path("sessions/<int:pk>/mark/", views.SessionMarkView.as_view(), name="session_mark"),
    path("sessions/<int:pk>/not-held/", views.SessionNotHeldView.as_view(), name="session_not_held"),
    path("sessions/<int:pk>/makeup/", views.SessionMakeupView.as_view(), name="session_makeup"),
    path("sessions/<int:pk>/book-speaker/", views.SpeakerBookView.as_view(), name="session_book_speaker"),
    path("bookings/<int:pk>/clear/", views.BookingClearView.as_view(), name="booking_clear"),
    path("referrals/<int:pk>/cancel/", views.ReferralCancelView.as_view(), name="referral_cancel"),
    path(
        "enrollments/<int:pk>/complete/",
        views.EnrollmentActionView.as_view(),
        {"action": "complete"},
        name="enrollment_complete",
    ),
    path("enrollments/<int:pk>/end/", views.EnrollmentActionView.as_view(), {"action": "end"}, name="enrollment_end"),
    path(
        "enrollments/<int:pk>/test/", views.EnrollmentActionView.as_view(), {"action": "test"}, name="enrollment_test"
    ),
    path("enrollments/<int:pk>/certificate.pdf", views.CertificateView.as_view(), name="enrollment_certificate"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    *resource_urls("classes"),
]
