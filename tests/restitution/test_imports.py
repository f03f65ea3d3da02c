"""CSV imports: obligations, plans, payments and reversals through core's preview and all-or-nothing commit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.imports import import_run
from core.models import CourtCase
from restitution.models import Obligation, Payment, PaymentReversal

pytestmark = pytest.mark.django_db
COURT = "19th Judicial Circuit (Cole County)"


def csv(*lines):
    return "\n".join(lines) + "\n"


OBLIGATIONS = csv(
    "court,case_number,doc_id,kind,payee,ordered_amount,ordered_on,monthly_amount,first_due_on",
    f"{COURT},26AC-CR00001,1000001,other,Cole County Sheriff,75.00,2026-01-10,,",
    f'{COURT},26AC-CR09999,1000001,restitution,Hy-Vee Jefferson City,"1,250.00",2026-02-01,50,2026-03-31',
    f"{COURT},26AC-CR09999,1000001,cvcf,,68.00,2026-02-01,10,2026-03-31",
)


def test_obligations_create_unknown_cases_and_plans_then_a_reimport_changes_nothing(world, frozen):
    result = import_run(kind="obligations", content=OBLIGATIONS, user=world.officer, commit=True)
    assert result.ok, [(r.line, r.errors) for r in result.rows]
    assert result.counts() == {"create": 3}
    new_case = CourtCase.objects.get(case_number="26AC-CR09999")
    assert (new_case.offender, new_case.county) == (world.supervised, "Cole")
    restitution = Obligation.objects.get(case=new_case, kind="restitution")
    assert restitution.ordered_amount == Decimal("1250.00")
    assert restitution.plans.get().first_due_on == dt.date(2026, 3, 31)
    assert Obligation.objects.get(case=new_case, kind="cvcf").payee.kind == "cvcf"
    again = import_run(kind="obligations", content=OBLIGATIONS, user=world.officer, commit=True)
    assert again.ok and again.counts() == {"ignore": 3}
    assert Obligation.objects.count() == 3


def test_obligation_rows_with_errors_reject_the_whole_file(world, frozen):
    content = csv(
        "court,case_number,doc_id,kind,payee,ordered_amount,ordered_on,monthly_amount,first_due_on",
        f"{COURT},26AC-CR00001,1000001,restitution,A Victim,100.00,2026-01-10,,",
        f"{COURT},26GR-CR00002,1000001,restitution,A Victim,100.00,2026-01-10,,",  # world.case_d10's case
        f"{COURT},26AC-CR00003,1000001,cvcf,Somebody,46.00,2026-01-10,,",
        f"{COURT},26AC-CR00004,1000001,fine,X,46.00,2026-01-10,10,",
        f"{COURT},26AC-CR00005,1000002,restitution,X,46.00,2026-01-10,,",  # officer.d10's person
    )
    result = import_run(kind="obligations", content=content, user=world.officer, commit=True)
    assert not result.committed
    errors = {r.line: r.errors for r in result.rows if r.errors}
    assert set(errors) == {3, 4, 5, 6}
    assert "another person" in errors[3]["case_number"][0]
    assert "blank" in errors[4]["payee"][0]
    assert "kind" in errors[5] and "first_due_on" in errors[5]
    assert "cannot update" in errors[6]["doc_id"][0]
    assert Obligation.objects.count() == 0


def test_plans_import(world, book):
    content = csv(
        "court,case_number,kind,monthly_amount,first_due_on",
        f"{COURT},26AC-CR00001,restitution,40.00,2026-07-15",
        f"{COURT},26GR-CR00002,restitution,40.00,2026-07-15",
    )
    result = import_run(kind="plans", content=content, user=world.officer, commit=True)
    assert not result.ok
    assert "cannot update" in result.rows[1].errors["case_number"][0]
    result = import_run(kind="plans", content=content.rsplit("\n", 2)[0] + "\n", user=world.officer, commit=True)
    assert result.committed
    assert book.restitution.plans.filter(replaced_at__isnull=True).count() == 2


def test_payments_import_posts_each_receipt_once(world, book):
    content = csv(
        "receipt_number,doc_id,amount,received_on,method,court,case_number,kind",
        "CLERK-0001,1000001,30.00,2026-06-01,money_order,,,",
        f"CLERK-0002,1000001,12.00,2026-06-02,Cashier's check,{COURT},26AC-CR00001,cvcf",
    )
    result = import_run(kind="payments", content=content, user=world.officer, commit=True)
    assert result.committed, [(r.line, r.errors) for r in result.rows]
    named = Payment.objects.get(receipt_number="CLERK-0002")
    assert [a.obligation_id for a in named.allocations.all()] == [book.cvcf.pk]
    assert named.source == "imported" and named.entered_by == world.officer
    again = import_run(kind="payments", content=content, user=world.officer, commit=True)
    assert again.committed and again.counts() == {"ignore": 2}
    assert Payment.objects.filter(receipt_number__startswith="CLERK").count() == 2
    clash = csv(
        "receipt_number,doc_id,amount,received_on,method,court,case_number,kind",
        "CLERK-0001,1000001,99.00,2026-06-01,money_order,,,",
        "CLERK-0003,1000001,5.00,2026-06-01,barter,,,",
        "CLERK-0004,1000002,5.00,2026-06-01,electronic,,,",
    )
    result = import_run(kind="payments", content=clash, user=world.officer, commit=True)
    errors = {r.line: r.errors for r in result.rows}
    assert "already posted" in errors[2]["receipt_number"][0]
    assert "method" in errors[3]
    assert "cannot update" in errors[4]["doc_id"][0]


def test_reversals_import_and_the_command_line(world, book, tmp_path, capsys):
    path = tmp_path / "reversals.csv"
    path.write_text(
        csv("receipt_number,reversed_on,reason", f"{book.p2.receipt_number},2026-06-10,Returned by the bank")
    )
    with pytest.raises(SystemExit):
        call_command("import_csv", "reversals", str(path), "--user", "officer.d10", "--commit")
    assert not PaymentReversal.objects.exists()
    call_command("import_csv", "reversals", str(path), "--user", "officer.d9", "--commit")
    assert PaymentReversal.objects.get().payment == book.p2
    call_command("import_csv", "reversals", str(path), "--commit")
    assert "1 to ignore" in capsys.readouterr().out
    assert PaymentReversal.objects.count() == 1
