"""Fixtures of the CDS Hooks tests: the record system's stub server (JWKS and FHIR, on a free
port), an API client of ``unit`` configured with its JWKS address, and
patients whose forms make the three situations the hooks are about (TX-9, SC-1/SC-2, TX-6)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from hsreg.accounts.actor import system_actor
from hsreg.apiclients.services import create_client
from hsreg.assessments.models import MedicalHistory
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number, other_unit, patient, unit, user
from tests.registry.test_patient_page import (
    ago,
    assessment,
    course,
    eligible_history,
    finish,
    report,
)

from .recordsystem import RecordServer, RecordSystem

__all__ = ["other_unit", "patient", "unit", "user"]

PORT = 0  # a free port, chosen by the system


@pytest.fixture(scope="session")
def record_server():
    server = RecordServer(PORT)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts without cached key sets, seen jtis or remembered cards."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client(unit, record_server):
    client, _secret = create_client(
        actor=system_actor(),
        unit=unit,
        name="dips-cds",
        scopes="system/Patient.rs",
        jwks_url=record_server.jwks_url,
    )
    return client


@pytest.fixture
def http_base(settings):
    """The Django test client's hsreg: settings.PUBLIC_URL is what ``aud`` must name."""
    settings.PUBLIC_URL = "http://testserver"
    return settings.PUBLIC_URL


@pytest.fixture
def record(api_client, record_server, http_base):
    """The record system for the Django test client, its key served as its JWKS."""
    system = RecordSystem(client_id=api_client.client_id, base=http_base)
    record_server.state.jwks = system.jwks()
    record_server.state.patients = {}
    record_server.state.fhir_status = 200
    return system


def screening_missing_history(patient, user) -> None:
    """Eligible by activity, DLQI and a failed tetracycline, but no screening form: C4 unknown,
    TX-6 undecided, SC-1 tests not taken, with adalimumab planned in 10 days."""
    finish(
        MedicalHistory(patient=patient, unit=patient.units.get(), date=ago(300), height_cm=175),
        user,
    )
    course(patient, user, drug="doxycycline", start=ago(300), end=ago(200),
           stop_reason="inadequate_effect")  # fmt: skip
    assessment(patient, user, on=ago(10), nodules=4, abscesses=2, tunnels=1)
    report(patient, user, on=ago(10), answer=2, pain="7.0")
    course(patient, user, drug="adalimumab", start=ago(-10), regimen="weekly_40")


@pytest.fixture
def week12_patient(patient, user):
    """On adalimumab since day 100 without an evaluation: TX-9 overdue."""
    eligible_history(patient, user, adalimumab_start=ago(100))
    return patient


@pytest.fixture
def unscreened_patient(unit, user):
    found = register_patient(
        unit=unit, national_id=make_number(2), first_name="Ola", last_name="Uten"
    )
    screening_missing_history(found, user)
    return found


@pytest.fixture
def eligible_patient(unit, user):
    """TX-6 met and a complete screening (SC-1, SC-2), adalimumab planned in 10 days."""
    found = register_patient(
        unit=unit, national_id=make_number(3), first_name="Eva", last_name="Klar"
    )
    eligible_history(found, user, adalimumab_start=ago(-10))
    return found
