"""Scope through the web pages: the owner, the supervisor and an outsider for every core page.

Out of scope is a 404 on detail, edit and history, and the record is absent from the list and
from its CSV and XLSX exports.
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from core.choices import OffenderStatus, Role
from core.models import Alert, CourtCase, Offender
from tests.factories import OffenderFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = ("facility", "district", "organization", "offender", "courtcase", "user")


@pytest.fixture
def scope_world(world):
    """The shared world plus a partner organization and a signed-up user who has no role yet."""
    world.org = OrganizationFactory(name="Samaritan Center Food Pantry", kinds=["food_pantry"])
    world.norole = UserFactory(username="newcomer", role="")
    return world


# model, record attribute, text that identifies the record in a list or an export
RECORDS = {
    "facility": ("jccc", "Jefferson City Correctional Center"),
    "district": ("d9", "Jefferson City"),
    "organization": ("org", "Samaritan Center Food Pantry"),
    "offender": ("supervised", "1000001"),
    "courtcase": ("case", "26AC-CR00001"),
    "user": ("officer", "officer.d9"),
}

FULL, READ, NONE = "full", "read", "none"

# (model, user attribute, what that user may do with the record in RECORDS)
SCOPE_MATRIX = [
    ("facility", "staff_jccc", READ),  # works there
    ("facility", "admin", FULL),
    ("facility", "officer", READ),  # facilities are statewide reference data for district roles
    ("facility", "staff_acc", NONE),  # works in another facility
    ("district", "officer", READ),
    ("district", "supervisor", READ),
    ("district", "admin", FULL),
    ("district", "norole", NONE),
    ("organization", "staff_jccc", READ),
    ("organization", "admin", FULL),
    ("organization", "norole", NONE),
    ("offender", "officer", FULL),  # the supervising officer
    ("offender", "supervisor", FULL),  # supervisor of the district
    ("offender", "admin", FULL),
    ("offender", "auditor", READ),
    ("offender", "victims", READ),
    ("offender", "boards", READ),
    ("offender", "officer_d10", NONE),  # an officer of another district
    ("offender", "supervisor_d10", NONE),
    ("offender", "officer2", NONE),  # an officer of the same district, not their caseload
    ("offender", "staff_acc", NONE),
    ("offender", "staff_jccc", NONE),
    ("courtcase", "officer", FULL),
    ("courtcase", "supervisor", FULL),
    ("courtcase", "admin", FULL),
    ("courtcase", "auditor", READ),
    ("courtcase", "officer_d10", NONE),
    ("courtcase", "staff_acc", NONE),
    ("user", "officer", READ),  # their own page
    ("user", "supervisor", READ),  # staff of their district
    ("user", "admin", FULL),
    ("user", "auditor", READ),
    ("user", "officer_d10", NONE),
    ("user", "supervisor_d10", NONE),
    ("user", "staff_acc", NONE),
]


def _export_text(response, fmt):
    if fmt == "csv":
        return response.content.decode("utf-8")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(
        " ".join(str(cell) for cell in row if cell is not None)
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize(("model", "who", "allowed"), SCOPE_MATRIX)
def test_record_pages_follow_scope(scope_world, client_for, model, who, allowed):
    attr, _text = RECORDS[model]
    record = getattr(scope_world, attr)
    client = client_for(getattr(scope_world, who))
    expected_read = 404 if allowed == NONE else 200
    expected_edit = 200 if allowed == FULL else 404
    detail = client.get(reverse(f"core:{model}_detail", args=[record.pk]))
    assert detail.status_code == expected_read
    assert client.get(reverse(f"core:{model}_history", args=[record.pk])).status_code == expected_read
    assert client.get(reverse(f"core:{model}_edit", args=[record.pk])).status_code == expected_edit
    if allowed != NONE:
        assert str(record) in detail.content.decode()
        edit_link = f'href="{reverse(f"core:{model}_edit", args=[record.pk])}"'
        assert (edit_link in detail.content.decode()) == (allowed == FULL)


@pytest.mark.parametrize(("model", "who", "allowed"), SCOPE_MATRIX)
def test_lists_and_exports_follow_scope(scope_world, client_for, model, who, allowed):
    attr, text = RECORDS[model]
    record = getattr(scope_world, attr)
    client = client_for(getattr(scope_world, who))
    url = reverse(f"core:{model}_list")
    page = client.get(url)
    assert page.status_code == 200
    link = f'href="{record.get_absolute_url()}"'
    assert (link in page.content.decode()) == (allowed != NONE)
    for fmt in ("csv", "xlsx"):
        export = client.get(url, {"_export": fmt})
        assert export.status_code == 200
        assert "attachment" in export["Content-Disposition"]
        assert (text in _export_text(export, fmt)) == (allowed != NONE), fmt


def test_officer_gets_404_on_offender_of_another_district(world, client_for):
    client = client_for(world.officer)
    for name in ("detail", "edit", "history"):
        response = client.get(reverse(f"core:offender_{name}", args=[world.supervised_d10.pk]))
        assert response.status_code == 404, name
    # and the 404 does not tell them more than a missing record would
    missing = client.get(reverse("core:offender_detail", args=[999999]))
    assert missing.status_code == 404


def test_offender_list_filters_cannot_widen_scope(world, client_for):
    """Asking the list for another district's rows gives no rows, not the rows."""
    client = client_for(world.officer)
    page = client.get(reverse("core:offender_list"), {"district": world.d10.pk})
    assert "1000002" not in page.content.decode()
    export = client.get(reverse("core:offender_list"), {"q": "1000002", "_export": "csv"})
    assert "1000002" not in export.content.decode()
    assert export.content.decode().count("\n") == 1  # the header row only


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
    data.update({k: ("" if v is None else v) for k, v in changes.items()})
    return data


