"""No identity or contact value reaches a role without access: every response body is searched."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories.victims import ADDRESS, DESIGNATED, DOB, EMAIL, EMPLOYER, NAME, PHONE, make_statement, make_victim

pytestmark = pytest.mark.django_db

# Each value as a page might print it: the address's street alone, the phone's digits, the date two ways.
SECRETS = [
    NAME,
    "Quintero-Whitfield",
    ADDRESS,
    "Persimmon Hollow",
    PHONE,
    "555-0143",
    "5735550143",
    EMAIL,
    "rosalind.qw",
    DOB.isoformat(),
    "Mar 14, 1979",
    "March 14, 1979",
    EMPLOYER,
    DESIGNATED,
    "PO Box 1409",
]

WITHOUT_ACCESS = [
    "auditor",
    "officer",
    "officer2",
    "officer_d10",
    "supervisor",
    "supervisor_d10",
    "boards",
    "staff_jccc",
]


def urls(world, victim):
    offender = world.case.offender
    statement = victim.statements.get()
    return [
        reverse("victims:statement_detail", args=[statement.pk]),
        reverse("victims:statement_add", args=[victim.pk]),
        reverse("victims:conflictmatch_list"),
        reverse("victims:victim_list"),
        reverse("victims:victim_detail", args=[victim.pk]),
        reverse("victims:victim_edit", args=[victim.pk]),
        reverse("victims:victim_add"),
        reverse("victims:case_victims", args=[world.case.pk]),
        reverse("victims:readlog_list"),
        reverse("core:offender_detail", args=[offender.pk]),
        reverse("core:offender_timeline", args=[offender.pk]),
        reverse("core:courtcase_detail", args=[world.case.pk]),
        reverse("core:dashboard"),
        # Searching for the victim by name, phone or street finds nothing that names them.
        f"{reverse('core:search')}?q={NAME}",
        f"{reverse('core:search')}?q=555-0143",
        f"{reverse('core:search')}?q=Persimmon",
        f"{reverse('core:offender_timeline', args=[offender.pk])}?program=victims",
        "/api/v1/",
        "/api/v1/cases/",
        "/api/v1/offenders/",
        "/api/v1/victims/victims/",
        f"/api/v1/victims/victims/{victim.pk}/",
        "/api/v1/victims/statements/",
        "/api/v1/victims/notifications/",
    ]


def leaked(body: str) -> list[str]:
    return [value for value in SECRETS if value.lower() in body.lower()]


@pytest.fixture
def two_victims(world):
    """One victim with a home address, and a Safe at Home participant on the same case."""
    plain = make_victim(cases=[world.case], user=world.victims)
    safe = make_victim(
        cases=[world.case],
        user=world.victims,
        identity={
            "address": "",
            "safe_at_home": True,
            "designated_address": DESIGNATED,
            "safe_at_home_card_verified": True,
            "safe_at_home_card_expires": DOB.replace(year=2030),
        },
    )
    for victim in (plain, safe):
        make_statement(victim, user=world.victims, board_mode="attend", losses=[("medical", "40.00", "Receipt")])
    return plain, safe


@pytest.mark.parametrize("role", WITHOUT_ACCESS)
def test_no_identity_or_contact_in_any_page_for_a_role_without_access(world, two_victims, client_for, role):
    client = client_for(getattr(world, role))
    # Victim services has read the records, so the read log holds rows for the auditor's page.
    staff = client_for(world.victims)
    for victim in two_victims:
        assert staff.get(reverse("victims:victim_detail", args=[victim.pk])).status_code == 200
    client = client_for(getattr(world, role))
    opened = 0
    for victim in two_victims:
        for url in urls(world, victim):
            response = client.get(url, follow=True)
            assert response.status_code in (200, 404), (url, response.status_code)
            opened += response.status_code == 200
            body = response.content.decode()
            if "?q=" in url:  # the search page repeats what was typed: only its results count
                body = body.replace(url.split("?q=", 1)[1], "")
            assert leaked(body) == [], (role, url)
    assert opened > 0  # at least the dashboard: the search read real pages


def test_victim_services_does_see_them_so_the_search_can_fail(world, two_victims, client_for):
    client = client_for(world.victims)
    body = client.get(reverse("victims:victim_detail", args=[two_victims[0].pk])).content.decode()
    assert NAME in body and ADDRESS in body and PHONE in body and EMAIL in body and EMPLOYER in body
    body = client.get(reverse("victims:victim_detail", args=[two_victims[1].pk])).content.decode()
    assert DESIGNATED in body


def test_the_officer_sees_that_the_case_has_victims_but_not_who(world, two_victims, client_for):
    response = client_for(world.officer).get(reverse("victims:case_victims", args=[world.case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for victim in two_victims:
        assert victim.reference in body
    assert leaked(body) == []
    # Another officer of the same district does not supervise the person: nothing, not even that they exist.
    assert client_for(world.officer2).get(reverse("victims:case_victims", args=[world.case.pk])).status_code == 404


def test_the_database_holds_no_plain_address_phone_email_or_birth_date(world, two_victims):
    """Every row of every table read as text (a dump, in SQL): the contact values are nowhere in it."""
    plain_values = [
        ADDRESS,
        "Persimmon Hollow",
        PHONE,
        "5735550143",
        "555-0143",
        EMAIL,
        DOB.isoformat(),
        EMPLOYER,
        DESIGNATED,
        "PO Box 1409",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        assert "victims_victimidentity" in tables and "victims_historicalvictimidentity" in tables
        found = []
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # names from pg_tables
            for (row,) in cursor.fetchall():
                found += [(table, value) for value in plain_values if value.lower() in row.lower()]
        assert found == []
        cursor.execute("SELECT address, phone, email, date_of_birth, employer FROM victims_victimidentity")
        rows = cursor.fetchall()
    assert len(rows) == 2
    assert all(value.startswith("fernet:") for value in rows[0])
    # The name stays plain on purpose (the conflict check matches it by trigram similarity).
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM victims_victimidentity WHERE name = %s", [NAME])
        assert cursor.fetchone()[0] == 2


def test_safe_at_home_keeps_only_the_designated_address(world, two_victims):
    safe = two_victims[1].identity
    safe.refresh_from_db()
    assert safe.address == "" and safe.mailing_address == ""
    assert safe.designated_address == DESIGNATED
    # Even a save that carries a real address drops it for a participant.
    safe.address = ADDRESS
    safe.save()
    safe.refresh_from_db()
    assert safe.address == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM victims_victimidentity WHERE id = %s", [safe.pk])
        assert cursor.fetchone()[0] == ""
