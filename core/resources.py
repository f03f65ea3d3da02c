"""One declaration per model (NetBox's idea): its pages, their URLs, its menu entry and its API.

An app declares each model it shows once, in its ``registrations.py``::

    @register
    class DistrictResource(Resource):
        model = District
        fields = ("number", "name", "region")
        search_fields = ("name",)
        filter_fields = ("region",)
        menu = Menu("Places", "Districts", order=20)

and puts ``*resource_urls("core")`` in its ``urls.py``. From that one field list come:

- the list page (``<app>:<model>_list``): a table whose first column links to the record, a filter
  form with a free-text search and one dropdown per ``filter_fields`` entry (choices, related
  records in the user's scope, yes/no), CSV and XLSX export, pagination;
- the add and edit pages (``_add``, ``_edit``): a ``ScopedModelForm`` of ``fields``;
- the detail page (``_detail``): the fields as label and value, related records linked;
- the history page (``_history``);
- the menu entry, shown to whoever may view the model;
- the API viewset at ``/api/v1/<api_prefix>/`` with ``id`` and ``fields``, filterable by
  ``api_filter_fields``.

Scope is the model's (``.restrict()``), applied by the generic views underneath, so a declaration
cannot forget it. Where a model needs more than the generic piece (a rule in ``clean_code``, a
column rendered two ways, a detail page with related records, a save through a service), the
declaration names its own class for that piece: ``form_class``, ``table_class``,
``filterset_class``, ``serializer_class``, ``viewset_class``, or a view (``list_view``,
``detail_view``, ``edit_view``, ``history_view``) that subclasses the generic one and is given the
declaration's model, queryset, table, filters and form where it does not set its own.
A model with a detail page has ``get_absolute_url`` returning ``reverse("<app>:<model>_detail")``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import django_filters
import django_tables2 as tables
from django import forms
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.forms import modelform_factory
from django.urls import path
from django.utils.text import capfirst, slugify

from core.api.base import ScopedModelSerializer, ScopedModelViewSet
from core.api.entries import VoidActionMixin
from core.api.router import router
from core.filters import SearchFilterSet, scoped
from core.forms import ScopedModelForm
from core.money import MoneyField, format_money
from core.registry import MenuEntry, registry
from core.tables import RIGHT, BaseTable, MoneyColumn
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView, ObjectVoidView

PAGES = ("list", "add", "detail", "edit", "history", "void")


@dataclass(frozen=True)
class Menu:
    """Where the list page appears in the navigation: its group, its label (by default the model's
    plural name), its place in the group, and who sees it (by default whoever may view the model)."""

    group: str
    label: str = ""
    order: int = 100
    visible: Callable | None = None


class Resource:
    """A model's declaration. Subclass, set ``model`` and ``fields``, and decorate with ``register``."""

    model: type[models.Model] | None = None
    fields: tuple[str, ...] = ()
    table_fields: tuple[str, ...] | None = None
    detail_fields: tuple[str, ...] | None = None
    api_fields: tuple[str, ...] | None = None
    search_fields: tuple[str, ...] = ()
    filter_fields: tuple[str, ...] = ()
    api_filter_fields: tuple[str, ...] | None = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    url_prefix: str | None = None
    api_prefix: str | None = None
    api: bool = True
    pages: tuple[str, ...] = ("list", "add", "detail", "edit", "history")
    void_service: Callable | None = None
    void_arg: str = "entry"
    menu: Menu | None = None
    title: str | None = None
    intro: str = ""

    form_class: type | None = None
    table_class: type | None = None
    filterset_class: type | None = None
    serializer_class: type | None = None
    viewset_class: type | None = None
    list_view: type | None = None
    detail_view: type | None = None
    edit_view: type | None = None
    history_view: type | None = None
    void_view: type | None = None

    # Names ------------------------------------------------------------------------------------
    @classmethod
    def meta(cls):
        return cls.model._meta

    @classmethod
    def name(cls) -> str:
        return cls.meta().model_name

    @classmethod
    def url_name(cls, page: str) -> str:
        return f"{cls.meta().app_label}:{cls.name()}_{page}"

    @classmethod
    def prefix(cls) -> str:
        """The pages' path in the app ("" puts the list at the app's root)."""
        if cls.url_prefix is not None:
            return cls.url_prefix
        return slugify(str(cls.meta().verbose_name_plural))

    @classmethod
    def page_names(cls) -> tuple[str, ...]:
        """The declared pages, and the void page of a voidable entry."""
        return (*cls.pages, "void") if cls.void_service and "void" not in cls.pages else tuple(cls.pages)

    # The pieces -------------------------------------------------------------------------------
    @classmethod
    def field(cls, name: str):
        """The model field a name starts from (``district__number`` is the ``district`` field)."""
        return cls.meta().get_field(name.split("__")[0])

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        return tuple(cls.table_fields or cls.fields)

    @classmethod
    def get_queryset(cls):
        select = list(cls.select_related)
        prefetch = list(cls.prefetch_related)
        for name in (*cls.columns(), *(cls.detail_fields or cls.fields)):
            field = cls.field(name)
            if field.many_to_one or field.one_to_one:
                select.append(field.name)
            elif field.many_to_many:
                prefetch.append(name)
        queryset = cls.model._default_manager.all()
        if select:
            queryset = queryset.select_related(*dict.fromkeys(select))
        if prefetch:
            queryset = queryset.prefetch_related(*dict.fromkeys(prefetch))
        return queryset

    @classmethod
    @cache
    def get_form_class(cls):
        if _declares_model(cls.form_class):
            return cls.form_class
        return modelform_factory(cls.model, form=cls.form_class or ScopedModelForm, fields=list(cls.fields))

    @classmethod
    @cache
    def get_table_class(cls):
        if _declares_model(cls.table_class):
            return cls.table_class
        base = cls.table_class or BaseTable
        # A column named ``district__number`` is the district column showing the district's number;
        # the first column links to the record. Columns the app's table declares are its own.
        attrs, names = {}, []
        for i, name in enumerate(cls.columns()):
            field = cls.field(name)
            names.append(field.name)
            if field.name in base.base_columns:
                continue
            link = {"linkify": lambda record: record.get_absolute_url()} if i == 0 else {}
            if "__" in name:
                attrs[field.name] = tables.Column(accessor=name, verbose_name=capfirst(field.verbose_name), **link)
            elif field.many_to_many:
                attrs[field.name] = tables.ManyToManyColumn(orderable=False, **link)
            elif isinstance(field, MoneyField):
                attrs[field.name] = MoneyColumn(verbose_name=capfirst(field.verbose_name), **link)
            elif isinstance(field, (models.DecimalField, models.IntegerField)) and not field.choices and not link:
                attrs[field.name] = tables.Column(attrs=RIGHT)
            elif link:
                attrs[field.name] = tables.Column(**link)
        attrs["Meta"] = type("Meta", (base.Meta,), {"model": cls.model, "fields": tuple(names)})
        return type(f"{cls.model.__name__}Table", (base,), attrs)

    @classmethod
    @cache
    def get_filterset_class(cls):
        if _declares_model(cls.filterset_class):
            return cls.filterset_class
        base = cls.filterset_class or SearchFilterSet
        attrs = {"search_fields": tuple(cls.search_fields)}
        for name in cls.filter_fields:
            if name not in base.declared_filters:
                attrs[name] = _filter_for(cls.field(name))
        if not cls.search_fields:
            attrs["q"] = None
        attrs["Meta"] = type("Meta", (), {"model": cls.model, "fields": []})
        return type(f"{cls.model.__name__}FilterSet", (base,), attrs)

    @classmethod
    @cache
    def get_serializer_class(cls):
        if _declares_model(cls.serializer_class):
            return cls.serializer_class
        base = cls.serializer_class or ScopedModelSerializer
        fields = ["id", *(cls.api_fields or cls.fields)]
        meta = type("Meta", (), {"model": cls.model, "fields": fields})
        return type(f"{cls.model.__name__}Serializer", (base,), {"Meta": meta})

    @classmethod
    @cache
    def get_viewset_class(cls):
        base = cls.viewset_class or ScopedModelViewSet
        attrs = {"queryset": cls.get_queryset(), "serializer_class": cls.get_serializer_class()}
        if cls.void_service is not None and not issubclass(base, VoidActionMixin):
            # A voidable entry's API has the void action, through the same service as its page.
            base = type(base.__name__, (VoidActionMixin, base), {})

        if getattr(base, "filterset_class", None) is None:
            names = cls.filter_fields if cls.api_filter_fields is None else cls.api_filter_fields
            attrs["filterset_fields"] = list(names)
        viewset = _subclass(base, f"{cls.model.__name__}ViewSet", attrs)
        if cls.void_service is not None:
            viewset.void_service, viewset.void_arg = cls.void_service, cls.void_arg
        return viewset

    @classmethod
    @cache
    def views(cls) -> dict[str, type]:
        """The page views, by page name (``add`` and ``edit`` share one view)."""
        name = cls.model.__name__
        queryset = cls.get_queryset()
        common = {"model": cls.model, "resource": cls}
        views = {
            "list": _subclass(
                cls.list_view or ObjectListView,
                f"{name}ListView",
                {
                    **common,
                    "queryset": queryset,
                    "table_class": cls.get_table_class(),
                    "filterset_class": cls.get_filterset_class(),
                    "add_url_name": cls.url_name("add") if "add" in cls.pages else None,
                    "title": cls.title,
                    "intro": cls.intro,
                },
            ),
            "detail": _subclass(
                cls.detail_view or ObjectDetailView, f"{name}DetailView", {**common, "queryset": queryset}
            ),
            "edit": _subclass(
                cls.edit_view or ObjectEditView, f"{name}EditView", {**common, "form_class": cls.get_form_class()}
            ),
            "history": _subclass(cls.history_view or ObjectHistoryView, f"{name}HistoryView", common),
        }
        views["add"] = views["edit"]
        if cls.void_service is not None:
            views["void"] = type(
                f"{name}VoidView",
                (cls.void_view or ObjectVoidView,),
                {"model": cls.model, "service": cls.void_service, "service_arg": cls.void_arg},
            )
        return views

    @classmethod
    def urlpatterns(cls) -> list:
        views = cls.views()
        base = f"{cls.prefix()}/" if cls.prefix() else ""
        routes = {
            "list": base,
            "add": f"{base}add/",
            "detail": f"{base}<int:pk>/",
            "edit": f"{base}<int:pk>/edit/",
            "history": f"{base}<int:pk>/history/",
            "void": f"{base}<int:pk>/void/",
        }
        return [path(routes[page], views[page].as_view(), name=f"{cls.name()}_{page}") for page in cls.page_names()]

    @classmethod
    def detail_rows(cls, obj) -> list[dict]:
        """The detail page's label and value pairs; a related record is linked to its page."""
        rows = []
        for name in cls.detail_fields or cls.fields:
            field = cls.meta().get_field(name)
            value, url = getattr(obj, name), None
            if field.many_to_many:
                value = ", ".join(str(v) for v in value.all())
            elif field.choices:
                value = getattr(obj, f"get_{name}_display")()
            elif field.is_relation and value is not None:
                url = value.get_absolute_url() if hasattr(value, "get_absolute_url") else None
            elif isinstance(field, models.BooleanField):
                value = "Yes" if value else "No"
            elif isinstance(field, MoneyField) and value is not None:
                value = format_money(value)
            rows.append({"label": capfirst(field.verbose_name), "value": value, "url": url})
        return rows

    @classmethod
    def check(cls):
        """Fail at start-up, with the field's name, when a declaration names a field the model lacks."""
        if cls.model is None or not cls.fields:
            raise ImproperlyConfigured(f"{cls.__name__} needs a model and its fields.")
        named = {
            *cls.fields,
            *(cls.table_fields or ()),
            *(cls.detail_fields or ()),
            *cls.filter_fields,
            *(cls.api_filter_fields or ()),
        }
        for name in named:
            try:
                cls.field(name)
            except FieldDoesNotExist as exc:
                raise ImproperlyConfigured(f"{cls.__name__}: {cls.model.__name__} has no field {name!r}.") from exc
        if "void" in cls.pages and cls.void_service is None:
            raise ImproperlyConfigured(f"{cls.__name__}: a void page needs the entry's void_service.")
        if "detail" in cls.pages and not hasattr(cls.model, "get_absolute_url"):
            raise ImproperlyConfigured(
                f"{cls.__name__}: {cls.model.__name__} needs get_absolute_url() (its {cls.url_name('detail')} page)."
            )
        unknown = set(cls.pages) - set(PAGES)
        if unknown:
            raise ImproperlyConfigured(f"{cls.__name__}: unknown pages {sorted(unknown)}; choose from {PAGES}.")


