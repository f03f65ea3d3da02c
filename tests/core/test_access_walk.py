"""Every URL of the project, as every role and as nobody: out of scope is a 404, never a 2xx or a 403.

The walker recurses through ``get_resolver().url_patterns`` (the API router's patterns included)
and fills each pattern's kwargs from the declarations in ``tests/access.py``: for each model, a few
labelled records and the labels each role may see. For every role it requests every pattern with
one record in the role's scope (a read page must answer 200, any other page must not fail) and
with every record out of it (404; a visitor who is not signed in may instead be sent to sign in).
A pattern with a kwarg nobody declared fails the walk, naming the pattern, so a new app's URLs
cannot be left out.

Two answers other than 404 are accepted for a record out of scope, and only when the same URL with
an id that does not exist gets the very same answer (so the answer says nothing about the record):
405 (a GET on a URL that only takes POST), and for a visitor who is not signed in the API's 401 or
403 "not signed in", given before any record is looked up.

Django admin (``/django-admin/``) is for superusers only: no role is a superuser, so every admin URL
sends the administrator role and a visitor to the admin's sign-in page (the sign-in page itself
opens). A superuser opens the admin index and every change list.

GET only: nothing is posted.
"""

from __future__ import annotations

import operator
import uuid

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

from core.querysets import VIEW
from core.views.generic import ScopedMixin
from tests import access

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "django-admin/"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/django-admin/login/"


# Walking the URL conf ----------------------------------------------------------------------------
def url_patterns():
    """``(name, chain, pattern)`` for every endpoint: ``chain`` is the resolvers down to it, then it."""

    def walk(patterns, chain, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, (*chain, entry), ns)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
                yield name, (*chain, entry), entry

    yield from walk(get_resolver().url_patterns, (), "")


def is_admin(chain) -> bool:
    return str(chain[0].pattern) == ADMIN_PREFIX


def full_regex(chain) -> str:
    return "".join(part.pattern.regex.pattern.removeprefix("^") for part in chain)


def kwargs_of(chain) -> set[str]:
    import re

    names = set(re.compile(full_regex(chain)).groupindex)
    return names - set(chain[-1].default_args)


def label_of(name, chain) -> str:
    return f"{name or '(unnamed)'} ({''.join(str(part.pattern) for part in chain)})"


def positional_groups(chain) -> int:
    import re

    regex = re.compile(full_regex(chain))
    return regex.groups - len(regex.groupindex)


def build_url(chain, values: dict, positional: str | None = None) -> str:
    """The URL of ``chain`` with ``values``; unnamed groups (Django admin's) get ``positional``."""
    for template, params in normalize(full_regex(chain)):
        unnamed = {p: positional for p in params if p.startswith("_") and positional is not None}
        if set(params) == set(values) | set(unnamed):
            return "/" + template % {k: str(v) for k, v in {**values, **unnamed}.items()}
    raise AssertionError(f"cannot build {label_of('', chain)} from {sorted(values)}")


def view_class(pattern):
    callback = pattern.callback
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def view_model(pattern):
    cls = view_class(pattern)
    if cls is None:
        return None
    queryset = getattr(cls, "queryset", None)
    return getattr(cls, "model", None) or getattr(queryset, "model", None) or getattr(cls, "target_model", None)


def is_read(pattern, target) -> bool:
    """A page that shows the record: 200 for a role that may see it."""
    if target.read:
        return True
    cls = view_class(pattern)
    actions = getattr(pattern.callback, "actions", None)
    if actions is not None:  # a DRF viewset route
        return actions.get("get") == "retrieve"
    if cls is not None and "get" not in cls.http_method_names:  # a POST-only page on a record's view
        return False
    return cls is not None and issubclass(cls, ScopedMixin) and getattr(cls, "action", None) == VIEW


def target_of(name, pattern, object_kwargs):
    """What the pattern's kwargs name (``access.Target``), or a reason there is no declaration."""
    targets = access.url_targets()
    if name in targets:
        return targets[name], None
    model = view_model(pattern)
    if model is None:
        return None, f"the view does not name its model and {name!r} is not in tests/access.py URL_TARGETS"
    fields = {f.name for f in model._meta.concrete_fields}
    mapping = {}
    for kwarg in object_kwargs:
        if kwarg != "pk" and kwarg not in fields:
            return None, f"kwarg {kwarg!r} is no field of {model.__name__}: declare it in tests/access.py"
        mapping[kwarg] = kwarg
    return access.Target(model, mapping), None


