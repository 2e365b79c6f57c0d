"""The FHIR R4 read endpoints for the patient's Questionnaires (issue 13).

The Questionnaires hold no patient data, so they are public (accounts.access: PUBLIC), as
the open results are. Only GET and HEAD are answered; anything else is 405 with an
OperationOutcome. The views never change anything, so they need no CSRF token (and without
the exemption a POST would get the CSRF page instead of FHIR's 405). Search takes ``_id``,
``url`` and ``name``; any other parameter is refused with 400 (FHIR's strict handling), so
a client never mistakes an ignored filter for an empty match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from hsreg.questionnaires.definitions import questionnaire, questionnaires

from .responses import fhir_response, outcome

SEARCH_PARAMETERS = ("_id", "url", "name")
ALLOWED = ("GET", "HEAD")


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only; else 405 with an OperationOutcome and the Allow header."""

    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ALLOWED:
            response = outcome(
                status=405,
                code="not-supported",
                diagnostics=f"{request.method} is not supported here: this server only reads.",
            )
            response["Allow"] = ", ".join(ALLOWED)
            return response
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _matches(resource: dict[str, Any], name: str, values: list[str]) -> bool:
    """FHIR search: a comma is OR within a parameter; ``name`` is a string search
    (case-insensitive, starts with), ``_id`` and ``url`` are exact (``url`` without a
    ``|version``)."""
    wanted = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if name == "_id":
        return resource["id"] in wanted
    if name == "url":
        return resource["url"] in [w.split("|", 1)[0] for w in wanted]
    return any(resource["name"].lower().startswith(w.lower()) for w in wanted)


@read_only
def questionnaire_search(request: HttpRequest) -> HttpResponse:
    """``GET /fhir/Questionnaire``: a searchset Bundle of the matching Questionnaires."""
    unknown = [p for p in request.GET if p not in SEARCH_PARAMETERS]
    if unknown:
        return outcome(
            status=400,
            code="not-supported",
            diagnostics=(
                f"Unknown search parameter '{unknown[0]}'. Supported: "
                + ", ".join(SEARCH_PARAMETERS)
                + "."
            ),
            expression=unknown[0],
        )
    found = [
        resource
        for resource in questionnaires()
        if all(_matches(resource, p, request.GET.getlist(p)) for p in request.GET)
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(found),
        "link": [{"relation": "self", "url": request.build_absolute_uri()}],
        "entry": [
            {
                "fullUrl": request.build_absolute_uri(
                    reverse("fhir:questionnaire", kwargs={"qid": resource["id"]})
                ),
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in found
        ],
    }
    return fhir_response(bundle)


@read_only
def questionnaire_read(request: HttpRequest, qid: str) -> HttpResponse:
    """``GET /fhir/Questionnaire/<id>``: one Questionnaire, or 404 with an OperationOutcome."""
    try:
        resource = questionnaire(qid)
    except KeyError:
        return outcome(
            status=404,
            code="not-found",
            diagnostics=f"Questionnaire/{qid[:64]} is not known.",
        )
    return fhir_response(resource)


@csrf_exempt
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other path under /fhir/: FHIR's 404 (an OperationOutcome), not the site's page."""
    return outcome(
        status=404,
        code="not-found",
        diagnostics="No such FHIR endpoint: see /fhir/metadata for what this server answers.",
    )
