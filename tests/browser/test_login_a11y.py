"""Sign in through the real form, then check the dashboard with axe-core and with the keyboard alone.

``site`` is pytest-django's ``live_server`` with the demo data loaded (see conftest.py).
"""

import pytest

from tests.browser.conftest import assert_page_is_accessible, sign_in

pytestmark = pytest.mark.browser


def active(page) -> dict:
    """What has the keyboard focus: tag, id, classes and text."""
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: e.textContent.trim()}; }"""
    )


def test_administrator_signs_in_and_the_dashboard_passes_axe(site, page):
    page.goto(site("/"))
    assert "/accounts/login/" in page.url, "an anonymous visitor is sent to the login page"
    sign_in(page, site, "admin", next_path="/")
    assert page.url == site("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Alex"
    assert_page_is_accessible(page)


def test_failed_sign_in_is_announced(site, page):
    page.goto(site("/accounts/login/"))
    page.get_by_label("Username").fill("nobody.here")
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")
    assert page.title().startswith("Error: ")
    assert "did not match" in page.get_by_role("alert").inner_text()
    assert_page_is_accessible(page)


def test_dashboard_skip_link_and_menus_work_from_the_keyboard(site, page):
    sign_in(page, site, "admin")
    assert page.url == site("/")

    # The first Tab reaches the skip link, and it is visible while it has the focus.
    page.keyboard.press("Tab")
    focused = active(page)
    assert "skip-link" in focused["cls"], focused
    assert focused["text"] == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10, "the focused skip link is visible"

    # Activating it moves the focus to <main>; the next Tab goes to the first control in main.
    page.keyboard.press("Enter")
    assert active(page)["tag"] == "main"
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    # The menus: Tab from the top of the page to the first dropdown, open it with Enter,
    # walk it with the arrow keys, close it with Escape (the focus returns to its button).
    page.goto(site("/"))
    toggle = page.locator("#main-nav .dropdown-toggle").first
    for _ in range(8):  # skip link, brand, Dashboard, Search, then the first menu
        page.keyboard.press("Tab")
        if toggle.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError(f"Tab never reached the first menu; the focus is on {active(page)}")
    name = toggle.inner_text()
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    menu = toggle.locator("xpath=following-sibling::ul[contains(@class, 'dropdown-menu')]")
    assert menu.is_visible(), f"the {name} menu opens with Enter"
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    first_item = menu.locator("a.dropdown-item").first
    assert first_item.evaluate("e => e === document.activeElement"), active(page)
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert toggle.evaluate("e => e === document.activeElement"), "Escape returns the focus to the menu button"

    # Space opens it too, and Enter on an item follows the link.
    page.keyboard.press(" ")
    assert menu.is_visible(), f"the {name} menu opens with Space"
    page.keyboard.press("ArrowDown")
    href = first_item.get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site(href)

    # The account menu at the right end opens from the keyboard as well.
    account = page.locator("#main-nav .dropdown-toggle").last
    account.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_lockout_page_after_repeated_failures(site, page, settings):
    """After AXES_FAILURE_LIMIT failures for one username the lockout page says so, and passes axe."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(site("/accounts/login/"))
        page.get_by_label("Username").fill("someone.locked")
        page.get_by_label("Password").fill("wrong-every-time")
        with page.expect_navigation():
            page.get_by_label("Password").press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Too many failed sign-in attempts"
    assert_page_is_accessible(page)


def test_password_changed_page(site, page, django_db_blocker):
    """Change a password through the form: the confirmation page passes axe. (The demo password is
    put back directly afterwards: the form would refuse it as too easy to guess.)"""
    from core.models import User

    sign_in(page, site, "officer2.d9")
    new = "lantern orchard velvet compass"
    try:
        page.goto(site("/accounts/password_change/"))
        page.get_by_label("Old password").fill(site.password)
        page.locator("#id_new_password1").fill(new)
        page.locator("#id_new_password2").fill(new)
        with page.expect_navigation():
            page.get_by_role("button", name="Change password").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Password changed"
        assert_page_is_accessible(page)
    finally:
        with django_db_blocker.unblock():
            user = User.objects.get(username="officer2.d9")
            user.set_password(site.password)
            user.save(update_fields=["password"])
