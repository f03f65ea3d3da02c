"""Photos: a real image within limits, metadata stripped, attached to a record in the uploader's scope,
public only after an administrator approves it and confirms consent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.choices import Role
from reports.choices import PhotoStatus
from reports.models import Photo
from tests.factories import UserFactory
from tests.factories.reports import GPS_IFD, jpeg_with_gps, png_bytes

pytestmark = pytest.mark.django_db


def upload(client, target_path, data, name="photo.jpg", **fields):
    payload = {"alt_text": "Volunteers weighing squash", "caption": "The squash harvest", **fields}
    payload["image"] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(f"/reports/photos/upload/{target_path}/", payload)


def test_exif_location_and_camera_are_gone_from_the_stored_photo(world, client_for):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as source:
        assert source.getexif().get_ifd(GPS_IFD), "the test photo carries a GPS position"
    assert b"PhoneMaker" in original

    response = upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", original)

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.facility == world.jccc and photo.uploaded_by == world.staff_jccc
    assert photo.status == PhotoStatus.PENDING and not photo.is_public
    for stored in (photo.image, photo.thumbnail):
        data = stored.read()
        stored.close()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            exif = image.getexif()
            assert not exif.get_ifd(GPS_IFD)
            assert len(exif) == 0
            assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in data and b"PhoneMaker" not in data and b"PhoneModel" not in data
    assert (photo.width, photo.height) == (640, 480)


def test_orientation_is_applied_before_the_metadata_goes(world, client_for):
    upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", jpeg_with_gps(orientation=6))
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (480, 640)


def test_png_with_transparency_is_accepted_and_flattened(world, client_for):
    response = upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", png_bytes(), name="x.png")
    assert response.status_code == 302
    with Image.open(Photo.objects.get().image) as image:
        assert image.mode == "RGB"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 not a photo at all", "not a photo we can read"),
        (b"", "empty"),
        (jpeg_with_gps()[:400], "not a photo we can read"),
    ],
    ids=["not-an-image", "empty", "truncated"],
)
def test_upload_that_is_not_a_real_image_is_refused(world, client_for, data, message):
    response = upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Photo.objects.exists()


def test_upload_over_the_size_limit_is_refused(world, client_for, settings):
    settings.REPORTS_PHOTO_MAX_BYTES = 1024
    response = upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", jpeg_with_gps((1200, 900)))
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not Photo.objects.exists()


def test_upload_over_the_pixel_limit_is_refused(world, client_for, settings):
    settings.REPORTS_PHOTO_MAX_PIXELS = 100 * 100
    response = upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", jpeg_with_gps((300, 200)))
    assert "too many pixels" in response.content.decode()
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    ("username", "target", "status"),
    [
        ("staff_jccc", "jccc", 302),
        ("staff_acc", "jccc", 404),  # another facility's record: outside the uploader's scope
        ("admin", "acc", 302),
        ("auditor", "jccc", 404),  # auditors read; they do not add
    ],
)
def test_upload_checks_the_target_is_in_the_uploaders_scope(world, client_for, username, target, status):
    facility = getattr(world, target)
    response = upload(client_for(getattr(world, username)), f"core.facility/{facility.pk}", jpeg_with_gps())
    assert response.status_code == status
    assert Photo.objects.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize("target", ["core.offender", "core.user", "core.courtcase", "reports.photo", "auth.group"])
def test_photos_cannot_be_attached_to_people_or_system_records(world, client_for, target):
    pk = {"core.offender": world.inmate.pk, "core.user": world.admin.pk, "core.courtcase": world.case.pk}.get(target, 1)
    response = upload(client_for(world.admin), f"{target}/{pk}", jpeg_with_gps())
    assert response.status_code == 404


def test_upload_for_an_unknown_record_is_404(world, client_for):
    assert upload(client_for(world.admin), "core.facility/999999", jpeg_with_gps()).status_code == 404
    assert upload(client_for(world.admin), "nothing.here/1", jpeg_with_gps()).status_code == 404


def test_caption_naming_an_offender_is_refused(world, client_for):
    caption = f"{world.inmate.first_name} {world.inmate.last_name} in the garden"
    response = upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", jpeg_with_gps(), caption=caption)
    assert response.status_code == 200
    assert "names an offender" in response.content.decode()
    doc_id = upload(
        client_for(world.staff_jccc),
        f"core.facility/{world.jccc.pk}",
        jpeg_with_gps(),
        caption=f"Harvest by {world.inmate.doc_id}",
    )
    assert "DOC ID" in doc_id.content.decode()
    assert not Photo.objects.exists()


def test_photo_is_public_only_after_approval_with_consent(world, client, client_for):
    upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", jpeg_with_gps())
    photo = Photo.objects.get()
    admin = client_for(world.admin)
    base = {"alt_text": photo.alt_text, "caption": photo.caption, "note": ""}

    refused = admin.post(f"/reports/photos/{photo.pk}/", {**base, "decision": "approve"})
    assert refused.status_code == 200
    assert "Confirm consent" in refused.content.decode()
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.PENDING

    approved = admin.post(f"/reports/photos/{photo.pk}/", {**base, "decision": "approve", "consent_confirmed": "on"})
    assert approved.status_code == 302
    photo.refresh_from_db()
    assert photo.is_public and photo.reviewed_by == world.admin
    admin.logout()
    assert client.get(f"/public/photos/{photo.key}.jpg").status_code == 200
    assert photo.alt_text in client.get("/public/gallery/").content.decode()


def test_only_administrators_review_photos(world, client_for):
    upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", jpeg_with_gps())
    photo = Photo.objects.get()
    staff = client_for(world.staff_jccc)
    response = staff.post(
        f"/reports/photos/{photo.pk}/", {"decision": "approve", "consent_confirmed": "on", "alt_text": "x"}
    )
    assert response.status_code == 404
    assert staff.get("/reports/photos/review/").status_code == 404
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.PENDING


def test_photo_scope_owner_colleague_outsider(world, client_for):
    upload(client_for(world.staff_jccc), f"core.facility/{world.jccc.pk}", jpeg_with_gps())
    photo = Photo.objects.get()
    colleague = UserFactory(role=Role.FACILITY_STAFF, facilities=[world.jccc])
    assert client_for(world.staff_jccc).get(f"/reports/photos/{photo.pk}/").status_code == 200
    assert client_for(colleague).get(f"/reports/photos/{photo.pk}/image/").status_code == 200
    assert client_for(world.admin).get(f"/reports/photos/{photo.pk}/").status_code == 200
    assert client_for(world.staff_acc).get(f"/reports/photos/{photo.pk}/").status_code == 404
    assert client_for(world.staff_acc).get(f"/reports/photos/{photo.pk}/image/").status_code == 404
    listing = client_for(world.staff_acc).get("/reports/photos/").content.decode()
    assert photo.alt_text not in listing
