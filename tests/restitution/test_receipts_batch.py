"""A day's payment receipts as one printable document (issue 10): one receipt a page, each the single
receipt's content, within the user's scope, a constant number of queries, and no victim payee's name."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.registry import registry
from restitution import selectors
from restitution.choices import PayeeKind
from restitution.registrations import RECEIPT_WEIGHT, receipts_count
from tests.factories.restitution import obligation, pay
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db
SLUG = "restitution-receipts"
DAY = dt.date(2026, 6, 10)


def run(client, fmt, **params):
    return client.get(reverse("reports:run", args=[SLUG]), {"format": fmt, **params})


def pdf_pages(content: bytes, tmp_path) -> int:
    import re
    import subprocess

    source = tmp_path / "batch.pdf"
    source.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(source)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


@pytest.fixture
def day(world, frozen):
    restitution = obligation(world.case, amount="900.00", ordered_on=dt.date(2025, 12, 1))
    restitution.payee.kind = PayeeKind.VICTIM
    restitution.payee.name = "Ostrander Victimname"
    restitution.payee.save()
    obligation(world.case_d10, amount="300.00", ordered_on=dt.date(2026, 1, 1))
    mine = [pay(world.supervised, f"{10 + i}.00", DAY, user=world.officer) for i in range(3)]
    theirs = [pay(world.supervised_d10, "25.00", DAY, user=world.officer_d10)]
    pay(world.supervised, "99.00", DAY - dt.timedelta(days=1), user=world.officer)  # another day
    return mine, theirs


def test_one_receipt_a_page_with_each_receipts_content(world, day, client_for, tmp_path):
    mine, theirs = day
    response = run(client_for(world.admin), "pdf", day=DAY.isoformat())
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert pdf_pages(response.content, tmp_path) == 4
    text = pdf_text(response.content, tmp_path)
    for payment in (*mine, *theirs):
        assert f"Payment receipt {payment.receipt_number}" in text
    assert "$10.00" in text and "$25.00" in text and "$99.00" not in text
    assert "Ostrander" not in text  # a victim payee is named by its label, never its name
    assert "Victim payee" in text


def test_an_officer_prints_only_their_peoples_receipts(world, day, client_for, tmp_path):
    mine, theirs = day
    response = run(client_for(world.officer), "pdf", day=DAY.isoformat())
    assert response.status_code == 200
    assert pdf_pages(response.content, tmp_path) == 3
    text = pdf_text(response.content, tmp_path)
    assert theirs[0].receipt_number not in text
    csv = run(client_for(world.officer), "csv", day=DAY.isoformat()).content.decode("utf-8-sig")
    assert all(p.receipt_number in csv for p in mine) and theirs[0].receipt_number not in csv


def test_roles_without_payments_get_no_batch(world, day, client_for):
    for user in (world.staff_jccc, world.boards):
        assert run(client_for(user), "html", day=DAY.isoformat()).status_code == 404


def test_an_empty_day_says_so(world, day, client_for, tmp_path):
    response = run(client_for(world.admin), "pdf", day="2026-06-01")
    assert response.status_code == 200
    assert "No payment was received on Jun 1, 2026" in pdf_text(response.content, tmp_path)


def test_a_bad_date_is_refused_with_a_message(world, day, client_for):
    response = run(client_for(world.admin), "pdf", day="2026-13-45")
    assert response.status_code in (200, 400)
    assert "Enter a valid date" in response.content.decode()
    assert not response.content.startswith(b"%PDF")


def test_the_batch_reads_a_constant_number_of_queries(world, frozen):
    for i in range(2):
        pay(world.supervised, "5.00", DAY, user=world.officer, key=f"a{i}")
    obligation(world.case, amount="900.00", ordered_on=dt.date(2025, 12, 1))
    with CaptureQueriesContext(connection) as few:
        assert len(selectors.receipts_for_day(world.admin, DAY)) == 2
    for i in range(20):
        pay(world.supervised, "5.00", DAY, user=world.officer, key=f"b{i}")
    with CaptureQueriesContext(connection) as many:
        assert len(selectors.receipts_for_day(world.admin, DAY)) == 22
    assert len(few) == len(many)


def test_a_big_day_goes_to_the_background(world, day):
    entry = registry.reports[SLUG]
    assert entry.count is receipts_count
    assert receipts_count(world.admin, {"day": DAY}) == 4 * RECEIPT_WEIGHT


def test_a_long_day_is_laid_out_in_parts_side_by_side_and_joined_in_order(
    world, day, client_for, tmp_path, monkeypatch
):
    from reports import catalog

    mine, theirs = day
    admin = client_for(world.admin)
    whole = run(admin, "pdf", day=DAY.isoformat()).content
    # Four receipts in parts of two, in two processes (a forked child and this one): the same pages.
    monkeypatch.setattr(catalog, "PARTS_FROM", 2)
    monkeypatch.setattr(catalog, "parts_processes", lambda: 2)
    parts = run(admin, "pdf", day=DAY.isoformat()).content
    assert parts.startswith(b"%PDF") and parts != whole
    assert pdf_pages(parts, tmp_path) == 4
    text, whole_text = pdf_text(parts, tmp_path), pdf_text(whole, tmp_path)
    numbers = sorted(p.receipt_number for p in (*mine, *theirs))
    assert [text.index(f"Payment receipt {n}") for n in numbers] == sorted(
        text.index(f"Payment receipt {n}") for n in numbers
    )
    # Page by page the same text, each page's footer naming its receipt.
    assert text.split("\f") == whole_text.split("\f")
    for page, number in zip(text.split("\f"), numbers, strict=False):
        assert page.count(number) >= 2, page  # the heading and the footer
    assert "Ostrander" not in text


def test_parts_are_joined_in_order_whatever_the_processes(tmp_path):
    from core.pdf import render_pdf_parts

    contexts = [{"receipts": [], "day": DAY, "scope_note": f"(part {i})"} for i in range(3)]
    one = render_pdf_parts("restitution/reports/receipts.html", contexts, processes=1)
    three = render_pdf_parts("restitution/reports/receipts.html", contexts, processes=3)
    for content in (one, three):
        text = pdf_text(content, tmp_path)
        assert pdf_pages(content, tmp_path) == 3
        assert text.index("(part 0)") < text.index("(part 1)") < text.index("(part 2)")


def test_a_task_laid_out_side_by_side_may_not_use_the_database():
    from core.models import District
    from core.pdf import side_by_side

    def query():
        return str(District.objects.count()).encode()

    assert side_by_side([lambda: b"first", lambda: b"second"]) == [b"first", b"second"]
    with pytest.raises(RuntimeError, match="failed"):
        side_by_side([query, lambda: b"here"])
    assert District.objects.count() >= 0  # this process's connection still answers
