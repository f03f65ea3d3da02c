"""The sign-in steps in the browser: the idle timeout's warning and two-factor sign-in, with axe.

``site`` is the live server with the demo data (conftest.py). Each test opens its own browser
context: these sessions end or change, and the shared ones of ``page_as`` must not.
"""

import base64
import re

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import AXE_JS, assert_page_is_accessible, sign_in, watch_policy

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_page(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    context.add_init_script(path=AXE_JS)
    page = context.new_page()
    watch_policy(page)
    yield page
    context.close()


def test_an_idle_session_is_warned_then_signed_out(site, fresh_page, settings):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 5
    page = fresh_page
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet left on a desk
    sign_in(page, site, "officer.d9")
    assert page.url == site("/")
    dialog = page.get_by_role("dialog", name="Still there?")
    # About 3 s after the page loaded, the warning opens with the focus on "Stay signed in".
    dialog.wait_for(state="visible", timeout=6_000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Stay signed in"
    assert re.search(r"signed out in \d seconds?", dialog.inner_text())
    assert_page_is_accessible(page)
    # Staying (from the keyboard) closes it and gives the session its time again.
    with page.expect_response(lambda r: r.url.endswith("/accounts/keep-alive/")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    dialog.wait_for(state="hidden")
    assert not stay.is_visible()
    # Left alone, the warning comes back and the page ends on the sign-in page, saying why.
    dialog.wait_for(state="visible", timeout=6_000)
    page.wait_for_url(re.compile(r"/accounts/login/\?next=%2F$"), timeout=10_000)
    assert "You were signed out after 1 minute without activity." in page.get_by_role("status").inner_text()
    assert_page_is_accessible(page)


def test_two_factor_set_up_and_sign_in(site, fresh_page, browser, django_db_blocker):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = fresh_page
    sign_in(page, site, "supervisor.d9")

    # The account menu leads to the two-factor page, and from it to the set-up page.
    page.get_by_role("button", name=re.compile(r"supervisor|Supervisor|·")).last.click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert_page_is_accessible(page)
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    qr = page.get_by_role("img", name=re.compile("QR code"))
    assert qr.is_visible()
    # The image really draws (a data: URI the browser cannot read shows only its alt text).
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100"), "the QR code does not render"
    assert_page_is_accessible(page)
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))

    def code(drift=0):
        totp = TOTP(secret, 30, 0, 6, drift)
        return f"{totp.token():06d}"

    # A wrong code first: the error is announced and linked to the field.
    page.get_by_label("Six-digit code").fill("12345")
    with page.expect_navigation():
        page.get_by_label("Six-digit code").press("Enter")
    assert "Enter the 6 digits" in page.get_by_role("alert").inner_text()
    assert_page_is_accessible(page)
    page.get_by_label("Six-digit code").fill(code())
    with page.expect_navigation():
        page.get_by_label("Six-digit code").press("Enter")
    assert "Two-factor sign-in is on" in page.get_by_role("status").first.inner_text()
    try:
        # A new browser: the password, then the code, then the page asked for.
        other = browser.new_context(viewport={"width": 768, "height": 1024})
        other.add_init_script(path=AXE_JS)
        second = other.new_page()
        watch_policy(second)
        sign_in(second, site, "supervisor.d9", next_path="/restitution/")
        assert "/accounts/two-factor/verify/" in second.url
        assert_page_is_accessible(second)
        with django_db_blocker.unblock():
            TOTPDevice.objects.filter(user__username="supervisor.d9").update(last_t=-1)
        second.get_by_label("Six-digit code").fill(code())
        with second.expect_navigation():
            second.get_by_label("Six-digit code").press("Enter")
        assert second.url == site("/restitution/")
        other.close()
    finally:
        with django_db_blocker.unblock():
            TOTPDevice.objects.filter(user__username="supervisor.d9").delete()
