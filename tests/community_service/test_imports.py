"""The ``cs_orders`` and ``cs_hours`` imports: errors under their columns, nothing written; hours credited
only with a verifier named; the same file again posts orders once."""

from decimal import Decimal

import pytest

from community_service.models import HourLog, Order
from core.imports import import_run

pytestmark = pytest.mark.django_db

ORDERS = "doc_id,court,case_number,hours_ordered,ordered_on,due_on,source,fine_rate,minors_barred\n"
HOURS = "doc_id,case_number,agency_ein,date,start_time,end_time,hours,task,verified_by\n"


def test_orders_import_and_post_once(world, cs):
    row = f"1000001,{world.case.court},{world.case.case_number},25,2026-02-01,2026-08-01,fine,12.50,yes\n"
    content = ORDERS + row.replace(world.case.court, f'"{world.case.court}"')
    before = Order.objects.count()
    result = import_run(kind="cs_orders", content=content, user=world.officer, commit=True)
    assert result.committed, [r.errors for r in result.rows]
    order = Order.objects.latest("pk")
    assert (order.hours_ordered, order.source, order.fine_rate, order.minors_barred) == (
        Decimal("25.00"),
        "fine",
        Decimal("12.50"),
        True,
    )
    again = import_run(kind="cs_orders", content=content, user=world.officer, commit=True)
    assert again.counts() == {"ignore": 1}
    assert Order.objects.count() == before + 1


def test_bad_orders_are_refused_by_column(world, cs):
    court = f'"{world.case.court}"'
    content = (
        ORDERS
        + f"9999999,{court},{world.case.case_number},25,2026-02-01,2026-08-01,,,\n"
        + f"1000001,{court},NOPE-1,25,2026-02-01,2026-08-01,,,\n"
        + f"1000001,{court},{world.case.case_number},2.555,01/02/2026,2026-01-01,court,5,maybe\n"
        + f"1000001,{court},{world.case.case_number},26,2026-02-01,2026-01-01,court,,\n"
    )
    before = Order.objects.count()
    result = import_run(kind="cs_orders", content=content, user=world.admin, commit=True)
    assert not result.committed
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == {"doc_id": ["No person has the DOC ID '9999999'."]}
    assert "has no case NOPE-1" in errors[3]["case_number"][0]
    assert set(errors[4]) == {"hours_ordered", "ordered_on", "minors_barred"}
    assert errors[5] == {"due_on": ["The due date must be after the order date."]}
    assert Order.objects.count() == before


def test_hours_are_credited_only_with_a_verifier_named(world, cs):
    ein = cs.agency.ein
    case = world.case.case_number
    content = (
        HOURS
        + f"1000001,{case},{ein},2026-06-01,08:00,12:00,,Sorting,Dana Ruiz\n"
        + f"1000001,{case},{ein},2026-06-02,,,3.5,Sorting,\n"
    )
    result = import_run(kind="cs_hours", content=content, user=world.officer, commit=True)
    assert result.committed, [r.errors for r in result.rows]
    logs = list(
        HourLog.objects.order_by("date").values_list("hours", "credited_hours", "verification", "decided_by_name")
    )
    assert logs == [
        (Decimal("4.00"), Decimal("4.00"), "verified", "Dana Ruiz"),
        (Decimal("3.50"), Decimal("0.00"), "pending", ""),
    ]
    assert set(HourLog.objects.values_list("source", flat=True)) == {"imported"}


def test_bad_hours_are_refused_by_column_and_nothing_written(world, cs):
    ein = cs.agency.ein
    case = world.case.case_number
    content = (
        HOURS
        + f"1000001,{case},{ein},2026-06-01,08:00,12:00,,Sorting,Dana Ruiz\n"
        + f"1000001,{case},{ein},2026-06-01,11:00,13:00,,Sorting,\n"  # overlaps the row above
        + f"1000001,{case},00-0000000,2026-06-03,,,2,Sorting,\n"
        + f"1000001,OTHER-1,{ein},2026-06-03,,,2,Sorting,\n"
        + f"1000001,{case},{ein},2026-01-15,,,2,Sorting,\n"  # before the placement
        + f"1000002,{world.case_d10.case_number},{ein},2026-06-03,,,2,Sorting,\n"  # officer.d10's person
        + f"1000001,{case},{ein},2026-06-04,,,17,Sorting,\n"
    )
    result = import_run(kind="cs_hours", content=content, user=world.officer, commit=True)
    assert not result.committed
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == {}
    assert "overlap" in errors[3]["start_time"][0]
    assert "is not placed at the agency with EIN 00-0000000" in errors[4]["agency_ein"][0]
    assert "has no open order on case OTHER-1" in errors[5]["case_number"][0]
    assert "does not cover Jan 15, 2026" in errors[6]["agency_ein"][0]
    assert errors[7]
    assert errors[8] == {"hours": ["At most 16 hours can be logged for one day."]}
    assert not HourLog.objects.exists()
