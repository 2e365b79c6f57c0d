"""Fixtures of the sharing tests (issue 11 point 1): unit B (``other_unit``) registered a
patient and wrote their forms; a registrar and a unit leader at unit A (``unit``), and B's
unit leader, each signed in with both factors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.assessments.models import DoctorAssessment, RegionFinding
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.treatments.models import DrugCourse, LabCheck
from tests.registry.conftest import PASSWORD, make_number, other_unit, unit, user
from tests.signin import sign_in

__all__ = ["other_unit", "unit", "user"]

#: a word only B's forms hold (their internal comment), to look for on A's pages
B_ONLY_WORD = "HEMMELIG-B-NOTAT"


@pytest.fixture
def b_patient(other_unit):
    """B's patient, registered by B with a finished doctor's assessment (IHS4 from one
    region), an adalimumab course started 80 days ago (its 12-week evaluation is open), and a draft lab check."""
    patient = register_patient(
        unit=other_unit, national_id=make_number(41), first_name="Berit", last_name="Skjult"
    )
    today = timezone.localdate()

    def regions(record):
        RegionFinding.objects.create(
            assessment=record, region="axilla_left", nodules=3, abscesses=2, draining_tunnels=1
        )

    assessment = save_record(
        record=DoctorAssessment(
            patient=patient,
            unit=other_unit,
            date=today - timedelta(days=90),
            comment=B_ONLY_WORD,
            typical_lesions=True,
            typical_location=True,
            chronic_relapsing=True,
        ),
        actor=None,
        finish=True,
        children=regions,
    )
    course = save_record(
        record=DrugCourse(
            patient=patient, unit=other_unit, date=today - timedelta(days=80), drug="adalimumab"
        ),
        actor=None,
        finish=True,
    )
    draft = save_record(
        record=LabCheck(patient=patient, unit=other_unit, date=today, comment=B_ONLY_WORD),
        actor=None,
        finish=False,
    )
    patient.b_forms = {"assessment": assessment, "course": course, "draft": draft}
    return patient


@pytest.fixture
def a_client(user):
    """The registrar of unit A (``user``, first name Liv), signed in."""
    return sign_in(Client(), user)


@pytest.fixture
def b_leader(other_unit):
    return create_user(
        username="leder-b", password=PASSWORD, units=[other_unit], role=Role.UNIT_LEADER
    )


@pytest.fixture
def b_leader_client(b_leader):
    return sign_in(Client(), b_leader)


@pytest.fixture
def enrolled(b_patient, unit, user):
    """B's patient enrolled at A too, by A's registrar, for a referral."""
    actor = Actor(user=user, unit=unit, role=Role.REGISTRAR, request_id="test")
    register_patient(
        unit=unit,
        national_id=b_patient.national_id,
        first_name="Berit",
        last_name="Skjult",
        actor=actor,
        care_relationship="referral",
        note="henvist for vurdering av kirurgi",
    )
    return b_patient
