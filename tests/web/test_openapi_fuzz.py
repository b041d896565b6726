"""schemathesis against the OpenAPI document: generated requests to every operation, signed
in as a reviewer, never get a server error and always get a documented answer."""

from __future__ import annotations

import time

import pytest
import schemathesis
from api_support import Api
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

pytestmark = pytest.mark.slow
#: Generated cases per operation (schemathesis generates up to 15 here in any case).
EXAMPLES = 15


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_operation_answers_with_a_server_error(api: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    client = api.login("reviewer")
    cookies = {"msht_session": client.cookies["msht_session"]}
    headers = {"X-CSRF-Token": client.headers["X-CSRF-Token"]}
    tried, calls, statuses = 0, 0, set()
    operations = [result.ok() for result in schema.get_all_operations()]
    # signing out ends the session the other cases use: it goes last
    operations.sort(key=lambda operation: operation.label == "POST /api/logout")
    for operation in operations:

        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            nonlocal calls
            calls += 1
            response = case.call_and_validate(
                headers=headers,
                cookies=cookies,
                checks=[not_a_server_error, status_code_conformance],
            )
            statuses.add(response.status_code)

        started = time.perf_counter()
        check()
        print(f"{operation.label}: {time.perf_counter() - started:.1f} s, {calls} calls so far")
        tried += 1
    assert tried == 17
    # the cases reached the routes' logic, not only validation
    assert calls > 17 * 5 and {200, 404, 422} <= statuses
