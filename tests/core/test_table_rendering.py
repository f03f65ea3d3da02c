"""core's fast table rendering writes exactly what django-tables2's packaged templates write: the body
(``{% table_body %}``) and the date columns rendered in Python."""

import datetime as dt
import re

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core.models import Offender
from core.tables import DateColumn, DateTimeColumn, OffenderTable
from gardens.models import Harvest
from gardens.tables import HarvestTable
from tests.factories import OffenderFactory
from tests.factories.gardens import HarvestFactory

pytestmark = pytest.mark.django_db


def _tbody(html: str) -> str:
    body = re.search(r"<tbody.*?</tbody>", html, re.S)[0]
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", body)).replace(" >", ">").strip()


def _render(table, template_name):
    table.template_name = template_name
    request = RequestFactory().get("/")
    return Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )


@pytest.mark.parametrize("make", ["offenders", "harvests", "empty"])
def test_the_body_is_the_packaged_templates_body(make):
    if make == "offenders":
        for i in range(3):
            OffenderFactory(last_name=f"O'Brien <{i}>")
    elif make == "harvests":
        for _ in range(3):
            HarvestFactory()

    def table():  # a new table for each rendering: a table counts its rows as it renders them
        if make == "harvests":
            return HarvestTable(Harvest.objects.select_related("facility", "garden", "crop", "entered_by"))
        return OffenderTable(Offender.objects.all() if make == "offenders" else Offender.objects.none())

    ours = _render(table(), "django_tables2/bootstrap5-responsive.html")  # RJ Admin's, with table_body
    theirs = _render(table(), "django_tables2/bootstrap5.html")  # the packaged one
    assert "<tr" in _tbody(ours)
    assert _tbody(ours) == _tbody(theirs)


class _Dates(tables.Table):
    plain = tables.DateColumn()
    long = tables.DateColumn(short=False)
    custom = tables.DateColumn(format="M j, Y", default="—")
    stamp = tables.DateTimeColumn()


class _FastDates(tables.Table):
    plain = DateColumn()
    long = DateColumn(short=False)
    custom = DateColumn(format="M j, Y", default="—")
    stamp = DateTimeColumn()


def test_date_columns_print_what_the_template_columns_print():
    moment = dt.datetime(2026, 3, 8, 23, 30, tzinfo=dt.UTC)  # another day in Missouri
    rows = [
        {"plain": dt.date(2024, 2, 29), "long": dt.date(2026, 12, 31), "custom": dt.date(2026, 1, 5), "stamp": moment},
        {"plain": dt.date(2026, 7, 4), "long": dt.date(2026, 7, 4), "custom": None, "stamp": None},
    ]
    ours = _tbody(_render(_FastDates(rows), "django_tables2/bootstrap5.html"))
    theirs = _tbody(_render(_Dates(rows), "django_tables2/bootstrap5.html"))
    assert "Feb" in ours or "02/29" in ours or "2/29" in ours
    assert ours == theirs


def test_a_model_date_field_gets_the_python_rendered_column():
    class Auto(tables.Table):
        class Meta:
            model = Offender
            fields = ("supervision_end_date",)

    assert type(Auto(Offender.objects.none()).columns["supervision_end_date"].column) is DateColumn


def test_the_kept_signature_is_tables2s_and_a_bound_method_still_binds_its_own_table():
    from django_tables2 import utils

    class Named(tables.Table):
        name = tables.Column()

        def __init__(self, data, suffix):
            super().__init__(data)
            self.suffix = suffix

        def render_name(self, value, record, **kwargs):
            return f"{value}{self.suffix}"

    def plain(value, record=None):
        return value

    assert utils.signature(plain) == (("value", "record"), None)
    assert utils.signature(Named([], "").render_name) == (("value", "record"), "kwargs")
    one, two = Named([{"name": "a"}], "-1"), Named([{"name": "a"}], "-2")
    assert [row.get_cell("name") for row in one.rows] == ["a-1"]
    assert [row.get_cell("name") for row in two.rows] == ["a-2"]
