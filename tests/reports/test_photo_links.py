"""Program records link to the photo upload for those who may change them."""

import pytest

from core.services import demo_seed


@pytest.fixture
def seeded(db):
    from core.registry import registry

    demo_seed(offenders=10)
    for seeder in registry.demo_seeders():
        seeder()


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["gardens.harvest", "donations.donation", "donations.fundraiser"])
def test_detail_page_links_to_photo_upload(seeded, client, label):
    from django.apps import apps

    from core.models import User

    user = User.objects.get(username="staff.jccc")
    client.force_login(user)
    obj = apps.get_model(label).objects.restrict(user, "change").first()
    link = f"/reports/photos/upload/{label}/{obj.pk}/"
    assert link in client.get(obj.get_absolute_url()).content.decode()
    assert client.get(link).status_code == 200
    other = User.objects.get(username="staff.algoa")
    client.force_login(other)
    assert client.get(link).status_code == 404
