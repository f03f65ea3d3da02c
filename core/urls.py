from django.urls import path

from core.resources import resource_urls
from core.views import accounts, ops, records, search, signin

app_name = "core"


urlpatterns = [
    path("", ops.DashboardView.as_view(), name="dashboard"),
    path("alerts/", ops.AlertListView.as_view(), name="alert_list"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("account/api-token/", accounts.ApiTokenView.as_view(), name="api_token"),
    path("users/<int:pk>/password/", accounts.UserSetPasswordView.as_view(), name="user_password"),
    path("users/<int:pk>/two-factor/reset/", signin.UserTwoFactorResetView.as_view(), name="user_two_factor_reset"),
    path("jobs/", ops.JobRunListView.as_view(), name="jobrun_list"),
    path("jobs/<int:pk>/mark-failed/", ops.JobRunMarkFailedView.as_view(), name="jobrun_mark_failed"),
    path("imports/", ops.ImportStartView.as_view(), name="import_start"),
    path("imports/<int:pk>/", ops.ImportPreviewView.as_view(), name="import_preview"),
    path("imports/<int:pk>/discard/", ops.ImportDiscardView.as_view(), name="import_discard"),
    path("offenders/<int:pk>/timeline/", records.OffenderTimelineView.as_view(), name="offender_timeline"),
    path("offenders/<int:pk>/record/", records.OffenderRecordView.as_view(), name="offender_record"),
    path("offenders/<int:pk>/progress-report/", records.ProgressReportCreateView.as_view(), name="offender_progress"),
    path("progress-reports/<int:pk>.pdf", records.ProgressReportFileView.as_view(), name="progress_report_file"),
    path("readiness/", records.ReadinessView.as_view(), name="readiness"),
    path(
        "offenders/<int:pk>/parole-hearings/add/",
        records.ParoleHearingAddView.as_view(),
        name="offender_parole_hearing_add",
    ),
    *resource_urls("core"),
]
