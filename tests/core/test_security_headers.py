"""Every page sends a Content-Security-Policy and a Permissions-Policy, and holds no inline script,
no inline event handler and no inline style the policy would block (issue 17, item 7).

The pages are those the access walk reaches (tests/core/test_access_walk.py, declarations in
tests/access.py): every URL pattern, with a record in scope, as an administrator, as facility staff
(the quick-entry pages), as an officer and as nobody signed in (the public pages); plus Django admin
as a superuser.
"""

import re

import pytest

from tests import access
from tests.core import test_access_walk
from tests.core.test_access_walk import admin_patterns, admin_url, get, plan

pytestmark = pytest.mark.django_db

# The access walk's world (every declared record), shared as a fixture of this module too.
walk_world = test_access_walk.walk_world

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def test_policy_forbids_inline_script_and_eval(settings):
    policy = dict(part.strip().split(" ", 1) for part in settings.CONTENT_SECURITY_POLICY.split(";") if part.strip())
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "camera=()" in settings.PERMISSIONS_POLICY and "geolocation=()" in settings.PERMISSIONS_POLICY


def problems_of(response) -> list[str]:
    found = []
    if response.get("Content-Security-Policy") is None:
        found.append("no Content-Security-Policy header")
    if response.get("Permissions-Policy") is None:
        found.append("no Permissions-Policy header")
    if "text/html" in response.get("Content-Type", "") and not getattr(response, "streaming", False):
        html = response.content.decode(errors="replace")
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("inline event handler", EVENT_HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("<style> element", STYLE_ELEMENT),
        ):
            match = pattern.search(html)
            if match:
                found.append(f"{name}: {match.group(0)[:120]}")
    return found


@pytest.mark.parametrize("role", ["admin", "staff_jccc", "officer", access.ANONYMOUS])
def test_every_page_sends_the_policies_and_holds_nothing_inline(walk_world, client, role):
    if role != access.ANONYMOUS:
        client.force_login(getattr(walk_world, role))
    problems: list[str] = []
    requests, _ = plan(walk_world, role, problems)
    assert not problems
    checked, violations = 0, []
    for request in requests:
        if request.kind == "out":
            continue
        response, error = get(client, request.url)
        if error:
            violations.append(f"GET {request.url}: {error}")
            continue
        checked += 1
        violations += [f"GET {request.url} [{request.name}]: {p}" for p in problems_of(response)]
    assert checked > 100 if role == "admin" else checked > 10, checked
    assert not violations, f"{len(violations)} problems:\n" + "\n".join(violations)


def test_django_admin_pages_send_the_policies_and_hold_nothing_inline(world, client):
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    urls = ["/django-admin/"] + [
        admin_url(chain) for name, chain, _ in admin_patterns() if name.endswith("_changelist")
    ]
    violations = [f"GET {url}: {p}" for url in urls for p in problems_of(client.get(url))]
    assert not violations, "\n".join(violations)
