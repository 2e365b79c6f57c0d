"""The SMART App Launch v2 system scopes hsreg grants, in one place, and what they mean.

A scope is ``system/<Resource>.<permissions>``; the permissions are letters of ``cruds`` in
that order: c create, r read, u update, d delete, s search (SMART v2, "scopes for requesting
FHIR resources"). ``system/Patient.rs`` thus reads and searches Patients. A client is given a
subset of ``SCOPES``, and a token carries a subset of its client's (``ClientScopes``, the
scopes backend of django-oauth-toolkit). A face asks for what one call needs, e.g.
``system/Patient.r``; ``covers`` says whether a granted scope gives it.
"""

from __future__ import annotations

import re
from typing import Any, Final

#: every scope a client can be given, with what it lets it do (the smart-configuration lists them)
SCOPES: Final[dict[str, str]] = {
    "system/Patient.rs": "read and search the unit's patients",
    "system/Observation.crs": "create, read and search observations (scores, findings)",
    "system/QuestionnaireResponse.crs": "create, read and search the patients' forms",
    "system/Condition.rs": "read and search the patients' diagnosis of HS",
    "system/Organization.rs": "read and search units",
    "system/MedicationStatement.rs": "read and search drug courses",
    "system/Procedure.rs": "read and search surgical interventions",
    # FHIR's GuidanceResponse is the result of a decision-support evaluation: POST /api/evaluate
    "system/GuidanceResponse.c": "evaluate case documents by the guideline engine (/api/evaluate)",
}

PERMISSIONS: Final = "cruds"
_SCOPE = re.compile(r"system/(?P<resource>[A-Z][A-Za-z]*)\.(?P<permissions>c?r?u?d?s?)")


def parse(scope: str) -> tuple[str, str]:
    """(resource, permissions) of a SMART v2 system scope; ValueError if it is not one."""
    match = _SCOPE.fullmatch(scope)
    if match is None or not match["permissions"]:
        raise ValueError(f"not a SMART v2 system scope: {scope!r}")
    return match["resource"], match["permissions"]


def split(text: str) -> list[str]:
    """The scopes of a space-separated list (OAuth 2.0's form), each once, in order."""
    return list(dict.fromkeys(text.split()))


def unknown(scopes: list[str]) -> list[str]:
    """The scopes of ``scopes`` that hsreg does not grant."""
    return [s for s in scopes if s not in SCOPES]


def covers(granted: list[str], needed: str) -> bool:
    """Whether the ``granted`` scopes give ``needed``: a scope of the same resource holding
    every permission letter of ``needed`` (``system/Patient.rs`` covers ``system/Patient.r``
    and ``system/Patient.s``, not ``system/Patient.c``)."""
    resource, permissions = parse(needed)
    for scope in granted:
        try:
            have_resource, have = parse(scope)
        except ValueError:
            continue
        if have_resource == resource and set(permissions) <= set(have):
            return True
    return False


class ClientScopes:
    """django-oauth-toolkit's scopes backend (OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"]): a
    token request may ask for the scopes its client was given and no other (DOT answers
    ``invalid_scope`` otherwise); asking for none gives all of the client's."""

    def get_all_scopes(self) -> dict[str, str]:
        return dict(SCOPES)

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        from .models import ApiClient  # noqa: PLC0415 - the app registry is ready by now

        client = ApiClient.objects.filter(application=application, revoked_at__isnull=True).first()
        if client is None:
            return []
        return [s for s in client.scope_list if s in SCOPES]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request)
