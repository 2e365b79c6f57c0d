"""The door of every FHIR view that touches patient data (issue 14): one decorator.

``fhir_api(GET="system/Patient.r", POST=...)`` names, per HTTP method, the SMART v2 scope the
call needs. The decorated view is called as ``view(request, actor, *args, **kwargs)`` with the
API client's ``Actor`` (apiclients.auth.client_actor): the selectors scope every read to the
client's unit with it, and every audit row names the client. A method not named is a 405, a
missing or bad token a 401, a scope the token lacks a 403, each as an OperationOutcome. The
views take no cookies, so they need no CSRF token (tests/test_deploy.py allows csrf_exempt
in this package only); their URL names are ``API_CLIENT`` in accounts.access.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from hsreg.accounts.actor import Actor
from hsreg.apiclients.auth import RefusedError, client_actor, refusal_response

from .responses import outcome

ApiView = Callable[..., HttpResponse]

#: the largest request body a write accepts (a transaction of one assessment is a few KB)
MAX_BODY = 1_000_000


def fhir_api(**scopes: str) -> Callable[[ApiView], Callable[..., HttpResponse]]:
    """Guards a view: ``scopes`` maps an HTTP method (GET answers HEAD too) to its scope."""

    def decorate(view: ApiView) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            method = "GET" if request.method == "HEAD" else str(request.method)
            if method not in scopes:
                allowed = sorted(scopes) + (["HEAD"] if "GET" in scopes else [])
                response = outcome(
                    status=405,
                    code="not-supported",
                    diagnostics=f"{request.method} is not supported here.",
                )
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                actor: Actor = client_actor(request, scope=scopes[method])
            except RefusedError as error:
                return refusal_response(error)
            return view(request, actor, *args, **kwargs)

        return wrapped

    return decorate


class BodyError(ValueError):
    """A request body that is not a JSON object of FHIR: the 400/415 to answer."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status

    def response(self) -> HttpResponse:
        return outcome(status=self.status, code="invalid", diagnostics=str(self))


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object (``application/fhir+json`` or ``application/json``), or
    ``BodyError``: the wrong media type is 415, too large or not a JSON object 400."""
    media = request.content_type or ""
    if media not in ("application/fhir+json", "application/json"):
        raise BodyError(
            f"The body must be application/fhir+json, not {media[:60] or 'missing'}.", status=415
        )
    if len(request.body) > MAX_BODY:
        raise BodyError(f"The body is larger than {MAX_BODY} bytes.", status=413)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BodyError(f"The body is not JSON: {str(error)[:120]}") from error
    if not isinstance(data, dict):
        raise BodyError("The body must be a JSON object (a FHIR resource).")
    return data
