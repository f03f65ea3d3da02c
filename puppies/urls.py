from django.urls import path

from core.resources import resource_urls

from . import views

app_name = "puppies"

urlpatterns = [
    path("dogs/<int:pk>/move/", views.DogMoveView.as_view(), name="dog_move"),
    path("handlers/<int:pk>/end/", views.HandlerEndView.as_view(), name="handlerassignment_end"),
    path("tasks/<int:pk>/resolve/", views.TaskResolveView.as_view(), name="handlertask_resolve"),
    path("applications/<int:pk>/decide/", views.ApplicationDecideView.as_view(), name="adoptionapplication_decide"),
    path("applications/<int:pk>/clear/", views.ConflictClearView.as_view(), name="adoptionapplication_clear"),
    path("applications/<int:pk>/adopt/", views.AdoptionRecordView.as_view(), name="adoptionapplication_adopt"),
    path("adoptions/<int:pk>/follow-up/", views.AdoptionFollowupView.as_view(), name="adoption_followup"),
    path("adoptions/<int:pk>/return/", views.AdoptionReturnView.as_view(), name="adoption_return"),
    path("apprenticeship/", views.ApprenticeshipView.as_view(), name="apprenticeship"),
    *resource_urls("puppies"),
]
