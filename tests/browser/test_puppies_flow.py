"""Puppies for Parole in Chromium: a member of the public finds a dog and applies on a phone-width screen, then
facility staff screen and approve the application and the dog shows as reserved on the public page. Every
page passes axe-core (public pages at 390, 768 and 1280 px; staff pages at 1280 and 768 px, without sideways
scrolling on the tablet)."""

import datetime as dt

import pytest

from tests.browser.conftest import assert_page_is_accessible
from tests.browser.test_tablet_lists import OVERFLOW_JS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def kennel(site, django_db_blocker):
    """A shelter working with JCCC, and Maple: in training there with two handlers, released, with an approved photo."""
    from django.utils import timezone

    from core.models import Facility, Offender, Organization, OrganizationKind, User
    from puppies import services
    from puppies.choices import DogStatus, HandlerRole, VaccineKind
    from puppies.models import Dog, Shelter, Vaccination
    from reports.services import photo_review, photo_upload
    from tests.factories.reports import jpeg_with_gps

    today = timezone.localdate()
    with django_db_blocker.unblock():
        staff = User.objects.get(username="staff.jccc")
        admin = User.objects.get(username="admin")
        jccc = Facility.objects.get(code="JCCC")
        org = Organization.objects.create(name="Capital Area Humane Society", county="Cole", town="Jefferson City")
        org.kinds.set(OrganizationKind.objects.filter(code="animal_shelter"))
        shelter = Shelter.objects.create(organization=org)
        shelter.facilities.set([jccc])
        dog = services.dog_intake(
            user=staff,
            dog=Dog(
                shelter=shelter,
                shelter_ref="CAHS-77",
                name="Maple",
                breed="Beagle mix",
                sex="female",
                birth_estimate=today - dt.timedelta(days=700),
                colour="Tricolour",
                intake_on=today - dt.timedelta(days=60),
                bio="Maple is a cheerful beagle who knows sit, down and stay.",
                released_for_adoption=True,
                good_with_children="yes",
            ),
        )
        Vaccination.objects.create(
            dog=dog,
            kind=VaccineKind.RABIES,
            given_on=today - dt.timedelta(days=59),
            expires_on=today + dt.timedelta(days=300),
        )
        services.dog_move(
            dog=dog,
            status=DogStatus.IN_TRAINING,
            on=today - dt.timedelta(days=50),
            user=staff,
            facility=jccc,
            housing_unit="HU 4",
        )
        people = list(
            Offender.objects.filter(status="incarcerated", facility=jccc).exclude(cases__offense__icontains="sex")[:2]
        )
        for person, role in zip(people, (HandlerRole.PRIMARY, HandlerRole.SECONDARY), strict=True):
            services.handler_assign(dog=dog, offender=person, role=role, on=today - dt.timedelta(days=49), user=staff)
        services.training_log_record(
            user=staff, dog=dog, handler=people[0], date=today - dt.timedelta(days=10), skills="Recall", minutes=40
        )
        photo = photo_upload(
            user=staff, target=dog, data=jpeg_with_gps(size=(320, 240)), alt_text="A beagle in a field"
        )
        photo_review(photo=photo, user=admin, approve=True, consent_confirmed=True, caption="", alt_text=photo.alt_text)
    return {"dog": dog, "people": people}


def _check(page, width):
    page.set_viewport_size(width)
    assert_page_is_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width["width"]


def test_public_pages_at_every_width_and_no_person_on_them(site, page_as, kennel):
    page = page_as(None)
    for path in ("/public/dogs/", f"/public/dogs/{kennel['dog'].pk}/", f"/public/dogs/{kennel['dog'].pk}/apply/"):
        page.goto(site(path))
        for width in (PHONE, TABLET, DESKTOP):
            _check(page, width)
        html = page.content()
        for person in kennel["people"]:
            assert person.last_name not in html and person.doc_id not in html
        assert "JCCC" not in html


