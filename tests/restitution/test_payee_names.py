"""A victim payee's name is the victim's name: only victim services and administrators read it.

Every other role that sees restitution (officers, supervisors, board coordinators, auditors) and the
person who pays (the receipt PDF) sees "Victim payee" and its reference, in every page, export, PDF,
API field, history line and search answer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.services import set_history
from restitution import services
from restitution.choices import CVCF_PAYEE_NAME, ObligationKind, PayeeKind
from restitution.models import Obligation, Payee
from tests.factories.restitution import pay
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

NAME = "Marisol Achterberg"
OLD_NAME = "Marisol Vandersloot"
REFERENCE = "V-2025-0417"
SECRETS = ["Marisol", "Achterberg", "Vandersloot"]

WITHOUT_ACCESS = ["officer", "supervisor", "boards", "auditor"]
WITH_ACCESS = ["victims", "admin"]


@pytest.fixture
def paid(world):
    """A victim payee (renamed once: the old name is in its history), the restitution owed to it on the
    case of officer.d9's person, a payment allocated to it and a disbursement."""
    payee = services.payee_create(name=OLD_NAME, kind=PayeeKind.VICTIM, reference=REFERENCE, user=world.victims)
    payee.name = NAME
    set_history(payee, world.victims, "Name corrected from the judgment")
    payee.save()
    obligation = services.obligation_create(
        case=world.case,
        kind=ObligationKind.RESTITUTION,
        payee=payee,
        ordered_amount=Decimal("900.00"),
        ordered_on=dt.date(2025, 2, 1),
        user=world.officer,
    )
    payment = pay(world.case.offender, "120.00", dt.date(2025, 3, 3), user=world.officer)
    disbursement = services.disbursement_create(
        payee=payee, disbursed_on=dt.date(2025, 3, 31), reference="CHK-88120", user=world.victims
    )
    return payee, obligation, payment, disbursement


def pages(world, paid):
    payee, obligation, payment, disbursement = paid
    offender = world.case.offender
    report = reverse("reports:run", args=["restitution-owed-to-payees"])
    obligations = reverse("restitution:obligation_list")
    return [
        obligations,
        f"{obligations}?_export=csv",
        f"{obligations}?_export=xlsx",
        reverse("restitution:obligation_detail", args=[obligation.pk]),
        reverse("restitution:obligation_history", args=[obligation.pk]),
        reverse("restitution:offender", args=[offender.pk]),
        reverse("restitution:payment_detail", args=[payment.pk]),
        reverse("restitution:payee_list"),
        f"{reverse('restitution:payee_list')}?_export=csv",
        reverse("restitution:payee_detail", args=[payee.pk]),
        reverse("restitution:payee_history", args=[payee.pk]),
        reverse("restitution:disbursement_list"),
        reverse("restitution:disbursement_detail", args=[disbursement.pk]),
        f"{report}?format=html",
        f"{report}?format=csv",
        f"/api/v1/restitution/obligations/?offender={offender.pk}",
        reverse("core:offender_timeline", args=[offender.pk]),
    ]


def text_of(response, tmp_path) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(response.content, tmp_path)
    if "spreadsheetml" in response["Content-Type"]:
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(response.content), read_only=True)
        return " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    return b"".join(response) if response.streaming else response.content.decode()


def leaked(body) -> list[str]:
    body = body.decode() if isinstance(body, bytes) else body
    return [s for s in SECRETS if s.lower() in body.lower()]


@pytest.mark.parametrize("role", WITHOUT_ACCESS)
def test_no_victim_payee_name_in_any_page_export_or_api_for_a_role_without_access(
    world, paid, client_for, role, tmp_path
):
    client = client_for(getattr(world, role))
    shown = 0
    for url in pages(world, paid):
        response = client.get(url)
        assert response.status_code in (200, 404), (role, url, response.status_code)
        if response.status_code == 200:
            shown += 1
            assert leaked(text_of(response, tmp_path)) == [], (role, url)
    assert shown >= 3  # each role reads restitution somewhere: the check read real pages


