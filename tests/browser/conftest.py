"""Browser tests: one live server and one set of demo data for the whole browser package.

pytest-django gives a test that uses ``live_server`` its ``transactional_db``, which empties the
database after every test; every page would then need the demo data loaded and every role signed
in again. Instead ``site`` (package scope) uses the same ``live_server``, loads the demo data once
into the test database with the database unblocked, and at the end empties the database and puts
back what was there before (the rows the migrations wrote), as a transactional test would. This
package's ``_live_server_helper`` replaces pytest-django's per-test one for that reason.

Every role signs in through the real login form once; its browser context (session cookie and
cache) is reused for every page of that role (``page_as``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"


@dataclass
class Site:
    url: str
    password: str
    ids: dict[str, int] = field(default_factory=dict)

    def __call__(self, path: str) -> str:
        return self.url + path


def _restore_migration_rows():
    """A transactional test that ran earlier may have emptied the tables the migrations fill."""
    from tests.conftest import restore_migration_rows

    restore_migration_rows()


def _reset_sequences(connection):
    """The rows put back keep their ids; move every id sequence past them, or the next insert of a
    later test (the API fuzz creates crops) collides with a row put back."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _seed(password: str) -> dict[str, int]:
    from django.utils import timezone

    from core.choices import JobOutcome
    from core.models import Alert, CourtCase, District, Facility, JobRun, Offender, Organization, User
    from core.services import demo_seed

    demo_seed(password=password, offenders=40)
    admin = User.objects.get(username="admin")
    now = timezone.now()
    # More than a page of alerts (25 a page), some read, some with a link and a body.
    offender = Offender.objects.order_by("doc_id").first()
    Alert.objects.bulk_create(
        Alert(
            user=admin,
            title=f"Obligation {i} became delinquent",
            body="The balance is 60 days past due." if i % 3 == 0 else "",
            link=offender.get_absolute_url() if i % 2 == 0 else "",
            key=f"browser:{i}",
            read_at=now if i % 4 == 0 else None,
        )
        for i in range(30)
    )
    for i, (job, outcome) in enumerate(
        [("compliance_snapshot", JobOutcome.SUCCESS), ("brochure", JobOutcome.FAILED), ("cs_pace", JobOutcome.RUNNING)]
    ):
        JobRun.objects.create(
            job=job,
            run_date=timezone.localdate() - dt.timedelta(days=i),
            finished_at=None if outcome == JobOutcome.RUNNING else now,
            rows=10 * i,
            outcome=outcome,
            error="Traceback: boom" if outcome == JobOutcome.FAILED else "",
            triggered_by=admin,
        )
    supervised = Offender.objects.filter(status="supervised", district__number=9).order_by("doc_id").first()
    return {
        "facility": Facility.objects.get(code="JCCC").pk,
        "district": District.objects.get(number=9).pk,
        "organization": Organization.objects.order_by("name").first().pk,
        "offender": supervised.pk,
        "courtcase": CourtCase.objects.filter(offender=supervised).first().pk,
        "user": User.objects.get(username="officer.d9").pk,
    }


@pytest.fixture(autouse=True)
def _live_server_helper():
    """Replaces pytest-django's: it would empty the database after every test (see above)."""
    yield


