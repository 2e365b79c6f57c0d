"""XB-5 funding status (beyond the NFDV guideline (2019); Nye metoder): the catalog's default,
the registry coordinator's recorded decision over it (audited), the coordinator's page (bad
input named by field; every other role 403), the case document and the engine carrying the
coordinator's status, and the drug course form showing it beside every biologic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsreg.accounts.actor import actor_for
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.guideline import evaluate
from hsreg.guideline.catalog import BIOLOGICS, DEFAULT_FUNDING
from hsreg.patients.case_document import build_case
from hsreg.records.models import Status
from hsreg.treatments.funding import funding_statuses, set_funding
from hsreg.treatments.models import DrugCourse, FundingDecision
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

pytestmark = pytest.mark.django_db
URL = "/registry/funding/"


@pytest.fixture
def coordinator(unit):
    return create_user(
        username="koord", password=PASSWORD, units=[unit], role=Role.COORDINATOR, first_name="Kai"
    )


@pytest.fixture
def http(coordinator):
    client = sign_in(Client(), coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def actor(user):
    return actor_for(user, request_id="test")


def test_xb5_the_defaults_stand_without_a_decision():
    assert funding_statuses() == {
        "adalimumab": "approved",
        "infliximab": "approved",
        "secukinumab": "not_approved",
        "bimekizumab": "not_approved",
    }
    assert set(funding_statuses()) == set(BIOLOGICS)


def test_xb5_a_decision_overrides_the_default_for_its_drug_only(coordinator):
    set_funding(
        actor=actor(coordinator),
        drug="bimekizumab",
        status="approved",
        decided_on=date(2026, 3, 2),
        note="ID2024_012",
    )
    statuses = funding_statuses()
    assert statuses["bimekizumab"] == "approved"
    assert statuses["secukinumab"] == DEFAULT_FUNDING["secukinumab"] == "not_approved"
    with CaptureQueriesContext(connection) as queries:
        funding_statuses()
    assert len(queries.captured_queries) == 1


def test_xb5_set_funding_writes_one_row_per_drug_and_an_audit_row_each_time(coordinator):
    who = actor(coordinator)
    set_funding(
        actor=who, drug="secukinumab", status="under_review", decided_on=date(2026, 1, 20), note=""
    )
    decision = set_funding(
        actor=who,
        drug="secukinumab",
        status="approved",
        decided_on=date(2026, 4, 1),
        note="ID2023_045",
    )
    assert FundingDecision.objects.count() == 1
    decision.refresh_from_db()
    assert (decision.status, decision.decided_on, decision.note) == (
        "approved",
        date(2026, 4, 1),
        "ID2023_045",
    )
    assert decision.updated_by == coordinator
    rows = list(AuditEvent.objects.filter(target="funding status secukinumab").order_by("id"))
    assert [r.action for r in rows] == [Action.CHANGE, Action.CHANGE]
    assert all(r.patient_id is None and r.username == "koord" for r in rows)
    assert rows[0].detail == {
        "drug": "secukinumab",
        "status": "under_review",
        "decided_on": "2026-01-20",
        "before": "not_approved",
        "rule": "XB-5",
    }
    assert rows[1].detail["status"] == "approved"
    assert rows[1].detail["before"] == "under_review"


@pytest.mark.parametrize(
    ("drug", "status"), [("doxycycline", "approved"), ("bimekizumab", "maybe")]
)
def test_xb5_set_funding_refuses_a_non_biologic_or_an_unknown_status(coordinator, drug, status):
    with pytest.raises(ValueError, match="not a"):
        set_funding(
            actor=actor(coordinator), drug=drug, status=status, decided_on=date(2026, 1, 1), note=""
        )
    assert not FundingDecision.objects.exists()
    assert not AuditEvent.objects.filter(target__startswith="funding status").exists()


def test_xb5_the_coordinator_page_lists_every_biologic_and_saves_a_decision(http):
    start = http.get("/").content.decode()
    assert f'href="{reverse("treatments:funding")}" id="menu-funding"' in start
    assert reverse("treatments:funding") == URL
    page = http.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for drug in BIOLOGICS:
        assert f'id="funding-{drug}" data-status="{DEFAULT_FUNDING[drug]}"' in html
    assert "beyond the NFDV guideline (2019)" in html
    assert "XB-5" in html
    response = http.post(
        URL,
        {
            "drug": "bimekizumab",
            "bimekizumab-status": "approved",
            "bimekizumab-decided_on": "2026-03-02",
            "bimekizumab-note": "ID2024_012",
        },
    )
    assert response.status_code == 302
    assert funding_statuses()["bimekizumab"] == "approved"
    html = http.get(URL).content.decode()
    assert 'id="funding-bimekizumab" data-status="approved"' in html
    assert "ID2024_012" in html
    assert (
        "Funding status (XB-5, beyond the NFDV guideline (2019); Nye metoder) of Bimekizumab: "
        "approved for HS in the specialist health service."
    ) in html
    assert "Kai" in html  # who updated it
    assert AuditEvent.objects.filter(target="funding status bimekizumab").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"status": "maybe", "decided_on": "2026-03-02"}, "status", "Select a valid choice"),
        ({"status": "approved", "decided_on": "2. mars"}, "decided_on", "Enter a valid date"),
        ({"status": "approved", "decided_on": ""}, "decided_on", "This field is required"),
        ({"status": "approved", "decided_on": "FUTURE"}, "decided_on", "cannot be in the future"),
        ({"status": "approved", "decided_on": "2026-03-02", "note": "x" * 201}, "note", "at most"),
    ],
)
def test_xb5_bad_input_names_the_field_and_the_reason(http, fields, field, reason):
    if fields["decided_on"] == "FUTURE":
        fields["decided_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = {"drug": "secukinumab", **{f"secukinumab-{k}": v for k, v in fields.items()}}
    response = http.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    # the error sits in the field's own block, before the next field starts
    block = html.split(f'id="field-secukinumab-{field}"', 1)[1].split('id="field-', 1)[0]
    assert f'data-field="{field}"' in block
    assert reason in block
    assert not FundingDecision.objects.exists()
    assert not AuditEvent.objects.filter(target__startswith="funding status").exists()


def test_xb5_a_post_for_an_unknown_drug_is_refused_without_a_change(http):
    response = http.post(URL, {"drug": "doxycycline", "doxycycline-status": "approved"})
    assert response.status_code == 400
    assert "Choose one of the biologics in the list." in response.content.decode()
    assert not FundingDecision.objects.exists()


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.UNIT_LEADER, Role.REPORTING])
def test_xb5_no_other_role_opens_or_changes_the_page(unit, role):
    other = create_user(username=f"u-{role}", password=PASSWORD, units=[unit], role=role)
    client = sign_in(Client(), other)
    assert client.get(URL).status_code == 403
    response = client.post(
        URL,
        {
            "drug": "bimekizumab",
            "bimekizumab-status": "approved",
            "bimekizumab-decided_on": "2026-03-02",
        },
    )
    assert response.status_code == 403
    assert not FundingDecision.objects.exists()
    assert 'id="menu-funding"' not in client.get("/").content.decode()


def test_xb5_without_a_login_the_page_sends_to_the_login(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def adalimumab_failed(patient, unit) -> None:
    """An adult whose adalimumab was stopped for inadequate effect: the IL-17 inhibitors are
    options beyond the guideline (XB-1, XB-2), each with its funding status (XB-5)."""
    DrugCourse.objects.create(
        patient=patient, unit=unit, drug="adalimumab", date=date(2025, 1, 6),
        end=date(2025, 7, 1), stop_reason="inadequate_effect",
        status=Status.FINISHED, finished_at=timezone.now(),
    )  # fmt: skip


def test_xb5_the_case_document_and_the_engine_carry_the_coordinators_status(
    patient, unit, coordinator
):
    adalimumab_failed(patient, unit)
    on = date(2026, 6, 10)
    assert build_case(patient, as_of=on)["funding_status"] == DEFAULT_FUNDING
    set_funding(
        actor=actor(coordinator),
        drug="bimekizumab",
        status="approved",
        decided_on=date(2026, 3, 2),
        note="ID2024_012",
    )
    document = build_case(patient, as_of=on)
    assert document["funding_status"]["bimekizumab"] == "approved"
    assert document["funding_status"]["secukinumab"] == "not_approved"
    options = {o.drug: o for o in evaluate(document).beyond_guideline.options}
    assert options["bimekizumab"].funding_status == "approved"
    assert options["secukinumab"].funding_status == "not_approved"
    assert "approved for HS in the specialist health service" in options["bimekizumab"].text.en


def test_xb5_the_patient_page_shows_the_coordinators_status(client_in, patient, unit, coordinator):
    adalimumab_failed(patient, unit)
    set_funding(
        actor=actor(coordinator),
        drug="secukinumab",
        status="under_review",
        decided_on=date(2026, 2, 2),
        note="",
    )
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client_in.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Secukinumab under review by Nye metoder" in html


def test_xb5_the_drug_course_form_shows_the_status_beside_every_biologic(
    client_in, patient, coordinator
):
    set_funding(
        actor=actor(coordinator),
        drug="secukinumab",
        status="under_review",
        decided_on=date(2026, 2, 2),
        note="",
    )
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("records:new", kwargs={"patient_id": patient.pk, "kind": "drug-course"})
    html = client_in.get(url).content.decode()
    assert "Funding status (XB-5, beyond the NFDV guideline (2019); Nye metoder)" in html
    for drug, status in {**DEFAULT_FUNDING, "secukinumab": "under_review"}.items():
        assert f'data-drug="{drug}" data-funding="{status}"' in html
    table = html.split('id="drug-funding"', 1)[1].split("</table>", 1)[0]
    assert "under review by Nye metoder" in table
    assert "approved for HS in the specialist health service" in table
    # next to the drug choice, in the same group of the form
    assert html.index('name="drug"') < html.index('id="drug-funding"')
