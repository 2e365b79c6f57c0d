"""The world of the FHIR read tests (issue 14): a unit with an API client holding every scope
and its token; a patient with a medical history, two doctor's assessments with body regions
(the first the baseline before an adalimumab course, so the second has a HiSCR, MO-2), a
patient's report, a drug course and a surgical intervention; a draft assessment; and a
patient of another unit. Every form is saved through records.services, its scores by the
engine (assessments.scoring), as the forms save them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from hsreg.accounts.actor import system_actor
from hsreg.apiclients.scopes import SCOPES
from hsreg.apiclients.services import create_client
from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport, RegionFinding
from hsreg.assessments.scoring import RegionCounts, report_dlqi_total, score_assessment
from hsreg.patients.models import Patient
from hsreg.patients.services import register_patient
from hsreg.records.models import Record
from hsreg.records.services import save_record
from hsreg.treatments.models import DrugCourse, Intervention, InterventionType
from hsreg.units.models import Unit
from tests.apiclients.conftest import token_response
from tests.registry.conftest import make_number, other_unit, patient, unit

__all__ = ["other_unit", "patient", "unit"]

FHIR_JSON = "application/fhir+json"
TODAY = date.today()
START = TODAY - timedelta(days=120)  # the adalimumab course's start


def body(response) -> dict:
    return json.loads(response.content)


def assessment(
    patient: Patient,
    unit: Unit,
    day: date,
    regions: dict[str, tuple[int, int, int, int | None]],
    *,
    finish: bool = True,
    weight_kg: int | None = None,
    height_cm: int | None = None,
) -> DoctorAssessment:
    """A doctor's assessment with counts (nodules, abscesses, tunnels, Hurley) per region,
    each region 4 cm across and separated by normal skin (XS-3)."""
    counts = [RegionCounts(r, n, a, d, h, 4.0, True) for r, (n, a, d, h) in regions.items()]
    found = score_assessment(regions=counts, weight_kg=weight_kg, height_cm=height_cm)
    record = DoctorAssessment(
        patient=patient,
        unit=unit,
        date=day,
        weight_kg=weight_kg,
        nodules=found.nodules,
        abscesses=found.abscesses,
        draining_tunnels=found.draining_tunnels,
        hurley=found.hurley,
        ihs4=found.ihs4,
        ihs4_category=found.ihs4_category,
        an_count=found.an_count,
        sartorius=found.sartorius,
        bmi=found.bmi,
    )

    def children(saved: DoctorAssessment) -> None:
        for c in counts:
            RegionFinding.objects.create(
                assessment=saved,
                region=c.region,
                nodules=c.nodules,
                abscesses=c.abscesses,
                draining_tunnels=c.draining_tunnels,
                hurley=c.hurley,
                longest_distance_cm=c.longest_distance_cm,
                separated_by_normal_skin=c.separated_by_normal_skin,
            )

    return save_record(record=record, actor=None, finish=finish, children=children)


def finished(record: Record) -> Record:
    return save_record(record=record, actor=None, finish=True)


def report(patient: Patient, unit: Unit, day: date, **fields) -> PatientReport:
    record = PatientReport(patient=patient, unit=unit, date=day, **fields)
    record.dlqi_total = report_dlqi_total(record)
    return finished(record)


@dataclass
class World:
    unit: Unit
    other_unit: Unit
    patient: Patient
    baseline: DoctorAssessment
    followup: DoctorAssessment
    draft: DoctorAssessment
    report: PatientReport
    course: DrugCourse
    surgery: Intervention
    history: MedicalHistory
    stranger: Patient
    stranger_assessment: DoctorAssessment
    stranger_course: DrugCourse
    stranger_report: PatientReport
    stranger_surgery: Intervention


@pytest.fixture
def world(unit, other_unit, patient) -> World:
    history = finished(
        MedicalHistory(patient=patient, unit=unit, date=START, height_cm=170, age_first_boil=15)
    )
    baseline = assessment(
        patient,
        unit,
        START - timedelta(days=7),
        {"axilla_left": (3, 1, 1, 2), "groin_right": (2, 1, 1, 3)},
        weight_kg=85,
        height_cm=170,
    )
    course = finished(
        DrugCourse(patient=patient, unit=unit, drug="adalimumab", date=START, dose="40 mg weekly")
    )
    followup = assessment(
        patient,
        unit,
        TODAY - timedelta(days=7),
        {"axilla_left": (1, 0, 1, 2), "groin_right": (1, 0, 0, 2)},
        weight_kg=80,
        height_cm=170,
    )
    draft = assessment(patient, unit, TODAY, {"perianal": (1, 0, 0, 1)}, finish=False)
    answers = {f"dlqi_{n}": 3 for n in range(1, 11)}
    answers.update(dlqi_7=0, dlqi_7_problems=3)
    patient_report = report(
        patient,
        unit,
        TODAY - timedelta(days=7),
        vas_total=6.5,
        worst_boil_pain=8,
        vas_axilla_left=4,
        **answers,
    )
    surgery = finished(
        Intervention(
            patient=patient,
            unit=unit,
            date=START - timedelta(days=3),
            type=InterventionType.SURGICAL,
            surgery_deroofing=True,
            surgery_sites=["axilla_left", "pubis_central"],
        )
    )
    stranger = register_patient(
        unit=other_unit, national_id=make_number(7), first_name="Ola", last_name="Fremmed"
    )
    return World(
        unit=unit,
        other_unit=other_unit,
        patient=patient,
        baseline=baseline,
        followup=followup,
        draft=draft,
        report=patient_report,
        course=course,
        surgery=surgery,
        history=history,
        stranger=stranger,
        stranger_assessment=assessment(stranger, other_unit, TODAY, {"genital": (2, 0, 0, 1)}),
        stranger_course=finished(
            DrugCourse(patient=stranger, unit=other_unit, drug="doxycycline", date=TODAY)
        ),
        stranger_report=report(stranger, other_unit, TODAY, vas_total=3),
        stranger_surgery=finished(
            Intervention(
                patient=stranger,
                unit=other_unit,
                date=TODAY,
                type=InterventionType.SURGICAL,
                surgery_laser=True,
            )
        ),
    )


@pytest.fixture
def api_client(unit):
    """(client, secret) of ``unit``'s client ``dips``, with every scope hsreg grants."""
    return create_client(actor=system_actor(), unit=unit, name="dips", scopes=" ".join(SCOPES))


@pytest.fixture
def token(client, api_client) -> str:
    found, secret = api_client
    response = token_response(client, found.client_id, secret)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def api(client, token):
    """The Django test client with the bearer token on every request."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client
