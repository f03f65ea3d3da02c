"""A Puppies for Parole world on top of the shared ``world``: a shelter working with JCCC and ACC, a dog in
training at each with two handlers, the clock stopped on TODAY (Chicago noon)."""

import datetime as dt

import pytest
import time_machine

from tests.factories import puppies as f

TODAY = f.TODAY


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-6))), tick=False):
        yield TODAY


@pytest.fixture
def pw(world, frozen):
    w = world
    p = type("PW", (), {})()
    p.w = w
    p.shelter = f.shelter(w.jccc, w.acc, name="Central Missouri Humane Society")
    p.dog, p.handlers = f.placed_dog(p.shelter, w.jccc, user=w.staff_jccc, name="Biscuit")
    p.dog_acc, p.handlers_acc = f.placed_dog(p.shelter, w.acc, user=w.staff_acc, name="Pepper")
    return p
