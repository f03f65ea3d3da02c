"""Setting a user's password (administrators) and managing one's own API token."""

import pytest
from rest_framework.authtoken.models import Token

NEW_PASSWORD = "a-new-long-passphrase-77"


@pytest.mark.django_db
def test_set_password_by_administrator_changes_it(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        f"/users/{world.officer.pk}/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_set_password_weak_password_is_refused(world, client_for):
    client = client_for(world.admin)
    response = client.post(f"/users/{world.officer.pk}/password/", {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    world.officer.refresh_from_db()
    assert not world.officer.check_password("12345")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["supervisor", "officer", "auditor"])
def test_set_password_by_non_administrator_is_404(world, client_for, who):
    client = client_for(getattr(world, who))
    response = client.post(
        f"/users/{world.officer2.pk}/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 404
    world.officer2.refresh_from_db()
    assert not world.officer2.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_api_token_is_shown_once_and_works(world, client_for):
    client = client_for(world.officer)
    client.post("/account/api-token/", {"action": "new"})
    token = Token.objects.get(user=world.officer)
    page = client.get("/account/api-token/").content.decode()
    assert token.key in page
    assert token.key not in client.get("/account/api-token/").content.decode()

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    ids = [row["doc_id"] for row in api.get("/api/v1/offenders/").json()["results"]]
    assert ids == [world.supervised.doc_id]


@pytest.mark.django_db
def test_api_token_replace_and_revoke(world, client_for):
    client = client_for(world.officer)
    client.post("/account/api-token/", {"action": "new"})
    first = Token.objects.get(user=world.officer).key
    client.post("/account/api-token/", {"action": "new"})
    assert Token.objects.get(user=world.officer).key != first
    client.post("/account/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=world.officer).exists()


@pytest.mark.django_db
def test_api_schema_and_docs_need_sign_in(client):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    assert client.get("/api/v1/docs/").status_code in (401, 403)


@pytest.mark.django_db
def test_password_reset_by_email_is_not_offered(client):
    assert client.get("/accounts/password_reset/").status_code == 404
