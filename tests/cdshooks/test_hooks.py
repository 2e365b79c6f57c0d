"""The CDS Hooks services answer a record system with the guideline panel's cards (issue 14
point 3): TX-9's overdue evaluation on patient-view, an order-sign warning for a biologic when
TX-6 is undecided or the screening (SC-1, SC-2) incomplete, nothing for an eligible screened
patient or an order that is no biologic, a single card for a patient the unit has not
registered, the FHIR fallback without prefetch (412 when it fails), English on request, and
the feedback in the audit log."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.cdshooks.cards import SUMMARY_MAX
from hsreg.cdshooks.models import CARD_MEMORY, IssuedCard, forget_expired
from hsreg.fhir import codes
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number

from .recordsystem import fhir_patient, hook_body, medication_request

pytestmark = pytest.mark.django_db

PATIENT_VIEW = "hsreg-patient-view"
ORDER_SIGN = "hsreg-order-sign"
ADALIMUMAB = medication_request("L04AB04", "Humira (adalimumab) 40 mg")


def call(client, record, service_id: str, body: dict, **headers: str):
    return client.post(
        f"/cds-services/{service_id}",
        json.dumps(body),
        content_type="application/json",
        headers={**record.headers(service_id), **headers},
    )


def cards_of(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["cards"]


def check_card(card: dict, *, public_url: str, patient) -> None:
    assert len(card["summary"]) <= SUMMARY_MAX
    assert re.search(r"\b(TX|SC|VA|LM|RG|ST|MO|DX|XS|XB)-\d", card["summary"]), card["summary"]
    assert card["indicator"] in ("info", "warning", "critical")
    assert card["source"]["label"] == "NFDV 2019"
    assert re.fullmatch(r"[0-9a-f-]{36}", card["uuid"])
    links = card["links"]
    assert links[0]["url"] == f"{public_url}/patients/{patient.pk}/"
    assert all(link["type"] == "absolute" for link in links)
    assert patient.national_id not in json.dumps(card)
    assert {r["system"] for r in card["overrideReasons"]} == {codes.CDS_OVERRIDE_SYSTEM}


def test_discovery_lists_both_services_with_their_prefetch(client):
    response = client.get("/cds-services")
    assert response.status_code == 200
    services = {s["id"]: s for s in response.json()["services"]}
    assert services[PATIENT_VIEW]["hook"] == "patient-view"
    assert services[ORDER_SIGN]["hook"] == "order-sign"
    for service in services.values():
        assert service["prefetch"] == {"patient": "Patient/{{context.patientId}}"}
        assert service["title"]
        assert service["description"]


def test_tx9_patient_view_says_the_week_12_evaluation_is_overdue(
    client, record, week12_patient, http_base
):
    patient = week12_patient
    body = hook_body("patient-view", patient=fhir_patient("p1", patient.national_id))
    found = cards_of(call(client, record, PATIENT_VIEW, body, accept_language="en"))
    by_rule = {card["summary"].split(":")[0]: card for card in found}
    evaluation = by_rule["TX-9"]
    assert "week-12 evaluation of Adalimumab is overdue" in evaluation["summary"]
    assert evaluation["indicator"] == "warning"
    assert "TX-9" in evaluation["detail"]
    assert "TX-6" in by_rule  # the eligibility status with its reasons
    assert "C1" in by_rule["TX-6"]["detail"]
    assert "LM-1" in by_rule  # the first lab check, a month after the start
    for card in found:
        check_card(card, public_url=http_base, patient=patient)
    read = AuditEvent.objects.get(action=Action.READ, patient_id=patient.pk)
    assert read.username == "api-dips-cds"
    assert read.target == "CDS Hooks hsreg-patient-view"
    assert read.outcome == Outcome.OK


def test_the_cards_are_norwegian_unless_english_is_asked_for(client, record, week12_patient):
    body = hook_body("patient-view", patient=fhir_patient("p1", week12_patient.national_id))
    response = call(client, record, PATIENT_VIEW, body)
    assert response["Content-Language"] == "nb"
    tx9 = next(c for c in cards_of(response) if c["summary"].startswith("TX-9"))
    assert "uke" in tx9["detail"]  # the engine's own Norwegian explanation
    english = call(client, record, PATIENT_VIEW, body, accept_language="en-GB,en;q=0.9")
    assert english["Content-Language"] == "en"


def test_sc1_tx6_order_sign_warns_for_a_biologic_with_the_missing_items(
    client, record, unscreened_patient, http_base
):
    patient = unscreened_patient
    body = hook_body(
        "order-sign", patient=fhir_patient("p1", patient.national_id), orders=[ADALIMUMAB]
    )
    (card,) = cards_of(call(client, record, ORDER_SIGN, body, accept_language="en"))
    assert card["indicator"] == "warning"
    assert card["summary"].startswith("TX-6, SC-1")
    assert "Adalimumab" in card["summary"]
    assert "Tests not taken (SC-1)" in card["detail"]
    assert "C4" in card["detail"]
    check_card(card, public_url=http_base, patient=patient)
    assert any("screening" in link["url"] for link in card["links"][1:])


def test_order_sign_matches_a_biologic_by_its_name_without_an_atc_code(
    client, record, unscreened_patient
):
    order = {
        "resourceType": "MedicationRequest",
        "medicationCodeableConcept": {"text": "Infliksimab 100 mg hetteglass"},
    }
    body = hook_body(
        "order-sign", patient=fhir_patient("p1", unscreened_patient.national_id), orders=[order]
    )
    (card,) = cards_of(call(client, record, ORDER_SIGN, body))
    assert "Infliksimab" in card["summary"]


def test_xb1_an_order_beyond_the_guideline_is_named_as_such(client, record, unscreened_patient):
    secukinumab = medication_request("L04AC10", "Cosentyx (secukinumab)")
    body = hook_body(
        "order-sign",
        patient=fhir_patient("p1", unscreened_patient.national_id),
        orders=[secukinumab],
    )
    (card,) = cards_of(call(client, record, ORDER_SIGN, body, accept_language="en"))
    assert card["summary"].startswith("TX-6, SC-1, SC-2, XB-1")
    assert card["source"]["label"] == "NFDV 2019"  # the warning is TX-6's and SC-1's
    assert "secukinumab (beyond the NFDV guideline)" in card["detail"]


def test_tx6_order_sign_gives_no_card_when_eligible_and_screened(client, record, eligible_patient):
    body = hook_body(
        "order-sign", patient=fhir_patient("p1", eligible_patient.national_id), orders=[ADALIMUMAB]
    )
    assert cards_of(call(client, record, ORDER_SIGN, body)) == []


def test_order_sign_gives_no_card_for_an_order_that_is_not_a_biologic(
    client, record, unscreened_patient
):
    doxycycline = medication_request("J01AA02", "Doksysyklin 100 mg")
    body = hook_body(
        "order-sign",
        patient=fhir_patient("p1", unscreened_patient.national_id),
        orders=[doxycycline],
    )
    assert cards_of(call(client, record, ORDER_SIGN, body)) == []
    assert not AuditEvent.objects.filter(action=Action.READ).exists()  # nothing read


def test_a_patient_the_unit_has_not_registered_gets_one_card_and_nothing_else(
    client, record, other_unit, user
):
    elsewhere = register_patient(
        unit=other_unit, national_id=make_number(7), first_name="Per", last_name="Annen"
    )
    body = hook_body("patient-view", patient=fhir_patient("p1", elsewhere.national_id))
    (card,) = cards_of(call(client, record, PATIENT_VIEW, body, accept_language="en"))
    assert card["summary"].startswith("RG-1")
    assert card["indicator"] == "info"
    assert card["links"] == []
    assert "Annen" not in json.dumps(card)
    denied = AuditEvent.objects.get(action=Action.READ)
    assert denied.outcome == Outcome.DENIED
    assert denied.patient_id is None
    assert elsewhere.national_id not in json.dumps(denied.detail)


def test_without_prefetch_the_patient_is_read_from_the_record_fhir_server(
    client, record, record_server, week12_patient
):
    record_server.state.patients["p9"] = fhir_patient("p9", week12_patient.national_id)
    body = hook_body("patient-view", patient=None, fhir_id="p9", fhir_server=record_server.fhir_url)
    found = cards_of(call(client, record, PATIENT_VIEW, body))
    assert any(card["summary"].startswith("TX-9") for card in found)


@pytest.mark.parametrize("trouble", ["status", "no-server", "unreachable"])
def test_a_failing_fhir_fallback_is_a_412_not_a_500(
    client, record, record_server, week12_patient, trouble
):
    record_server.state.patients["p9"] = fhir_patient("p9", week12_patient.national_id)
    server = {
        "status": record_server.fhir_url,
        "no-server": "",
        "unreachable": "http://127.0.0.1:8639/fhir",
    }[trouble]
    record_server.state.fhir_status = 500
    body = hook_body("patient-view", patient=None, fhir_id="p9", fhir_server=server)
    response = call(client, record, PATIENT_VIEW, body)
    assert response.status_code == 412
    assert response.json()["error"] == "precondition_failed"


def test_feedback_records_accepted_and_overridden_cards_in_the_audit_log(
    client, record, week12_patient
):
    body = hook_body("patient-view", patient=fhir_patient("p1", week12_patient.national_id))
    found = cards_of(call(client, record, PATIENT_VIEW, body))
    tx9 = next(c for c in found if c["summary"].startswith("TX-9"))
    tx6 = next(c for c in found if c["summary"].startswith("TX-6"))
    feedback = {
        "feedback": [
            {
                "card": tx6["uuid"],
                "outcome": "accepted",
                "outcomeTimestamp": "2026-12-06T09:00:00Z",
            },
            {
                "card": tx9["uuid"],
                "outcome": "overridden",
                "overrideReason": {
                    "reason": tx9["overrideReasons"][0],
                    "userComment": "Kari Nordmann ringer selv",
                },
                "outcomeTimestamp": "2026-12-06T09:01:00Z",
            },
        ]
    }
    response = client.post(
        f"/cds-services/{PATIENT_VIEW}/feedback",
        json.dumps(feedback),
        content_type="application/json",
        headers=record.headers(PATIENT_VIEW, "/feedback"),
    )
    assert response.status_code == 200, response.content
    rows = AuditEvent.objects.filter(target=f"CDS Hooks feedback {PATIENT_VIEW}").order_by("id")
    accepted, overridden = rows
    assert accepted.username == overridden.username == "api-dips-cds"
    assert accepted.patient_id == overridden.patient_id == week12_patient.pk
    assert accepted.detail["outcome"] == "accepted"
    assert accepted.detail["rules"] == ["TX-6"]
    assert overridden.detail["outcome"] == "overridden"
    assert overridden.detail["rules"] == ["TX-9"]
    assert overridden.detail["override_reason"]["code"] == "already-done"
    assert overridden.detail["comment_given"] is True
    assert "Nordmann" not in json.dumps(overridden.detail)  # free text is not kept


def test_feedback_reaches_the_cards_patient_on_any_worker_for_a_week(
    client, record, week12_patient
):
    """The issued cards are in the database (cdshooks.models.IssuedCard): feedback that a
    worker with an empty cache takes is recorded with the card's patient and rules; after a
    week the card is forgotten (the nightly job) and its feedback names no patient."""
    body = hook_body("patient-view", patient=fhir_patient("p1", week12_patient.national_id))
    card = cards_of(call(client, record, PATIENT_VIEW, body))[0]

    def feedback() -> AuditEvent:
        outcome = {
            "card": card["uuid"],
            "outcome": "accepted",
            "outcomeTimestamp": "2026-12-06T09:00:00Z",
        }
        response = client.post(
            f"/cds-services/{PATIENT_VIEW}/feedback",
            json.dumps({"feedback": [outcome]}),
            content_type="application/json",
            headers=record.headers(PATIENT_VIEW, "/feedback"),
        )
        assert response.status_code == 200, response.content
        return AuditEvent.objects.filter(target__startswith="CDS Hooks feedback").latest("id")

    cache.clear()  # what a second worker process knows
    assert feedback().patient_id == week12_patient.pk
    IssuedCard.objects.update(issued_at=timezone.now() - CARD_MEMORY - timedelta(seconds=1))
    assert forget_expired() >= 1
    row = feedback()
    assert row.patient_id is None
    assert "rules" not in row.detail


def test_bad_feedback_is_a_400_naming_the_element_and_records_nothing(client, record):
    feedback = {"feedback": [{"card": "x", "outcome": "maybe", "outcomeTimestamp": "now"}]}
    response = client.post(
        f"/cds-services/{PATIENT_VIEW}/feedback",
        json.dumps(feedback),
        content_type="application/json",
        headers=record.headers(PATIENT_VIEW, "/feedback"),
    )
    assert response.status_code == 400
    assert response.json()["path"] == "feedback[0].outcome"
    assert not AuditEvent.objects.filter(target__startswith="CDS Hooks feedback").exists()


def test_an_unknown_service_is_a_404_and_a_get_of_a_service_a_405(client):
    assert client.get("/cds-services/no-such").status_code == 404
    response = client.get(f"/cds-services/{PATIENT_VIEW}")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_patient_view_call_takes_a_fixed_number_of_queries(
    client, record, week12_patient, django_assert_max_num_queries
):
    """The client, its membership, its JWT id noted (a savepoint and an insert), the patient,
    its audit row, one query per form model (as the patient page) and the issued cards noted
    in one insert: the number does not grow with the patient's history."""
    body = hook_body("patient-view", patient=fhir_patient("p1", week12_patient.national_id))
    cards_of(call(client, record, PATIENT_VIEW, body))  # the key set fetched once
    with django_assert_max_num_queries(20):
        cards_of(call(client, record, PATIENT_VIEW, body))
