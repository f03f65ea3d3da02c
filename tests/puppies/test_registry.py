"""What Puppies for Parole puts in core's registry: the handler's timeline, the public figure "dogs adopted" with
its historical baseline, and the API under /api/v1/puppies/ (scoped like the pages)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from puppies import services
from puppies.models import Dog
from tests.factories import puppies as f

pytestmark = pytest.mark.django_db


def test_the_handlers_timeline_shows_their_dogs_and_hours(pw, client_for):
    services.training_log_record(
        user=pw.w.staff_jccc, dog=pw.dog, handler=pw.handlers[0], date=dt.date(2026, 2, 2), skills="Sit", minutes=75
    )
    services.program_remove(offender=pw.handlers[0], facility=pw.w.jccc, on=f.TODAY, reason="Fight", user=pw.w.admin)
    url = reverse("core:offender_timeline", args=[pw.handlers[0].pk])
    html = client_for(pw.w.staff_jccc).get(url).content.decode()
    assert "Primary handler of Biscuit at JCCC" in html
    assert "Removed from Puppies for Parole" in html
    assert "1 h 15 min of training logged in 2026" in html
    # Staff of another facility do not see the person at all.
    assert client_for(pw.w.staff_acc).get(url).status_code == 404


def test_dogs_adopted_figure_adds_the_historical_baseline(pw):
    from reports.models import FigureBaseline
    from reports.selectors import figure_values

    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    f.adopt(f.application(pw.dog), user=pw.w.staff_jccc)
    FigureBaseline.objects.create(
        figure="puppies-dogs-adopted", value=Decimal("7000"), as_of=dt.date(2024, 12, 31), source="Annual reports"
    )
    figure = next(v for v in figure_values() if v.slug == "puppies-dogs-adopted")
    assert figure.value == 1 and figure.number == Decimal("7001") and figure.display == "7,001"
    assert figure.entry.cumulative and figure.entry.compute_year(2026) == 1


def test_the_api_lists_a_facilitys_dogs_only(pw, client_for):
    response = client_for(pw.w.staff_acc).get("/api/v1/puppies/dogs/")
    assert response.status_code == 200
    assert [d["name"] for d in response.json()["results"]] == ["Pepper"]
    detail = client_for(pw.w.admin).get(f"/api/v1/puppies/dogs/{pw.dog.pk}/").json()
    assert detail["status"] == "in_training" and detail["facility"] == pw.w.jccc.pk
    assert client_for(pw.w.staff_acc).get(f"/api/v1/puppies/dogs/{pw.dog.pk}/").status_code == 404
    handlers = client_for(pw.w.staff_jccc).get("/api/v1/puppies/handlers/").json()
    assert handlers["count"] == 2
    # Service-written records are read-only in the API.
    post = client_for(pw.w.admin).post(
        "/api/v1/puppies/handlers/", {"dog": pw.dog.pk, "offender": pw.handlers[0].pk, "role": "primary"}
    )
    assert post.status_code == 405


def test_the_api_never_gives_an_adopters_contact(pw, client_for):
    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    adoption = f.adopt(f.application(pw.dog), user=pw.w.staff_jccc)
    row = client_for(pw.w.admin).get(f"/api/v1/puppies/adoptions/{adoption.pk}/").json()
    assert "adopter_email" not in row and "adopter_phone" not in row and row["fee"] == "75.00"


def test_the_dashboard_panel_is_for_the_facility(pw, client_for):
    services.program_remove(offender=pw.handlers[0], facility=pw.w.jccc, on=f.TODAY, reason="Fight", user=pw.w.admin)
    assert "Biscuit" in client_for(pw.w.staff_jccc).get(reverse("core:dashboard")).content.decode()
    acc = client_for(pw.w.staff_acc).get(reverse("core:dashboard")).content.decode()
    assert "Puppies for Parole" in acc and "Biscuit" not in acc


def test_a_dog_created_through_the_api_is_an_intake(pw, client_for):
    client = client_for(pw.w.staff_jccc)
    data = {
        "shelter": pw.shelter.pk,
        "shelter_ref": "API-1",
        "name": "Scout",
        "breed": "Terrier mix",
        "sex": "male",
        "birth_estimate": "2024-02-01",
        "colour": "White",
        "intake_on": "2026-02-01",
        "status": "adopted",
    }
    response = client.post("/api/v1/puppies/dogs/", data, content_type="application/json")
    assert response.status_code == 201, response.json()
    dog = Dog.objects.get(shelter_ref="API-1")
    assert dog.status == "at_shelter" and dog.movements.count() == 1
    bad = client.post(
        "/api/v1/puppies/dogs/",
        {**data, "shelter_ref": "API-2", "intake_on": "2030-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "intake_on" in bad.json()
