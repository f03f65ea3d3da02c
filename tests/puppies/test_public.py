"""The public dog pages and the adoption application: what is shown (never a person), the cache and its
invalidation, the form's validation, the honeypot, the rate limit, the mail-down path, the conflict routing."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from core.models import Offender
from puppies import services
from puppies.choices import ApplicationStatus, DogStatus, MailStatus
from puppies.models import AdoptionApplication, ApplicationMail, ApplyThrottle
from tests.factories import puppies as f
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

LIST = reverse("puppies_public:dog_list")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public(pw):
    """Biscuit (JCCC) is public; Pepper (ACC) is not released; a third is released without a photo."""
    from puppies.models import Dog

    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    pw.dog.refresh_from_db()
    f.approved_photo(pw.dog, staff=pw.w.staff_jccc, admin=pw.w.admin)
    pw.no_photo, _ = f.placed_dog(
        pw.shelter, pw.w.jccc, user=pw.w.staff_jccc, name="Noodle", released_for_adoption=True
    )
    return pw


def _form(**overrides):
    data = {
        "name": "Jordan Applicant",
        "email": "jordan@example.org",
        "phone": "573-555-0199",
        "address": "12 Elm Street",
        "town": "Columbia",
        "zip_code": "65201",
        "adults": "2",
        "children": "0",
        "children_ages": "",
        "other_pets": "One cat",
        "home_type": "house",
        "tenure": "own",
        "landlord_name": "",
        "landlord_phone": "",
        "about": "We walk every day.",
        "website": "",
    }
    data.update(overrides)
    return data


def _no_person_in(html: str):
    for first, last, doc_id in Offender.objects.values_list("first_name", "last_name", "doc_id"):
        assert f"{first} {last}" not in html and f"{last}, {first}" not in html
        assert doc_id not in html


def test_only_released_dogs_with_a_photo_and_bio_are_listed(public, client):
    html = client.get(LIST).content.decode()
    assert "Biscuit" in html
    assert "Pepper" not in html and "Noodle" not in html
    assert client.get(reverse("puppies_public:dog_page", args=[public.dog_acc.pk])).status_code == 404
    assert client.get(reverse("puppies_public:dog_page", args=[public.no_photo.pk])).status_code == 404


def test_no_person_name_doc_id_or_facility_on_any_public_page(public, client):
    pages = [
        LIST,
        reverse("puppies_public:dog_page", args=[public.dog.pk]),
        reverse("puppies_public:apply", args=[public.dog.pk]),
        reverse("puppies_public:applied"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        _no_person_in(html)
        assert public.w.jccc.name not in html and "JCCC" not in html
    # A refused post echoes only what the applicant typed.
    response = client.post(reverse("puppies_public:apply", args=[public.dog.pk]), _form(phone="12"))
    assert response.status_code == 400
    _no_person_in(response.content.decode())


def test_a_reserved_dog_is_never_shown_as_available(public, client):
    app = f.application(public.dog)
    services.application_approve(application=app, user=public.w.staff_jccc)
    html = client.get(LIST).content.decode()
    assert "Adoption pending" in html and "taking applications" not in html
    page = client.get(reverse("puppies_public:dog_page", args=[public.dog.pk])).content.decode()
    assert "reserved for a family" in page and "Apply to adopt" not in page
    response = client.post(reverse("puppies_public:apply", args=[public.dog.pk]), _form())
    assert response.status_code == 409
    assert AdoptionApplication.objects.filter(dog=public.dog).count() == 1


def test_public_pages_are_cached_in_one_query_and_replaced_on_change(public, client):
    dog_url = reverse("puppies_public:dog_page", args=[public.dog.pk])
    client.get(LIST)
    client.get(dog_url)
    list_queries, _ = page_queries(client, LIST)
    dog_queries, _ = page_queries(client, dog_url)
    assert (list_queries, dog_queries) == (1, 1)  # the version only
    public.dog.bio = "Loves the snow and long naps."
    services.dog_save(user=public.w.staff_jccc, dog=public.dog)
    assert "long naps" in client.get(dog_url).content.decode()
    # A photo withdrawn in the reports app takes the dog off the list on the next request.
    from reports.models import Photo
    from reports.services import photo_review

    photo = Photo.objects.get(object_id=public.dog.pk)
    photo_review(photo=photo, user=public.w.admin, approve=False, consent_confirmed=False, caption="", alt_text="x")
    assert "Biscuit" not in client.get(LIST).content.decode()
    assert client.get(dog_url).status_code == 404


def test_the_list_query_count_does_not_grow_with_dogs(public, client):
    cache.clear()
    _, _ = page_queries(client, LIST)
    cache.clear()
    at_1, _ = page_queries(client, LIST)
    for i in range(19):
        f.public_dog(public.shelter, public.w.jccc, staff=public.w.staff_jccc, admin=public.w.admin, name=f"Pup{i}")
    cache.clear()
    at_20, response = page_queries(client, LIST)
    assert "Pup18" in response.content.decode()
    assert at_20 == at_1


# The application ----------------------------------------------------------------------------------------------------
def test_a_valid_application_is_stored_acknowledged_and_under_review(
    public, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("puppies_public:apply", args=[public.dog.pk]), _form())
    assert response.status_code == 302 and response["Location"] == reverse("puppies_public:applied")
    app = AdoptionApplication.objects.get()
    assert (app.status, app.facility, app.conflict_reference) == (ApplicationStatus.NEW, public.w.jccc, "")
    assert ApplicationMail.objects.get().status == MailStatus.SENT
    assert len(mail.outbox) == 1 and "under review" in mail.outbox[0].body
    assert "under review" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("email", "not-an-email", "email"),
        ("phone", "555", "phone"),
        ("zip_code", "6520", "zip_code"),
        ("adults", "0", "adults"),
        ("name", " ", "name"),
        ("home_type", "castle", "home_type"),
        ("tenure", "rent", "landlord_name"),
        ("children", "2", "children_ages"),
        ("about", "x" * 2001, "about"),
        ("town", "Columbia\x00", "town"),
    ],
)
def test_bad_input_is_refused_under_its_field_and_nothing_is_stored(public, client, field, value, expected):
    response = client.post(reverse("puppies_public:apply", args=[public.dog.pk]), _form(**{field: value}))
    assert response.status_code == 400
    assert expected in response.context["form"].errors
    assert not AdoptionApplication.objects.exists()


def test_the_honeypot_stores_nothing_and_answers_like_a_success(public, client):
    response = client.post(reverse("puppies_public:apply", args=[public.dog.pk]), _form(website="http://spam.example"))
    assert response.status_code == 302
    assert not AdoptionApplication.objects.exists() and not ApplicationMail.objects.exists()


def test_the_rate_limit_per_address_answers_429_and_stores_nothing_more(public, client):
    url = reverse("puppies_public:apply", args=[public.dog.pk])
    statuses = [
        client.post(url, _form(address=f"{i} Oak Street", email=f"a{i}@example.org")).status_code
        for i in range(services.APPLY_LIMIT + 2)
    ]
    assert statuses == [302] * services.APPLY_LIMIT + [429, 429]
    assert AdoptionApplication.objects.count() == services.APPLY_LIMIT
    # Another address is counted apart.
    other = client.post(url, _form(address="9 Pine Street"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert ApplyThrottle.objects.count() == 2


def test_the_same_household_twice_is_stored_once(public, client):
    url = reverse("puppies_public:apply", args=[public.dog.pk])
    assert client.post(url, _form()).status_code == 302
    again = client.post(url, _form(address="12 elm st.", name="Someone Else", email="else@example.org"))
    assert again.status_code == 400, again.context["form"].errors
    assert "already has an open application" in again.content.decode(), again.context["form"].errors.as_json()
    assert AdoptionApplication.objects.count() == 1


def test_stored_when_the_mail_server_is_down_and_sent_later(
    public, client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("puppies_public:apply", args=[public.dog.pk]), _form())
    assert response.status_code == 302
    assert AdoptionApplication.objects.count() == 1
    waiting = ApplicationMail.objects.get()
    assert (waiting.status, waiting.attempts) == (MailStatus.PENDING, 1) and waiting.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from core.jobs import job_run

    job_run(name="puppies_mail", run_date=f.TODAY)
    waiting.refresh_from_db()
    assert waiting.status == MailStatus.SENT and len(mail.outbox) == 1


# The conflict check -------------------------------------------------------------------------------------------------
def test_an_applicant_who_is_a_handlers_victim_sees_under_review_and_goes_to_victim_services(
    public, client, client_for
):
    from tests.factories import CourtCaseFactory
    from tests.factories.victims import PHONE, make_victim
    from victims.models import ConflictMatch

    handler = public.handlers[1]
    make_victim(cases=[CourtCaseFactory(offender=handler)], user=public.w.victims)
    response = client.post(reverse("puppies_public:apply", args=[public.dog.pk]), _form(phone=PHONE))
    assert response.status_code == 302 and response["Location"] == reverse("puppies_public:applied")
    app = AdoptionApplication.objects.get()
    assert app.held and app.conflict_reference.startswith("victims:")
    match = ConflictMatch.objects.get()
    assert match.offender == handler
    from core.models import Alert

    alert = Alert.objects.get(user=public.w.victims, key=f"puppies:conflict:{app.pk}")
    assert handler.last_name not in alert.title + alert.body
    # Victim services see it; facility staff see only "refer to victim services" and cannot go ahead.
    victims = client_for(public.w.victims)
    assert victims.get(reverse("victims:conflictmatch_detail", args=[match.pk])).status_code == 200
    assert victims.get(app.get_absolute_url()).status_code == 200
    staff_page = client_for(public.w.staff_jccc).get(app.get_absolute_url()).content.decode()
    assert "Under review by victim services" in staff_page
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.application_approve(application=app, user=public.w.staff_jccc)
    with pytest.raises(ValidationError):
        services.application_conflict_clear(application=app, user=public.w.staff_jccc)
    services.application_conflict_clear(application=app, user=public.w.victims)
    services.application_approve(application=app, user=public.w.staff_jccc)
    public.dog.refresh_from_db()
    assert public.dog.status == DogStatus.RESERVED


def test_an_applicant_without_a_conflict_is_not_held(public):
    from tests.factories import CourtCaseFactory
    from tests.factories.victims import make_victim

    make_victim(cases=[CourtCaseFactory(offender=public.handlers[0])], user=public.w.victims)
    app = f.application(public.dog)
    assert not app.held and app.conflict_reference == ""


def test_the_public_pages_link_to_the_dogs(db, client):
    from django.urls import reverse

    home = client.get(reverse("reports:public_home")).content.decode()
    assert f'href="{reverse("puppies_public:dog_list")}">Dogs to adopt</a>' in home
    page = client.get(reverse("puppies_public:dog_list")).content.decode()
    assert 'aria-current="page" href="/public/dogs/">Dogs to adopt' in page
