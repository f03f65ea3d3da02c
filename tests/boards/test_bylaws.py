"""A board's bylaws: a PDF uploaded by the coordinator (the type read from its bytes), served to those who
may see the board; bad files are refused with a clear message and nothing is stored; another district's
coordinator gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards.models import Board
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_coordinator_uploads_the_bylaws_and_bad_files_are_refused(world, client_for):
    board = bf.board(world.d9, world.boards)
    url = reverse("boards:board_bylaws", args=[board.pk])
    client = client_for(world.boards)
    assert client.get(url).status_code == 404  # none yet
    for upload, message in (
        (SimpleUploadedFile("bylaws.pdf", b"<html>not a pdf</html>", "application/pdf"), "must be a PDF file"),
        (SimpleUploadedFile("bylaws.pdf", b"", "application/pdf"), "The submitted file is empty."),
        (SimpleUploadedFile("bylaws.exe", b"MZ\x90\x00", "application/pdf"), "must be a PDF file"),
    ):
        page = client.post(url, {"bylaws": upload}, follow=True).content.decode()
        assert message in page, message
    assert client.post(url, {}, follow=True).status_code == 200
    board.refresh_from_db()
    assert not board.bylaws and board.bylaws_uploaded_on is None

    page = client.post(url, {"bylaws": SimpleUploadedFile("x.pdf", PDF, "application/pdf")}, follow=True)
    assert "Bylaws uploaded." in page.content.decode()
    board.refresh_from_db()
    assert board.bylaws and board.bylaws_uploaded_on is not None
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for(world.auditor).get(url).status_code == 200
    assert client_for(world.auditor).post(url, {"bylaws": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404


def test_another_district_gets_404(world, client_for):
    from core.choices import Role
    from tests.factories import UserFactory

    board = bf.board(world.d9, world.boards)
    url = reverse("boards:board_bylaws", args=[board.pk])
    other = client_for(UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10))
    assert other.post(url, {"bylaws": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    assert other.get(url).status_code == 404
    assert not Board.objects.get(pk=board.pk).bylaws
