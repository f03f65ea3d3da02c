"""core.errors (a ValidationError on a form or as an API error) and core.rows (multi-row entry)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict

from core.errors import api_error_detail, api_error_from, form_errors_from
from core.rows import MAX_ROWS, ROW_KEY, blank_row, bound_rows, new_row_key, row_is_blank, row_keys


class ThingForm(forms.Form):
    name = forms.CharField(required=False)
    weight = forms.DecimalField(required=False)


def test_field_errors_go_under_their_fields_and_the_rest_on_top():
    form = ThingForm({"name": "x", "weight": "1"})
    assert form.is_valid()
    form_errors_from(form, ValidationError({"name": "Taken.", "colour": "No such colour.", NON_FIELD_ERRORS: "No."}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["No such colour.", "No."]


def test_a_plain_error_goes_on_top_or_under_the_default_field():
    form = ThingForm({})
    assert form.is_valid()
    form_errors_from(form, ValidationError(["One.", "Two."]))
    assert form.non_field_errors() == ["One.", "Two."]
    other = ThingForm({})
    assert other.is_valid()
    form_errors_from(other, ValidationError("Too big."), default_field="weight")
    assert other.errors["weight"] == ["Too big."]


def test_api_errors_are_keyed_like_drf():
    assert api_error_detail(ValidationError("No.")) == {"non_field_errors": ["No."]}
    assert api_error_detail(ValidationError({"weight_lb": "Too much.", NON_FIELD_ERRORS: "No."})) == {
        "weight_lb": ["Too much."],
        "non_field_errors": ["No."],
    }
    error = api_error_from(ValidationError({"date": "In the future."}))
    assert error.status_code == 400
    assert error.detail == {"date": ["In the future."]}


def test_row_keys_are_well_formed_unique_and_limited():
    key = new_row_key()
    assert ROW_KEY.match(key)
    data = QueryDict(mutable=True)
    data.setlist("row", [key, key, "bad", "r1234567z", *(f"r{i:08x}" for i in range(MAX_ROWS + 5))])
    keys = row_keys(data, "row")
    assert keys[0] == key and len(keys) == MAX_ROWS and len(set(keys)) == MAX_ROWS
    assert row_keys(data, "row", limit=3) == keys[:3]


def test_blank_rows_are_dropped():
    data = QueryDict(mutable=True)
    data.setlist("row", ["r00000001", "r00000002"])
    data["r00000001-name"] = "kale"
    data["r00000002-name"] = "  "
    assert not row_is_blank(data, "r00000001", ThingForm)
    assert row_is_blank(data, "r00000002", ThingForm)
    rows = bound_rows(data, "row", ThingForm)
    assert [r.prefix for r in rows] == ["r00000001"]
    assert rows[0].is_valid() and rows[0].cleaned_data["name"] == "kale"
    fresh = blank_row(ThingForm)
    assert not fresh.is_bound and ROW_KEY.match(fresh.prefix)


def test_save_in_scope_keeps_a_save_in_scope_and_rolls_back_one_outside(world):
    import pytest

    from core.models import Facility
    from core.querysets import VIEW, OutOfScope, save_in_scope

    def rename(facility, name):
        def save():
            facility.name = name
            facility.save()
            return facility

        return save

    saved = save_in_scope(rename(world.jccc, "JCCC renamed"), user=world.staff_jccc, action=VIEW)
    assert Facility.objects.get(pk=saved.pk).name == "JCCC renamed"
    with pytest.raises(OutOfScope) as caught:
        save_in_scope(rename(world.acc, "ACC renamed"), user=world.staff_jccc, action=VIEW, message="Not yours.")
    assert caught.value.messages == ["Not yours."]
    assert Facility.objects.get(pk=world.acc.pk).name == "Algoa Correctional Center"
