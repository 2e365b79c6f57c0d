"""The one door of API calls (issue 14 point 2): ``client_actor`` turns a request's bearer
token into the ``Actor`` of its client, or refuses it.

The token is checked by django-oauth-toolkit itself (its OAuthLibCore: known, not expired,
not revoked), then the SMART v2 scope the call needs (apiclients.scopes.covers). The actor is
the client's service user working at its unit with its registrar's membership
(accounts.actor.actor_for), so the selectors read exactly that unit's patients, another
unit's patient is "not found", and every audit row names ``api-<client>``.

Refusals are exceptions a face turns into its own answer (``refusal_response`` gives FHIR's
OperationOutcome): ``UnauthorizedError`` is a 401 with ``WWW-Authenticate: Bearer`` (no token, an
unknown, expired or revoked one), ``ForbiddenError`` a 403 (the token lacks the scope), as RFC 6750
says.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from oauth2_provider.oauth2_backends import get_oauthlib_core

from hsreg.accounts.actor import Actor, actor_for
from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log
from hsreg.fhir.responses import outcome

from . import scopes as smart
from .models import ApiClient

REALM = "hsreg"


class RefusedError(Exception):
    """A call the API does not answer; ``status`` and ``challenge`` say how to refuse it."""

    status = 401
    code = "login"

    def __init__(self, message: str, *, error: str = "invalid_token", scope: str = "") -> None:
        super().__init__(message)
        self.error = error
        self.scope = scope

    @property
    def challenge(self) -> str:
        """The ``WWW-Authenticate`` header (RFC 6750 section 3)."""
        parts = [f'realm="{REALM}"']
        if self.error:
            parts.append(f'error="{self.error}"')
        parts.append(f'error_description="{self}"')
        if self.scope:
            parts.append(f'scope="{self.scope}"')
        return "Bearer " + ", ".join(parts)


class UnauthorizedError(RefusedError):
    """No token, or one that is unknown, expired or revoked: 401."""


class ForbiddenError(RefusedError):
    """A valid token without the scope the call needs: 403."""

    status = 403
    code = "forbidden"


def _bearer(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _, token = header.partition(" ")
    return token.strip() if kind.lower() == "bearer" and token.strip() else None


def client_actor(request: HttpRequest, *, scope: str) -> Actor:
    """The actor of the API client whose bearer token ``request`` carries, if the token is
    valid and covers ``scope`` (a SMART v2 system scope such as ``system/Patient.r``).
    Raises ``UnauthorizedError`` or ``ForbiddenError``; a refused scope is audited as denied."""
    smart.parse(scope)  # a face asking for a malformed scope is a programming error
    if _bearer(request) is None:
        raise UnauthorizedError("A bearer token is required.", error="")
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None) if valid else None
    if token is None:
        raise UnauthorizedError("The access token is unknown, expired or revoked.")
    client = (
        ApiClient.objects.select_related("user", "unit")
        .filter(application_id=token.application_id, revoked_at__isnull=True)
        .first()
    )
    if client is None:
        raise UnauthorizedError("The access token's client is revoked.")
    actor = client_unit_actor(request, client=client)
    if not smart.covers(token.scope.split(), scope):
        log(
            actor=actor,
            action=Action.DENIED,
            outcome=Outcome.DENIED,
            target=request.path[:200],
            detail={"rule": "scope", "needed": scope},
        )
        raise ForbiddenError(
            f"The access token does not grant {scope}.", error="insufficient_scope", scope=scope
        )
    return actor


def client_unit_actor(request: HttpRequest, *, client: ApiClient) -> Actor:
    """The actor of an authenticated ``client``: its service user working at its unit, with
    the request's id (the FHIR face after the token, the CDS Hooks face after the signed JWT,
    hsreg.cdshooks.jwt). ``ForbiddenError``, audited as denied, when the service user's
    membership of the unit was removed or changed on the unit's members page."""
    request_actor = getattr(request, "actor", None)
    request_id = request_actor.request_id if request_actor else uuid.uuid4().hex
    actor = actor_for(client.user, request_id=request_id)
    if actor.unit != client.unit or not actor.is_clinical:
        log(
            actor=actor,
            action=Action.DENIED,
            outcome=Outcome.DENIED,
            target=request.path[:200],
            detail={"rule": "api client has no registrar membership of its unit"},
        )
        raise ForbiddenError("The client is no longer a member of its unit.", error="")
    return actor


def refusal_response(error: RefusedError) -> HttpResponse:
    """The FHIR answer to a refusal: an OperationOutcome with its status, and the
    ``WWW-Authenticate`` challenge."""
    response = outcome(status=error.status, code=error.code, diagnostics=str(error))
    response["WWW-Authenticate"] = error.challenge
    return response
