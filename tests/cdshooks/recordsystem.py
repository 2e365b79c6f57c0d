"""A record system calling hsreg's CDS Hooks services, for the tests and the benchmark.

It has its own EC P-384 key (hsreg.cdshooks.signing), publishes the public half as a JWK Set
from a small HTTP server thread (``RecordServer``), which also stands in for the record's FHIR
server (``GET /fhir/Patient/<id>`` with the access token it expects), and signs one JWT per
call. ``hook_body`` builds the bodies of the two hooks, with or without the prefetched
Patient.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jwcrypto import jwk

from hsreg.cdshooks.signing import call_jwt, new_signing_key, public_jwks
from hsreg.fhir import codes

FHIR_TOKEN = "record-access-token"  # noqa: S105 - the stub FHIR server's test token


@dataclass
class RecordState:
    """What the stub serves: the key set and the record's patients by FHIR id."""

    jwks: dict[str, Any] = field(default_factory=dict)
    patients: dict[str, dict[str, Any]] = field(default_factory=dict)
    fhir_status: int = 200
    jwks_fetches: int = 0


class RecordServer:
    """A JWKS and FHIR stub on 127.0.0.1:``port`` in a daemon thread (port 0: a free one, so
    the SQLite and PostgreSQL test passes running side by side never collide)."""

    def __init__(self, port: int) -> None:
        self.state = RecordState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/jwks.json":
                    state.jwks_fetches += 1
                    self._send(200, state.jwks)
                elif self.path.startswith("/fhir/Patient/"):
                    fhir_id = self.path.removeprefix("/fhir/Patient/")
                    authorized = self.headers.get("Authorization") == f"Bearer {FHIR_TOKEN}"
                    found = state.patients.get(fhir_id)
                    if not authorized:
                        self._send(401, {"resourceType": "OperationOutcome"})
                    elif found is None or state.fhir_status != 200:
                        self._send(state.fhir_status if found else 404, {"oops": True})
                    else:
                        self._send(200, found)
                else:
                    self._send(404, {})

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"  # port 0: the one given
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/jwks.json"

    @property
    def fhir_url(self) -> str:
        return f"{self.url}/fhir"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class RecordSystem:
    """A record system with its key, as the API client ``client_id`` of hsreg at ``base``
    (settings.PUBLIC_URL of the hsreg it calls)."""

    client_id: str
    base: str
    key: jwk.JWK = field(default_factory=lambda: new_signing_key(kid="record-1"))

    def jwt(self, service_id: str, path: str = "", **claims: Any) -> str:
        audience = claims.pop("audience", f"{self.base}/cds-services/{service_id}{path}")
        return call_jwt(key=self.key, client_id=self.client_id, audience=audience, **claims)

    def headers(self, service_id: str, path: str = "", **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.jwt(service_id, path, **claims)}"}

    def jwks(self) -> dict[str, Any]:
        return public_jwks(self.key)


def fhir_patient(fhir_id: str, national_id: str) -> dict[str, Any]:
    """The record's Patient resource carrying the national id number (no-basis system)."""
    return {
        "resourceType": "Patient",
        "id": fhir_id,
        "identifier": [{"system": codes.FNR_SYSTEM, "value": national_id}],
    }


def medication_request(atc: str, display: str) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "status": "draft",
        "intent": "order",
        "medicationCodeableConcept": {
            "coding": [{"system": codes.ATC, "code": atc, "display": display}]
        },
        "subject": {"reference": "Patient/p1"},
    }


def hook_body(
    hook: str,
    *,
    patient: dict[str, Any] | None,
    fhir_id: str = "p1",
    fhir_server: str = "",
    orders: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A call of ``hook`` about the record's patient ``fhir_id``; ``patient`` prefetched
    unless None (then hsreg reads it from ``fhir_server`` with the stub's token)."""
    context: dict[str, Any] = {"userId": "Practitioner/lege-1", "patientId": fhir_id}
    if hook == "order-sign":
        context["draftOrders"] = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": r} for r in orders or []],
        }
    body: dict[str, Any] = {"hook": hook, "hookInstance": str(uuid.uuid4()), "context": context}
    if patient is not None:
        body["prefetch"] = {"patient": patient}
    if fhir_server:
        body["fhirServer"] = fhir_server
        body["fhirAuthorization"] = {
            "access_token": FHIR_TOKEN,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/Patient.read",
            "subject": "hsreg",
        }
    return body