def target_keys(target) -> list:
    key = target.key
    return key() if callable(key) and not isinstance(key, type) else [key]


def missing_value(value):
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=1)
    if isinstance(value, int):
        return 2_000_000_000
    return "no-such-record"


# The plan: every request of the walk, built from the declarations --------------------------------
class Request:
    __slots__ = ("kind", "missing", "name", "record", "url")

    def __init__(self, kind, name, url, record="", missing=None):
        self.kind, self.name, self.url, self.record, self.missing = kind, name, url, record, missing


def plan(world, role: str, problems: list[str]) -> tuple[list[Request], int]:
    """The requests for ``role``; a pattern nobody declared goes to ``problems``."""
    declared = access.objects()
    built: dict = {}

    def records(key):
        if key not in built:
            built[key] = declared[key].build(world)
        return built[key]

    requests, patterns, walked = [], 0, set()
    for name, chain, pattern in url_patterns():
        if is_admin(chain):
            continue
        patterns += 1
        kwargs = kwargs_of(chain)
        if positional_groups(chain):
            problems.append(f"{label_of(name, chain)}: unnamed groups the walk cannot tell apart; name them")
            continue
        object_kwargs = kwargs - set(access.CONSTANTS)
        constants = {k: access.CONSTANTS[k] for k in kwargs & set(access.CONSTANTS)}
        if not object_kwargs:
            requests.append(Request("plain", name, build_url(chain, constants)))
            continue
        if chain[-1].pattern.regex.pattern == "^media/(?P<path>.*)$":
            # Development only (settings.DEBUG): files served as stored; see the module's docstring.
            requests.append(Request("plain", name, build_url(chain, {"path": "walk/no-such-file.txt"})))
            continue
        target, why = target_of(name, pattern, object_kwargs)
        if target is not None and set(target.kwargs) != object_kwargs:
            target, why = None, f"kwargs {sorted(object_kwargs - set(target.kwargs))} have no declaration"
        if target is None:
            problems.append(f"{label_of(name, chain)}: {why}")
            continue
        read = is_read(pattern, target)
        for key in target_keys(target):
            if key not in declared:
                problems.append(f"{label_of(name, chain)}: {key!r} has no declaration in tests/access.py OBJECTS")
                continue
            objs = records(key)
            visible = declared[key].visible(role, objs)
            hidden = sorted(set(objs) - visible)
            chosen = sorted(visible)[:1] + hidden
            if (pattern.callback, key) in walked:
                # The same view again (the API's ".json" twin of a route): one record is enough.
                chosen = hidden[:1] or chosen[:1]
            walked.add((pattern.callback, key))
            for label in chosen:
                values = {k: operator.attrgetter(attr)(objs[label]) for k, attr in target.kwargs.items()}
                url = build_url(chain, {**values, **constants})
                missing = build_url(chain, {**{k: missing_value(v) for k, v in values.items()}, **constants})
                kind = ("read" if read else "in") if label in visible else "out"
                requests.append(Request(kind, name, url, f"{key_name(key)} {label!r}", missing))
    return requests, patterns


def key_name(key) -> str:
    return key.__name__ if isinstance(key, type) else str(key)


# Requests ----------------------------------------------------------------------------------------
def get(client, url):
    try:
        return client.get(url), None
    except Exception as exc:  # a view that fails is reported with the rest, not at the first one
        return None, f"raised {type(exc).__name__}: {exc}"[:300]


def sends_to_sign_in(response, login=LOGIN) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login)


def check(client, role: str, request: Request) -> str | None:
    """What is wrong with the answer to ``request``, or None."""
    response, error = get(client, request.url)
    if error:
        return error
    status = response.status_code
    anonymous = role == access.ANONYMOUS
    if status >= 500:
        return f"{status}"
    if request.kind == "plain":
        if anonymous and request.name not in access.PUBLIC_URLS and 200 <= status < 300:
            return f"{status}: a page that is not public opened without signing in"
        return None
    if request.kind == "read":
        return None if status == 200 else f"{status}, expected 200 (in scope)"
    if request.kind == "in":
        return None
    # out of scope
    if status == 404 or (anonymous and sends_to_sign_in(response)):
        return None
    tolerated = {405} | ({401, 403} if anonymous else set())
    if status in tolerated:
        same, error = get(client, request.missing)
        if same is not None and same.status_code == status:
            return None
        return f"{status}, but {same.status_code if same else error} for an id that does not exist"
    where = f" -> {response['Location']}" if 300 <= status < 400 else ""
    return f"{status}{where}, expected 404 (out of scope)"