def test_a_member_of_the_public_applies_on_a_phone_and_staff_approve(site, page_as, kennel):
    dog = kennel["dog"]
    public = page_as(None)
    public.set_viewport_size(PHONE)
    public.goto(site("/public/dogs/"))
    with public.expect_navigation():
        public.get_by_role("link", name="Maple").click()
    with public.expect_navigation():
        public.get_by_role("link", name="Apply to adopt Maple").click()
    # A mistake first: the ZIP code, shown under its field.
    public.get_by_label("Your name").fill("Casey Morgan")
    public.get_by_label("E-mail").fill("casey@example.org")
    public.locator("#id_phone").fill("573-555-0123")
    public.get_by_label("Street address").fill("77 Dogwood Drive")
    public.get_by_label("Town").fill("Holts Summit")
    public.get_by_label("ZIP code").fill("6504")
    public.locator("#id_home_type").select_option("house")
    public.locator("#id_tenure").select_option("own")
    public.get_by_label("Adults in the household").fill("2")
    with public.expect_navigation():
        public.get_by_role("button", name="Send my application").click()
    assert "Enter a 5-digit ZIP code" in public.content()
    assert_page_is_accessible(public)
    public.get_by_label("ZIP code").fill("65043")
    with public.expect_navigation():
        public.get_by_label("ZIP code").press("Enter")
    assert public.get_by_role("heading", level=1).inner_text() == "Thank you"
    assert "under review" in public.content()
    _check(public, PHONE)

    staff = page_as("staff.jccc")
    staff.set_viewport_size(DESKTOP)
    staff.goto(site("/puppies/applications/"))
    assert_page_is_accessible(staff)
    with staff.expect_navigation():
        staff.locator("tbody tr", has_text="Maple").get_by_role("link").first.click()
    _check(staff, DESKTOP)
    _check(staff, TABLET)
    staff.set_viewport_size(DESKTOP)
    with staff.expect_navigation():
        staff.get_by_role("link", name="Decide").click()
    assert_page_is_accessible(staff)
    staff.get_by_label("Approve: reserve the dog for this household").check()
    with staff.expect_navigation():
        staff.get_by_role("button", name="Save the decision").click()
    assert "Approved: Maple is reserved" in staff.get_by_role("status").first.inner_text()

    public.goto(site("/public/dogs/"))
    assert "Adoption pending" in public.content()
    public.goto(site(f"/public/dogs/{dog.pk}/"))
    assert public.get_by_role("link", name="Apply to adopt Maple").count() == 0


STAFF_PAGES = [
    "/puppies/dogs/",
    "/puppies/dogs/{dog}/",
    "/puppies/dogs/{dog}/move/",
    "/puppies/handlers/",
    "/puppies/handlers/add/",
    "/puppies/training/",
    "/puppies/training/add/",
    "/puppies/cgc/add/",
    "/puppies/milestones/add/",
    "/puppies/graduations/add/",
    "/puppies/tasks/",
    "/puppies/apprenticeship/",
    "/puppies/adoptions/",
    "/puppies/removals/add/",
    "/puppies/conduct/add/",
    "/",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_pass_axe_at_1280_and_768(site, page_as, kennel, path):
    page = page_as("staff.jccc")
    page.set_viewport_size(DESKTOP)
    page.goto(site(path.format(dog=kennel["dog"].pk)))
    assert page.url.startswith(site(path.format(dog=kennel["dog"].pk)).split("?")[0])
    assert_page_is_accessible(page)
    page.set_viewport_size(TABLET)
    assert_page_is_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    assert page.evaluate(OVERFLOW_JS) == []
    page.set_viewport_size(DESKTOP)


def test_administrator_pages_pass_axe(site, page_as, kennel):
    page = page_as("admin")
    for path in ("/puppies/shelters/", "/puppies/eligibility/add/", "/puppies/dogs/add/"):
        page.goto(site(path))
        _check(page, DESKTOP)
        _check(page, TABLET)
        page.set_viewport_size(DESKTOP)
