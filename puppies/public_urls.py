"""The public dog pages, no sign-in: under /public/ beside the reports app's public pages."""

from django.urls import path

from . import public

app_name = "puppies_public"

urlpatterns = [
    path("public/dogs/", public.dog_list, name="dog_list"),
    path("public/dogs/<int:pk>/", public.dog_page, name="dog_page"),
    path("public/dogs/<int:pk>/apply/", public.ApplyView.as_view(), name="apply"),
    path("public/dogs/applied/", public.applied, name="applied"),
]
