"""The ``harvests`` CSV import: a preview with row errors by column, then all or nothing."""

from decimal import Decimal

from core.imports import import_run
from gardens.models import Harvest

HEADER = "facility_code,garden,crop,date,weight_lb,volunteers,volunteer_hours\n"


def test_good_file_previews_then_commits(gw):
    content = HEADER + "JCCC,East garden,Tomatoes,2026-07-01,120.5,4,8\njccc,east garden,kale,2026-07-02,15,,\n"
    preview = import_run(kind="harvests", content=content, user=gw.staff_jccc)
    assert preview.ok and not preview.committed
    assert preview.counts() == {"create": 2}
    assert not Harvest.objects.exists()
    result = import_run(kind="harvests", content=content, user=gw.staff_jccc, commit=True)
    assert result.committed
    assert sorted(Harvest.objects.values_list("weight_lb", flat=True)) == [Decimal("15.0"), Decimal("120.5")]
    assert set(Harvest.objects.values_list("entered_by", flat=True)) == {gw.staff_jccc.pk}


def test_errors_by_column_and_nothing_written(gw):
    content = (
        HEADER
        + "JCCC,East garden,Tomatoes,2026-07-01,120.5,4,8\n"
        + "JCCC,West garden,Tomatoes,2026-07-01,10,,\n"
        + "JCCC,East garden,Dragonfruit,07/01/2026,10.255,,\n"
        + "JCCC,East garden,Tomatoes,2026-07-01,6000,,\n"
        + "XYZ,East garden,Tomatoes,2026-07-01,1,,\n"
    )
    result = import_run(kind="harvests", content=content, user=gw.staff_jccc, commit=True)
    assert not result.committed
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == {}
    assert "no garden named 'West garden'" in errors[3]["garden"][0]
    assert set(errors[4]) == {"crop", "date", "weight_lb"}
    assert "not plausible" in errors[5]["weight_lb"][0]
    assert "No facility has the code" in errors[6]["facility_code"][0]
    assert not Harvest.objects.exists()


def test_staff_cannot_import_for_another_facility(gw):
    content = HEADER + "ACC,North field,Tomatoes,2026-07-01,10,,\n"
    result = import_run(kind="harvests", content=content, user=gw.staff_jccc, commit=True)
    assert not result.committed
    assert result.rows[0].errors["facility_code"] == ["You cannot record harvests for ACC."]
    assert import_run(kind="harvests", content=content, user=gw.admin, commit=True).committed


def test_missing_column_is_a_file_error(gw):
    result = import_run(
        kind="harvests", content="facility_code,garden,crop,date\nJCCC,East garden,Kale,2026-07-01\n", user=gw.admin
    )
    assert result.file_errors == ["Missing column(s): weight_lb, volunteers, volunteer_hours."]


def test_import_pages(gw, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(gw.staff_jccc)
    upload = SimpleUploadedFile("harvests.csv", (HEADER + "JCCC,East garden,Tomatoes,2026-07-01,12.5,2,3\n").encode())
    response = client.post("/imports/", {"kind": "harvests", "file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert b"The 1 row is good" in preview.content
    assert not Harvest.objects.exists()
    client.post(response["Location"])
    assert Harvest.objects.get().weight_lb == Decimal("12.5")


def test_the_same_file_twice_posts_once(gw):
    """Issue 17, item 3: a harvest file imported again duplicated every row."""
    content = (
        HEADER
        + "JCCC,East garden,Tomatoes,2026-07-01,120.5,4,8\n"
        # Two equal weighings of one crop on one day are two harvests.
        + "JCCC,East garden,Kale,2026-07-02,15,,\n"
        + "JCCC,East garden,Kale,2026-07-02,15,,\n"
    )
    first = import_run(kind="harvests", content=content, user=gw.staff_jccc, commit=True)
    assert first.committed and first.counts() == {"create": 3}
    again = import_run(kind="harvests", content=content, user=gw.staff_jccc, commit=True)
    assert again.counts() == {"ignore": 3}
    assert Harvest.objects.count() == 3
    # The same rows written another way (case, a trailing zero) are the same rows.
    recased = HEADER + "jccc,EAST GARDEN,kale,2026-07-02,15.0,0,0\n"
    assert import_run(kind="harvests", content=recased, user=gw.staff_jccc).counts() == {"ignore": 1}
    # One more equal weighing in a later file is a new harvest... only past the ones already posted.
    more = content + "JCCC,East garden,Kale,2026-07-02,15,,\n"
    result = import_run(kind="harvests", content=more, user=gw.staff_jccc, commit=True)
    assert result.counts() == {"ignore": 3, "create": 1}
    assert Harvest.objects.filter(crop__name="Kale").count() == 3


def test_a_harvest_entered_by_hand_is_not_taken_for_an_import(gw):
    from gardens.services import harvest_record

    harvest_record(user=gw.staff_jccc, garden=gw.garden_jccc, crop=gw.greens, date=gw.season.start_date, weight_lb=15)
    content = HEADER + f"JCCC,East garden,Kale,{gw.season.start_date.isoformat()},15,,\n"
    result = import_run(kind="harvests", content=content, user=gw.staff_jccc, commit=True)
    assert result.counts() == {"create": 1}
    assert Harvest.objects.count() == 2
