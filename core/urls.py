from django.urls import path

from core.views import accounts, ops, records, search

app_name = "core"


def crud(prefix: str, name: str, list_view, detail_view, edit_view, history_view):
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", edit_view.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/history/", history_view.as_view(), name=f"{name}_history"),
    ]


urlpatterns = [
    path("", ops.DashboardView.as_view(), name="dashboard"),
    path("alerts/", ops.AlertListView.as_view(), name="alert_list"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("account/api-token/", accounts.ApiTokenView.as_view(), name="api_token"),
    path("users/<int:pk>/password/", accounts.UserSetPasswordView.as_view(), name="user_password"),
    path("jobs/", ops.JobRunListView.as_view(), name="jobrun_list"),
    path("jobs/<int:pk>/mark-failed/", ops.JobRunMarkFailedView.as_view(), name="jobrun_mark_failed"),
    path("imports/", ops.ImportStartView.as_view(), name="import_start"),
    path("imports/<int:pk>/", ops.ImportPreviewView.as_view(), name="import_preview"),
    path("imports/<int:pk>/discard/", ops.ImportDiscardView.as_view(), name="import_discard"),
    path("offenders/<int:pk>/timeline/", records.OffenderTimelineView.as_view(), name="offender_timeline"),
    path(
        "offenders/<int:pk>/parole-hearings/add/",
        records.ParoleHearingAddView.as_view(),
        name="offender_parole_hearing_add",
    ),
    *crud(
        "facilities",
        "facility",
        records.FacilityListView,
        records.FacilityDetailView,
        records.FacilityEditView,
        records.FacilityHistoryView,
    ),
    *crud(
        "districts",
        "district",
        records.DistrictListView,
        records.DistrictDetailView,
        records.DistrictEditView,
        records.DistrictHistoryView,
    ),
    *crud(
        "organizations",
        "organization",
        records.OrganizationListView,
        records.OrganizationDetailView,
        records.OrganizationEditView,
        records.OrganizationHistoryView,
    ),
    *crud(
        "offenders",
        "offender",
        records.OffenderListView,
        records.OffenderDetailView,
        records.OffenderEditView,
        records.OffenderHistoryView,
    ),
    *crud(
        "cases",
        "courtcase",
        records.CourtCaseListView,
        records.CourtCaseDetailView,
        records.CourtCaseEditView,
        records.CourtCaseHistoryView,
    ),
    *crud("users", "user", records.UserListView, records.UserDetailView, records.UserEditView, records.UserHistoryView),
]
