"""Sign-in rules (core/signin.py, core/views/signin.py): account lockout from many addresses, the idle
timeout, password strength, a new password when due, and two-factor sign-in."""

import math
import time

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from core.signin import LAST_SEEN, MUST_CHANGE_PASSWORD
from tests.factories import DEFAULT_PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client, username, password=DEFAULT_PASSWORD, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def code_for(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


# Lockout ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_account_is_locked_after_failures_from_several_addresses(world, client, settings):
    per_address = settings.AXES_FAILURE_LIMIT - 1  # never the per-address limit
    addresses = [f"10.0.1.{i}" for i in range(1, 10)]
    failures = 0
    for address in addresses:
        for _ in range(per_address):
            if failures + 1 >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
                break
            assert sign_in(client, "officer.d9", "wrong-password", address).status_code == 200
            failures += 1
    # One more failure from a new address reaches the account-wide limit.
    assert sign_in(client, "officer.d9", "wrong-password", "10.0.2.1").status_code == 429
    # From then on the right password from yet another address is refused, and no session is made.
    response = sign_in(client, "officer.d9", DEFAULT_PASSWORD, "10.0.3.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts are not touched.
    assert sign_in(client, "supervisor.d9", DEFAULT_PASSWORD, "10.0.3.1").status_code == 302


@pytest.mark.django_db
def test_failures_below_both_limits_do_not_lock(world, client, settings):
    for address in ("10.0.4.1", "10.0.4.2"):
        for _ in range(min(settings.AXES_FAILURE_LIMIT - 1, (settings.AXES_ACCOUNT_FAILURE_LIMIT - 1) // 2)):
            sign_in(client, "officer.d9", "wrong-password", address)
    assert sign_in(client, "officer.d9", DEFAULT_PASSWORD, "10.0.4.3").status_code == 302


# Idle timeout -------------------------------------------------------------------------------------
def _idle(client, seconds):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_an_idle_session_is_signed_out_with_a_reason(world, client, settings):
    client.force_login(world.officer)
    _idle(client, settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get("/restitution/?page=2")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Frestitution%2F%3Fpage%3D2"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page


@pytest.mark.django_db
def test_an_idle_session_answers_the_api_and_htmx_plainly(world, client, settings):
    client.force_login(world.officer)
    _idle(client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get("/api/v1/offenders/")
    assert response.status_code == 401
    assert response.json()["detail"] == "You were signed out after 30 minutes without activity."
    client.force_login(world.officer)
    _idle(client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get("/alerts/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login") + "?next=")


@pytest.mark.django_db
def test_activity_keeps_the_session_and_the_page_knows_how_long_it_has(world, client, settings):
    client.force_login(world.officer)
    _idle(client, settings.SESSION_IDLE_TIMEOUT - 60)
    started = time.time()
    response = client.get("/")
    took = math.ceil(time.time() - started)
    assert response.status_code == 200
    # The request was activity: the session has its full time again, and the page says so. The
    # header is counted when the response leaves, so a slow machine may have spent a second of it.
    left = int(response["X-Session-Expires-In"])
    assert settings.SESSION_IDLE_TIMEOUT - took - 1 <= left <= settings.SESSION_IDLE_TIMEOUT
    html = response.content.decode()
    assert f'<meta name="session-idle" content="{settings.SESSION_IDLE_TIMEOUT}"' in html
    assert 'id="session-warning"' in html
    assert time.time() - client.session[LAST_SEEN] < 5


@pytest.mark.django_db
def test_a_background_poll_is_not_activity(world, client, settings):
    client.force_login(world.admin)
    _idle(client, 600)
    started = time.time()
    response = client.get(reverse("core:jobrun_list"), headers={"X-Background": "1", "HX-Request": "true"})
    took = math.ceil(time.time() - started)
    assert response.status_code == 200
    left = int(response["X-Session-Expires-In"])
    assert settings.SESSION_IDLE_TIMEOUT - 600 - took - 1 <= left <= settings.SESSION_IDLE_TIMEOUT - 600
    assert time.time() - client.session[LAST_SEEN] >= 600


@pytest.mark.django_db
def test_stay_signed_in_restarts_the_clock(world, client, settings):
    client.force_login(world.officer)
    _idle(client, settings.SESSION_IDLE_TIMEOUT - 30)
    response = client.post(reverse("keep_alive"))
    assert response.status_code == 200
    assert response.json() == {"expires_in": settings.SESSION_IDLE_TIMEOUT}
    assert time.time() - client.session[LAST_SEEN] < 5
    assert client.get(reverse("keep_alive")).status_code == 405


@pytest.mark.django_db
def test_the_idle_timeout_can_be_switched_off(world, client, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    client.force_login(world.officer)
    _idle(client, 10 * 3600)
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Session-Expires-In" not in response
    assert 'name="session-idle"' not in response.content.decode()


# Passwords ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "password", ["restorative-2026", "Summer2026!!", "qwertyuiop12", "password1234", "Missouri2026!", "12345678901234"]
)
def test_common_and_dictionary_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["tomato harvest lamp violet", "gardens-and-puppies-walk", "kX9#mq2LpZ-7vR"])
def test_strong_passwords_pass(password):
    validate_password(password)


@pytest.mark.django_db
def test_a_guessable_password_is_refused_in_the_change_form_in_plain_words(world, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "Jefferson2026", "new_password2": "Jefferson2026"},
    )
    assert response.status_code == 200
    assert "This password is too easy to guess" in response.content.decode()
    world.officer.refresh_from_db()
    assert world.officer.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_a_weak_password_signs_in_only_to_be_changed_when_checked(world, client, settings):
    settings.PASSWORD_CHECK_AT_SIGN_IN = True
    world.officer.set_password("restorative-2026")
    world.officer.save()
    response = sign_in(client, "officer.d9", "restorative-2026")
    assert response.status_code == 302
    assert client.session[MUST_CHANGE_PASSWORD] is True
    # Every page sends them to choose a new one; nothing else answers.
    response = client.get("/restitution/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("password_change"))
    assert client.get("/api/v1/offenders/").status_code == 403
    new = "lantern orchard velvet compass"
    response = client.post(
        reverse("password_change"), {"old_password": "restorative-2026", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert MUST_CHANGE_PASSWORD not in client.session
    assert client.get("/restitution/").status_code == 200


@pytest.mark.django_db
def test_in_development_the_demo_password_signs_in_alone(world, client, settings):
    settings.PASSWORD_CHECK_AT_SIGN_IN = False
    world.officer.set_password("restorative-2026")
    world.officer.save()
    response = sign_in(client, "officer.d9", "restorative-2026")
    assert response["Location"] == reverse("core:dashboard")
    assert client.get("/").status_code == 200


# Two-factor sign-in -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_setting_up_two_factor(world, client):
    client.force_login(world.officer)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=world.officer, confirmed=False)
    # The same pending device (and QR code) on a reload.
    client.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.filter(user=world.officer).count() == 1
    response = client.post(reverse("two_factor_setup"), {"code": "12345"})
    assert "Enter the 6 digits your app shows" in response.content.decode()
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two_factor_setup"), {"code": wrong})
    assert "That code did not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # each wrong code makes the next try wait (1 s, 2 s, 4 s...)
    response = client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(user=world.officer, action="two_factor_on").count() == 1
    assert "is <strong>on</strong>" in client.get(reverse("two_factor")).content.decode()


@pytest.mark.django_db
def test_with_a_device_the_password_alone_reaches_nothing(world, client):
    device = confirmed_device(world.officer)
    response = sign_in(client, "officer.d9")
    assert response.status_code == 302
    for path in ("/", "/restitution/", reverse("password_change"), reverse("core:api_token")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("two_factor_verify") + "?next="), path
    assert client.get("/api/v1/offenders/").status_code == 403
    verify = client.get(reverse("two_factor_verify") + "?next=/restitution/")
    assert verify.status_code == 200
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/restitution/"})
    assert response.status_code == 302
    assert response["Location"] == "/restitution/"
    assert client.get("/restitution/").status_code == 200


@pytest.mark.django_db
def test_a_code_is_good_once_and_wrong_codes_are_slowed(world, client):
    device = confirmed_device(world.officer)
    with time_machine.travel(time.time(), tick=False):
        sign_in(client, "officer.d9")
        code = code_for(device)
        assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
        client.post(reverse("logout"))
        sign_in(client, "officer.d9")
        # The same code again (a replay) is refused.
        response = client.post(reverse("two_factor_verify"), {"code": code})
        assert "That code did not match" in response.content.decode()
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        client.post(reverse("two_factor_verify"), {"code": wrong})
        response = client.post(reverse("two_factor_verify"), {"code": wrong})
        assert "Too many wrong codes in a row. Wait" in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_required_roles_set_up_a_second_factor_before_anything_else(world, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    sign_in(client, "admin")
    response = client.get("/")
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert client.get(reverse("two_factor_setup")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, "victims")
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))
    client.post(reverse("logout"))
    # Other roles: optional.
    sign_in(client, "officer.d9")
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_required_second_factor_cannot_be_turned_off(world, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    device = confirmed_device(world.admin)
    sign_in(client, "admin")
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert client.get("/").status_code == 200
    response = client.post(reverse("two_factor"), {"code": "000000"}, follow=True)
    assert "cannot be turned off for your role" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin).exists()


@pytest.mark.django_db
def test_an_optional_second_factor_is_turned_off_with_a_current_code(world, client):
    device = confirmed_device(world.officer)
    sign_in(client, "officer.d9")
    with time_machine.travel(time.time() - 60, tick=False):
        client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    response = client.post(reverse("two_factor"), {"code": "000000"})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=world.officer).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.officer).exists()
    assert AuditEvent.objects.filter(user=world.officer, action="two_factor_off").exists()


@pytest.mark.django_db
def test_an_administrator_resets_a_lost_second_factor(world, client):
    confirmed_device(world.officer)
    client.force_login(world.admin)
    url = reverse("core:user_two_factor_reset", args=[world.officer.pk])
    page = client.get(url).content.decode()
    assert "Reset two-factor sign-in" in page
    assert TOTPDevice.objects.filter(user=world.officer).exists()  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.officer).exists()
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert (event.user, event.object_id) == (world.admin, str(world.officer.pk))
    # Another role cannot.
    client.force_login(world.supervisor)
    assert client.post(reverse("core:user_two_factor_reset", args=[world.admin.pk])).status_code == 404


@pytest.mark.django_db
def test_a_session_whose_device_was_reset_goes_on_without_it(world, client):
    device = confirmed_device(world.officer)
    sign_in(client, "officer.d9")
    device.delete()
    response = client.get("/")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert client.get("/").status_code == 200
