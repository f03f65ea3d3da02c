"""``seed_demo`` prints the address the server really listens on (issue 17, item 13)."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from core.management.addr import browser_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _seed_output(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--offenders", "2", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_prints_the_addr_it_is_given():
    text = _seed_output("--addr", "127.0.0.1:8091")
    assert "http://127.0.0.1:8091/accounts/login/" in text
    assert ":8000" not in text


def test_seed_demo_prints_a_reachable_host_for_a_wildcard_addr():
    text = _seed_output("--addr", "0.0.0.0:8080")
    assert "http://127.0.0.1:8080/accounts/login/" in text


def test_seed_demo_without_addr_prints_site_url(settings):
    settings.SITE_URL = "https://rjadmin.example.gov"
    assert "https://rjadmin.example.gov/accounts/login/" in _seed_output()


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8080", "http://127.0.0.1:8080"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("[::]:9000", "http://[::1]:9000"),
        ("localhost:8001", "http://localhost:8001"),
    ],
)
def test_browser_url_for_runserver_addresses(addr, url):
    assert browser_url(addr) == url


def test_make_run_passes_its_addr_to_seed_demo():
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"manage\.py seed_demo --addr \$\(ADDR\)", run_recipe)


def test_the_whole_demo_loads_as_make_run_loads_it_and_again_unchanged():
    """`make run`'s seed: every app's demo on the default 300 people, together. Each app's own demo test
    seeds it alone; only together did the boards' member phones meet the victims' phones in the conflict
    check (the seed then stopped, and `make run` with it). A second run changes nothing."""
    from boards.models import Agreement
    from classes.models import Enrollment
    from community_service.models import HourLog
    from core.models import Offender
    from puppies.models import Dog
    from restitution.models import Payment
    from tests.conftest import restore_migration_rows
    from victims.models import Victim

    restore_migration_rows()  # the catalogs the migrations wrote, if a transactional test emptied them
    call_command("seed_demo", stdout=io.StringIO())
    counts = {
        model.__name__: model.objects.count()
        for model in (Offender, Payment, HourLog, Enrollment, Dog, Victim, Agreement)
    }
    assert all(counts.values()), counts  # every program has its demo records
    call_command("seed_demo", stdout=io.StringIO())
    again = {
        model.__name__: model.objects.count()
        for model in (Offender, Payment, HourLog, Enrollment, Dog, Victim, Agreement)
    }
    assert again == counts
