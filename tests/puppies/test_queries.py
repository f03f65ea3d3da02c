"""Every Puppies for Parole list, the dashboard panel and the dog's page run as many queries at 20 rows as at 1."""

import datetime as dt

import pytest
from django.urls import reverse

from puppies import services
from puppies.models import ConductViolation
from tests.factories import puppies as f
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _rows(pw, n, start):
    """n more of everything: a dog in training with handlers, a log, a CGC attempt, an application, a
    violation and a removal (which opens the dog's task)."""
    w = pw.w
    for i in range(start, start + n):
        dog, people = f.placed_dog(pw.shelter, w.jccc, user=w.staff_jccc, name=f"Row{i}", released_for_adoption=True)
        services.training_log_record(
            user=w.staff_jccc, dog=dog, handler=people[0], date=dt.date(2026, 2, 1), skills="Heel", minutes=20
        )
        services.milestone_record(user=w.staff_jccc, dog=dog, date=dt.date(2026, 2, 3), milestone="crate")
        f.cgc(dog, user=w.staff_jccc, fail=(2,))
        f.application(dog)
        ConductViolation.objects.create(
            offender=people[1], facility=w.jccc, date=dt.date(2026, 2, 2), description="Late", entered_by=w.staff_jccc
        )
        services.program_remove(offender=people[0], facility=w.jccc, on=f.TODAY, reason="Fight", user=w.staff_jccc)


LISTS = [
    "puppies:dog_list",
    "puppies:handlerassignment_list",
    "puppies:traininglog_list",
    "puppies:cgcattempt_list",
    "puppies:trainingmilestone_list",
    "puppies:adoptionapplication_list",
    "puppies:handlertask_list",
    "puppies:movement_list",
    "puppies:vaccination_list",
    "puppies:conductviolation_list",
    "puppies:programremoval_list",
    "core:dashboard",
    "puppies:apprenticeship",
]


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
def test_lists_run_constant_queries(pw, client_for, username):
    client = client_for(getattr(pw.w, username))
    _rows(pw, 1, 0)
    for name in LISTS:
        client.get(reverse(name))  # warm per-process caches
    at_1 = {name: page_queries(client, reverse(name))[0] for name in LISTS}
    _rows(pw, 19, 1)
    at_20 = {name: page_queries(client, reverse(name))[0] for name in LISTS}
    assert at_20 == at_1


def test_adoptions_and_graduations_lists_run_constant_queries(pw, client_for):
    client = client_for(pw.w.staff_jccc)
    urls = [reverse("puppies:adoption_list"), reverse("puppies:graduation_list"), reverse("puppies:shelter_list")]

    def adopt(i):
        dog, _ = f.placed_dog(pw.shelter, pw.w.jccc, user=pw.w.staff_jccc, handlers=False, released_for_adoption=True)
        f.cgc(dog, user=pw.w.staff_jccc, date=dt.date(2026, 1, 20))
        f.graduate(dog, user=pw.w.staff_jccc, date=dt.date(2026, 1, 21) + dt.timedelta(days=i))
        f.adopt(f.application(dog), user=pw.w.staff_jccc)
        f.shelter(pw.w.jccc)

    adopt(0)
    for url in urls:
        client.get(url)
    at_1 = [page_queries(client, url)[0] for url in urls]
    for i in range(1, 20):
        adopt(i)
    assert [page_queries(client, url)[0] for url in urls] == at_1


def test_a_dogs_page_runs_constant_queries(pw, client_for):
    from puppies.models import Dog

    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    client = client_for(pw.w.staff_jccc)
    url = pw.dog.get_absolute_url()
    client.get(url)
    at_start = page_queries(client, url)[0]
    for i in range(19):
        services.training_log_record(
            user=pw.w.staff_jccc,
            dog=pw.dog,
            handler=pw.handlers[i % 2],
            date=dt.date(2026, 2, 1),
            skills="Sit",
            minutes=10 + i,
        )
        if i < 5:
            f.application(pw.dog)
        f.rabies(pw.dog, given_on=dt.date(2025, 1, 1) + dt.timedelta(days=i))
    assert page_queries(client, url)[0] == at_start
