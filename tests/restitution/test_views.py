"""Pages: who sees what (owner, supervisor, outsider), the caseload's order and flags, and the forms."""

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent
from restitution.models import Disbursement, Obligation, Payee, Payment, PaymentReversal
from tests.factories import CourtCaseFactory, OffenderFactory
from tests.factories.restitution import obligation, pay

pytestmark = pytest.mark.django_db


def names_on(response):
    return re.findall(r'href="/restitution/offenders/(\d+)/"', response.content.decode())


def test_an_officer_sees_who_is_delinquent_by_how_much_and_since_when(world, book, client_for):
    response = client_for(world.officer).get(reverse("restitution:caseload"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{world.supervised.last_name}, {world.supervised.first_name}" in html
    assert "Delinquent" in html
    assert "$460.00" in html  # $400 restitution + $60 CVCF in arrears
    assert ">151<" in html  # days past due, since the CVCF's first installment on Jan 15
    assert "Jan 15, 2026" in html
    # By the link and the full name: a Faker last name alone can also be someone's first name on the page.
    assert str(world.supervised_d10.pk) not in names_on(response)
    assert f"{world.supervised_d10.last_name}, {world.supervised_d10.first_name}" not in html


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("officer", {"supervised"}),
        ("officer2", set()),
        ("officer_d10", {"supervised_d10"}),
        ("supervisor", {"supervised"}),
        ("supervisor_d10", {"supervised_d10"}),
        ("admin", {"supervised", "supervised_d10"}),
        ("auditor", {"supervised", "supervised_d10"}),
    ],
)
def test_the_caseload_is_the_officers_and_the_district_is_the_supervisors(world, book, client_for, who, sees):
    response = client_for(getattr(world, who)).get(reverse("restitution:caseload"))
    assert response.status_code == 200
    assert set(names_on(response)) == {str(getattr(world, name).pk) for name in sees}


@pytest.mark.parametrize("who", ["staff_jccc", "boards"])
def test_roles_without_restitution_get_404(world, book, client_for, who):
    client = client_for(getattr(world, who))
    assert client.get(reverse("restitution:caseload")).status_code == 404
    assert client.get(reverse("restitution:payment_add", args=[world.supervised.pk])).status_code == 404
    # nor the person's ledger or a receipt (a board coordinator sees restitution through a board's condition)
    assert client.get(reverse("restitution:offender", args=[world.supervised.pk])).status_code == 404
    assert client.get(reverse("restitution:payment_receipt", args=[book.p1.pk])).status_code == 404


def test_the_caseload_puts_the_worst_first_and_flags_late_payoffs(world, book, client_for):
    w = world
    current = OffenderFactory(district=w.d9, supervising_officer=w.officer, supervision_end_date=dt.date(2026, 8, 1))
    obligation(
        CourtCaseFactory(offender=current),
        amount="1000.00",
        ordered_on=dt.date(2026, 1, 1),
        monthly_amount=Decimal("50"),
        first_due_on=dt.date(2026, 6, 1),
    )
    pay(current, "50.00", dt.date(2026, 6, 1))  # current, but $950 at $8.33 a month ends long after Aug 1
    late = OffenderFactory(district=w.d9, supervising_officer=w.officer, supervision_end_date=dt.date(2030, 1, 1))
    obligation(
        CourtCaseFactory(offender=late),
        amount="300.00",
        ordered_on=dt.date(2026, 1, 1),
        monthly_amount=Decimal("100"),
        first_due_on=dt.date(2026, 5, 1),
    )
    pay(late, "150.00", dt.date(2026, 5, 1))
    response = client_for(w.officer).get(reverse("restitution:caseload"))
    assert names_on(response) == [str(w.supervised.pk), str(late.pk), str(current.pk)]
    rows = {r.offender.pk: r for r in response.context["table"].data.data}
    assert rows[late.pk].status == "late"
    assert rows[current.pk].status == "current"
    assert rows[current.pk].payoff_after_end
    assert rows[current.pk].projected_payoff == dt.date(2036, 1, 15)  # $950 at $8.33 a month: 115 months
    assert not rows[late.pk].payoff_after_end
    assert "after supervision ends" in response.content.decode()


def test_the_caseload_as_of_another_date_and_csv_export(world, book, client_for):
    client = client_for(world.officer)
    response = client.get(reverse("restitution:caseload"), {"as_of": "2026-02-20"})
    row = response.context["table"].data.data[0]
    assert (row.status, row.arrears) == ("late", Decimal("20.00"))  # the CVCF's two $10 installments
    export = client.get(reverse("restitution:caseload"), {"_export": "csv"})
    assert export.status_code == 200
    text = export.content.decode()
    assert "Delinquent" in text and world.supervised.doc_id in text


