from django.urls import path

from . import views

app_name = "victims"

urlpatterns = [
    path("", views.VictimListView.as_view(), name="victim_list"),
    path("add/", views.VictimCreateView.as_view(), name="victim_add"),
    path("<int:pk>/", views.VictimDetailView.as_view(), name="victim_detail"),
    path("<int:pk>/edit/", views.VictimEditView.as_view(), name="victim_edit"),
    path("<int:pk>/payees/add/", views.PayeeLinkView.as_view(), name="payee_link"),
    path("<int:pk>/statements/add/", views.StatementCreateView.as_view(), name="statement_add"),
    path("statements/<int:pk>/", views.StatementDetailView.as_view(), name="statement_detail"),
    path("statements/<int:pk>/edit/", views.StatementEditView.as_view(), name="statement_edit"),
    path("statements/<int:pk>/losses/add/", views.LossCreateView.as_view(), name="loss_add"),
    path("statements/<int:pk>/attachments/add/", views.AttachmentCreateView.as_view(), name="attachment_add"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("cases/<int:pk>/", views.CaseVictimsView.as_view(), name="case_victims"),
    path("conflicts/", views.ConflictMatchListView.as_view(), name="conflictmatch_list"),
    path("conflicts/<int:pk>/", views.ConflictMatchDetailView.as_view(), name="conflictmatch_detail"),
    path("cases/<int:pk>/section/", views.SectionProduceView.as_view(), name="section_produce"),
    path("sections/<int:pk>.pdf", views.SectionPdfView.as_view(), name="section_pdf"),
    path("read-log/", views.ReadLogView.as_view(), name="readlog_list"),
    path("<int:pk>/statement-link/", views.SubmissionLinkCreateView.as_view(), name="submission_link_add"),
    path("statements/<int:pk>/accept/", views.StatementAcceptView.as_view(), name="statement_accept"),
    path("statement/<str:token>/", views.SubmissionView.as_view(), name="submission"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/", views.NotificationDetailView.as_view(), name="notification_detail"),
    path("notifications/<int:pk>/letter.pdf", views.NotificationLetterView.as_view(), name="notification_letter"),
]
