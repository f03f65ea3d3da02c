"""The API fuzzed from its own OpenAPI schema (schemathesis), signed in with every role's token.

Every operation of ``/api/v1/schema/`` gets requests generated from the schema (valid ones, so the
requests reach the views rather than stopping at the first type check), as each role and as nobody.
The bar: no server error, every status code the schema documents for that operation, and every
response body as the schema describes it. The run prints its figures (operations, requests, server
errors, non-conforming responses); ``derandomize`` makes the requests the same on every run.
"""

from __future__ import annotations

import collections
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import access

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def fuzz_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return access.extend_world(world)


# Committed transactions, as in production: a request that fails in the database does not leave the
# next one inside an aborted transaction.
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_as_its_schema_says_for_every_role(fuzz_world, capsys):
    app = get_wsgi_application()
    tokens = {role: Token.objects.create(user=getattr(fuzz_world, role)).key for role in access.SIGNED_IN}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", app, headers={"Authorization": f"Token {tokens['admin']}"}
    )
    identities = {**{role: {"Authorization": f"Token {key}"} for role, key in tokens.items()}, "anonymous": {}}
    operations = [result.ok() for result in schema.get_all_operations()]
    requests = collections.Counter()
    statuses = collections.Counter()
    problems: dict[str, set[str]] = collections.defaultdict(set)

    def fuzz(operation, role, headers):
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            requests[role] += 1
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:  # one error naming every check that failed
                for failure in group.exceptions:
                    problems[f"{operation.label} as {role}"].add(
                        f"{response.status_code} {failure.title}: {str(failure.message)[:300]}"
                    )

        run()

    for operation in operations:
        for role, headers in identities.items():
            fuzz(operation, role, headers)

    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    with capsys.disabled():
        print(
            f"\nAPI fuzz: {len(operations)} operations x {len(identities)} identities, "
            f"{sum(requests.values())} requests, {server_errors} server errors, "
            f"{len(problems)} operation-identity pairs not conforming; statuses {dict(sorted(statuses.items()))}"
        )
    report = "\n".join(f"{key}:\n  " + "\n  ".join(sorted(found)[:3]) for key, found in sorted(problems.items()))
    assert not problems, report
