"""POST /fhir: a transaction Bundle of Observations becomes a doctor's assessment through the
clinic's form and records.services (issue 14 point 1): the form's limits (counts 0-50/0-20/0-20,
Hurley 1-3, ST-1, ST-3), the engine's IHS4 (ST-2) and AN (MO-2), drafts and finished forms,
all or nothing, a retry answered once, another unit's patient not found, audit rows naming
the client, and odd Bundles never a 5xx. Real HTTP through Django's test client."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsreg.accounts.actor import system_actor
from hsreg.apiclients.services import create_client
from hsreg.assessments.models import DoctorAssessment, Region, RegionFinding
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.fhir import codes
from hsreg.patients.services import register_patient
from hsreg.records.models import Status
from tests.apiclients.conftest import token_response
from tests.registry.conftest import make_number, other_unit, patient, unit

__all__ = ["other_unit", "patient", "unit"]

pytestmark = pytest.mark.django_db
FHIR_JSON = "application/fhir+json"
SCOPES = "system/Patient.rs system/Observation.crs system/QuestionnaireResponse.crs"
DAY = date(2026, 11, 2)


@pytest.fixture
def bearer(client, unit) -> str:
    """An Authorization header of a client of ``unit`` that may create Observations."""
    found, secret = create_client(actor=system_actor(), unit=unit, name="dips", scopes=SCOPES)
    response = token_response(client, found.client_id, secret)
    return f"Bearer {response.json()['access_token']}"


def observation(
    patient_id: int,
    code: str,
    value: int,
    *,
    region: str = "",
    status: str = "final",
    day: date = DAY,
    extension: list | None = None,
) -> dict:
    resource: dict = {
        "resourceType": "Observation",
        "status": status,
        "code": {"coding": [{"system": codes.OBSERVATION_SYSTEM, "code": code}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": day.isoformat(),
        "valueInteger": value,
    }
    if region:
        resource["bodySite"] = {"coding": [{"system": codes.REGION_SYSTEM, "code": region}]}
    if extension:
        resource["extension"] = extension
    return resource


def weight(patient_id: int, kilos: float, *, status: str = "final", day: date = DAY) -> dict:
    return {
        "resourceType": "Observation",
        "status": status,
        "code": {"coding": [{"system": codes.LOINC, "code": "29463-7"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": day.isoformat(),
        "valueQuantity": {"value": kilos, "unit": "kg", "system": codes.UCUM, "code": "kg"},
    }


def bundle(*resources: dict, identifier: str = "") -> dict:
    found: dict = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"resource": r, "request": {"method": "POST", "url": "Observation"}} for r in resources
        ],
    }
    if identifier:
        found["identifier"] = {"system": "urn:dips:assessment", "value": identifier}
    return found


def an_assessment(patient_id: int, *, status: str = "final", **kw) -> dict:
    """Two regions counted and staged, and the weight: IHS4 = 3 + 2*1 + 4*1 + 2 = 11."""
    return bundle(
        observation(patient_id, "nodules", 3, region="axilla_left", status=status),
        observation(patient_id, "abscesses", 1, region="axilla_left", status=status),
        observation(patient_id, "hurley", 2, region="axilla_left", status=status),
        observation(patient_id, "draining-tunnels", 1, region="groin_right", status=status),
        observation(patient_id, "nodules", 2, region="groin_right", status=status),
        observation(patient_id, "hurley", 3, region="groin_right", status=status),
        weight(patient_id, 81.5, status=status),
        **kw,
    )


def post(client, bearer: str, body) -> tuple[int, dict]:
    response = client.post(
        reverse("fhir:transaction"),
        data=json.dumps(body),
        content_type=FHIR_JSON,
        HTTP_AUTHORIZATION=bearer,
    )
    return response.status_code, json.loads(response.content)


def issues(answer: dict) -> dict[str, str]:
    """expression -> diagnostics (joined when several) of an OperationOutcome, validated."""
    OperationOutcome.model_validate(answer)
    found: dict[str, str] = {}
    for issue in answer["issue"]:
        path = issue["expression"][0]
        found[path] = (
            f"{found[path]} {issue['diagnostics']}" if path in found else issue["diagnostics"]
        )
    return found


def test_an_assessment_is_stored_through_the_form_with_the_engines_scores(client, bearer, patient):
    status, answer = post(client, bearer, an_assessment(patient.pk))
    assert status == 200, answer
    response = Bundle.model_validate(answer)
    assert response.type == "transaction-response"
    stored = DoctorAssessment.objects.get()
    assert (stored.status, stored.date, stored.occasion) == (Status.FINISHED, DAY, "pre")
    assert (stored.nodules, stored.abscesses, stored.draining_tunnels) == (5, 1, 1)
    assert (stored.ihs4, stored.an_count, stored.hurley) == (11, 6, 3)  # ST-2, MO-2, ST-1
    assert stored.weight_kg == 82  # rounded to whole kg as HISREG stores it
    assert {r.region: (r.nodules, r.hurley) for r in RegionFinding.objects.all()} == {
        "axilla_left": (3, 2),
        "groin_right": (2, 3),
    }
    assert [e.response.status for e in response.entry] == ["201 Created"] * 7
    pk = stored.pk
    assert [e.response.location for e in response.entry] == [
        f"Observation/da-{pk}-nodules-axilla-left",
        f"Observation/da-{pk}-abscesses-axilla-left",
        f"Observation/da-{pk}-hurley-axilla-left",
        f"Observation/da-{pk}-draining-tunnels-groin-right",
        f"Observation/da-{pk}-nodules-groin-right",
        f"Observation/da-{pk}-hurley-groin-right",
        f"Observation/da-{pk}-weight",
    ]


def test_the_write_is_audited_with_the_client_as_the_actor(client, bearer, patient):
    post(client, bearer, an_assessment(patient.pk))
    stored = DoctorAssessment.objects.get()
    row = AuditEvent.objects.get(action=Action.CREATE, target__startswith="doctorassessment")
    assert (row.username, row.target) == ("api-dips", f"doctorassessment {stored.pk}")
    assert row.detail["status"] == "finished"
    assert stored.created_by.username == "api-dips"


def test_totals_without_regions_and_a_draft_then_a_finished_one(client, bearer, patient):
    draft = bundle(
        observation(patient.pk, "nodules", 50, status="preliminary"),
        observation(patient.pk, "abscesses", 20, status="preliminary"),
    )
    status, answer = post(client, bearer, draft)
    assert status == 200, answer
    first = DoctorAssessment.objects.get()
    assert (first.status, first.nodules, first.abscesses, first.ihs4) == (
        Status.DRAFT,
        50,
        20,
        None,  # no draining tunnels yet: no IHS4
    )
    finished = bundle(
        observation(patient.pk, "nodules", 50),
        observation(patient.pk, "abscesses", 20),
        observation(patient.pk, "draining-tunnels", 20),
        observation(patient.pk, "hurley", 1),
    )
    status, answer = post(client, bearer, finished)
    assert status == 200, answer
    second = DoctorAssessment.objects.exclude(pk=first.pk).get()
    assert (second.status, second.ihs4, second.hurley) == (Status.FINISHED, 50 + 40 + 80, 1)


def test_finishing_asks_what_the_form_asks(client, bearer, patient):
    status, answer = post(client, bearer, bundle(observation(patient.pk, "nodules", 2)))
    assert status == 400
    found = issues(answer)
    assert "Bundle.entry" in found  # the Hurley stage and the other counts are missing
    assert "finish" in " ".join(found.values())
    assert not DoctorAssessment.objects.exists()


@pytest.mark.parametrize(
    ("code", "value", "ok"),
    [
        ("nodules", 50, True),
        ("nodules", 51, False),
        ("abscesses", 20, True),
        ("abscesses", 21, False),
        ("draining-tunnels", 20, True),
        ("draining-tunnels", 21, False),
        ("hurley", 1, True),
        ("hurley", 3, True),
        ("hurley", 0, False),
        ("hurley", 4, False),
        ("nodules", -1, False),
    ],
)
def test_counts_and_stages_at_their_form_limits_st1_st3(client, bearer, patient, code, value, ok):  # noqa: PLR0917
    entries = [observation(patient.pk, code, value, region="perianal", status="preliminary")]
    status, answer = post(client, bearer, bundle(*entries))
    if ok:
        assert status == 200, answer
        assert DoctorAssessment.objects.count() == 1
    else:
        assert status == 400
        assert "Bundle.entry[0].resource.valueInteger" in issues(answer)
        assert not DoctorAssessment.objects.exists()


def test_regions_adding_up_past_the_form_limit_are_refused(client, bearer, patient):
    regions = ["axilla_left", "axilla_right", "groin_left"]
    entries = [observation(patient.pk, "abscesses", 8, region=r) for r in regions]
    status, answer = post(client, bearer, bundle(*entries))
    assert status == 400
    assert "add up to 24" in issues(answer)["Bundle.entry[0].resource.valueInteger"]


def test_every_problem_is_named_by_its_path_and_nothing_is_stored(client, bearer, patient):
    body = an_assessment(patient.pk)
    body["entry"][1]["resource"]["valueInteger"] = 99
    body["entry"][3]["resource"]["bodySite"]["coding"][0]["code"] = "elbow"
    body["entry"][4]["request"]["method"] = "PUT"
    body["entry"][5]["resource"]["code"]["coding"][0]["code"] = "shoe-size"
    status, answer = post(client, bearer, body)
    assert status == 400
    found = issues(answer)
    assert "Bundle.entry[3].resource.bodySite" in found
    assert "Bundle.entry[4].request" in found
    assert "Bundle.entry[5].resource.code" in found
    assert not DoctorAssessment.objects.exists()
    del body["entry"][3:6]
    status, answer = post(client, bearer, body)
    assert status == 400
    assert list(issues(answer)) == ["Bundle.entry[1].resource.valueInteger"]
    assert not DoctorAssessment.objects.exists()


def test_a_total_beside_regions_must_be_theirs_st1(client, bearer, patient):
    body = an_assessment(patient.pk)
    body["entry"].append(
        {"resource": observation(patient.pk, "hurley", 2), "request": body["entry"][0]["request"]}
    )
    status, answer = post(client, bearer, body)
    assert status == 400
    assert "Bundle.entry[7].resource.valueInteger" in issues(answer)
    body["entry"][7]["resource"]["valueInteger"] = 3  # the worst region's stage
    status, answer = post(client, bearer, body)
    assert status == 200, answer


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda b, other: b["entry"][2]["resource"].update(subject=other), "subject"),
        (lambda b, _o: b["entry"][2]["resource"].update(effectiveDateTime="2026-11-03"), "date"),
        (lambda b, _o: b["entry"][2]["resource"].update(status="preliminary"), "status"),
        (lambda b, _o: b["entry"][2]["resource"].update(status="amended"), "status"),
        (lambda b, _o: b["entry"][2]["resource"].update(effectiveDateTime="2026"), "date"),
        (lambda b, _o: b["entry"][2]["resource"].update(resourceType="Condition"), "resource"),
        (lambda b, _o: b["entry"][2]["resource"].update(subject={"display": "x"}), "subject"),
    ],
)
def test_one_assessment_is_one_patient_one_date_one_status(client, bearer, patient, change, path):
    second = register_patient(
        unit=patient.enrolments.first().unit,
        national_id=make_number(7),
        first_name="Per",
        last_name="Annen",
    )
    body = an_assessment(patient.pk)
    change(body, {"reference": f"Patient/{second.pk}"})
    status, answer = post(client, bearer, body)
    assert status == 400
    expected = {
        "subject": "Bundle.entry[2].resource.subject",
        "date": "Bundle.entry[2].resource.effectiveDateTime",
        "status": "Bundle.entry[2].resource.status",
        "resource": "Bundle.entry[2].resource",
    }[path]
    assert expected in issues(answer)
    assert not DoctorAssessment.objects.exists()


def test_a_date_in_the_future_or_before_birth_is_refused_without_telling_it(
    client, bearer, patient
):
    for day in (date.today() + timedelta(days=2), date(1980, 1, 1)):
        body = bundle(observation(patient.pk, "nodules", 1, status="preliminary", day=day))
        status, answer = post(client, bearer, body)
        assert status == 400
        assert "Bundle.entry[0].resource.effectiveDateTime" in issues(answer)
        assert "1985" not in json.dumps(answer)  # the patient's birth date is not told


def test_a_control_names_its_intervention_by_extension(client, bearer, patient, unit):
    from hsreg.records.services import save_record
    from hsreg.treatments.models import Intervention

    intervention = save_record(
        record=Intervention(patient=patient, unit=unit, date=DAY - timedelta(days=90), type=2),
        actor=None,
        finish=True,
    )
    occasion = {"url": codes.OCCASION_EXTENSION, "valueCode": "3m"}
    followed = {
        "url": codes.INTERVENTION_EXTENSION,
        "valueReference": {
            "identifier": {"system": codes.INTERVENTION_SYSTEM, "value": str(intervention.pk)}
        },
    }
    body = an_assessment(patient.pk)
    body["entry"][0]["resource"]["extension"] = [occasion]
    status, answer = post(client, bearer, body)
    assert status == 400  # a finished control names the intervention it follows up
    assert "Bundle.entry" in issues(answer)
    body["entry"][1]["resource"]["extension"] = [
        followed | {"valueReference": {"identifier": {"system": "x", "value": "1"}}}
    ]
    status, answer = post(client, bearer, body)
    assert "Bundle.entry[1].resource.extension[0].valueReference" in issues(answer)
    body["entry"][1]["resource"]["extension"] = [followed]
    status, answer = post(client, bearer, body)
    assert status == 200, answer
    stored = DoctorAssessment.objects.get()
    assert (stored.occasion, stored.intervention_id) == ("3m", intervention.pk)


def test_another_units_patient_is_not_found(client, bearer, other_unit):
    theirs = register_patient(
        unit=other_unit, national_id=make_number(3), first_name="Ola", last_name="Annen"
    )
    status, answer = post(client, bearer, an_assessment(theirs.pk))
    assert status == 404
    assert issues(answer) == {
        "Bundle.entry[0].resource.subject": f"Patient/{theirs.pk} is not a patient of this "
        "client's unit."
    }
    assert not DoctorAssessment.objects.exists()
    denied = AuditEvent.objects.get(outcome=Outcome.DENIED, patient_id=theirs.pk)
    assert denied.username == "api-dips"


def test_a_retry_answers_the_first_result_and_another_content_is_a_conflict(
    client, bearer, patient
):
    body = an_assessment(patient.pk, identifier="visit-4711")
    first = post(client, bearer, body)
    again = post(client, bearer, body)
    assert first[0] == again[0] == 200
    assert first[1]["entry"] == again[1]["entry"]
    assert DoctorAssessment.objects.count() == 1
    assert AuditEvent.objects.filter(target__startswith="doctorassessment").count() == 1
    body["entry"][0]["resource"]["valueInteger"] = 4
    status, answer = post(client, bearer, body)
    assert status == 409
    assert "Bundle.identifier" in issues(answer)
    body["identifier"]["value"] = "visit-4712"
    assert post(client, bearer, body)[0] == 200
    assert DoctorAssessment.objects.count() == 2


def test_the_scope_and_the_method_are_checked(client, unit, patient):
    found, secret = create_client(
        actor=system_actor(), unit=unit, name="reader", scopes="system/Patient.rs"
    )
    token = token_response(client, found.client_id, secret).json()["access_token"]
    assert post(client, f"Bearer {token}", an_assessment(patient.pk))[0] == 403
    assert post(client, "", an_assessment(patient.pk))[0] == 401
    assert (
        client.get(reverse("fhir:transaction"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 405
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ([], 400),
        ({"resourceType": "Patient"}, 400),
        ({"resourceType": "Bundle", "type": "batch", "entry": []}, 400),
        ({"resourceType": "Bundle", "type": "transaction"}, 400),
        ({"resourceType": "Bundle", "type": "transaction", "entry": [1, None, "x"]}, 400),
    ],
)
def test_what_is_no_transaction_is_refused(client, bearer, body, status):
    assert post(client, bearer, body)[0] == status


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutation=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.sampled_from(
                [
                    "status",
                    "code",
                    "subject",
                    "effectiveDateTime",
                    "bodySite",
                    "valueInteger",
                    "valueQuantity",
                    "extension",
                    "resourceType",
                ]
            ),
            JSON,
        ),
        max_size=3,
    ),
    identifier=JSON,
)
def test_odd_bundles_are_never_a_server_error(client, bearer, patient, mutation, identifier):
    body = an_assessment(patient.pk)
    for index, key, value in mutation:
        body["entry"][index]["resource"][key] = value
    body["identifier"] = identifier
    status, answer = post(client, bearer, body)
    assert status in (200, 400, 404, 409), answer
    if status != 200:
        OperationOutcome.model_validate(answer)


REGIONS = Region.values  # the engine's region ids (ST-1, XS-3), as the form takes them


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    counted=st.dictionaries(
        st.sampled_from(REGIONS),
        st.tuples(st.integers(0, 50), st.integers(0, 20), st.integers(0, 20), st.integers(1, 3)),
        min_size=1,
        max_size=4,
    )
)
def test_any_regions_are_stored_with_the_engines_ihs4_or_refused_at_the_limit_st2(
    client, bearer, patient, counted
):
    entries = []
    for region, (nodules, abscesses, tunnels, stage) in counted.items():
        entries += [
            observation(patient.pk, "nodules", nodules, region=region),
            observation(patient.pk, "abscesses", abscesses, region=region),
            observation(patient.pk, "draining-tunnels", tunnels, region=region),
            observation(patient.pk, "hurley", stage, region=region),
        ]
    totals = [sum(c[i] for c in counted.values()) for i in range(3)]
    status, answer = post(client, bearer, bundle(*entries))
    if totals[0] > 50 or totals[1] > 20 or totals[2] > 20:  # HISREG's limits of the totals
        assert status == 400
        assert "add up to" in json.dumps(answer)
        return
    assert status == 200, answer
    stored = DoctorAssessment.objects.order_by("-pk").first()
    assert stored.ihs4 == totals[0] + 2 * totals[1] + 4 * totals[2]  # ST-2
    assert stored.hurley == max(c[3] for c in counted.values())  # ST-1
    assert stored.regions.count() == len(counted)


def test_the_base_url_without_its_slash_takes_the_transaction_too(client, bearer, patient):
    """FHIR's transaction is POST [base], and a client's base is .../fhir: the path without
    the slash is answered, not redirected (a redirected POST loses its body)."""
    response = client.post(
        "/fhir",
        data=json.dumps(an_assessment(patient.pk)),
        content_type=FHIR_JSON,
        HTTP_AUTHORIZATION=bearer,
    )
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["type"] == "transaction-response"
    assert DoctorAssessment.objects.count() == 1
