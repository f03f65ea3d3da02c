"""Users and roles are managed in the app by administrators; Django admin is for superusers only."""

import pytest
from django.urls import NoReverseMatch, reverse

from core.choices import Role
from core.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Plaza-Drive-2729-garden"


def _new_user(**changes):
    data = {
        "username": "new.officer",
        "first_name": "Nora",
        "last_name": "Newcomb",
        "email": "nora.newcomb@example.org",
        "phone": "573-555-0100",
        "role": Role.PROBATION_OFFICER,
        "district": "",
        "facilities": [],
        "is_active": "on",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(changes)
    return data


def _edit_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "district": user.district_id or "",
        "facilities": list(user.facilities.values_list("pk", flat=True)),
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return data


def _errors(response):
    return response.context["form"].errors


def test_administrator_creates_officer_with_district(world, client_for):
    client = client_for(world.admin)
    response = client.post(reverse("core:user_add"), _new_user(district=world.d9.pk))
    assert response.status_code == 302
    user = User.objects.get(username="new.officer")
    assert response["Location"] == user.get_absolute_url()
    assert user.role == Role.PROBATION_OFFICER
    assert user.district == world.d9
    assert user.is_active
    assert not user.is_superuser
    assert not user.is_staff
    assert user.check_password(GOOD_PASSWORD)
    assert user.history.latest().history_user == world.admin
    # they see exactly the scope their role and district give
    assert client_for(user).get(world.supervised.get_absolute_url()).status_code == 404


def test_administrator_creates_facility_staff_with_facilities(world, client_for):
    client = client_for(world.admin)
    data = _new_user(username="new.staff", role=Role.FACILITY_STAFF, facilities=[world.jccc.pk])
    response = client.post(reverse("core:user_add"), data)
    assert response.status_code == 302
    user = User.objects.get(username="new.staff")
    assert list(user.facilities.all()) == [world.jccc]
    assert client_for(user).get(world.inmate.get_absolute_url()).status_code == 200


def test_new_user_can_sign_in_with_their_password(world, client_for, client):
    client_for(world.admin).post(reverse("core:user_add"), _new_user(district=world.d9.pk))
    client.logout()
    response = client.post(reverse("login"), {"username": "new.officer", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password1234", "too common"),
        ("new.officer1", "too similar"),
    ],
)
def test_weak_passwords_are_refused(world, client_for, password, message):
    client = client_for(world.admin)
    response = client.post(
        reverse("core:user_add"), _new_user(district=world.d9.pk, password1=password, password2=password)
    )
    assert response.status_code == 200
    assert message in " ".join(_errors(response)["password2"])
    assert not User.objects.filter(username="new.officer").exists()


def test_mismatched_passwords_are_refused(world, client_for):
    response = client_for(world.admin).post(
        reverse("core:user_add"), _new_user(district=world.d9.pk, password2=GOOD_PASSWORD + "x")
    )
    assert response.status_code == 200
    assert "didn’t match" in " ".join(_errors(response)["password2"])
    assert not User.objects.filter(username="new.officer").exists()


@pytest.mark.parametrize("role", [Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR, Role.BOARD_COORDINATOR])
def test_district_role_without_district_is_refused(world, client_for, role):
    response = client_for(world.admin).post(reverse("core:user_add"), _new_user(role=role))
    assert response.status_code == 200
    message = f"A {role.label.lower()} must have a district."
    assert _errors(response)["district"] == [message]  # said once, naming the role
    assert message in response.content.decode()
    assert not User.objects.filter(username="new.officer").exists()


def test_facility_staff_without_facility_is_refused(world, client_for):
    response = client_for(world.admin).post(reverse("core:user_add"), _new_user(role=Role.FACILITY_STAFF))
    assert response.status_code == 200
    assert _errors(response)["facilities"] == ["Facility staff need at least one facility."]
    assert not User.objects.filter(username="new.officer").exists()


def test_user_without_role_is_refused(world, client_for):
    response = client_for(world.admin).post(reverse("core:user_add"), _new_user(role=""))
    assert response.status_code == 200
    assert _errors(response)["role"] == ["Choose a role."]


def test_editing_officer_to_remove_district_is_refused(world, client_for):
    officer = world.officer
    response = client_for(world.admin).post(
        reverse("core:user_edit", args=[officer.pk]), _edit_data(officer, district="")
    )
    assert response.status_code == 200
    assert "district" in _errors(response)
    officer.refresh_from_db()
    assert officer.district == world.d9


def test_user_form_offers_no_superuser_or_staff_switch(world, client_for):
    form = client_for(world.admin).get(reverse("core:user_add")).context["form"]
    assert "is_superuser" not in form.fields
    assert "is_staff" not in form.fields
    assert "user_permissions" not in form.fields
    assert "groups" not in form.fields


def test_forged_superuser_field_is_ignored(world, client_for):
    client_for(world.admin).post(
        reverse("core:user_add"), _new_user(district=world.d9.pk, is_superuser="on", is_staff="on")
    )
    user = User.objects.get(username="new.officer")
    assert not user.is_superuser
    assert not user.is_staff


NON_ADMINS = ["auditor", "victims", "staff_jccc", "officer", "supervisor", "boards"]


@pytest.mark.parametrize("who", NON_ADMINS)
def test_non_administrators_cannot_manage_users(world, client_for, who):
    client = client_for(getattr(world, who))
    assert client.get(reverse("core:user_add")).status_code == 403
    assert client.post(reverse("core:user_add"), _new_user(district=world.d9.pk)).status_code == 403
    assert not User.objects.filter(username="new.officer").exists()
    for target in (world.officer, world.officer_d10, world.admin):
        assert client.get(reverse("core:user_edit", args=[target.pk])).status_code == 404
    response = client.post(
        reverse("core:user_edit", args=[world.officer.pk]), _edit_data(world.officer, role="administrator")
    )
    assert response.status_code == 404
    world.officer.refresh_from_db()
    assert world.officer.role == Role.PROBATION_OFFICER


@pytest.mark.parametrize("who", NON_ADMINS)
def test_non_administrators_have_no_user_menu(world, client_for, who):
    html = client_for(getattr(world, who)).get(reverse("core:dashboard")).content.decode()
    assert "Users and roles" not in html
    assert "Users and roles" in client_for(world.admin).get(reverse("core:dashboard")).content.decode()


def test_non_administrators_cannot_edit_themselves(world, client_for):
    """An officer cannot give themselves another role or district."""
    client = client_for(world.officer)
    assert client.get(reverse("core:user_edit", args=[world.officer.pk])).status_code == 404
    client.post(reverse("core:user_edit", args=[world.officer.pk]), _edit_data(world.officer, district=world.d10.pk))
    world.officer.refresh_from_db()
    assert world.officer.district == world.d9


def test_users_are_deactivated_not_deleted(world, client_for, client):
    officer = world.officer2
    admin_client = client_for(world.admin)
    response = admin_client.post(reverse("core:user_edit", args=[officer.pk]), _edit_data(officer, is_active=""))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_active is False
    assert User.objects.filter(pk=officer.pk).exists()
    assert officer.history.latest().history_user == world.admin
    # still listed, under "inactive"
    listing = admin_client.get(reverse("core:user_list"), {"is_active": "false"}).content.decode()
    assert officer.get_absolute_url() in listing
    # and can no longer sign in
    client.logout()
    response = client.post(reverse("login"), {"username": officer.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_there_is_no_delete_page_for_users(world, client_for):
    with pytest.raises(NoReverseMatch):
        reverse("core:user_delete", args=[world.officer.pk])
    client = client_for(world.admin)
    assert client.post(f"/users/{world.officer.pk}/delete/").status_code == 404
    detail = client.get(world.officer.get_absolute_url()).content.decode()
    assert "Delete" not in detail
    assert User.objects.filter(pk=world.officer.pk).exists()


def test_user_form_help_says_users_are_never_deleted(world, client_for):
    form = client_for(world.admin).get(reverse("core:user_edit", args=[world.officer.pk])).context["form"]
    assert "never deleted" in form.fields["is_active"].help_text


# Django admin ------------------------------------------------------------------------------------
def test_django_admin_refuses_administrator_role_without_superuser(world, client_for):
    admin = world.admin
    admin.is_staff = True  # even with the staff flag Django admin itself would honour
    admin.save()
    client = client_for(admin)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/django-admin/login/")
    response = client.get("/django-admin/core/user/")
    assert response.status_code == 302
    assert client.get(f"/django-admin/core/user/{world.officer.pk}/delete/").status_code == 302


def test_django_admin_opens_for_superusers(db, client):
    root = UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/core/user/").status_code == 200


def test_django_admin_link_only_for_superusers(world, client_for):
    assert "/django-admin/" not in client_for(world.admin).get(reverse("core:dashboard")).content.decode()


def test_administrator_cannot_edit_a_superuser(world, client_for):
    root = UserFactory(username="root", role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True, email="root@x.org")
    client = client_for(world.admin)
    assert client.get(root.get_absolute_url()).status_code == 200
    assert client.get(reverse("core:user_edit", args=[root.pk])).status_code == 404
    response = client.post(reverse("core:user_edit", args=[root.pk]), _edit_data(root, email="taken@x.org"))
    assert response.status_code == 404
    # nor set its password, which would sign them in as the superuser
    response = client.post(
        reverse("core:user_password", args=[root.pk]),
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.email == "root@x.org"
    assert not root.check_password(GOOD_PASSWORD)
    # a superuser still manages every account, the administrators' included
    assert client_for(root).get(reverse("core:user_edit", args=[world.admin.pk])).status_code == 200


def test_set_password_link_only_for_those_who_manage_the_user(world, client_for):
    link = reverse("core:user_password", args=[world.officer.pk])
    assert link in client_for(world.admin).get(world.officer.get_absolute_url()).content.decode()
    assert link not in client_for(world.supervisor).get(world.officer.get_absolute_url()).content.decode()
    assert link not in client_for(world.officer).get(world.officer.get_absolute_url()).content.decode()


def test_administrator_cannot_deactivate_themselves(world, client_for):
    client = client_for(world.admin)
    response = client.post(reverse("core:user_edit", args=[world.admin.pk]), _edit_data(world.admin, is_active=""))
    assert response.status_code == 200
    assert _errors(response)["is_active"] == ["You cannot deactivate your own account: ask another administrator."]
    world.admin.refresh_from_db()
    assert world.admin.is_active
    # editing their own name is fine
    response = client.post(reverse("core:user_edit", args=[world.admin.pk]), _edit_data(world.admin, first_name="Ada"))
    assert response.status_code == 302