@pytest.fixture(scope="package")
def site(django_db_setup, django_db_blocker, live_server):
    """The live server with the demo data loaded, for every browser test of this package."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import modify_settings

    from core.demo.data import DEFAULT_PASSWORD

    name = str(connection.settings_dict["NAME"])
    assert Path(name).name.startswith("test_"), f"refusing to load demo data into {name}: not a test database"
    allowed = modify_settings(ALLOWED_HOSTS={"append": ["localhost", "127.0.0.1"]})
    allowed.enable()
    with django_db_blocker.unblock():
        _restore_migration_rows()
        before = connection.creation.serialize_db_to_string()
        try:
            ids = _seed(DEFAULT_PASSWORD)
            yield Site(url=live_server.url, password=DEFAULT_PASSWORD, ids=ids)
        finally:
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)
            _reset_sequences(connection)
            allowed.disable()


def sign_in(page, site: Site, username: str, next_path: str = ""):
    """Sign in through the real login form: type the name and password, press Enter."""
    page.goto(site("/accounts/login/" + (f"?next={next_path}" if next_path else "")))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(site.password)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")


@pytest.fixture(scope="package")
def page_as(site, browser):
    """``page_as(username)``: a page signed in as that user (``None``: anonymous).

    Each user signs in through the login form once; the browser context keeps the session cookie
    and its cache, and every later page of that user reuses it.
    """
    pages = {}

    def get(username: str | None):
        if username not in pages:
            context = browser.new_context()
            context.set_default_timeout(10_000)
            # axe-core is loaded into every page of these contexts as it opens (faster than a
            # script tag per page); run_axe adds the script tag itself when a page lacks it.
            context.add_init_script(path=AXE_JS)
            page = context.new_page()
            watch_policy(page)
            if username:
                sign_in(page, site, username)
                assert page.url == site("/"), f"{username} did not reach the dashboard: {page.url}"
            pages[username] = page
        return pages[username]

    yield get
    for page in pages.values():
        page.context.close()


def run_axe(page, *, disable_rules: tuple[str, ...] = ()) -> list[dict]:
    """Inject axe-core into the page and return its violations (every rule axe runs by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
        # govern (a script tag would be an inline script the policy refuses).
        page.evaluate(AXE_JS.read_text())
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in disable_rules}}
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    at {json.dumps(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            lines.append(f"       {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


# What the browser refused under the Content-Security-Policy, by page (Chromium says so on the console:
# "Refused to execute inline script because it violates the following Content Security Policy...").
POLICY_REFUSALS: dict[int, list[str]] = {}


def watch_policy(page):
    refused = POLICY_REFUSALS.setdefault(id(page), [])

    def on_console(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text[:300]}")

    page.on("console", on_console)


@pytest.fixture
def page(page):
    """pytest-playwright's page, watched for what the Content-Security-Policy refuses."""
    watch_policy(page)
    return page


def assert_policy_kept(page):
    """Nothing on the page (scripts, styles, htmx, Chart.js, Swagger UI) was refused by the policy."""
    refused = POLICY_REFUSALS.get(id(page), [])
    found, refused[:] = list(refused), []
    assert not found, "refused by the Content-Security-Policy:\n  " + "\n  ".join(found)


def assert_no_axe_violations(page, *, disable_rules: tuple[str, ...] = ()):
    assert_policy_kept(page)
    violations = run_axe(page, disable_rules=disable_rules)
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:" + format_violations(violations)


# What axe leaves out: since axe-core 4.9 a duplicate id is no longer a violation (only ids that ARIA
# or a label points at matter, and axe checks those), and a label hidden with .visually-hidden passes
# axe but is no use to sighted users. RJ Admin wants every id unique and every form control to have
# a label one can see.
PAGE_CHECKS_JS = """() => {
  const problems = [];
  const seen = {};
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id]) problems.push('duplicate id #' + el.id);
    seen[el.id] = true;
  }
  const skip = ['hidden', 'submit', 'button', 'reset', 'image'];
  const controls = [...document.querySelectorAll('input, select, textarea')].filter(c => !skip.includes(c.type));
  for (const c of controls) {
    if (!c.offsetParent && getComputedStyle(c).position !== 'fixed') continue;  // not shown
    const visible = [...(c.labels || [])].filter(l => l.offsetWidth > 1 && l.offsetHeight > 1 && l.innerText.trim());
    if (!visible.length) problems.push('no visible label for ' + c.outerHTML.slice(0, 120));
  }
  return problems;
}"""


def assert_page_is_accessible(page, *, disable_rules: tuple[str, ...] = ()):
    """axe-core finds no violation, no id is used twice, and every form control has a visible label."""
    assert_no_axe_violations(page, disable_rules=disable_rules)
    problems = page.evaluate(PAGE_CHECKS_JS)
    assert not problems, f"on {page.url}:\n  " + "\n  ".join(problems)


def both_widths(page):
    """axe at 1280 px, then at 768 px (a tablet) with no sideways scrolling; the page is left at 1280."""
    assert_page_is_accessible(page)
    page.set_viewport_size({"width": 768, "height": 1024})
    try:
        assert_page_is_accessible(page)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), page.url
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