@pytest.fixture
def walk_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # photos and files of this test only
    return access.extend_world(world)


@pytest.mark.parametrize("role", access.ROLES)
def test_every_url_keeps_out_of_scope_records_404(walk_world, client, role):
    if role != access.ANONYMOUS:
        client.force_login(getattr(walk_world, role))
    problems: list[str] = []
    requests, patterns = plan(walk_world, role, problems)
    assert not problems, "URL patterns the walk cannot fill (declare them in tests/access.py):\n" + "\n".join(problems)
    assert patterns > 150, patterns  # the walk saw the URL conf, not a part of it
    assert {r.kind for r in requests} >= {"plain", "out"}
    violations = []
    for request in requests:
        wrong = check(client, role, request)
        if wrong:
            what = f" ({request.record}, {request.kind})" if request.record else ""
            violations.append(f"{role}: GET {request.url} [{request.name}]{what}: {wrong}")
    assert not violations, f"{len(violations)} of {len(requests)} requests answered wrongly:\n" + "\n".join(violations)


def test_the_walk_fails_on_a_kwarg_nobody_declared():
    """A pattern the declarations do not cover is a failure that names it, not a skip."""
    from django.urls import path
    from django.views.generic import DetailView

    class Undeclared(DetailView):
        pass

    pattern = path("kennels/<int:pk>/", Undeclared.as_view(), name="kennel_detail")
    target, why = target_of("kennels:kennel_detail", pattern, {"pk"})
    assert target is None
    assert "kennels:kennel_detail" in why
    from gardens.models import Garden

    class Unknown(DetailView):
        model = Garden

    target, why = target_of("x", path("g/<int:pk>/<slug:breed>/", Unknown.as_view()), {"pk", "breed"})
    assert target is None and "'breed'" in why


# Django admin --------------------------------------------------------------------------------------
def admin_patterns():
    for name, chain, pattern in url_patterns():
        if is_admin(chain):
            yield name, chain, pattern


ADMIN_VALUES = {"id": "1", "object_id": "1", "content_type_id": "1", "url": "no-such-page/"}


def admin_url(chain) -> str:
    values = {}
    for kwarg in kwargs_of(chain):
        if kwarg == "app_label":
            values[kwarg] = next(iter(admin.site._registry))._meta.app_label
        else:
            values[kwarg] = ADMIN_VALUES[kwarg]
    url = build_url(chain, values, positional="1")
    assert resolve(url).func == chain[-1].callback, url
    return url


@pytest.mark.parametrize("role", ["admin", access.ANONYMOUS])
def test_django_admin_is_for_superusers_only(world, client, role):
    """The administrator role (not a superuser) and nobody signed in: the admin's own check
    (``has_permission``, one lambda in rjadmin/urls.py) is the same for every other role."""
    if role != access.ANONYMOUS:
        client.force_login(getattr(world, role))
    violations, count = [], 0
    for name, chain, _pattern in admin_patterns():
        count += 1
        url = admin_url(chain)
        response, error = get(client, url)
        if error:
            violations.append(f"{role}: GET {url} [{name}]: {error}")
            continue
        status = response.status_code
        if name == "admin:login":
            ok = status == 200
        elif name == "admin:logout":  # signs nobody out on a GET: back to the index, which sends to sign in
            ok = status == 302 and response["Location"] == "/django-admin/"
        else:
            ok = sends_to_sign_in(response, ADMIN_LOGIN)
        if not ok:
            where = f" -> {response['Location']}" if 300 <= status < 400 else ""
            violations.append(f"{role}: GET {url} [{name}]: {status}{where}")
    assert count > 50, count
    assert not violations, "\n".join(violations)


def test_django_admin_opens_for_a_superuser(world, client):
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    urls = ["/django-admin/"] + [
        admin_url(chain) for name, chain, _ in admin_patterns() if name.endswith("_changelist")
    ]
    assert len(urls) > 10
    failed = [(url, client.get(url).status_code) for url in urls]
    assert [f for f in failed if f[1] != 200] == []
