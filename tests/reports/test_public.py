"""Public pages: open without signing in, tell the story with live figures, and never show who offenders are."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Offender
from core.registry import FigureEntry
from core.services import demo_seed
from reports.demo import demo_seed_reports
from reports.models import Photo
from reports.services import brochure_build
from reports.urls import PUBLIC_URL_NAMES, urlpatterns
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def public_urls() -> list[str]:
    """Every public URL of the reports app, each photo route once per public photo."""
    keys = list(Photo.objects.public().values_list("key", flat=True))
    urls = []
    for pattern in urlpatterns:
        if pattern.name not in PUBLIC_URL_NAMES:
            continue
        if "key" in pattern.pattern.converters:
            urls += [reverse(f"reports:{pattern.name}", kwargs={"key": key}) for key in keys]
        else:
            urls.append(reverse(f"reports:{pattern.name}"))
    return urls


def _text(response, tmp_path) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(body, tmp_path)
    if response["Content-Type"].startswith("image/"):
        return body.decode("latin-1")  # any text an image could carry (its metadata)
    return body.decode()


def test_no_public_page_shows_an_offender_name_or_doc_id(client, tmp_path):
    demo_seed(offenders=60)
    demo_seed_reports()
    brochure_build()
    offenders = list(Offender.objects.values_list("first_name", "last_name", "doc_id"))
    assert len(offenders) >= 60
    urls = public_urls()
    assert {"/public/", "/public/gallery/", "/brochure.pdf"} <= set(urls)
    assert sum("/public/photos/" in u for u in urls) >= 2 * 3, "the demo photos are public"

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response, tmp_path)
        flat = " ".join(text.split())
        for first, last, doc_id in offenders:
            assert re.search(rf"\b{doc_id}\b", flat) is None, f"DOC ID {doc_id} on {url}"
            assert f"{first} {last}" not in flat, f"{first} {last} on {url}"
            assert f"{last}, {first}" not in flat, f"{last}, {first} on {url}"


def test_landing_page_tells_the_story_with_live_figures(world, client, register_figure):
    register_figure(
        FigureEntry(
            "gardens-tons-live",
            "Tons of produce donated this season",
            lambda: Decimal("88.6"),
            app="gardens",
            unit="tons",
        )
    )
    register_figure(
        FigureEntry(
            "donations-kinds-test", "Items donated by kind", lambda: {"Quilts": 1203, "Knitted hats": 845, "Toys": 0}
        )
    )
    response = client.get("/public/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "88.6" in html and "Tons of produce donated this season" in html
    assert "Quilts <strong>1,203</strong>" in html and "Toys" not in html
    assert 'href="/brochure.pdf"' in html
    assert "Puppies for Parole" in html  # a program without figures is described in words
    assert "2729 Plaza Drive" in html


def test_unapproved_photo_is_not_public(world, client, client_for):
    from tests.factories.reports import jpeg_with_gps

    staff = client_for(world.staff_jccc)
    staff.post(
        f"/reports/photos/upload/core.facility/{world.jccc.pk}/",
        {"image": _upload(jpeg_with_gps()), "alt_text": "Squash on a table", "caption": "Squash"},
    )
    photo = Photo.objects.get()
    staff.logout()
    assert client.get(f"/public/photos/{photo.key}.jpg").status_code == 404
    assert client.get(f"/public/photos/{photo.key}/thumb.jpg").status_code == 404
    assert "Squash" not in client.get("/public/gallery/").content.decode()


def test_public_pages_need_no_sign_in(world, client):
    for url in ("/public/", "/public/gallery/", "/brochure.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_login_page_links_to_the_public_page(client):
    assert 'href="/public/"' in client.get("/accounts/login/").content.decode()


def _upload(data: bytes, name="photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_demo_seeder_is_idempotent(world):
    from reports.models import BrochureBlock
    from reports.sections import SECTION_DEFAULTS

    demo_seed_reports()
    demo_seed_reports()
    assert BrochureBlock.objects.count() == len(SECTION_DEFAULTS)
    photos = Photo.objects.all()
    assert photos.count() == 4
    assert all(p.is_public and p.consent_confirmed and p.reviewed_by == world.admin for p in photos)
    assert photos.filter(on_brochure=True).count() == 4
