"""The public dog pages and the adoption application, no sign-in.

What they show is ``selectors.public_dogs()``: the dog's own fields, its approved photo and bio, never a
person's name, a DOC ID or the facility. The list and each dog's page are rendered once per version
(``selectors.public_version()``, one query) and kept in Django's cache: any write that changes a public dog
bumps the version, so every web worker serves the new page on its next request.

The application is never cached. It is rate-limited per address (``services.throttle_hit``, one row per
address and window in PostgreSQL, so every worker counts together: over the limit answers 429), has a
honeypot field, and tells every applicant the same thing: the application is under review.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views import View
from django.views.decorators.http import require_GET

from core.errors import form_errors_from

from . import selectors, services
from .choices import DogStatus
from .forms import PublicApplicationForm

PAGE_SIZE = 24
CACHE_SECONDS = 3600
NOT_FOUND = "404"


def _cached(key: str, build) -> str:
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, CACHE_SECONDS)
    return html


def _dog_card(dog) -> dict:
    """Only what the public may read of a dog."""
    return {
        "pk": dog.pk,
        "name": dog.name,
        "breed": dog.breed,
        "sex": dog.get_sex_display(),
        "age": selectors.age_text(dog.birth_estimate),
        "colour": dog.colour,
        "bio": dog.bio,
        "reserved": dog.status == DogStatus.RESERVED,
        "graduated": dog.status == DogStatus.GRADUATED,
        "photo_key": dog.photo_key,
        "photo_alt": dog.photo_alt,
        "shelter": dog.shelter.organization.name,
        "shelter_town": dog.shelter.organization.town,
        "good_with": [
            ("dogs", dog.get_good_with_dogs_display()),
            ("cats", dog.get_good_with_cats_display()),
            ("children", dog.get_good_with_children_display()),
        ],
        "spayed_neutered": dog.spayed_neutered,
    }


@require_GET
def dog_list(request):
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    version = selectors.public_version()

    def build():
        page_obj = Paginator(selectors.public_dogs(), PAGE_SIZE).get_page(page)
        context = {
            "page_obj": page_obj,
            "dogs": [_dog_card(d) for d in page_obj.object_list],
            "title": "Dogs for adoption",
        }
        return render_to_string("puppies/public/dog_list.html", context, request=request)

    return HttpResponse(_cached(f"puppies:public:list:{version}:{page}", build))


@require_GET
def dog_page(request, pk):
    version = selectors.public_version()

    def build():
        dog = selectors.public_dog(pk)
        if dog is None:
            return NOT_FOUND
        card = _dog_card(dog)
        return render_to_string("puppies/public/dog_page.html", {"dog": card, "title": dog.name}, request=request)

    html = _cached(f"puppies:public:dog:{version}:{pk}", build)
    if html == NOT_FOUND:
        raise Http404
    return HttpResponse(html)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class ApplyView(View):
    """The adoption application for one public dog."""

    template_name = "puppies/public/apply.html"

    def get_dog(self, pk):
        dog = selectors.public_dog(pk)
        if dog is None:
            raise Http404
        return dog

    def render_page(self, dog, form, status=200):
        context = {
            "dog": _dog_card(dog),
            "form": form,
            "open": services.dog_takes_applications(dog),
            "title": f"Apply to adopt {dog.name}",
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        dog = self.get_dog(pk)
        return self.render_page(dog, PublicApplicationForm())

    def post(self, request, pk):
        dog = self.get_dog(pk)
        if not services.throttle_hit(address=_client_address(request)):
            response = render(request, "puppies/public/too_many.html", {"title": "Too many applications"}, status=429)
            response["Retry-After"] = str(int(services.APPLY_WINDOW.total_seconds()))
            return response
        form = PublicApplicationForm(request.POST)
        if form.is_robot:
            return redirect("puppies_public:applied")  # a robot is told what a person is told, and nothing is kept
        if not services.dog_takes_applications(dog):
            return self.render_page(dog, form, status=409)
        if form.is_valid():
            application = form.save(commit=False)
            application.dog = dog
            try:
                services.application_submit(application=application)
            except ValidationError as exc:
                form_errors_from(form, exc)
            except IntegrityError:  # the same household at the same moment: the first one is kept
                form.add_error(None, f"Your household already has an open application for {dog.name}.")
            else:
                return redirect("puppies_public:applied")
        return self.render_page(dog, form, status=400)


@require_GET
def applied(request):
    return render(request, "puppies/public/applied.html", {"title": "Application received"})
