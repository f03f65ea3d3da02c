from django.urls import path

from . import views

app_name = "victims"

urlpatterns = [
    path("", views.VictimListView.as_view(), name="victim_list"),
    path("add/", views.VictimCreateView.as_view(), name="victim_add"),
    path("<int:pk>/", views.VictimDetailView.as_view(), name="victim_detail"),
    path("<int:pk>/edit/", views.VictimEditView.as_view(), name="victim_edit"),
    path("cases/<int:pk>/", views.CaseVictimsView.as_view(), name="case_victims"),
    path("conflicts/", views.ConflictMatchListView.as_view(), name="conflictmatch_list"),
    path("conflicts/<int:pk>/", views.ConflictMatchDetailView.as_view(), name="conflictmatch_detail"),
    path("read-log/", views.ReadLogView.as_view(), name="readlog_list"),
]