def test_the_offender_page_shows_obligations_plans_ledger_and_history(world, book, client_for):
    from core.jobs import job_run

    job_run(name="compliance", run_date=dt.date(2026, 6, 15))
    url = reverse("restitution:offender", args=[world.supervised.pk])
    for user in (world.officer, world.supervisor, world.admin, world.auditor):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
    html = response.content.decode()
    for text in ("Obligations", "Payment plans", "Ledger", "Compliance history", book.p1.receipt_number, "Delinquent"):
        assert text in html
    for outsider in (world.officer2, world.officer_d10, world.supervisor_d10, world.staff_jccc):
        assert client_for(outsider).get(url).status_code == 404


def test_records_outside_the_scope_are_404(world, book, client_for):
    urls = [
        reverse("restitution:obligation_detail", args=[book.restitution.pk]),
        reverse("restitution:obligation_history", args=[book.restitution.pk]),
        reverse("restitution:payment_detail", args=[book.p1.pk]),
        reverse("restitution:payment_history", args=[book.p1.pk]),
        reverse("restitution:payment_receipt", args=[book.p1.pk]),
        reverse("restitution:payment_reverse", args=[book.p1.pk]),
        reverse("restitution:plan_add", args=[book.restitution.pk]),
        reverse("restitution:obligation_waive", args=[book.restitution.pk]),
        reverse("restitution:obligation_add", args=[world.supervised.pk]),
        reverse("restitution:payment_add", args=[world.supervised.pk]),
    ]
    for url in urls:
        assert client_for(world.officer_d10).get(url).status_code == 404, url
        assert client_for(world.officer2).get(url).status_code == 404, url
    for url in urls[:4]:
        assert client_for(world.officer).get(url).status_code == 200, url
        assert client_for(world.supervisor).get(url).status_code == 200, url
    # Read-only roles read, but never write.
    assert client_for(world.auditor).get(urls[0]).status_code == 200
    assert client_for(world.auditor).get(urls[-1]).status_code == 404


def test_lists_show_only_what_is_in_scope(world, book, client_for):
    for name in ("obligation_list", "payment_list"):
        mine = client_for(world.officer).get(reverse(f"restitution:{name}"))
        assert mine.context["table"].paginator.count == 2
        theirs = client_for(world.officer_d10).get(reverse(f"restitution:{name}"))
        assert theirs.context["table"].paginator.count == (1 if name == "obligation_list" else 5)
        nobody = client_for(world.officer2).get(reverse(f"restitution:{name}"))
        assert nobody.context["table"].paginator.count == 0


def test_a_double_submitted_payment_form_posts_once(world, book, client_for):
    client = client_for(world.officer)
    url = reverse("restitution:payment_add", args=[world.supervised.pk])
    form = client.get(url).context["form"]
    data = {
        "amount": "75.00",
        "received_on": "2026-06-14",
        "method": "money_order",
        "obligation": "",
        "note": "",
        "idempotency_key": form.initial["idempotency_key"],
    }
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert Payment.objects.filter(offender=world.supervised).count() == 3
    assert "already posted" in second.content.decode()
    payment = Payment.objects.filter(offender=world.supervised).order_by("pk").last()
    assert payment.entered_by == world.officer
    assert first["Location"] == payment.get_absolute_url()


def test_the_payment_form_names_one_obligation_and_refuses_future_dates(world, book, client_for):
    client = client_for(world.officer)
    url = reverse("restitution:payment_add", args=[world.supervised.pk])
    base = {"amount": "10.00", "method": "electronic", "idempotency_key": "form:x1", "note": ""}
    response = client.post(url, {**base, "received_on": "2026-06-16", "obligation": ""})
    assert response.status_code == 200
    assert "future" in response.content.decode()
    client.post(url, {**base, "received_on": "2026-06-15", "obligation": book.cvcf.pk})
    payment = Payment.objects.get(idempotency_key="form:x1")
    assert [a.obligation_id for a in payment.allocations.all()] == [book.cvcf.pk]
    # Someone else's obligation is not a choice.
    response = client.post(
        url, {**base, "idempotency_key": "form:x2", "received_on": "2026-06-15", "obligation": book.other.pk}
    )
    assert "obligation" in response.context["form"].errors


