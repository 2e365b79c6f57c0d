"""A CDS Hooks call's body, checked (CDS Hooks 2.0, "HTTP Request"), and the FHIR data it
brings or points to.

The body must be a JSON object naming the service's ``hook``, a ``hookInstance``, a
``context`` with the ``patientId`` (and ``draftOrders``, a Bundle, for ``order-sign``), and
optionally ``fhirServer``, ``fhirAuthorization`` and ``prefetch``. A bad body is a
``HookError`` 400 naming the element. The patient comes from the prefetch (the discovery
document's ``patient`` template); when the client sent none, from the record's FHIR server
with the access token it gave (the "FHIR resource access" fallback); when that fails, a 412
as the specification advises, never a 500.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from hsreg.fhir import codes

MAX_BODY = 2_000_000  # bytes: a draft order bundle and a patient are far smaller
FHIR_TIMEOUT = 5.0  # seconds for the fallback read of the patient
FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
NATIONAL_ID = re.compile(r"^\d{11}$")
NATIONAL_ID_SYSTEMS = (codes.FNR_SYSTEM, codes.DNR_SYSTEM)


class HookError(Exception):
    """A call hsreg cannot answer with cards: its status and what is wrong."""

    def __init__(self, message: str, *, status: int = 400, path: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.path = path

    def as_dict(self) -> dict[str, str]:
        body = {"error": "bad_request" if self.status == 400 else "precondition_failed"}
        body["message"] = str(self)
        if self.path:
            body["path"] = self.path
        return body


@dataclass(frozen=True, slots=True)
class HookCall:
    hook: str
    hook_instance: str
    patient_id: str
    context: dict[str, Any]
    prefetch: dict[str, Any]
    fhir_server: str
    access_token: str


def parse_call(body: bytes, *, hook: str) -> HookCall:
    """The call in ``body`` for a service of ``hook``, or HookError 400."""
    if len(body) > MAX_BODY:
        raise HookError(f"The body is larger than {MAX_BODY} bytes.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HookError("The body must be a JSON object.") from None
    if not isinstance(data, dict):
        raise HookError("The body must be a JSON object.")
    if data.get("hook") != hook:
        raise HookError(f"This service answers the hook {hook}.", path="hook")
    instance = data.get("hookInstance")
    if not isinstance(instance, str) or not 0 < len(instance) <= 200:
        raise HookError("hookInstance must be a string (a UUID).", path="hookInstance")
    context = _object(data, "context", required=True)
    patient_id = context.get("patientId")
    if not isinstance(patient_id, str) or not FHIR_ID.match(patient_id):
        raise HookError("context.patientId must be a FHIR id.", path="context.patientId")
    if hook == "order-sign":
        orders = context.get("draftOrders")
        if not isinstance(orders, dict) or orders.get("resourceType") != "Bundle":
            raise HookError("context.draftOrders must be a Bundle.", path="context.draftOrders")
    server = data.get("fhirServer", "")
    if server is None:
        server = ""
    if not isinstance(server, str) or (server and not _http_url(server)):
        raise HookError("fhirServer must be an http(s) URL.", path="fhirServer")
    authorization = _object(data, "fhirAuthorization", required=False)
    token = authorization.get("access_token", "")
    if not isinstance(token, str):
        raise HookError("access_token must be a string.", path="fhirAuthorization.access_token")
    return HookCall(
        hook=hook,
        hook_instance=instance,
        patient_id=patient_id,
        context=context,
        prefetch=_object(data, "prefetch", required=False),
        fhir_server=server,
        access_token=token,
    )


def _object(data: dict[str, Any], name: str, *, required: bool) -> dict[str, Any]:
    value = data.get(name)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise HookError(f"{name} must be a JSON object.", path=name)
    return value


def _http_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def patient_resource(call: HookCall) -> dict[str, Any]:
    """The record's Patient: the prefetched one, else read from ``fhirServer``."""
    prefetched = call.prefetch.get("patient")
    if isinstance(prefetched, dict) and prefetched.get("resourceType") == "Patient":
        return prefetched
    if not call.fhir_server:
        raise HookError(
            "No Patient was prefetched and no fhirServer was given to read it from.",
            status=412,
            path="prefetch.patient",
        )
    url = f"{call.fhir_server.rstrip('/')}/Patient/{quote(call.patient_id, safe='')}"
    headers = {"Accept": "application/fhir+json"}
    if call.access_token:
        headers["Authorization"] = f"Bearer {call.access_token}"
    try:
        response = requests.get(url, headers=headers, timeout=FHIR_TIMEOUT, allow_redirects=False)
        resource = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        resource = None
    if not isinstance(resource, dict) or resource.get("resourceType") != "Patient":
        raise HookError(
            "The Patient could not be read from the fhirServer.",
            status=412,
            path="fhirServer",
        )
    return resource


def national_ids(patient: dict[str, Any]) -> list[str]:
    """The national id and D-numbers among the Patient's identifiers (no-basis systems)."""
    found = []
    identifiers = patient.get("identifier")
    for identifier in identifiers if isinstance(identifiers, list) else []:
        if not isinstance(identifier, dict):
            continue
        value = identifier.get("value")
        if identifier.get("system") in NATIONAL_ID_SYSTEMS and isinstance(value, str):
            number = value.replace(" ", "")
            if NATIONAL_ID.match(number):
                found.append(number)
    return found


def draft_medications(call: HookCall) -> list[dict[str, Any]]:
    """The draft MedicationRequests of an order-sign call's Bundle."""
    entries = call.context["draftOrders"].get("entry")
    found = []
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "MedicationRequest":
            found.append(resource)
    return found