def test_officer_moving_offender_to_another_district_is_refused(world, client_for):
    offender = world.supervised
    history_before = offender.history.count()
    client = client_for(world.officer)
    response = client.post(
        reverse("core:offender_edit", args=[offender.pk]), _offender_post(offender, district=world.d10.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    offender.refresh_from_db()
    assert offender.district_id == world.d9.pk
    assert offender.supervising_officer_id == world.officer.pk
    assert offender.history.count() == history_before


def test_supervisor_edit_out_of_scope_is_rolled_back(world, client_for):
    """Valid on its own, but the saved record would leave district 9: nothing is kept."""
    offender = world.supervised
    history_before = offender.history.count()
    client = client_for(world.supervisor)
    response = client.post(
        reverse("core:offender_edit", args=[offender.pk]),
        _offender_post(offender, district=world.d10.pk, supervising_officer=None, last_name="Moved"),
    )
    assert response.status_code == 200
    assert "outside your scope" in response.content.decode()
    offender.refresh_from_db()
    assert offender.district_id == world.d9.pk
    assert offender.last_name != "Moved"
    assert offender.history.count() == history_before


def test_supervisor_reassigns_caseload_inside_district(world, client_for):
    offender = world.supervised
    client = client_for(world.supervisor)
    response = client.post(
        reverse("core:offender_edit", args=[offender.pk]),
        _offender_post(offender, supervising_officer=world.officer2.pk),
    )
    assert response.status_code == 302
    offender.refresh_from_db()
    assert offender.supervising_officer_id == world.officer2.pk
    # officer.d9 lost the case: it is now out of their scope
    assert client_for(world.officer).get(offender.get_absolute_url()).status_code == 404


def test_officer_cannot_add_offender_outside_caseload(world, client_for):
    client = client_for(world.officer)
    data = _offender_post(OffenderFactory.build(doc_id="1000099", district=world.d10), supervising_officer=None)
    response = client.post(reverse("core:offender_add"), data)
    assert response.status_code == 200
    assert "outside your scope" in response.content.decode()
    assert not Offender.objects.filter(doc_id="1000099").exists()


def test_officer_adds_offender_to_own_caseload(world, client_for):
    client = client_for(world.officer)
    data = _offender_post(
        OffenderFactory.build(doc_id="1000098", district=world.d9), supervising_officer=world.officer.pk
    )
    response = client.post(reverse("core:offender_add"), data)
    assert response.status_code == 302
    created = Offender.objects.get(doc_id="1000098")
    assert response["Location"] == created.get_absolute_url()
    assert created.supervising_officer == world.officer


def test_officer_cannot_pick_another_officer_by_forged_post(world, client_for):
    offender = world.supervised
    client = client_for(world.officer)
    response = client.post(
        reverse("core:offender_edit", args=[offender.pk]),
        _offender_post(offender, supervising_officer=world.officer_d10.pk),
    )
    assert response.status_code == 200
    assert "supervising_officer" in response.context["form"].errors
    offender.refresh_from_db()
    assert offender.supervising_officer_id == world.officer.pk


def _choices(response, field):
    return {str(value) for value, _label in response.context["form"].fields[field].choices if value != ""}


def test_officer_form_offers_only_in_scope_officers(world, client_for):
    response = client_for(world.officer).get(reverse("core:offender_edit", args=[world.supervised.pk]))
    assert _choices(response, "supervising_officer") == {str(world.officer.pk)}


def test_supervisor_form_offers_officers_of_their_district(world, client_for):
    response = client_for(world.supervisor).get(reverse("core:offender_edit", args=[world.supervised.pk]))
    assert _choices(response, "supervising_officer") == {
        str(world.officer.pk),
        str(world.officer2.pk),
        str(world.supervisor.pk),
    }
    html = response.content.decode()
    assert f'value="{world.officer_d10.pk}"' not in html.split('name="supervising_officer"')[1].split("</select>")[0]


def test_court_case_form_offers_only_in_scope_offenders(world, client_for):
    response = client_for(world.officer).get(reverse("core:courtcase_add"))
    assert response.status_code == 200
    assert _choices(response, "offender") == {str(world.supervised.pk)}


def test_offender_list_filter_offers_only_in_scope_officers(world, client_for):
    response = client_for(world.supervisor).get(reverse("core:offender_list"))
    officers = {str(u.pk) for u in response.context["filter"].form.fields["supervising_officer"].queryset}
    assert officers == {str(world.officer.pk), str(world.officer2.pk), str(world.supervisor.pk)}


@pytest.mark.parametrize("who", ["auditor", "victims"])
def test_read_only_roles_get_no_edit_button_and_404_on_edit(world, client_for, who):
    client = client_for(getattr(world, who))
    records = [("offender", world.supervised), ("courtcase", world.case), ("facility", world.jccc)]
    for model, record in records:
        detail = client.get(reverse(f"core:{model}_detail", args=[record.pk]))
        assert detail.status_code == 200
        assert detail.context["can_change"] is False
        assert reverse(f"core:{model}_edit", args=[record.pk]) not in detail.content.decode()
        assert client.get(reverse(f"core:{model}_edit", args=[record.pk])).status_code == 404
    # and no "Add a court case" button on the offender page
    page = client.get(world.supervised.get_absolute_url()).content.decode()
    assert reverse("core:courtcase_add") not in page


@pytest.mark.parametrize("who", ["auditor", "victims"])
def test_read_only_roles_post_to_edit_changes_nothing(world, client_for, who):
    offender = world.supervised
    response = client_for(getattr(world, who)).post(
        reverse("core:offender_edit", args=[offender.pk]), _offender_post(offender, last_name="Changed")
    )
    assert response.status_code == 404
    offender.refresh_from_db()
    assert offender.last_name != "Changed"


ADDERS = {
    "facility": {"admin"},
    "district": {"admin"},
    "organization": {"admin", "staff_jccc"},
    "offender": {"admin", "officer", "supervisor"},
    "courtcase": {"admin", "officer", "supervisor"},
    "user": {"admin"},
}


@pytest.mark.parametrize("model", MODELS)
def test_add_pages_only_for_roles_that_add(world, client_for, model):
    for who in ("admin", "auditor", "victims", "staff_jccc", "officer", "supervisor", "boards"):
        client = client_for(getattr(world, who))
        response = client.get(reverse(f"core:{model}_add"))
        expected = 200 if who in ADDERS[model] else 403
        assert response.status_code == expected, who
        listing = client.get(reverse(f"core:{model}_list")).content.decode()
        assert (f'href="{reverse(f"core:{model}_add")}"' in listing) == (who in ADDERS[model]), who


def _all_urls(world):
    urls = [reverse("core:dashboard"), reverse("core:alert_list"), reverse("core:jobrun_list")]
    for model, (attr, _text) in RECORDS.items():
        pk = getattr(world, attr).pk
        urls += [
            reverse(f"core:{model}_list"),
            reverse(f"core:{model}_add"),
            reverse(f"core:{model}_detail", args=[pk]),
            reverse(f"core:{model}_edit", args=[pk]),
            reverse(f"core:{model}_history", args=[pk]),
        ]
    return urls


def test_anonymous_users_are_sent_to_sign_in(scope_world, client):
    for url in _all_urls(scope_world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    response = client.get(reverse("core:offender_list"), {"_export": "csv"})
    assert response.status_code == 302
    assert b"1000001" not in response.content


def test_anonymous_post_changes_nothing(world, client):
    offender = world.supervised
    response = client.post(reverse("core:offender_edit", args=[offender.pk]), _offender_post(offender, last_name="X"))
    assert response.status_code == 302
    offender.refresh_from_db()
    assert offender.last_name != "X"


def test_inactive_user_is_treated_as_signed_out(world, client_for):
    client = client_for(world.admin)
    world.admin.is_active = False
    world.admin.save()
    response = client.get(reverse("core:offender_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Dashboards --------------------------------------------------------------------------------------
ROLES = ["admin", "auditor", "victims", "staff_jccc", "staff_acc", "officer", "officer_d10", "supervisor", "boards"]


@pytest.mark.parametrize("who", ROLES)
def test_dashboard_opens_for_every_role(world, client_for, who):
    user = getattr(world, who)
    response = client_for(user).get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert response.context["role"] == user.role
    assert Role(user.role).label in response.content.decode()


def _cards(response):
    return {label: value for label, value, _url in response.context["cards"]}


def test_officer_dashboard_counts_only_own_caseload(world, client_for):
    OffenderFactory(district=world.d9, supervising_officer=world.officer2)  # a colleague's case
    response = client_for(world.officer).get(reverse("core:dashboard"))
    assert _cards(response)["My caseload"] == 1
    response = client_for(world.officer_d10).get(reverse("core:dashboard"))
    assert _cards(response)["My caseload"] == 1


def test_supervisor_dashboard_shows_only_their_district(world, client_for):
    OffenderFactory(district=world.d9, supervising_officer=world.officer2)
    response = client_for(world.supervisor).get(reverse("core:dashboard"))
    assert _cards(response)["Supervised in my district"] == 2
    officers = {o.pk: o.caseload_count for o in response.context["officers"]}
    assert officers == {world.officer.pk: 1, world.officer2.pk: 1, world.supervisor.pk: 0}
    assert str(world.officer_d10) not in response.content.decode()


def test_facility_staff_dashboard_shows_only_their_facilities(world, client_for):
    response = client_for(world.staff_jccc).get(reverse("core:dashboard"))
    facilities = {f.pk: f.incarcerated for f in response.context["facilities"]}
    assert facilities == {world.jccc.pk: 1}
    response = client_for(world.staff_acc).get(reverse("core:dashboard"))
    assert [f.pk for f in response.context["facilities"]] == [world.acc.pk]
    assert "Jefferson City Correctional Center" not in response.content.decode()


def test_admin_and_auditor_dashboards_count_statewide(world, client_for):
    for who in ("admin", "auditor"):
        cards = _cards(client_for(getattr(world, who)).get(reverse("core:dashboard")))
        assert cards["Supervised"] == 2
        assert cards["Incarcerated"] == 1
        assert cards["Facilities"] == 2


def test_victim_services_dashboard_counts_statewide(world, client_for):
    cards = _cards(client_for(world.victims).get(reverse("core:dashboard")))
    assert cards["Offenders statewide"] == 3


def test_dashboard_shows_only_own_alerts(world, client_for):
    Alert.objects.create(user=world.officer, title="Payment is late for 1000001", key="k1")
    Alert.objects.create(user=world.officer_d10, title="Payment is late for 1000002", key="k2")
    html = client_for(world.officer).get(reverse("core:dashboard")).content.decode()
    assert "Payment is late for 1000001" in html
    assert "Payment is late for 1000002" not in html


# Alerts ------------------------------------------------------------------------------------------
def test_alert_list_shows_only_own_alerts(world, client_for):
    mine = Alert.objects.create(user=world.officer, title="Mine to read", key="a")
    Alert.objects.create(user=world.supervisor, title="The supervisor's", key="b")
    response = client_for(world.officer).get(reverse("core:alert_list"))
    assert list(response.context["object_list"]) == [mine]
    assert "The supervisor&#x27;s" not in response.content.decode()
    assert "The supervisor's" not in response.content.decode()


def test_marking_alerts_read_touches_only_own_alerts(world, client_for):
    mine = Alert.objects.create(user=world.officer, title="Mine", key="a")
    theirs = Alert.objects.create(user=world.officer_d10, title="Theirs", key="b")
    client = client_for(world.officer)
    response = client.post(reverse("core:alert_list"), {"alert": [mine.pk, theirs.pk]})
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None
    # "mark all" from someone else does not touch them either
    client_for(world.supervisor).post(reverse("core:alert_list"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


# Jobs --------------------------------------------------------------------------------------------
def test_job_runs_are_for_administrators_and_auditors(world, client_for):
    from core.models import JobRun

    JobRun.objects.create(job="compliance_snapshot", run_date=dt.date(2026, 1, 5))
    for who, expected in (("admin", 200), ("auditor", 200), ("officer", 404), ("staff_jccc", 404), ("victims", 404)):
        response = client_for(getattr(world, who)).get(reverse("core:jobrun_list"))
        assert response.status_code == expected, who
        if expected == 200:
            assert "compliance_snapshot" in response.content.decode()
    export = client_for(world.supervisor).get(reverse("core:jobrun_list"), {"_export": "csv"})
    assert export.status_code == 404


def test_auditor_cannot_queue_a_job(world, client_for):
    from core.models import JobRun

    response = client_for(world.auditor).post(
        reverse("core:jobrun_list"), {"job": "compliance_snapshot", "run_date": "2026-01-05"}
    )
    assert response.status_code in (403, 405)  # refused, whichever way the view says it
    assert not JobRun.objects.exists()


def test_court_case_of_other_district_not_addable_by_forged_post(world, client_for):
    client = client_for(world.officer)
    response = client.post(
        reverse("core:courtcase_add"),
        {
            "court": "31st Judicial Circuit (Greene County)",
            "case_number": "26GR-CR09999",
            "county": "Greene",
            "offender": world.supervised_d10.pk,
            "offense": "Stealing",
            "offense_class": "felony_d",
            "sentencing_date": "2025-05-01",
        },
    )
    assert response.status_code == 200
    assert "offender" in response.context["form"].errors
    assert not CourtCase.objects.filter(case_number="26GR-CR09999").exists()


def test_inmate_visible_to_facility_staff_only_at_their_facility(world, client_for):
    assert world.inmate.status == OffenderStatus.INCARCERATED
    assert client_for(world.staff_jccc).get(world.inmate.get_absolute_url()).status_code == 200
    assert client_for(world.staff_acc).get(world.inmate.get_absolute_url()).status_code == 404
    assert client_for(world.officer).get(world.inmate.get_absolute_url()).status_code == 404


# Sorting and exports of every list ---------------------------------------------------------------
LISTS = ["facility", "district", "organization", "offender", "courtcase", "user", "jobrun"]


def _orderable_columns(response):
    return [c.name for c in response.context["table"].columns if c.orderable]


@pytest.mark.parametrize("model", LISTS)
def test_every_list_sorts_by_every_sortable_column(scope_world, client_for, model):
    from core.models import JobRun

    JobRun.objects.create(job="compliance_snapshot", run_date=dt.date(2026, 1, 5), triggered_by=scope_world.admin)
    client = client_for(scope_world.admin)
    url = reverse(f"core:{model}_list")
    columns = _orderable_columns(client.get(url))
    assert columns
    for column in columns:
        for sort in (column, f"-{column}"):
            response = client.get(url, {"sort": sort})
            assert response.status_code == 200, sort
            assert len(response.context["table"].rows) >= 1, sort


@pytest.mark.parametrize("model", LISTS)
def test_every_list_exports_csv_and_xlsx_with_rows(scope_world, client_for, model):
    from core.models import JobRun

    JobRun.objects.create(job="compliance_snapshot", run_date=dt.date(2026, 1, 5), triggered_by=scope_world.admin)
    client = client_for(scope_world.admin)
    url = reverse(f"core:{model}_list")
    rows = client.get(url).context["table"].paginator.count
    csv = client.get(url, {"_export": "csv"})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode().strip().splitlines()) == rows + 1
    xlsx = client.get(url, {"_export": "xlsx"})
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.active.max_row == rows + 1


def test_export_keeps_the_filter(world, client_for):
    client = client_for(world.admin)
    export = client.get(reverse("core:offender_list"), {"status": "incarcerated", "_export": "csv"}).content.decode()
    assert "1000003" in export
    assert "1000001" not in export


def test_add_link_prefills_the_new_record(world, client_for):
    client = client_for(world.officer)
    response = client.get(reverse("core:courtcase_add"), {"offender": world.supervised.pk})
    assert response.context["form"]["offender"].value() == str(world.supervised.pk)


def test_edit_page_shows_saved_values_not_query_string(world, client_for):
    client = client_for(world.supervisor)
    response = client.get(
        reverse("core:offender_edit", args=[world.supervised.pk]), {"supervising_officer": world.officer2.pk}
    )
    assert response.context["form"]["supervising_officer"].value() == world.officer.pk
