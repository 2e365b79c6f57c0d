"""FHIR's answers over HTTP: resources as ``application/fhir+json``, and errors as an
OperationOutcome with the HTTP status that goes with them (FHIR R4 RESTful API)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

CONTENT_TYPE = "application/fhir+json; charset=utf-8"


def fhir_response(resource: dict[str, Any], *, status: int = 200) -> HttpResponse:
    body = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def outcome(*, status: int, code: str, diagnostics: str, expression: str = "") -> HttpResponse:
    """An OperationOutcome with one error ``issue`` of ``code`` (FHIR's issue-type codes:
    not-found, not-supported, invalid, ...)."""
    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return fhir_response({"resourceType": "OperationOutcome", "issue": [issue]}, status=status)
