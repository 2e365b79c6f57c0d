"""FHIR search on the read side (issue 14): the parameters, paging, unit isolation, the audit
rows of every patient shown, a constant number of queries per page, and no national id number
in a URL, a log line or an error."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.fhir import codes
from tests.fhir.conftest import TODAY, assessment, body, report
from tests.registry.conftest import make_number

#: the unit's every Observation is searched within a date range (observation_reads)
SINCE = {"date": "ge1900-01-01"}

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [e["resource"]["id"] for e in body(response).get("entry", [])]


def link(response, relation: str) -> str | None:
    for found in body(response)["link"]:
        if found["relation"] == relation:
            return found["url"]
    return None


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_patient_by_identifier_in_a_form_body(api, world):
    number = world.patient.national_id
    response = api.post("/fhir/Patient/_search", {"identifier": f"{codes.FNR_SYSTEM}|{number}"})
    assert ids(response) == [str(world.patient.pk)]
    assert number not in response.content.decode().split('"value":')[0]
    for found in body(response)["link"]:
        assert number not in found["url"]
        assert dict(parse_qsl(urlsplit(found["url"]).query))["_id"] == str(world.patient.pk)


def test_identifier_paging_links_name_every_match_by_id(api, world):
    from hsreg.patients.services import register_patient

    second = register_patient(
        unit=world.unit, national_id=make_number(9), first_name="Per", last_name="Andre"
    )
    numbers = f"{world.patient.national_id},{second.national_id}"
    response = api.post("/fhir/Patient/_search?_count=1", {"identifier": numbers})
    assert ids(response) == [str(world.patient.pk)]
    following = link(response, "next")
    assert world.patient.national_id not in following
    assert second.national_id not in following
    assert ids(api.get(local(following))) == [str(second.pk)]


@pytest.mark.parametrize(
    ("identifier", "found"),
    [
        ("{n}", True),
        ("{fnr}|{n}", True),
        ("{dnr}|{n}", False),  # the number is a fødselsnummer, not a D-number
        ("urn:other|{n}", False),
        ("{fnr}|{other}", False),  # another unit's patient
    ],
)
def test_identifier_systems(api, world, identifier, found):
    value = identifier.format(
        n=world.patient.national_id,
        fnr=codes.FNR_SYSTEM,
        dnr=codes.DNR_SYSTEM,
        other=world.stranger.national_id,
    )
    response = api.post("/fhir/Patient/_search", {"identifier": value})
    assert ids(response) == ([str(world.patient.pk)] if found else [])


def test_the_unit_sees_only_its_patients(api, world):
    assert ids(api.get("/fhir/Patient")) == [str(world.patient.pk)]
    assert ids(api.get("/fhir/Patient", {"_id": world.stranger.pk})) == []
    for type_name in ("Observation", "Condition", "MedicationStatement", "Procedure"):
        assert ids(api.get(f"/fhir/{type_name}", {"patient": world.stranger.pk})) == []
        whole_unit = {"_count": 200}
        if type_name == "Observation":  # the unit's every observation needs a date range
            whole_unit["date"] = "ge1900-01-01"
        everyone = body(api.get(f"/fhir/{type_name}", whole_unit))
        for entry in everyone["entry"]:
            assert entry["resource"]["subject"]["reference"] == f"Patient/{world.patient.pk}"


def test_a_search_of_the_units_every_observation_names_a_date_range(api, world):
    """Without a patient or an _id, only the patients with a form in the range are read."""
    refused = api.get("/fhir/Observation", {"code": "ihs4"})
    assert refused.status_code == 400
    assert body(refused)["issue"][0]["expression"] == ["patient"]
    day = world.baseline.date
    found = ids(api.get("/fhir/Observation", {"code": "ihs4", "date": day.isoformat()}))
    assert found == [f"da-{world.baseline.pk}-ihs4"]
    later = day.replace(year=day.year + 1).isoformat()
    assert ids(api.get("/fhir/Observation", {"date": f"ge{later}"})) == []


@pytest.mark.parametrize(
    "path",
    [
        "/fhir/Patient/{s}",
        "/fhir/Condition/hs-{s}",
        "/fhir/Patient/{s}/$everything",
        "/fhir/Observation/da-{a}-ihs4",
        "/fhir/MedicationStatement/{c}",
        "/fhir/Procedure/{i}",
        "/fhir/QuestionnaireResponse/{r}",
    ],
)
def test_another_units_patient_is_404_and_logged_as_denied(api, world, path):
    url = path.format(
        s=world.stranger.pk,
        a=world.stranger_assessment.pk,
        c=world.stranger_course.pk,
        i=world.stranger_surgery.pk,
        r=world.stranger_report.pk,
    )
    response = api.get(url)
    assert response.status_code == 404
    found = body(response)
    assert found["resourceType"] == "OperationOutcome"
    assert found["issue"][0]["code"] == "not-found"
    denied = AuditEvent.objects.filter(outcome=Outcome.DENIED, patient_id=world.stranger.pk)
    assert denied.filter(username="api-dips").exists()


def test_a_search_writes_one_read_row_per_patient_shown_with_the_client(api, world):
    before = AuditEvent.objects.count()
    ids(api.get("/fhir/Observation", {**SINCE, "_count": 5}))
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.username, r.action, r.patient_id, r.target) for r in rows] == [
        ("api-dips", Action.READ, world.patient.pk, "fhir Observation search")
    ]
    assert rows[0].unit_id == world.unit.pk


def test_a_read_writes_the_read_row_the_page_writes(api, world):
    api.get(f"/fhir/Patient/{world.patient.pk}")
    row = AuditEvent.objects.latest("pk")
    assert (row.username, row.action, row.patient_id) == ("api-dips", Action.READ, world.patient.pk)
    api.get(f"/fhir/Observation/da-{world.baseline.pk}-ihs4")
    row = AuditEvent.objects.latest("pk")
    assert (row.action, row.target) == (Action.READ, f"doctorassessment {world.baseline.pk}")


def test_no_national_id_number_in_an_audit_row(api, world):
    api.post("/fhir/Patient/_search", {"identifier": world.patient.national_id})
    api.get(f"/fhir/Patient/{world.patient.national_id}")
    for row in AuditEvent.objects.all():
        assert world.patient.national_id not in f"{row.target} {row.detail}"


def test_an_id_is_never_repeated_in_a_404(api, world):
    response = api.get(f"/fhir/Patient/{world.patient.national_id}")
    assert response.status_code == 404
    assert world.patient.national_id not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("code=ihs4", {"baseline", "followup", "draft"}),
        (f"code={codes.OBSERVATION_SYSTEM}|ihs4", {"baseline", "followup", "draft"}),
        (f"code={codes.LOINC}|ihs4", set()),
        ("code=ihs4&date=lt{today}", {"baseline", "followup"}),
        ("code=ihs4&date=ge{today}", {"draft"}),
        ("code=ihs4&date=eq{start}", {"baseline"}),
        ("code=ihs4&date=gt{start}&date=le{today}", {"followup", "draft"}),
        ("code=ihs4&date={year}", {"baseline", "followup", "draft"}),
    ],
)
def test_observations_by_code_and_date(api, world, query, expected):
    values = {
        "today": TODAY.isoformat(),
        "start": world.baseline.date.isoformat(),
        "year": "",
    }
    if "{year}" in query and world.baseline.date.year != TODAY.year:
        pytest.skip("the baseline is in another year")
    values["year"] = str(TODAY.year)
    found = ids(api.get(f"/fhir/Observation?{query.format(**values)}&patient={world.patient.pk}"))
    forms = {name: getattr(world, name).pk for name in ("baseline", "followup", "draft")}
    assert set(found) == {f"da-{forms[name]}-ihs4" for name in expected}


def test_a_code_by_loinc(api, world):
    found = ids(api.get("/fhir/Observation", {**SINCE, "code": f"{codes.LOINC}|29463-7"}))
    assert found == [f"da-{world.baseline.pk}-weight", f"da-{world.followup.pk}-weight"]


def test_observation_by_id_and_patient_reference(api, world):
    wanted = f"da-{world.baseline.pk}-hurley-groin-right"
    response = api.get(
        "/fhir/Observation", {"_id": wanted, "patient": f"Patient/{world.patient.pk}"}
    )
    assert ids(response) == [wanted]


@pytest.mark.parametrize(
    ("type_name", "query"),
    [
        ("Condition", "code=L73.2"),
        ("Condition", f"code={codes.SNOMED}|59393003"),
        ("MedicationStatement", f"code={codes.ATC}|L04AB04"),
        ("MedicationStatement", "effective=ge{start}"),
        ("Procedure", "date=lt{today}"),
        ("QuestionnaireResponse", "authored=ge{start}"),
        ("Organization", f"identifier={codes.RESH_SYSTEM}|102959"),
    ],
)
def test_other_types_by_their_parameters(api, world, type_name, query):
    query = query.format(start=world.baseline.date, today=TODAY)
    assert len(ids(api.get(f"/fhir/{type_name}?{query}"))) == 1


@pytest.mark.parametrize(
    ("type_name", "query"),
    [
        ("Condition", "code=L40"),
        ("MedicationStatement", f"code={codes.ATC}|J01AA02"),
        ("MedicationStatement", "effective=gt{today}"),
        ("Procedure", "date=gt{today}"),
    ],
)
def test_other_types_find_nothing_by_other_values(api, world, type_name, query):
    assert ids(api.get(f"/fhir/{type_name}?{query.format(today=TODAY)}")) == []


def test_paging_follows_the_links_to_every_match_once(api, world):
    everything = ids(api.get("/fhir/Observation", {**SINCE, "_count": 200}))
    assert len(everything) > 20
    seen: list[str] = []
    response = api.get("/fhir/Observation", {**SINCE, "_count": 7})
    assert body(response)["total"] == len(everything)
    while True:
        seen += ids(response)
        following = link(response, "next")
        if following is None:
            break
        response = api.get(local(following))
    assert seen == everything
    back = api.get(local(link(response, "previous")))
    assert ids(back) == everything[-7 - (len(everything) % 7 or 7) : -(len(everything) % 7 or 7)]


def test_count_zero_gives_the_total_only_and_count_is_capped(api, world):
    found = body(api.get("/fhir/Observation", {**SINCE, "_count": 0}))
    assert found["total"] > 0
    assert "entry" not in found
    capped = body(api.get("/fhir/Observation", {**SINCE, "_count": 5000}))
    assert dict(parse_qsl(urlsplit(capped["link"][0]["url"]).query))["_count"] == "200"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("name=Kari", "name"),
        ("birthdate=1985", "birthdate"),
        ("_count=-1", "_count"),
        ("_count=abc", "_count"),
        ("_offset=x", "_offset"),
        ("_format=xml", "_format"),
    ],
)
def test_a_bad_patient_search_is_400_naming_the_parameter(api, world, query, parameter):
    response = api.get(f"/fhir/Patient?{query}")
    assert response.status_code == 400
    issue = body(response)["issue"][0]
    assert issue["expression"] == [parameter]
    assert parameter in issue["diagnostics"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("date=yesterday", "date"),
        ("date=2026-13-01", "date"),
        ("date=ne2026-01-01", "date"),
        ("patient=Kari", "patient"),
        ("patient=0", "patient"),
        ("code=a|", "code"),
        ("subject=Patient/1", "subject"),
        ("identifier=1", "identifier"),
    ],
)
def test_a_bad_observation_search_is_400_naming_the_parameter(api, world, query, parameter):
    response = api.get(f"/fhir/Observation?{query}")
    assert response.status_code == 400
    assert body(response)["issue"][0]["expression"] == [parameter]


def test_everything_pages_and_holds_only_the_patient(api, world):
    url = f"/fhir/Patient/{world.patient.pk}/$everything"
    total = body(api.get(url, {"_count": 0}))["total"]
    seen: list[str] = []
    response = api.get(url, {"_count": 10})
    while True:
        for entry in body(response).get("entry", []):
            resource = entry["resource"]
            seen.append(f"{resource['resourceType']}/{resource['id']}")
            subject = resource.get("subject", {}).get("reference")
            assert subject in (None, f"Patient/{world.patient.pk}")
        following = link(response, "next")
        if following is None:
            break
        response = api.get(local(following))
    assert len(seen) == len(set(seen)) == total
    assert f"Patient/{world.patient.pk}" in seen
    assert f"QuestionnaireResponse/{world.report.pk}" in seen


def test_everything_leaves_out_the_types_the_token_does_not_read(client, world):
    from hsreg.accounts.actor import system_actor
    from hsreg.apiclients.services import create_client
    from tests.apiclients.conftest import token_response

    found, secret = create_client(
        actor=system_actor(), unit=world.unit, name="narrow", scopes="system/Patient.rs"
    )
    token = token_response(client, found.client_id, secret).json()["access_token"]
    response = client.get(
        f"/fhir/Patient/{world.patient.pk}/$everything", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    types = {e["resource"]["resourceType"] for e in body(response)["entry"]}
    assert types == {"Patient", "Organization"}


def _more_patients(world, n: int) -> None:
    from hsreg.patients.services import register_patient

    for i in range(n):
        patient = register_patient(
            unit=world.unit,
            national_id=make_number(3, born=date(1990, 1, i + 1)),
            first_name="P",
            last_name=f"N{i}",
        )
        assessment(patient, world.unit, TODAY, {"axilla_left": (1, 1, 0, 1)})
        report(patient, world.unit, TODAY, vas_total=2)


@pytest.mark.parametrize(
    "path",
    [
        "/fhir/Patient",
        "/fhir/Observation",
        "/fhir/Condition",
        "/fhir/QuestionnaireResponse",
        "/fhir/MedicationStatement",
        "/fhir/Procedure",
    ],
)
def test_a_search_pages_queries_do_not_grow_with_its_results(api, world, path):
    whole_unit = {"_count": 200, **(SINCE if path == "/fhir/Observation" else {})}
    api.get(path, whole_unit)  # the token's first use, and Django's caches
    with CaptureQueriesContext(connection) as few:
        assert api.get(path, whole_unit).status_code == 200
    _more_patients(world, 4)
    with CaptureQueriesContext(connection) as many:
        response = api.get(path, whole_unit)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def _access_log_atoms(path: str, query: str) -> dict[str, object]:
    from types import SimpleNamespace

    from gunicorn.config import Config

    from hsreg.cli.accesslog import EscapingLogger

    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    request = SimpleNamespace(headers=[], method="GET", path=path, query=query, version=(1, 1))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    from datetime import timedelta

    return EscapingLogger(Config()).atoms(response, request, environ, timedelta(seconds=0.1))


def test_the_access_log_never_holds_an_identifier_value(world):
    number = world.patient.national_id
    query = f"identifier={codes.FNR_SYSTEM}%7C{number}&_count=5"
    atoms = _access_log_atoms("/fhir/Patient", query)
    for value in atoms.values():
        assert number not in str(value)
    assert atoms["q"] == "identifier=…&_count=5"
    assert _access_log_atoms(f"/fhir/Patient/{number}", "")["U"] == "/fhir/Patient/…"


def test_the_server_log_of_a_404_holds_no_national_id_number(api, world, caplog):
    number = world.patient.national_id
    with caplog.at_level("WARNING", logger="django.request"):
        assert api.get(f"/fhir/Patient/{number}").status_code == 404
    assert caplog.records
    assert all(number not in record.getMessage() for record in caplog.records)
