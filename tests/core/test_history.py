"""Every change made through the pages is kept with who made it, and the History tab shows it."""

import re

import pytest
from django.urls import reverse

from core.choices import Region
from core.models import OrganizationKind, User
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _facility_post(facility, **changes):
    data = {
        "name": facility.name,
        "code": facility.code,
        "town": facility.town,
        "kind": facility.kind,
        "region": facility.region,
        "district": facility.district_id or "",
        "active": "on" if facility.active else "",
    }
    data.update(changes)
    return data


def _offender_post(offender, **changes):
    data = {
        "doc_id": offender.doc_id,
        "last_name": offender.last_name,
        "first_name": offender.first_name,
        "date_of_birth": offender.date_of_birth.isoformat(),
        "status": offender.status,
        "facility": offender.facility_id or "",
        "district": offender.district_id or "",
        "supervising_officer": offender.supervising_officer_id or "",
        "supervision_end_date": offender.supervision_end_date.isoformat() if offender.supervision_end_date else "",
    }
    data.update(changes)
    return data


def _text(response):
    """The page as text, tags removed and spaces collapsed, to read what a person reads."""
    html = response.content.decode()
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def _change_lines(response):
    """Each change as the page shows it, as text: field, old value, new value (wording may vary)."""
    html = response.content.decode()
    lists = re.findall(r'<ul class="[^"]*history-change[^"]*">(.*?)</ul>', html, re.S)
    items = [li for block in lists for li in re.findall(r"<li>(.*?)</li>", block, re.S)]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", li)).strip() for li in items]


def _shows_change(response, field, old, new):
    pattern = re.compile(rf"^{re.escape(field)}\b.*{re.escape(old)}.*{re.escape(new)}")
    return any(pattern.search(line) for line in _change_lines(response))


def _history_rows(response):
    return response.context["page_obj"].object_list


def test_facility_edit_records_history_with_user(world, client_for):
    facility = world.jccc
    client = client_for(world.admin)
    response = client.post(
        reverse("core:facility_edit", args=[facility.pk]),
        _facility_post(facility, town="Fulton", region=Region.NORTHEAST),
    )
    assert response.status_code == 302
    latest = facility.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == world.admin
    assert latest.town == "Fulton"
    assert facility.history.count() == 2


def test_facility_history_tab_shows_who_changed_what(world, client_for):
    facility = world.jccc
    client = client_for(world.admin)
    client.post(
        reverse("core:facility_edit", args=[facility.pk]),
        _facility_post(facility, town="Fulton", region=Region.NORTHEAST, district=world.d9.pk),
    )
    response = client.get(reverse("core:facility_history", args=[facility.pk]))
    assert response.status_code == 200
    newest = _history_rows(response)[0]
    assert newest["type"] == "Changed"
    assert newest["user"] == world.admin
    changes = {c["field"]: (c["old"], c["new"]) for c in newest["changes"]}
    assert changes["Town"] == ("Jefferson City", "Fulton")
    assert changes["Region"] == ("Central", "Northeast")  # choices shown by their label
    assert changes["District"] == ("—", "District 9 (Jefferson City)")  # a foreign key shown by its name
    assert "Name" not in changes  # unchanged fields are not listed
    text = _text(response)
    assert str(world.admin) in text
    assert _shows_change(response, "Town", "Jefferson City", "Fulton")
    assert _shows_change(response, "District", "—", "District 9 (Jefferson City)")
    # the first version is the creation, by the system (the factory ran outside a request)
    created = _history_rows(response)[-1]
    assert created["type"] == "Created"
    assert created["user"] is None
    assert "System" in text


def test_offender_edit_records_history_with_officer_names(world, client_for):
    offender = world.supervised
    client = client_for(world.supervisor)
    response = client.post(
        reverse("core:offender_edit", args=[offender.pk]),
        _offender_post(offender, supervising_officer=world.officer2.pk, last_name="Renamed"),
    )
    assert response.status_code == 302
    latest = offender.history.latest()
    assert latest.history_user == world.supervisor
    assert latest.supervising_officer_id == world.officer2.pk

    response = client.get(reverse("core:offender_history", args=[offender.pk]))
    assert response.status_code == 200
    newest = _history_rows(response)[0]
    assert newest["user"] == world.supervisor
    changes = {c["field"]: (c["old"], c["new"]) for c in newest["changes"]}
    assert changes["Supervising officer"] == (str(world.officer), str(world.officer2))
    assert changes["Last name"][1] == "Renamed"
    text = _text(response)
    assert _shows_change(response, "Supervising officer", str(world.officer), str(world.officer2))
    assert f"#{world.officer2.pk}" not in text


