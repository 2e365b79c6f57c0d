"""Issue 14's "Done when": a real FHIR client library (fhirpy 2.3.1, ``SyncFHIRClient``) drives
the API over real HTTP, as a hospital record system would: a token by OAuth 2.0 client
credentials, search, read, ``$everything``, paging, a transaction that creates a doctor's
assessment whose IHS4 (ST-2) then shows on the patient page, a QuestionnaireResponse created,
and a bad Bundle refused with the paths of its problems.

The flow runs twice: against pytest-django's ``live_server`` (hsreg's WSGI application on a
real port, the test's own database), and against the real ``hsreg serve`` (gunicorn, the
production settings) started as a subprocess on a seeded registry, where the patient page is
read by the unit's leader signed in over HTTP with password and authenticator code.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import OperationOutcome, ResourceNotFound

from hsreg.accounts.actor import system_actor
from hsreg.accounts.services import create_user
from hsreg.apiclients.services import create_client
from hsreg.fhir import codes
from hsreg.patients.services import register_patient
from tests.registry.conftest import PASSWORD, make_number, other_unit, patient, unit
from tests.signin import sign_in

from .test_write_questionnaire_response import a_response
from .test_write_transaction import an_assessment, observation

__all__ = ["other_unit", "patient", "unit"]

SCOPES = "system/Patient.rs system/Observation.crs system/QuestionnaireResponse.crs"
ROOT = Path(__file__).resolve().parents[2]
HSREG = Path(sys.executable).with_name("hsreg")


def token_for(base: str, client_id: str, secret: str, **headers: str) -> str:
    """An access token from the token endpoint (client credentials, HTTP Basic)."""
    response = requests.post(
        f"{base}/oauth/token/",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        headers=headers,
        timeout=20,
    )
    assert response.status_code == 200, response.text
    assert response.json()["expires_in"] == 3600
    return str(response.json()["access_token"])


def outcome_of(call: Callable[[], object]) -> dict:
    """The OperationOutcome of a call fhirpy raises for. Caught here, so the exception goes
    when this returns: its traceback holds the response, whose socket the live server would
    otherwise keep waiting on past the test (and, on PostgreSQL, keep its thread's connection
    to the test database open)."""
    try:
        call()
    except OperationOutcome as refused:
        return dict(refused.resource)
    raise AssertionError("the call was not refused")


@pytest.mark.django_db(transaction=True)
def test_a_record_system_uses_the_api_with_fhirpy(live_server, unit, patient, other_unit):
    found, secret = create_client(actor=system_actor(), unit=unit, name="dips", scopes=SCOPES)
    fhir = SyncFHIRClient(
        f"{live_server.url}/fhir",
        authorization=f"Bearer {token_for(live_server.url, found.client_id, secret)}",
    )
    theirs = register_patient(
        unit=other_unit, national_id=make_number(5), first_name="Ola", last_name="Annen"
    )

    # search (by _id, and by the national id number sent in a POST body, never a URL) and read
    hits = fhir.resources("Patient").search(_id=patient.pk).fetch()
    assert [p.id for p in hits] == [str(patient.pk)]
    read = fhir.reference("Patient", str(patient.pk)).to_resource()
    FhirPatient.model_validate(read.serialize())
    assert patient.national_id in [i["value"] for i in read["identifier"]]
    with pytest.raises(ResourceNotFound):
        fhir.reference("Patient", str(theirs.pk)).to_resource()

    # a transaction: the doctor's assessment, IHS4 = 3 + 2*1 + 4*1 + 2 = 11 (ST-2)
    answer = fhir.execute("/", method="post", data=an_assessment(patient.pk))
    Bundle.model_validate(answer)
    assert answer["type"] == "transaction-response"
    locations = [e["response"]["location"] for e in answer["entry"]]
    assert all(loc.startswith("Observation/da-") for loc in locations)
    one = fhir.get("Observation", locations[0].removeprefix("Observation/"))
    assert one["valueInteger"] == 3
    ihs4 = (
        fhir.resources("Observation")
        .search(patient=patient.pk, code=f"{codes.OBSERVATION_SYSTEM}|ihs4")
        .fetch()
    )
    assert [o["valueInteger"] for o in ihs4] == [11]

    # ... and it shows on the patient page, to the unit's registrar signed in
    registrar = create_user(username="lege", password=PASSWORD, units=[unit], first_name="Liv")
    page = sign_in(Client(), registrar).get(reverse("patients:detail", args=[patient.pk]))
    assert page.status_code == 200
    assert re.search(r'data-value="ihs4">\s*11\s*<', page.content.decode())

    # the patient's own answers, collected elsewhere: a QuestionnaireResponse created
    sent = fhir.resource("QuestionnaireResponse", **a_response(patient))
    sent.save()
    assert sent.id is not None
    assert sent["status"] == "completed"
    assert fhir.get("QuestionnaireResponse", sent.id)["subject"] == {
        "reference": f"Patient/{patient.pk}"
    }

    # paging: two at a time over every Observation of the patient, following the next links
    search = fhir.resources("Observation").search(patient=patient.pk).limit(2)
    first_page = search.fetch_raw()
    total = first_page["total"]
    assert total > 6
    assert len(first_page["entry"]) == 2
    assert any(link["relation"] == "next" for link in first_page["link"])
    every = search.fetch_all()
    assert len(every) == total
    assert len({o.id for o in every}) == total

    # $everything: the patient, their unit and what is theirs
    everything = fhir.execute(f"Patient/{patient.pk}/$everything", method="get")
    Bundle.model_validate(everything)
    kinds = {e["resource"]["resourceType"] for e in everything["entry"]}
    assert {"Patient", "Organization", "Observation"} <= kinds

    # a bad Bundle: refused as a whole, each problem at its path, nothing stored
    bad = an_assessment(patient.pk)
    bad["entry"][1]["resource"]["valueInteger"] = 21
    bad["entry"][3]["resource"]["bodySite"]["coding"][0]["code"] = "elbow"
    bad["entry"].append(
        {
            "resource": observation(theirs.pk, "nodules", 1),
            "request": {"method": "POST", "url": "Observation"},
        }
    )
    refused = outcome_of(lambda: fhir.execute("/", method="post", data=bad))
    paths = {i["expression"][0] for i in refused["issue"]}
    assert {"Bundle.entry[3].resource.bodySite", "Bundle.entry[7].resource.subject"} <= paths
    after = fhir.resources("Observation").search(patient=patient.pk).limit(2).fetch_raw()
    assert after["total"] == total


# --- the real ``hsreg serve`` ---------------------------------------------------------------


def free_port() -> int:
    """A port free now (the system's choice), for ``hsreg serve --bind``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hsreg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HSREG), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


@pytest.fixture
def served(tmp_path: Path):
    """``hsreg serve`` on a fresh SQLite registry of a few seeded patients, plain HTTP on the
    loopback (HSREG_INSECURE_HTTP), with an API client of the seeded showcase unit."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HSREG_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        HSREG_DATA_DIR=str(tmp_path),
        HSREG_SECRET_KEY=secrets.token_urlsafe(50),
        HSREG_INSECURE_HTTP="1",
    )
    for step in (("migrate",), ("seed", "--patients", "12", "--seed", "3")):
        done = hsreg(*step, env=env)
        assert done.returncode == 0, done.stderr
    made = hsreg(
        "apiclient", "create", "--unit", "4208711", "--name", "dips", "--scopes",
        "system/Patient.rs system/Observation.crs", env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    printed = dict(line.split("=", 1) for line in made.stdout.split())
    port = free_port()
    process = subprocess.Popen(
        [str(HSREG), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/fhir/metadata", timeout=10)
                break
            except requests.RequestException:  # not listening yet, or its worker booting
                assert process.poll() is None, "hsreg serve stopped"
                assert time.monotonic() < deadline, "hsreg serve did not start"
                time.sleep(0.3)
        yield Served(base, printed["client_id"], printed["client_secret"], env, tmp_path)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@dataclass(frozen=True)
class Served:
    base: str
    client_id: str
    secret: str
    env: dict[str, str]
    data_dir: Path


def test_fhirpy_against_the_real_hsreg_serve(served):
    """The record system's whole flow against gunicorn with the production settings: token,
    metadata, search, read, paging, $everything, a transaction whose IHS4 (ST-2) then shows on
    the patient page to a person signed in with both factors, and a bad Bundle refused."""
    base = served.base
    fhir = SyncFHIRClient(
        f"{base}/fhir",
        authorization=f"Bearer {token_for(base, served.client_id, served.secret)}",
    )
    metadata = fhir.execute("metadata", method="get")
    CapabilityStatement.model_validate(metadata)
    patients = fhir.resources("Patient").limit(5).fetch_raw()
    Bundle.model_validate(patients)
    assert patients["total"] >= 1  # the seeded showcase unit's patients
    assert all(e["resource"]["resourceType"] == "Patient" for e in patients["entry"])
    patient_id = int(patients["entry"][0]["resource"]["id"])
    FhirPatient.model_validate(fhir.get("Patient", str(patient_id)))

    # a transaction of today's assessment: IHS4 = 3 + 2*1 + 4*1 + 2 = 11 (ST-2)
    today = date.today()
    bundle = an_assessment(patient_id)
    for entry in bundle["entry"]:
        entry["resource"]["effectiveDateTime"] = today.isoformat()
    answer = fhir.execute("/", method="post", data=bundle)
    assert answer["type"] == "transaction-response"
    ihs4 = (
        fhir.resources("Observation")
        .search(patient=patient_id, code=f"{codes.OBSERVATION_SYSTEM}|ihs4", date=today.isoformat())
        .fetch()
    )
    assert [o["valueInteger"] for o in ihs4] == [11]

    # paging two at a time over the patient's Observations, and $everything
    search = fhir.resources("Observation").search(patient=patient_id).limit(2)
    total = search.fetch_raw()["total"]
    assert len({o.id for o in search.fetch_all()}) == total > 6
    everything = fhir.execute(f"Patient/{patient_id}/$everything", method="get")
    assert {"Patient", "Organization", "Observation"} <= {
        e["resource"]["resourceType"] for e in everything["entry"]
    }

    # a bad Bundle is refused as a whole with the paths of its problems
    bad = an_assessment(patient_id)
    bad["entry"][1]["resource"]["valueInteger"] = 21
    refused = outcome_of(lambda: fhir.execute("/", method="post", data=bad))
    assert "Bundle.entry[1].resource.valueInteger" in {i["expression"][0] for i in refused["issue"]}

    # the unit's leader signs in (password, then the authenticator's code) and sees it
    browser = demo_login(base, served.env, served.data_dir)
    page = browser.get(f"{base}/patients/{patient_id}/", timeout=30)
    assert page.status_code == 200, page.url
    assert re.search(r'data-value="ihs4">\s*11\s*<', page.text)


def demo_login(base: str, env: dict[str, str], data_dir: Path) -> requests.Session:
    """The demo user (``hsreg.seeding.demo.ensure_demo_user``: unit leader at the showcase unit,
    password and TOTP key kept in the data dir) signed in over HTTP as a person would: the
    login page, then the code of their authenticator on the second-factor page."""
    made = subprocess.run(
        [sys.executable, "-c", ENSURE_DEMO_USER], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    username, password = made.stdout.split()
    key = bytes.fromhex((data_dir / "demo-totp-key").read_text().strip())
    browser = requests.Session()
    browser.get(f"{base}/login/", timeout=20)
    signed = browser.post(
        f"{base}/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        timeout=20,
    )
    assert "/mfa/verify/" in signed.url, signed.url
    verified = browser.post(
        signed.url,
        data={"code": f"{totp(key):06d}", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        timeout=20,
    )
    assert verified.status_code == 200, verified.status_code
    assert "/mfa/" not in verified.url, verified.url
    return browser


#: run with the served registry's environment: the demo user, as ``hsreg demo`` makes them
ENSURE_DEMO_USER = """
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsreg.config.settings")
django.setup()
from hsreg.seeding.demo import ensure_demo_user

login = ensure_demo_user(Path(os.environ["HSREG_DATA_DIR"]))
print(login.username, login.password)
"""
