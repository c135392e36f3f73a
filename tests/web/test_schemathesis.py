"""schemathesis against the in-process API's /api/v1/openapi.json.

Every operation in the schema (so also the ones added later) gets a bounded
number of generated requests, valid ones and deliberately invalid ones, sent
as alice with a write token. No response may be a 5xx, and each documented
response must match its schema and content type.

Not checked: that every status is documented (django-ninja's 401/422 for bad
credentials and bodies are the same on every route).

The operations are walked in one test with Hypothesis rather than through
schemathesis' pytest plugin, whose lazy fixture loader does not run on the
pytest version we use.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from goodwill.db.models import ApiToken
from goodwill.services.team import create_token
from goodwill.wsgi import application
from tests.reporting import report

EXAMPLES_PER_OPERATION = 20
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_the_api_never_answers_5xx_and_matches_its_schema(alice, network, direct_wsgi):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    token = create_token(actor=alice, scope="write", name="schemathesis")
    headers = {"Authorization": f"Bearer {token.raw}"}
    cases = 0
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the API has no operations"

    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            nonlocal cases
            # A generated DELETE /tokens/{id} may revoke our own token: bring it back.
            ApiToken.objects.filter(pk=token.id).update(revoked_at=None)
            case.call_and_validate(headers=headers, checks=CHECKS)
            cases += 1

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect all, then fail)
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}".splitlines()[0])
            failures.extend("    " + line for line in str(exc).splitlines()[1:8])
    assert not failures, "\n".join(failures)
    report(
        "schemathesis",
        f"{cases} generated requests over {len(operations)} API operations, "
        "0 server errors, documented responses match the schema",
    )