def test_the_receipt_is_a_pdf(world, book, client_for):
    response = client_for(world.officer).get(reverse("restitution:payment_receipt", args=[book.p1.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout.decode()
        assert book.p1.receipt_number in text
        assert "$100.00" in text


def test_reversing_a_payment_through_the_page(world, book, client_for):
    client = client_for(world.officer)
    url = reverse("restitution:payment_reverse", args=[book.p2.pk])
    response = client.post(url, {"reversed_on": "2026-06-15", "reason": "Money order returned"})
    assert response.status_code == 302
    assert PaymentReversal.objects.get().payment == book.p2
    assert client.get(reverse("restitution:payment_detail", args=[book.p2.pk])).context["can_reverse"] is False
    again = client.post(url, {"reversed_on": "2026-06-15", "reason": "Twice"})
    assert "already reversed" in again.content.decode()


def test_adding_an_obligation_with_a_new_payee_and_a_plan(world, book, client_for):
    client = client_for(world.officer)
    url = reverse("restitution:obligation_add", args=[world.supervised.pk])
    case = CourtCaseFactory(offender=world.supervised)
    response = client.post(
        url,
        {
            "case": case.pk,
            "kind": "restitution",
            "new_payee": "Ameren Missouri",
            "ordered_amount": "900.00",
            "ordered_on": "2026-06-01",
            "monthly_amount": "75.00",
            "first_due_on": "2026-07-31",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    o = Obligation.objects.get(case=case)
    assert (o.payee.name, o.plans.get().monthly_amount) == ("Ameren Missouri", Decimal("75.00"))
    # A case of another person is not a choice.
    response = client.post(
        url, {"case": world.case_d10.pk, "kind": "cvcf", "ordered_amount": "46", "ordered_on": "2026-06-01"}
    )
    assert "case" in response.context["form"].errors


def test_a_new_plan_and_a_waiver_through_the_pages(world, book, client_for):
    client = client_for(world.officer)
    response = client.post(
        reverse("restitution:plan_add", args=[book.restitution.pk]),
        {"monthly_amount": "40.00", "first_due_on": "2026-07-01", "note": "Amended"},
    )
    assert response.status_code == 302
    assert book.restitution.plans.count() == 2
    response = client.post(
        reverse("restitution:obligation_waive", args=[book.cvcf.pk]),
        {"waived_on": "2026-06-15", "reference": "Order of Jun 12, 2026"},
    )
    assert response.status_code == 302
    book.cvcf.refresh_from_db()
    assert book.cvcf.status == "waived"


def test_payees_and_disbursements_are_for_victim_services(world, book, client_for):
    victim = book.restitution.payee
    for who in (world.officer, world.supervisor):
        assert client_for(who).get(reverse("restitution:payee_list")).status_code == 404
        assert client_for(who).get(reverse("restitution:payee_detail", args=[victim.pk])).status_code == 404
    client = client_for(world.victims)
    response = client.get(reverse("restitution:payee_list"))
    assert response.status_code == 200
    owed = {p.pk: p.owed for p in response.context["table"].data.data}
    assert owed[victim.pk] == Decimal("200.00")
    response = client.post(
        reverse("restitution:disbursement_add", args=[victim.pk]), {"disbursed_on": "2026-06-15", "reference": "CHK 77"}
    )
    assert response.status_code == 302
    assert Disbursement.objects.get().amount == Decimal("200.00")
    again = client.post(
        reverse("restitution:disbursement_add", args=[victim.pk]), {"disbursed_on": "2026-06-15", "reference": "CHK 78"}
    )
    assert "Nothing is owed" in again.content.decode()
    assert client.get(reverse("restitution:disbursement_list")).status_code == 200
    assert client.get(Disbursement.objects.get().get_absolute_url()).status_code == 200
    assert (
        client_for(world.auditor)
        .post(
            reverse("restitution:disbursement_add", args=[victim.pk]), {"disbursed_on": "2026-06-15", "reference": "X"}
        )
        .status_code
        == 404
    )
    assert Payee.objects.count() >= 2


def test_list_exports_are_audited(world, book, client_for):
    response = client_for(world.officer).get(reverse("restitution:payment_list"), {"_export": "csv"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="export_csv", object_type="restitution.Payment").exists()


def test_statewide_roles_narrow_the_caseload_to_a_district(world, book, client_for):
    response = client_for(world.admin).get(reverse("restitution:caseload"), {"district": world.d10.pk})
    assert names_on(response) == [str(world.supervised_d10.pk)]
    assert 'name="district"' in response.content.decode()
    assert 'name="district"' not in client_for(world.supervisor).get(reverse("restitution:caseload")).content.decode()


def test_an_amended_order_through_the_page(world, book, client_for):
    url = reverse("restitution:obligation_amend", args=[book.restitution.pk])
    assert client_for(world.officer_d10).get(url).status_code == 404  # another district's person
    client = client_for(world.officer)
    page = client.get(book.restitution.get_absolute_url()).content.decode()
    assert url in page  # the button
    form = client.get(url)
    assert form.context["form"].initial["ordered_amount"] == Decimal("1200.00")
    refused = client.post(url, {"ordered_amount": "150.00", "amended_on": "2026-06-10", "reference": "Amended 9"})
    assert refused.status_code == 200
    assert "$200.00 has already been paid to it" in refused.content.decode()
    done = client.post(url, {"ordered_amount": "1500.00", "amended_on": "2026-06-10", "reference": "Amended 9"})
    assert done.status_code == 302
    book.restitution.refresh_from_db()
    assert book.restitution.ordered_amount == Decimal("1500.00")
