"""One declaration per model (core.resources): what it generates, and what it refuses at start-up.

The declared models of core, gardens and donations are walked for scope by test_access_walk and
their lists are counted by the query-count tests; here the declaration itself is tested, on the
crop catalog (a plain declaration: nothing but model, fields, search, filters and menu) and on
throw-away declarations that are never registered.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.models import District, Facility, Offender, Organization
from core.registry import registry
from core.resources import Menu, Resource, resource_for
from gardens.choices import CropCategory
from gardens.models import Crop, Harvest
from tests.factories.gardens import CropFactory

pytestmark = pytest.mark.django_db


# What a declaration refuses ------------------------------------------------------------------
def _declare(**attrs):
    return type("ProbeResource", (Resource,), attrs)


def test_check_names_a_field_the_model_lacks():
    probe = _declare(model=Crop, fields=("name", "colour"))
    with pytest.raises(ImproperlyConfigured, match="Crop has no field 'colour'"):
        probe.check()


def test_check_names_a_missing_filter_field_too():
    probe = _declare(model=Crop, fields=("name",), filter_fields=("season",))
    with pytest.raises(ImproperlyConfigured, match="'season'"):
        probe.check()


def test_check_refuses_a_declaration_without_fields():
    with pytest.raises(ImproperlyConfigured, match="needs a model and its fields"):
        _declare(model=Crop).check()


def test_check_refuses_a_void_page_without_its_service():
    probe = _declare(model=Harvest, fields=("date",), pages=("list", "void"))
    with pytest.raises(ImproperlyConfigured, match="void_service"):
        probe.check()


def test_check_refuses_an_unknown_page():
    probe = _declare(model=Crop, fields=("name",), pages=("list", "delete"))
    with pytest.raises(ImproperlyConfigured, match=r"unknown pages \['delete'\]"):
        probe.check()


def test_a_model_declared_twice_is_refused():
    probe = _declare(model=Crop, fields=("name",))
    with pytest.raises(ValueError, match=r"gardens\.Crop is declared twice"):
        registry.resource(probe)
    assert resource_for(Crop) is not probe


# What a plain declaration generates ------------------------------------------------------------
def test_every_declared_model_is_found_by_its_model():
    for model in (District, Facility, Offender, Organization, Crop, Harvest):
        assert resource_for(model).model is model


def test_generated_pieces_use_the_one_field_list():
    crops = resource_for(Crop)
    assert list(crops.get_form_class().base_fields) == ["name", "category", "value_per_lb", "active"]
    assert list(crops.get_table_class().base_columns) == ["name", "category", "value_per_lb", "active"]
    assert list(crops.get_serializer_class()().fields) == ["id", "name", "category", "value_per_lb", "active"]
    assert set(crops.get_filterset_class().base_filters) == {"q", "category", "active"}
    assert crops.get_viewset_class().filterset_fields == ["category", "active"]
    assert [p.name for p in crops.urlpatterns()] == [f"crop_{page}" for page in crops.pages]


def test_a_declaration_with_a_menu_enters_the_menu():
    entries = {e.url_name: e for e in registry.menu.values()}
    assert entries["gardens:crop_list"].label == "Crops"
    assert entries["core:organization_list"].label == "Partner organizations"
    probe = _declare(model=Crop, fields=("name",), menu=Menu("Programs"))
    assert probe.menu.label == ""  # the label falls back to the plural name, as for Crops above


def test_detail_rows_print_choices_booleans_and_links(world):
    rows = {r["label"]: r for r in resource_for(Facility).detail_rows(world.jccc)}
    assert rows["Kind"]["value"] == world.jccc.get_kind_display()
    assert rows["Active"]["value"] == "Yes"
    assert rows["Name"]["url"] is None
    world.jccc.district = world.d9
    rows = {r["label"]: r for r in resource_for(Facility).detail_rows(world.jccc)}
    assert rows["District"]["url"] == world.d9.get_absolute_url()


def test_money_prints_as_dollars_in_the_list_and_on_the_page(world, client_for):
    crop = CropFactory(name="Moon okra", value_per_lb=Decimal("1234.5"))
    rows = {r["label"]: r for r in resource_for(Crop).detail_rows(crop)}
    assert rows["Estimated value per pound"]["value"] == "$1,234.50"
    client = client_for(world.admin)
    page = client.get(reverse("gardens:crop_list"), {"q": "moon okra"}).content.decode()
    assert "$1,234.50" in page
    csv = client.get(reverse("gardens:crop_list"), {"q": "moon okra", "_export": "csv"}).content.decode("utf-8-sig")
    assert "Moon okra,Vegetable,1234.50,True" in csv


# The crop catalog, from its declaration alone: list, search, filter, export, add, edit, history, API
def test_list_searches_filters_and_exports(world, client_for):
    CropFactory(name="Moon okra", category=CropCategory.VEGETABLE)
    CropFactory(name="Lemon basil", category=CropCategory.HERB)
    client = client_for(world.staff_jccc)
    url = reverse("gardens:crop_list")
    assert client.get(url).status_code == 200
    page = client.get(url, {"q": "moon okr"}).content.decode()
    assert "Moon okra" in page and "Lemon basil" not in page
    page = client.get(url, {"category": CropCategory.HERB, "q": "lemon"}).content.decode()
    assert "Lemon basil" in page and "Moon okra" not in page
    csv = client.get(url, {"category": CropCategory.HERB, "_export": "csv"}).content.decode("utf-8-sig")
    assert "Lemon basil" in csv and "Moon okra" not in csv
    assert csv.splitlines()[0].startswith("Name,Category")


def test_list_empty_state_says_what_to_do(world, client_for):
    page = client_for(world.admin).get(reverse("gardens:crop_list"), {"q": "nothing like this"}).content.decode()
    assert "Nothing matches" in page


def test_add_with_bad_input_says_why_and_stores_nothing(world, client_for):
    client = client_for(world.admin)
    before = Crop.objects.count()
    response = client.post(
        reverse("gardens:crop_add"), {"name": "", "category": "cactus", "value_per_lb": "-1", "active": "on"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert "This field is required." in page
    assert "Select a valid choice." in page
    assert "greater than or equal to 0" in page
    assert Crop.objects.count() == before


def test_add_edit_and_history_as_administrator(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        reverse("gardens:crop_add"),
        {"name": "Moon okra", "category": "vegetable", "value_per_lb": "1.25", "active": "on"},
    )
    crop = Crop.objects.get(name="Moon okra")
    assert response.status_code == 302 and response["Location"] == crop.get_absolute_url()
    assert crop.value_per_lb == Decimal("1.25")
    response = client.post(
        reverse("gardens:crop_edit", args=[crop.pk]),
        {"name": "Moon okra", "category": "vegetable", "value_per_lb": "2"},
    )
    assert response.status_code == 302
    crop.refresh_from_db()
    assert crop.value_per_lb == Decimal("2.00") and crop.active is False
    page = client.get(reverse("gardens:crop_detail", args=[crop.pk])).content.decode()
    assert "Moon okra" in page
    history = client.get(reverse("gardens:crop_history", args=[crop.pk])).content.decode()
    assert "Created" in history and "Changed" in history
    assert "<del>1.25</del>" in history and history.count(str(world.admin)) >= 2


def test_catalog_is_written_by_administrators_only(world, client_for):
    crop = CropFactory(name="Moon okra")
    client = client_for(world.staff_jccc)
    assert client.get(reverse("gardens:crop_detail", args=[crop.pk])).status_code == 200
    assert client.get(reverse("gardens:crop_edit", args=[crop.pk])).status_code == 404
    client.post(reverse("gardens:crop_add"), {"name": "Sea kale", "category": "leafy_green", "value_per_lb": "1"})
    assert not Crop.objects.filter(name="Sea kale").exists()


def test_api_from_the_declaration_filters_and_rejects_bad_input(world, client_for):
    CropFactory(name="Moon okra", category=CropCategory.VEGETABLE)
    CropFactory(name="Lemon basil", category=CropCategory.HERB)
    client = client_for(world.admin)
    rows = client.get("/api/v1/crops/", {"category": CropCategory.HERB, "page_size": 100}).json()["results"]
    assert "Lemon basil" in [r["name"] for r in rows]
    assert {r["category"] for r in rows} == {CropCategory.HERB}
    assert set(rows[0]) == {"id", "name", "category", "value_per_lb", "active"}
    response = client.post(
        "/api/v1/crops/", {"name": "Sea kale", "category": "cactus"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "category" in response.json()
    assert not Crop.objects.filter(name="Sea kale").exists()