def register(cls: type[Resource]) -> type[Resource]:
    """Enter a declaration: its menu entry and API viewset now, its URLs through ``resource_urls``."""
    cls.check()
    registry.resource(cls)
    if cls.menu is not None:
        label = cls.menu.label or capfirst(cls.meta().verbose_name_plural)
        registry.menu_item(
            MenuEntry(
                f"{cls.meta().app_label}-{cls.name()}",
                cls.menu.group,
                label,
                cls.url_name("list"),
                model=cls.model,
                visible=cls.menu.visible,
                order=cls.menu.order,
            )
        )
    if cls.api:
        router.register(cls.api_prefix or cls.prefix(), cls.get_viewset_class(), basename=cls.name())
    return cls


def resource_urls(app_label: str) -> list:
    """The URL patterns of every declaration of one app, for its ``urls.py``."""
    return [pattern for cls in registry.resources_for(app_label) for pattern in cls.urlpatterns()]


def resource_for(model) -> type[Resource] | None:
    return registry.resources.get(model._meta.label)


def _declares_model(piece) -> bool:
    """An app's form, table, filter set or serializer that names its model and fields is used as it is;
    one without ``Meta.model`` holds only its rules and is given the declaration's fields."""
    return piece is not None and getattr(getattr(piece, "Meta", None), "model", None) is not None


def _subclass(base: type, name: str, attrs: dict) -> type:
    """``base`` given the declaration's attributes wherever it does not set its own."""
    kept = {key: value for key, value in attrs.items() if getattr(base, key, None) in (None, "")}
    return type(name, (base,), kept)


def _filter_for(field):
    label = capfirst(field.verbose_name)
    if field.choices:
        return django_filters.ChoiceFilter(choices=field.choices, label=label, empty_label=f"Any {field.verbose_name}")
    if field.is_relation:
        return django_filters.ModelChoiceFilter(
            queryset=scoped(field.related_model), label=label, empty_label=f"Any {field.verbose_name}"
        )
    if isinstance(field, models.BooleanField):
        return django_filters.BooleanFilter(
            label=label, widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")])
        )
    if isinstance(field, (models.CharField, models.TextField)):
        return django_filters.CharFilter(label=label, lookup_expr="icontains")
    return django_filters.FilterSet.filter_for_field(field, field.name)
