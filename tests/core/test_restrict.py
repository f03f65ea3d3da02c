"""The one scope rule, checked per role on the queryset (views and API are tested on top of it)."""

import pytest

from core.models import CourtCase, Facility, Offender, User
from core.querysets import ADD, CHANGE, VIEW, can


def visible(model, user, action=VIEW):
    return set(model.objects.restrict(user, action).values_list("pk", flat=True))


@pytest.mark.django_db
def test_offender_scope_per_role(world):
    w = world
    everyone = {w.supervised.pk, w.supervised_d10.pk, w.inmate.pk}
    assert visible(Offender, w.admin) == everyone
    assert visible(Offender, w.auditor) == everyone
    assert visible(Offender, w.victims) == everyone
    assert visible(Offender, w.officer) == {w.supervised.pk}
    assert visible(Offender, w.officer2) == set()
    assert visible(Offender, w.supervisor) == {w.supervised.pk}
    assert visible(Offender, w.supervisor_d10) == {w.supervised_d10.pk}
    assert visible(Offender, w.boards) == {w.supervised.pk}
    assert visible(Offender, w.staff_jccc) == {w.inmate.pk}
    assert visible(Offender, w.staff_acc) == set()


@pytest.mark.django_db
def test_read_only_roles_change_nothing(world):
    w = world
    for user in (w.auditor, w.victims, w.boards, w.staff_jccc):
        assert visible(Offender, user, CHANGE) == set()
        assert not can(user, Offender, ADD)
    assert visible(Offender, w.officer, CHANGE) == {w.supervised.pk}
    assert visible(Offender, w.supervisor, CHANGE) == {w.supervised.pk}


@pytest.mark.django_db
def test_court_cases_follow_their_offender(world):
    w = world
    assert visible(CourtCase, w.officer) == {w.case.pk}
    assert visible(CourtCase, w.officer_d10) == {w.case_d10.pk}
    assert visible(CourtCase, w.staff_jccc) == set()


@pytest.mark.django_db
def test_facility_staff_see_only_their_facilities(world):
    w = world
    assert visible(Facility, w.staff_jccc) == {w.jccc.pk}
    assert visible(Facility, w.officer) == {w.jccc.pk, w.acc.pk}
    assert visible(Facility, w.officer, CHANGE) == set()
    assert visible(Facility, w.admin, CHANGE) == {w.jccc.pk, w.acc.pk}


@pytest.mark.django_db
def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert visible(Offender, AnonymousUser()) == set()
    world.admin.is_active = False
    assert visible(Offender, world.admin) == set()


@pytest.mark.django_db
def test_user_scope(world):
    w = world
    assert w.officer.pk in visible(User, w.supervisor)
    assert w.officer_d10.pk not in visible(User, w.supervisor)
    assert visible(User, w.officer) == {w.officer.pk}
    assert visible(User, w.officer, CHANGE) == set()


def test_unknown_action_is_refused(db):
    with pytest.raises(ValueError):
        Offender.objects.restrict(None, "delete")
