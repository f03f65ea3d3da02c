"""Reports in Chromium: an administrator rebuilds the brochure on demand and downloads it; every
reports page and public page passes axe-core.

``site`` is the live server with core's demo data (conftest.py); the reports demo data (text
blocks, approved photos) is added here once for this module.
"""

import subprocess

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reports_site(site, django_db_blocker):
    from core.models import User
    from reports.demo import demo_seed_reports
    from reports.models import GeneratedReport, Photo

    with django_db_blocker.unblock():
        demo_seed_reports()
        admin = User.objects.get(username="admin")
        queued = GeneratedReport.objects.create(
            slug="offender-roster", title="Offender roster", fmt="csv", user=admin, progress=40, status="running"
        )
        site.ids["photo"] = Photo.objects.order_by("pk").first().pk
        site.ids["generated"] = str(queued.key)
    return site


def test_administrator_builds_the_brochure_on_demand_and_downloads_it(reports_site, page_as, tmp_path):
    site = reports_site
    page = page_as("admin")
    page.goto(site("/reports/brochure/"))
    assert page.get_by_role("heading", name="Brochure", level=1).is_visible()
    assert_no_axe_violations(page)

    with page.expect_navigation(timeout=90_000):
        page.get_by_role("button", name="Rebuild the brochure now").click()
    status = page.locator("#brochure-status")
    status.get_by_text("Built").wait_for(timeout=30_000)
    today = timezone.localdate()
    assert f"Built {today:%b} {today.day}, {today:%Y}" in status.inner_text()
    assert (
        "The brochure is being rebuilt" in page.get_by_role("alert").or_(page.get_by_role("status")).first.inner_text()
    )
    assert_no_axe_violations(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the brochure (PDF)").click()
    path = tmp_path / "brochure.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Restorative Justice" in text and "2729 Plaza Drive" in text
    assert f"built {today:%b} {today.day}, {today:%Y}" in " ".join(text.split())

    # The public open the same file at /brochure.pdf, without signing in.
    response = page_as(None).request.get(site("/brochure.pdf"))
    assert response.status == 200 and response.body() == path.read_bytes()


STAFF_PAGES = [
    ("catalog", "admin", "/reports/catalog/"),
    ("catalog-staff", "staff.jccc", "/reports/catalog/"),
    ("run-form", "admin", "/reports/run/people-by-status/"),
    ("run-html", "staff.jccc", "/reports/run/people-by-status/?format=html"),
    ("run-errors", "staff.jccc", "/reports/run/people-by-status/?format=html&facility=999999"),
    ("run-roster", "officer.d9", "/reports/run/offender-roster/?format=html"),
    ("annual", "admin", "/reports/run/annual-report/?format=html"),
    ("figures", "auditor", "/reports/run/program-figures/?format=html"),
    ("generated-list", "admin", "/reports/generated/"),
    ("generated-progress", "admin", "/reports/generated/{generated}/"),
    ("photos", "admin", "/reports/photos/"),
    ("photos-staff", "staff.jccc", "/reports/photos/"),
    ("photo-review", "admin", "/reports/photos/review/"),
    ("photo-detail", "admin", "/reports/photos/{photo}/"),
    ("photo-upload", "staff.jccc", "/reports/photos/upload/core.facility/{facility}/"),
    ("brochure-block", "admin", "/reports/brochure/blocks/classes/edit/"),
    ("baselines", "admin", "/reports/baselines/"),
    ("baseline-add", "admin", "/reports/baselines/add/"),
    ("public-home", None, "/public/"),
    ("public-gallery", None, "/public/gallery/"),
    ("public-home-signed-in", "staff.jccc", "/public/"),
]


@pytest.mark.parametrize(("user", "path"), [p[1:] for p in STAFF_PAGES], ids=[p[0] for p in STAFF_PAGES])
def test_reports_page_has_no_axe_violations(reports_site, page_as, user, path):
    page = page_as(user)
    response = page.goto(reports_site(path.format(**reports_site.ids)))
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)


def test_photo_upload_form_errors_are_announced(reports_site, page_as, tmp_path):
    page = page_as("staff.jccc")
    page.goto(reports_site(f"/reports/photos/upload/core.facility/{reports_site.ids['facility']}/"))
    not_an_image = tmp_path / "notes.jpg"
    not_an_image.write_bytes(b"this is not a photo")
    page.get_by_label("Photo").set_input_files(not_an_image)
    page.get_by_label("Description").fill("A table of squash")
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    assert "not a photo we can read" in page.content()
    assert page.get_by_label("Photo").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)
