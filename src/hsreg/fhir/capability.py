"""What hsreg's FHIR API supports, in one table, and the CapabilityStatement that says it
(``GET /fhir/metadata``, public; issue 14).

``KINDS`` is the table the read views are made from (read_views, urls): each resource type's
search parameters and interactions. The CapabilityStatement lists exactly those, the writer's
``create`` of a QuestionnaireResponse and the system-level ``transaction`` (hsreg.fhir.writes),
and the ``$everything`` operation; tests/fhir/test_capability.py checks that every listed
interaction has a route and a test request. Security: SMART App Launch's backend services
(OAuth 2.0 client credentials, SMART v2 system scopes) with the token endpoint named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from hsreg.apiclients import scopes as smart

from . import codes
from .search import Page

#: hsreg's FHIR version (R4) and the statement's date (changes with what is supported)
FHIR_VERSION = "4.0.1"
STATEMENT_DATE = "2026-12-06"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"

#: search parameter -> (FHIR type, documentation)
PARAMETERS: dict[str, tuple[str, str]] = {
    "_id": ("token", "The logical id; a comma is OR."),
    "patient": ("reference", "The patient: Patient/<id> or <id>."),
    "identifier": (
        "token",
        "system|value. A national id number is searched by POST _search (form body), never in "
        "a URL; the Bundle's links name the match by _id instead.",
    ),
    "code": ("token", "system|code or code; a comma is OR."),
    "date": ("date", "The form's date, with the prefixes eq, ge, le, gt, lt."),
    "effective": ("date", "The start of the course, with the prefixes eq, ge, le, gt, lt."),
    "authored": ("date", "The report's date, with the prefixes eq, ge, le, gt, lt."),
}


@dataclass(frozen=True, slots=True)
class Kind:
    """One resource type the API reads: its search parameters, its date parameter (if any),
    and the functions that search and read it (``(actor, search)`` and ``(actor, id)``)."""

    type: str
    parameters: tuple[str, ...]
    search: Callable[..., Page]
    read: Callable[..., dict[str, Any]]
    date_parameter: str = ""
    profile: str = ""
    #: interactions of the type beyond read and search (the writer's)
    extra: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.type.lower()


def _scope(type_name: str) -> str:
    found = [s for s in smart.SCOPES if s.startswith(f"system/{type_name}.")]
    return found[0] if found else ""


def statement(request: HttpRequest, *, kinds: tuple[Kind, ...]) -> dict[str, Any]:
    """The CapabilityStatement: a server (``instance``), JSON only."""
    token_url = request.build_absolute_uri(reverse("oauth2_provider:token"))
    resources = [_resource(kind) for kind in kinds]
    resources += [
        {
            "type": "CodeSystem",
            "interaction": [{"code": "read"}],
            "documentation": "hsreg's own code systems (public).",
        },
        {
            "type": "Questionnaire",
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": "_id", "type": "token"},
                {"name": "url", "type": "uri"},
                {"name": "name", "type": "string"},
            ],
            "documentation": "The patient questionnaires (public).",
        },
    ]
    return {
        "resourceType": "CapabilityStatement",
        "id": "hsreg",
        "url": f"{codes.CANONICAL}/CapabilityStatement/hsreg",
        "name": "HsregFhirApi",
        "title": "hsreg FHIR R4 API",
        "status": "active",
        "date": STATEMENT_DATE,
        "publisher": "hsreg",
        "kind": "instance",
        "implementation": {
            "description": "hsreg, the HS quality registry",
            "url": request.build_absolute_uri("/fhir/"),
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": codes.RESTFUL_SECURITY,
                                    "code": "SMART-on-FHIR",
                                    "display": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "extension": [
                        {"url": OAUTH_URIS, "extension": [{"url": "token", "valueUri": token_url}]}
                    ],
                    "description": (
                        "OAuth 2.0 client credentials (SMART backend services) at the token "
                        "endpoint; SMART v2 system scopes, e.g. system/Patient.rs. A client "
                        "reads its unit's patients only."
                    ),
                },
                "resource": resources,
                "interaction": [{"code": "transaction"}],
            }
        ],
    }


def _resource(kind: Kind) -> dict[str, Any]:
    interactions = ["read", "search-type", *kind.extra]
    resource: dict[str, Any] = {
        "type": kind.type,
        "interaction": [{"code": code} for code in interactions],
        "searchParam": [
            {
                "name": name,
                "type": PARAMETERS[name][0],
                "documentation": PARAMETERS[name][1],
            }
            for name in kind.parameters
        ],
        "documentation": f"Scope {_scope(kind.type)}. Paging: _count (default 50, at most "
        "200) and _offset; search also by POST _search with a form body.",
    }
    if kind.type == "Observation":
        resource["documentation"] += (
            " A search names a patient, an _id or a date range (the unit's every observation"
            " at once is refused as too costly)."
        )
    if kind.profile:
        resource["supportedProfile"] = [kind.profile]
    if kind.type == "Patient":
        resource["operation"] = [{"name": "everything", "definition": EVERYTHING}]
    return resource


def interactions(document: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (type, interaction) a CapabilityStatement lists; the system's as ("", code) and
    operations as (type, "$name")."""
    rest = document["rest"][0]
    found = {("", i["code"]) for i in rest.get("interaction", [])}
    for resource in rest["resource"]:
        found |= {(resource["type"], i["code"]) for i in resource["interaction"]}
        found |= {(resource["type"], f"${o['name']}") for o in resource.get("operation", [])}
    return found
