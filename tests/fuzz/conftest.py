"""The small world the odd-input tests browse: two units, one user per role, a patient with a
finished form and a draft of every kind, a patient whose medical history is a draft, an
application waiting for a decision and a colleague to manage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from hsreg.accounts.actor import system_actor
from hsreg.accounts.models import Application, Membership, Role, Solution, User
from hsreg.accounts.services import create_user
from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport, RegionFinding
from hsreg.patients.models import Patient
from hsreg.patients.services import register_patient
from hsreg.questionnaires.services import create_invitation
from hsreg.records.kinds import KINDS
from hsreg.records.models import Record
from hsreg.records.services import save_record
from hsreg.treatments.models import (
    AdverseEvent,
    DrugCourse,
    Intervention,
    LabCheck,
    Screening,
    Vaccination,
)
from tests.registry.conftest import PASSWORD, make_number, other_unit, unit

__all__ = ["other_unit", "unit"]


@dataclass
class World:
    unit: Any
    other_unit: Any
    patient: Patient  # a finished form and a draft of every kind (no medical history draft)
    newcomer: Patient  # a medical history as a draft only
    finished: dict[str, Record]  # kind slug -> a finished form
    drafts: dict[str, Record]  # kind slug -> a draft
    users: dict[Role, User]
    colleague: User  # a registrar at the unit, for the unit leader's page of users
    application: Application
    invitation: Any  # an open questionnaire link of the patient (questionnaires)
    token: str  # its token: the patient's pages under /p/<token>/


def _forms(patient: Patient, unit: Any, *, finish: bool, day: date) -> dict[str, Record]:
    def save(record: Record, children: Any = None) -> Record:
        return save_record(record=record, actor=None, finish=finish, children=children)

    def regions(record: Record) -> None:
        RegionFinding.objects.create(
            assessment=record, region="axilla_left", nodules=2, abscesses=1, draining_tunnels=1,
            hurley=2,
        )  # fmt: skip

    at = {"patient": patient, "unit": unit, "date": day}
    intervention = save(Intervention(**at, type=1))
    course = save(DrugCourse(**at, drug="adalimumab", intervention=intervention))
    forms = {
        "intervention": intervention,
        "drug-course": course,
        "patient-report": save(PatientReport(**at, occasion="pre", dlqi_1=1, vas_total=4)),
        "doctor-assessment": save(DoctorAssessment(**at, occasion="pre"), regions),
        "screening": save(Screening(**at, test_crp=True)),
        "vaccination": save(Vaccination(**at, vaccine="influenza")),
        "lab-check": save(LabCheck(**at, abnormal=False)),
        "adverse-event": save(
            AdverseEvent(**at, drug_course=course, description="Utslett", seriousness="mild")
        ),
    }
    if finish:
        forms["medical-history"] = save(MedicalHistory(**at, height_cm=170))
    return forms


@pytest.fixture
def world(unit, other_unit) -> World:
    today = timezone.localdate()
    patient = register_patient(
        unit=unit, national_id=make_number(1), first_name="Kari", last_name="Nordmann"
    )
    newcomer = register_patient(
        unit=unit, national_id=make_number(2), first_name="Ola", last_name="Nykommer"
    )
    finished = _forms(patient, unit, finish=True, day=today - timedelta(days=30))
    drafts = _forms(patient, unit, finish=False, day=today)
    drafts["medical-history"] = save_record(
        record=MedicalHistory(patient=newcomer, unit=unit, date=today), actor=None, finish=False
    )
    assert set(finished) == set(drafts) == set(KINDS)
    users = {
        role: create_user(username=f"fuzz-{role}", password=PASSWORD, units=[unit], role=role)
        for role in Role
    }
    colleague = create_user(username="kollega", password=PASSWORD, units=[unit])
    assert Membership.objects.get(user=colleague).role == Role.REGISTRAR
    application = Application.objects.create(
        first_name="Per", last_name="Søker", email="per@example.org", phone="12345678",
        unit=unit, solution=Solution.REGISTRATION, justification="Registrerer pasienter",
    )  # fmt: skip
    invitation, token = create_invitation(
        actor=system_actor(), unit=unit, patient=patient, channel="link", form="status"
    )
    return World(
        unit, other_unit, patient, newcomer, finished, drafts, users, colleague, application,
        invitation, token,
    )  # fmt: skip
