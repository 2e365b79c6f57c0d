"""schemathesis against ``/api/openapi.json`` (issue 14, "Done when"): cases generated from the
OpenAPI document, valid and invalid, sent with a real API client's token to the whole WSGI
application (every middleware), and each answer checked: no 5xx, the answer matches the schema
of its status (the evaluation, or the 422's field paths), its status is one the document
declares, and no invalid input is accepted (negative data rejection).

The requests run in-process inside the test's transaction: Django closes "old" connections at
the start and end of each request (django.db.close_old_connections), which would end that
transaction, so the test disconnects it while it runs, as Django's own test client does. About
150 examples keep the run well under a minute (derandomized, so CI is repeatable).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    negative_data_rejection,
]


@pytest.fixture
def api_schema(db, engine_token) -> Iterator[Any]:
    """The OpenAPI document as the WSGI application serves it, requests sent to the same.
    After ``engine_token``: Django's test client, which fetched the token, connects
    close_old_connections again after each of its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_the_api_keeps_its_openapi_document(api_schema, engine_token, mode) -> None:
    headers = {"Authorization": f"Bearer {engine_token}"}

    @given(case=api_schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=75,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def sent(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    sent()
