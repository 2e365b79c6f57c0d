"""The FHIR read side's resources (issue 14): what each holds, and that every one validates
with fhir.resources' R4B models. Real HTTP through Django's test client with a bearer token."""

from __future__ import annotations

import pytest
from fhir.resources.R4B import get_fhir_model_class

from hsreg.fhir import codes
from hsreg.fhir.resources.ids import observation_id, parse_observation_id
from hsreg.fhir.resources.patient import identifier_system
from hsreg.guideline import scores
from tests.fhir.conftest import body

pytestmark = pytest.mark.django_db

SEARCHES = (
    "Patient",
    "Organization",
    "Condition",
    "Observation",
    "QuestionnaireResponse",
    "MedicationStatement",
    "Procedure",
)


def valid(resource: dict) -> dict:
    """``resource`` after checking it with its R4B model."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def entries(response) -> list[dict]:
    assert response.status_code == 200, response.content
    found = valid(body(response))
    return [valid(e["resource"]) for e in found.get("entry", [])]


def observations(api, patient) -> dict[str, dict]:
    response = api.get("/fhir/Observation", {"patient": patient.pk, "_count": 200})
    return {o["id"]: o for o in entries(response)}


@pytest.mark.parametrize("type_name", SEARCHES)
def test_every_resource_of_every_search_and_read_validates(api, world, type_name):
    whole_unit = {"_count": 200}
    if type_name == "Observation":  # the unit's every Observation needs a date range
        whole_unit["date"] = "ge1900-01-01"
    found = entries(api.get(f"/fhir/{type_name}", whole_unit))
    assert found
    for resource in found:
        response = api.get(f"/fhir/{type_name}/{resource['id']}")
        assert response.status_code == 200, resource["id"]
        assert valid(body(response)) == resource


def test_everything_validates_and_holds_every_type(api, world):
    response = api.get(f"/fhir/Patient/{world.patient.pk}/$everything", {"_count": 200})
    types = {r["resourceType"] for r in entries(response)}
    assert types == {"Patient", "Organization", *SEARCHES}


def test_the_patient_is_no_basis_with_the_national_id_number(api, world):
    patient = valid(body(api.get(f"/fhir/Patient/{world.patient.pk}")))
    assert patient["meta"]["profile"] == [codes.PATIENT_PROFILE]
    assert patient["identifier"][0] == {
        "use": "official",
        "system": codes.FNR_SYSTEM,
        "value": world.patient.national_id,
    }
    assert patient["name"][0] == {"use": "official", "family": "Nordmann", "given": ["Kari"]}
    assert patient["birthDate"] == world.patient.birth_date.isoformat()
    assert patient["gender"] == world.patient.sex
    assert patient["managingOrganization"]["reference"] == f"Organization/{world.unit.pk}"


@pytest.mark.parametrize(
    ("number", "system"),
    [
        ("14838500154", codes.FNR_SYSTEM),
        ("01010112345", codes.FNR_SYSTEM),
        ("31129912345", codes.FNR_SYSTEM),
        ("41010112345", codes.DNR_SYSTEM),  # a D-number: day + 40
        ("71129912345", codes.DNR_SYSTEM),
    ],
)
def test_a_d_number_has_its_own_identifier_system(number, system):
    assert identifier_system(number) == system


def test_the_unit_is_an_organization_by_its_resh_id(api, world):
    unit = valid(body(api.get(f"/fhir/Organization/{world.unit.pk}")))
    assert unit["identifier"][0]["system"] == codes.RESH_SYSTEM
    assert unit["identifier"][0]["value"] == str(world.unit.resh_id)
    assert unit["meta"]["profile"] == [codes.ORGANIZATION_PROFILE]


def test_the_condition_is_hs_with_onset_from_the_medical_history(api, world):
    condition = valid(body(api.get(f"/fhir/Condition/hs-{world.patient.pk}")))
    assert {(c["system"], c["code"]) for c in condition["code"]["coding"]} == {
        (codes.ICD10, "L73.2"),
        (codes.SNOMED, "59393003"),
    }
    assert condition["onsetAge"]["value"] == world.history.age_first_boil
    assert condition["subject"] == {"reference": f"Patient/{world.patient.pk}"}


def test_the_doctors_values_with_the_engines_scores(api, world):
    found = observations(api, world.patient)
    pk = world.baseline.pk
    ihs4 = found[f"da-{pk}-ihs4"]
    assert ihs4["valueInteger"] == scores.ihs4(5, 2, 2)  # ST-2
    assert ihs4["category"][0]["coding"][0]["code"] == "exam"
    assert ihs4["code"]["coding"][0] == {
        "system": codes.OBSERVATION_SYSTEM,
        "code": "ihs4",
        "display": "IHS4",
    }
    assert "ST-2" in ihs4["note"][0]["text"]
    assert ihs4["status"] == "final"
    assert found[f"da-{pk}-an-count"]["valueInteger"] == scores.an_count(5, 2)
    worst = found[f"da-{pk}-hurley"]
    assert worst["valueInteger"] == 3
    assert "bodySite" not in worst
    region = found[f"da-{pk}-hurley-groin-right"]
    assert region["valueInteger"] == 3
    assert region["bodySite"]["coding"][0]["system"] == codes.REGION_SYSTEM
    assert region["bodySite"]["coding"][0]["code"] == "groin_right"
    assert found[f"da-{pk}-nodules-axilla-left"]["valueInteger"] == 3
    weight = found[f"da-{pk}-weight"]
    assert weight["code"]["coding"][0]["system"] == codes.LOINC
    assert weight["code"]["coding"][0]["code"] == "29463-7"
    assert weight["valueQuantity"]["value"] == 85
    bmi = found[f"da-{pk}-bmi"]
    assert bmi["code"]["coding"][0]["code"] == "39156-5"
    assert bmi["valueQuantity"]["value"] == float(world.baseline.bmi)
    assert found[f"da-{pk}-hs-pga"]["valueString"] == scores.hs_pga(5, 2, 2, None)  # XS-5
    assert world.baseline.sartorius is not None
    assert found[f"da-{pk}-msartorius"]["valueInteger"] == world.baseline.sartorius


def test_hiscr_against_the_episodes_baseline_only_where_the_engine_can_say(api, world):
    """MO-2: the follow-up after the adalimumab start, against the assessment before it:
    AN 7 -> 2, abscesses 2 -> 0, tunnels 2 -> 1: achieved. The baseline has no HiSCR."""
    found = observations(api, world.patient)
    hiscr = found[f"da-{world.followup.pk}-hiscr"]
    assert hiscr["valueBoolean"] is True
    assert "MO-2" in hiscr["note"][0]["text"]
    assert world.baseline.date.isoformat() in hiscr["note"][0]["text"]
    assert f"da-{world.baseline.pk}-hiscr" not in found


def test_the_units_draft_is_preliminary(api, world):
    found = observations(api, world.patient)
    assert found[f"da-{world.draft.pk}-ihs4"]["status"] == "preliminary"
    assert "issued" not in found[f"da-{world.draft.pk}-ihs4"]


def test_the_patients_values_are_survey_observations(api, world):
    found = observations(api, world.patient)
    pk = world.report.pk
    dlqi = found[f"pr-{pk}-dlqi"]
    assert dlqi["valueInteger"] == world.report.dlqi_total
    assert dlqi["category"][0]["coding"][0]["code"] == "survey"
    assert dlqi["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{pk}"}]
    pain = found[f"pr-{pk}-pain"]
    assert pain["code"]["coding"][0] == {
        "system": codes.LOINC,
        "code": "38214-3",
        "display": codes.LOINC_CODES["38214-3"],
    }
    assert pain["valueQuantity"]["value"] == 6.5
    assert found[f"pr-{pk}-pain-worst-boil"]["valueQuantity"]["value"] == 8
    region = found[f"pr-{pk}-pain-region-axilla-left"]
    assert region["bodySite"]["coding"][0]["code"] == "axilla_left"


def test_every_observation_code_is_hsregs_or_loinc(api, world):
    for resource in observations(api, world.patient).values():
        coding = resource["code"]["coding"][0]
        if coding["system"] == codes.LOINC:
            assert coding["code"] in codes.LOINC_CODES
        else:
            assert coding["system"] == codes.OBSERVATION_SYSTEM
            assert coding["code"] in codes.OBSERVATION_CODES
        assert parse_observation_id(resource["id"]) is not None
        assert any(
            rule in resource["note"][0]["text"] for rule in ("ST-", "MO-", "XS-", "XB-", "AD-1")
        )


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("da-12-ihs4", ("da", 12, "ihs4", "")),
        ("da-12-hurley", ("da", 12, "hurley", "")),
        ("da-12-weight", ("da", 12, "weight", "")),
        ("da-12-nodules-axilla-left", ("da", 12, "nodules", "axilla_left")),
        ("da-12-hurley-groin-right", ("da", 12, "hurley", "groin_right")),
        (
            "da-3-draining-tunnels-inframammary-right",
            ("da", 3, "draining-tunnels", "inframammary_right"),
        ),
        ("pr-7-pain", ("pr", 7, "pain", "")),
        ("pr-7-pain-region-other", ("pr", 7, "pain-region", "other")),
    ],
)
def test_observation_ids_round_trip(text, parts):
    parsed = parse_observation_id(text)
    assert (parsed.form, parsed.pk, parsed.slug, parsed.region) == parts
    form, pk, slug, region = parts
    assert observation_id(form=form, pk=pk, slug=slug, region=region) == text


@pytest.mark.parametrize(
    "text",
    [
        "da-0-ihs4",
        "da-12-dlqi",
        "pr-1-ihs4",
        "pr-1-pain-region",
        "da-1-an-count-axilla-left",
        "da-1-hurley-knee",
        "x",
        "da-99999999999999999999-ihs4",
    ],
)
def test_ids_hsreg_never_gives_are_none(text):
    assert parse_observation_id(text) is None


def test_the_medication_statement_has_the_atc_code(api, world):
    statement = valid(body(api.get(f"/fhir/MedicationStatement/{world.course.pk}")))
    assert statement["medicationCodeableConcept"]["coding"][0] == {
        "system": codes.ATC,
        "code": "L04AB04",
        "display": "Adalimumab",
    }
    assert statement["status"] == "active"
    assert statement["effectivePeriod"] == {"start": world.course.date.isoformat()}
    assert "TX-6" in statement["note"][0]["text"]


def test_the_procedure_names_the_surgery_and_its_sites(api, world):
    procedure = valid(body(api.get(f"/fhir/Procedure/{world.surgery.pk}")))
    assert procedure["category"]["coding"][0]["code"] == "387713003"
    assert procedure["code"]["text"] == "Deroofing"
    assert procedure["bodySite"][0]["coding"][0]["code"] == "axilla_left"
    assert procedure["bodySite"][1] == {"text": "Pubis, central"}


def test_the_questionnaire_response_is_the_patients_report(api, world):
    response = valid(body(api.get(f"/fhir/QuestionnaireResponse/{world.report.pk}")))
    assert response["id"] == str(world.report.pk)
    assert response["status"] == "completed"
    assert response["subject"] == {"reference": f"Patient/{world.patient.pk}"}


@pytest.mark.parametrize("cid", ["hsreg-observation", "hsreg-body-region"])
def test_the_code_systems_are_public(client, cid):
    response = client.get(f"/fhir/CodeSystem/{cid}")
    assert response.status_code == 200
    found = valid(body(response))
    assert found["url"] in (codes.OBSERVATION_SYSTEM, codes.REGION_SYSTEM)
    assert found["count"] == len(found["concept"])


def test_the_observation_code_system_holds_every_code(client):
    found = body(client.get("/fhir/CodeSystem/hsreg-observation"))
    assert [c["code"] for c in found["concept"]] == list(codes.OBSERVATION_CODES)


def test_an_unknown_code_system_is_404(client):
    response = client.get("/fhir/CodeSystem/loinc")
    assert response.status_code == 404
    assert body(response)["resourceType"] == "OperationOutcome"
