"""The restorative record page and the readiness page run the same queries whatever the history: one
event or five hundred (hour logs, payments), one person or many."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from community_service.choices import Verification, VerificationMethod
from community_service.models import HourLog
from community_service.services import credited_totals_refresh
from core.jobs import job_run
from tests.factories.restitution import pay
from tests.queries import page_queries
from tests.restorative.conftest import TODAY

pytestmark = pytest.mark.django_db


def more_history(story, world, logs: int, payments: int):
    now = timezone.now()
    start = dt.date(2026, 2, 2)
    HourLog.objects.bulk_create(
        HourLog(
            offender=story.person,
            order=story.order,
            placement=story.place,
            date=start + dt.timedelta(days=i % 130),
            start_time=dt.time(6 + i // 130 * 3, 0),
            end_time=dt.time(6 + i // 130 * 3 + 1, 0),
            hours=Decimal("1.00"),
            credited_hours=Decimal("1.00"),
            verification=Verification.VERIFIED,
            decided_at=now,
            decided_by_name="Lee Whitaker",
            method=VerificationMethod.IMPORTED,
            task="Sorting",
            entered_by=world.officer,
        )
        for i in range(logs)
    )
    credited_totals_refresh([story.order.pk])
    for i in range(payments):
        pay(story.person, "1.00", dt.date(2026, 5, 2) + dt.timedelta(days=i % 40))


def test_the_record_page_runs_the_same_queries_for_one_event_or_five_hundred(world, story, client_for):
    client = client_for(world.officer)
    url = reverse("core:offender_record", args=[story.person.pk])
    client.get(url)
    few, _ = page_queries(client, url)
    more_history(story, world, logs=450, payments=50)
    many, response = page_queries(client, url)
    assert many == few, (few, many)
    assert "And 427 earlier verified logs." not in response.content.decode()  # the page lists no sources
    assert response.context["record"].blocks[1].sources[-1].text == "And 427 earlier verified logs."


def test_the_readiness_check_runs_the_same_queries_for_one_person_or_many(world, story, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Offender
    from tests.factories import OffenderFactory

    def counted(day):
        with CaptureQueriesContext(connection) as ctx:
            job_run(name="supervision_review", run_date=day)
        return len(ctx.captured_queries)

    one = counted(TODAY)
    for _ in range(30):
        OffenderFactory(
            status="supervised",
            district=world.d9,
            supervising_officer=world.officer2,
            supervision_end_date=TODAY + dt.timedelta(days=40),
        )
    assert Offender.objects.filter(supervision_end_date__isnull=False).count() >= 31
    many = counted(TODAY + dt.timedelta(days=1))
    assert many == one, (one, many)
    client = client_for(world.supervisor)
    url = reverse("core:readiness")
    client.get(url)
    assert page_queries(client, url)[0] == page_queries(client, url, {"show": "unmet"})[0]


def test_the_details_tab_runs_the_same_queries_for_one_participation_entry_or_many(world, frozen, client_for):
    from gardens.services import harvest_workers_set
    from tests.factories.gardens import GardenFactory, HarvestFactory

    garden = GardenFactory(facility=world.jccc, name="East garden")

    def worked(day):
        harvest = HarvestFactory(garden=garden, date=day)
        harvest_workers_set(harvest=harvest, user=world.admin, workers={world.inmate: Decimal("2.00")})

    client = client_for(world.staff_jccc)
    url = reverse("core:offender_detail", args=[world.inmate.pk])
    worked(dt.date(2026, 5, 1))
    client.get(url)
    few, _ = page_queries(client, url)
    for i in range(30):
        worked(dt.date(2026, 3, 1) + dt.timedelta(days=i))
    many, response = page_queries(client, url)
    assert many == few, (few, many)
    assert "Gardens: 62.00 hours over 31 entries." in response.content.decode()