def test_the_label_is_what_they_see_instead(world, paid, client_for):
    payee, obligation, *_ = paid
    body = client_for(world.officer).get(reverse("restitution:obligation_detail", args=[obligation.pk])).content
    assert f"Victim payee {REFERENCE}" in body.decode()
    api = client_for(world.officer).get(f"/api/v1/restitution/obligations/{obligation.pk}/").json()
    assert api["payee"] == payee.pk and api["payee_name"] == f"Victim payee {REFERENCE}"
    # Without a reference, the payee's number stands in.
    bare = services.payee_create(name="Odalys Brennecke", kind=PayeeKind.VICTIM)
    assert str(bare) == f"Victim payee #{bare.pk}"
    # The fund and other payees are not people: their names show.
    assert str(services.payee_cvcf()) == CVCF_PAYEE_NAME


@pytest.mark.parametrize("role", WITH_ACCESS)
def test_victim_services_and_administrators_read_the_name(world, paid, client_for, role, tmp_path):
    payee, obligation, *_ = paid
    client = client_for(getattr(world, role))
    assert NAME in client.get(reverse("restitution:payee_detail", args=[payee.pk])).content.decode()
    assert NAME in client.get(reverse("restitution:payee_list")).content.decode()
    history = client.get(reverse("restitution:payee_history", args=[payee.pk])).content.decode()
    assert OLD_NAME in history and NAME in history
    report = client.get(reverse("reports:run", args=["restitution-owed-to-payees"]), {"format": "csv"})
    assert NAME in text_of(report, tmp_path)
    api = client.get(f"/api/v1/restitution/obligations/{obligation.pk}/").json()
    assert api["payee_name"] == f"{NAME} ({REFERENCE})"
    # The search finds the payee by name for them.
    found = client.get(reverse("restitution:payee_list"), {"q": "Achterberg"}).content.decode()
    assert REFERENCE in found


def test_the_receipt_the_person_is_given_names_no_victim(world, paid, client_for, tmp_path):
    *_, payment, _disbursement = paid
    response = client_for(world.officer).get(reverse("restitution:payment_receipt", args=[payment.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert f"Victim payee {REFERENCE}" in text
    assert leaked(text) == []


@pytest.mark.parametrize(
    ("role", "url_name", "term"),
    [
        ("officer", "restitution:obligation_list", "Achterberg"),
        ("supervisor", "restitution:obligation_list", "Marisol"),
        ("auditor", "restitution:payee_list", "Achterberg"),
        ("auditor", "restitution:disbursement_list", "Achterberg"),
        ("auditor", "restitution:obligation_list", "Vandersloot"),
    ],
)
def test_searching_by_a_hidden_name_finds_nothing(world, paid, client_for, role, url_name, term):
    """A match would tell which case's victim bears that name."""
    client = client_for(getattr(world, role))
    found = client.get(reverse(url_name), {"q": term}).content.decode()
    assert REFERENCE not in found and world.case.case_number not in found and "CHK-88120" not in found
    # The reference still finds it, so the empty answer above is the name rule, not a broken search.
    assert REFERENCE in client.get(reverse(url_name), {"q": REFERENCE}).content.decode()


def test_an_officer_typing_a_known_name_gets_that_payee_without_seeing_it(world, paid, client_for):
    payee, *_ = paid
    client = client_for(world.officer)
    response = client.post(
        reverse("restitution:obligation_add", args=[world.case.offender.pk]),
        {
            "case": world.case.pk,
            "kind": ObligationKind.OTHER,
            "new_payee": "marisol ACHTERBERG ",
            "ordered_amount": "75.00",
            "ordered_on": "2025-04-01",
        },
        follow=True,
    )
    assert response.status_code == 200
    added = Obligation.objects.get(kind=ObligationKind.OTHER, case=world.case)
    assert added.payee_id == payee.pk
    assert Payee.objects.filter(name__iexact=NAME).count() == 1
    assert leaked(response.content) == []
