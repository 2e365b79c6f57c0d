"""The CDS Hooks face: discovery, the services and their feedback. Thin: the JWT is checked
by cdshooks.jwt, the client's actor made by apiclients.auth, the body read by cdshooks.calls,
the cards made by cdshooks.services.

These views are for record systems, not browsers: they read no session and no cookie, and a
call is authenticated by the JWT it carries, so they take no CSRF token (csrf_exempt, as the
FHIR face). Their URL names are ``PUBLIC`` (discovery: no patient data) and ``API_CLIENT`` in
accounts.access. Every answer is JSON; a refusal 401 (the JWT) or 403 (the client's unit
membership removed), a bad body 400 naming the element, missing FHIR data 412.

The cards' language is Norwegian bokmål (settings.LANGUAGE_CODE) unless the call's
Accept-Language puts English first among the languages hsreg has.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt

from hsreg.apiclients.auth import ForbiddenError, client_unit_actor

from . import services
from .calls import MAX_BODY, HookError, parse_call
from .jwt import CallRefusedError, verify_call


def _error(status: int, error: str, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": error, "message": message, **extra}, status=status)


def _not_allowed(allowed: str) -> JsonResponse:
    response = _error(405, "method_not_allowed", f"Use {allowed}.")
    response["Allow"] = allowed
    return response


@csrf_exempt
def discovery(request: HttpRequest) -> JsonResponse:
    if request.method not in ("GET", "HEAD"):
        return _not_allowed("GET")
    return JsonResponse(services.discovery())


def _service(service_id: str) -> services.Service | None:
    return services.SERVICES.get(service_id)


def call_language(request: HttpRequest) -> str:
    """'en' when the call's Accept-Language prefers English to Norwegian, else the default."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:500]
    for code, _quality in parse_accept_lang_header(header):
        if code.lower().startswith("en"):
            return "en"
        if code.lower().startswith(("nb", "no", "nn")):
            return "nb"
    return settings.LANGUAGE_CODE


def _audiences(service_id: str, *suffixes: str) -> tuple[str, ...]:
    base = f"{settings.PUBLIC_URL}/cds-services/{service_id}"
    return tuple(base + suffix for suffix in suffixes)


def _refused(error: CallRefusedError | ForbiddenError) -> JsonResponse:
    if isinstance(error, ForbiddenError):
        return _error(403, "forbidden", str(error))
    response = _error(401, "unauthorized", str(error))
    response["WWW-Authenticate"] = 'Bearer realm="hsreg", error="invalid_token"'
    return response


@csrf_exempt
def service(request: HttpRequest, service_id: str) -> JsonResponse:
    found = _service(service_id)
    if found is None:
        return _error(404, "not_found", "No such CDS service; see GET /cds-services.")
    if request.method != "POST":
        return _not_allowed("POST")
    language = call_language(request)
    try:
        client = verify_call(request, audiences=_audiences(found.id, ""))
        actor = client_unit_actor(request, client=client)
        call = parse_call(request.body, hook=found.hook)
        with translation.override(language):
            cards = services.answer(actor=actor, client=client, service=found, call=call)
    except (CallRefusedError, ForbiddenError) as error:
        return _refused(error)
    except HookError as error:
        return JsonResponse(error.as_dict(), status=error.status)
    response = JsonResponse({"cards": cards})
    response["Content-Language"] = language
    return response


@csrf_exempt
def feedback(request: HttpRequest, service_id: str) -> JsonResponse:
    found = _service(service_id)
    if found is None:
        return _error(404, "not_found", "No such CDS service; see GET /cds-services.")
    if request.method != "POST":
        return _not_allowed("POST")
    try:
        client = verify_call(request, audiences=_audiences(found.id, "", "/feedback"))
        actor = client_unit_actor(request, client=client)
        if len(request.body) > MAX_BODY:
            raise HookError("The body is too large.")
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise HookError("The body must be a JSON object.") from None
        recorded = services.record_feedback(actor=actor, client=client, service=found, data=data)
    except (CallRefusedError, ForbiddenError) as error:
        return _refused(error)
    except HookError as error:
        return JsonResponse(error.as_dict(), status=error.status)
    return JsonResponse({"recorded": recorded})