def test_history_lists_newest_first_with_each_editor(world, client_for):
    offender = world.supervised
    client_for(world.officer).post(
        reverse("core:offender_edit", args=[offender.pk]), _offender_post(offender, first_name="First")
    )
    offender.refresh_from_db()
    client = client_for(world.supervisor)
    client.post(reverse("core:offender_edit", args=[offender.pk]), _offender_post(offender, first_name="Second"))
    rows = _history_rows(client.get(reverse("core:offender_history", args=[offender.pk])))
    assert [r["user"] for r in rows[:2]] == [world.supervisor, world.officer]
    assert [r["type"] for r in rows] == ["Changed", "Changed", "Created"]
    assert rows[0]["changes"] == [{"field": "First name", "old": "First", "new": "Second"}]


def test_save_without_change_shows_no_field_changed(world, client_for):
    facility = world.acc
    client = client_for(world.admin)
    client.post(reverse("core:facility_edit", args=[facility.pk]), _facility_post(facility))
    response = client.get(reverse("core:facility_history", args=[facility.pk]))
    assert _history_rows(response)[0]["changes"] == []
    assert "No field changed" in response.content.decode()


def test_organization_kinds_change_shows_kind_names(db, client_for):
    admin = User.objects.create_user("hist.admin", role="administrator", first_name="Ada", last_name="Admin")
    org = OrganizationFactory(name="Grace Church", kinds=["church"])
    kinds = list(OrganizationKind.objects.filter(code__in=["church", "food_pantry"]).values_list("pk", flat=True))
    client = client_for(admin)
    response = client.post(
        reverse("core:organization_edit", args=[org.pk]),
        {"name": org.name, "kinds": kinds, "county": org.county, "town": org.town, "active": "on"},
    )
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(reverse("core:organization_history", args=[org.pk]))
    rows = _history_rows(page)
    changes = {c["field"]: (c["old"], c["new"]) for c in rows[0]["changes"]}
    assert rows[0]["user"] == admin
    assert changes["Kinds"] == ("Church", "Church, Food pantry")
    assert _shows_change(page, "Kinds", "Church", "Church, Food pantry")
    assert "organizationkind" not in page.content.decode()


@pytest.mark.parametrize("who", ["officer_d10", "officer2", "staff_acc", "supervisor_d10"])
def test_history_of_out_of_scope_offender_is_404(world, client_for, who):
    response = client_for(getattr(world, who)).get(reverse("core:offender_history", args=[world.supervised.pk]))
    assert response.status_code == 404


def test_history_of_out_of_scope_records_is_404(world, client_for):
    assert client_for(world.staff_acc).get(reverse("core:facility_history", args=[world.jccc.pk])).status_code == 404
    assert client_for(world.officer_d10).get(reverse("core:courtcase_history", args=[world.case.pk])).status_code == 404
    assert client_for(world.officer_d10).get(reverse("core:user_history", args=[world.officer.pk])).status_code == 404


def test_auditor_reads_history_of_every_record(world, client_for):
    client = client_for(world.auditor)
    for name, record in (("offender", world.supervised_d10), ("facility", world.acc), ("user", world.officer)):
        response = client.get(reverse(f"core:{name}_history", args=[record.pk]))
        assert response.status_code == 200
        assert _history_rows(response), name


def test_user_history_shows_facility_assignment(world, client_for):
    client = client_for(world.admin)
    staff = world.staff_acc
    response = client.post(
        reverse("core:user_edit", args=[staff.pk]),
        {
            "username": staff.username,
            "first_name": staff.first_name,
            "last_name": staff.last_name,
            "email": staff.email,
            "role": staff.role,
            "facilities": [world.acc.pk, world.jccc.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rows = _history_rows(client.get(reverse("core:user_history", args=[staff.pk])))
    assert rows[0]["user"] == world.admin
    changes = {c["field"]: (c["old"], c["new"]) for c in rows[0]["changes"]}
    assert changes["Facilities"] == (str(world.acc), f"{world.acc}, {world.jccc}")
    fields = {c["field"] for row in rows for c in row["changes"]}
    assert "Password" not in fields  # the hash is never kept in history
    assert "Last login" not in fields
