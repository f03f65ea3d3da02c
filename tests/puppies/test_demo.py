"""The demo data: a dog at every stage, and the reports app's demo photo puts one on the public page; a second
load changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from core.services import demo_seed as core_demo_seed
from puppies.choices import DogStatus
from puppies.demo import demo_seed
from puppies.models import Adoption, AdoptionApplication, Dog, HandlerAssignment, Movement, TrainingLog

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        m.objects.count() for m in (Dog, Movement, HandlerAssignment, TrainingLog, AdoptionApplication, Adoption)
    )


@time_machine.travel(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC), tick=False)
def test_demo_has_every_stage_and_loads_once(client, settings, tmp_path):
    from reports.demo import demo_seed_reports

    settings.MEDIA_ROOT = tmp_path / "media"
    core_demo_seed(offenders=120)
    demo_seed()
    statuses = set(Dog.objects.values_list("status", flat=True))
    assert statuses == {
        DogStatus.GRADUATED,
        DogStatus.IN_TRAINING,
        DogStatus.EXTENDED_TRAINING,
        DogStatus.RESERVED,
        DogStatus.ADOPTED,
        DogStatus.AT_SHELTER,
    }
    assert HandlerAssignment.objects.filter(ended_on__isnull=True).count() >= 6
    counts = _counts()
    demo_seed()
    assert _counts() == counts
    demo_seed_reports()
    cache.clear()
    assert "Biscuit" in client.get(reverse("puppies_public:dog_list")).content.decode()
