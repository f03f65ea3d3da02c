"""The ``donations`` CSV import: rows with one reference are one donation; the preview refuses what
is not on hand, as the commit would; a file is all or nothing and cannot be imported twice."""

from decimal import Decimal

from core.imports import import_run
from donations.models import Donation, DonationLine

HEADER = "reference,facility_code,date,recipient,county,purpose,crop,weight_lb,item,quantity,acknowledged\n"
GOOD = (
    HEADER
    + "JUL-1,JCCC,2026-07-02,Food Bank for Central & Northeast Missouri,Boone,distribution,Tomatoes,100,,,yes\n"
    + "JUL-1,JCCC,2026-07-02,Food Bank for Central & Northeast Missouri,Boone,distribution,Kale,20.5,,,yes\n"
    + "JUL-1,JCCC,2026-07-02,Food Bank for Central & Northeast Missouri,Boone,distribution,,,Quilt,3,yes\n"
    + ",JCCC,2026-07-03,Samaritan Center Food Pantry,,,Tomatoes,50,,,\n"
)


def test_preview_then_commit_groups_lines_by_reference(stocked):
    preview = import_run(kind="donations", content=GOOD, user=stocked.staff_jccc)
    assert preview.ok, [r.errors for r in preview.rows]
    assert preview.counts() == {"create": 2, "include": 2}
    assert not Donation.objects.exists()
    result = import_run(kind="donations", content=GOOD, user=stocked.staff_jccc, commit=True)
    assert result.committed
    first = Donation.objects.get(reference="JUL-1")
    assert first.acknowledged and first.lines.count() == 3
    assert Donation.objects.count() == 2
    assert sum(line.weight_lb or 0 for line in DonationLine.objects.all()) == Decimal("170.5")


def test_importing_the_same_file_twice_is_refused(stocked):
    assert import_run(kind="donations", content=GOOD, user=stocked.staff_jccc, commit=True).committed
    again = import_run(kind="donations", content=GOOD, user=stocked.staff_jccc, commit=True)
    assert not again.committed
    assert "already has a donation with the reference 'JUL-1'" in again.rows[0].errors["reference"][0]
    assert Donation.objects.count() == 2


def test_more_than_on_hand_fails_in_the_preview_and_nothing_is_written(stocked):
    content = GOOD + ",JCCC,2026-07-04,Samaritan Center Food Pantry,,,Tomatoes,60,,,\n"
    preview = import_run(kind="donations", content=content, user=stocked.staff_jccc)
    assert not preview.ok
    bad = preview.rows[-1]
    assert "Tomatoes: 60.0 lb asked for, but only 50.0 lb" in bad.row_errors[0]
    assert import_run(kind="donations", content=content, user=stocked.staff_jccc, commit=True).committed is False
    assert not Donation.objects.exists()


def test_row_errors_by_column(stocked):
    content = (
        HEADER
        + "A,JCCC,2026-07-02,Nobody,,,Tomatoes,10,,,\n"
        + "B,JCCC,2026-07-02,Samaritan Center Food Pantry,,gift,Tomatoes,10,Quilt,1,maybe\n"
        + "C,ACC,2026-07-02,Samaritan Center Food Pantry,,,Zucchini,10,,,\n"
        + "D,JCCC,2026-13-02,Samaritan Center Food Pantry,,,Tomatoes,ten,,,\n"
        + "E,JCCC,2026-07-02,Samaritan Center Food Pantry,,,Tomatoes,1,,,\n"
        + "E,JCCC,2026-07-05,Samaritan Center Food Pantry,,,Kale,1,,,\n"
    )
    result = import_run(kind="donations", content=content, user=stocked.staff_jccc)
    errors = [r.errors for r in result.rows]
    assert "No active organization is named 'Nobody'" in errors[0]["recipient"][0]
    assert set(errors[1]) == {"purpose", "acknowledged", "crop"}
    assert errors[2]["facility_code"] == ["You cannot record donations for ACC."]
    assert set(errors[3]) == {"date", "weight_lb"}
    assert errors[4] == {}
    assert "same reference with another date" in errors[5]["__row__"][0]
    assert not Donation.objects.exists()
