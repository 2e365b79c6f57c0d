"""A record system drives the CDS Hooks services over real HTTP (issue 14, "Done when"): it
makes its own key, serves its JWKS from its own server, signs each call, reads discovery,
calls patient-view with and without prefetch (then hsreg reads the Patient from the record's
FHIR server), order-sign for an unscreened and an eligible patient, posts its feedback, and
a call with a bad signature is refused."""

from __future__ import annotations

import requests

from hsreg.audit.models import Action, AuditEvent
from hsreg.cdshooks.signing import call_jwt, new_signing_key

from .recordsystem import RecordSystem, fhir_patient, hook_body, medication_request

ADALIMUMAB = medication_request("L04AB04", "Adalimumab 40 mg")


def test_a_record_system_calls_both_hooks_and_gives_feedback(  # noqa: PLR0917
    live_server, settings, api_client, record_server, week12_patient, unscreened_patient,
    eligible_patient,
):  # fmt: skip
    settings.PUBLIC_URL = live_server.url
    record = RecordSystem(client_id=api_client.client_id, base=live_server.url)
    record_server.state.jwks = record.jwks()
    record_server.state.patients = {"p2": fhir_patient("p2", week12_patient.national_id)}
    base = f"{live_server.url}/cds-services"
    http = requests.Session()

    discovery = http.get(base, timeout=10)
    assert discovery.status_code == 200
    ids = [s["id"] for s in discovery.json()["services"]]
    assert ids == ["hsreg-patient-view", "hsreg-order-sign"]

    def call(service_id: str, body: dict, key=None) -> requests.Response:
        token = (
            record.jwt(service_id)
            if key is None
            else call_jwt(key=key, client_id=record.client_id, audience=f"{base}/{service_id}")
        )
        return http.post(
            f"{base}/{service_id}",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
            timeout=20,
        )

    prefetched = hook_body("patient-view", patient=fhir_patient("p1", week12_patient.national_id))
    view = call("hsreg-patient-view", prefetched)
    assert view.status_code == 200, view.text
    tx9 = next(c for c in view.json()["cards"] if c["summary"].startswith("TX-9"))
    assert "overdue" in tx9["summary"]
    assert tx9["links"][0]["url"] == f"{live_server.url}/patients/{week12_patient.pk}/"

    fallback = hook_body(
        "patient-view", patient=None, fhir_id="p2", fhir_server=record_server.fhir_url
    )
    read = call("hsreg-patient-view", fallback)
    assert read.status_code == 200, read.text
    assert [c["summary"] for c in read.json()["cards"]] == [
        c["summary"] for c in view.json()["cards"]
    ]

    unscreened = hook_body(
        "order-sign", patient=fhir_patient("p3", unscreened_patient.national_id),
        orders=[ADALIMUMAB],
    )  # fmt: skip
    (warning,) = call("hsreg-order-sign", unscreened).json()["cards"]
    assert warning["indicator"] == "warning"
    assert "SC-1" in warning["summary"]
    eligible = hook_body(
        "order-sign", patient=fhir_patient("p4", eligible_patient.national_id),
        orders=[ADALIMUMAB],
    )  # fmt: skip
    assert call("hsreg-order-sign", eligible).json()["cards"] == []

    feedback = http.post(
        f"{base}/hsreg-order-sign/feedback",
        json={
            "feedback": [
                {
                    "card": warning["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {"reason": warning["overrideReasons"][2]},
                    "outcomeTimestamp": "2026-12-06T10:00:00+01:00",
                }
            ]
        },
        headers={"Authorization": f"Bearer {record.jwt('hsreg-order-sign', '/feedback')}"},
        timeout=10,
    )
    assert feedback.status_code == 200, feedback.text
    row = AuditEvent.objects.get(target="CDS Hooks feedback hsreg-order-sign")
    assert row.username == "api-dips-cds"
    assert row.patient_id == unscreened_patient.pk
    assert row.detail["override_reason"]["code"] == "clinical-judgement"
    assert row.detail["rules"] == ["TX-6", "SC-1", "SC-2"]  # no screening form at all
    reads = AuditEvent.objects.filter(action=Action.READ, username="api-dips-cds")
    assert {r.patient_id for r in reads} == {
        week12_patient.pk,
        unscreened_patient.pk,
        eligible_patient.pk,
    }

    forged = call("hsreg-patient-view", prefetched, key=new_signing_key(kid="record-1"))
    assert forged.status_code == 401
