"""XB-6 in the case document: a patient's report joins the doctor's assessment with its answers
when its instrument is the one of the patient's age on the assessment date (the CDLQI under
16, the DLQI from 16). A report in the other instrument is left out, not read on the wrong
scale. Boundary: an assessment the day before the 16th birthday and one on it."""

from __future__ import annotations

from datetime import date

import pytest

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.patients.case_document import build_case
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from tests.registry.test_cdlqi_form import number_for

pytestmark = pytest.mark.django_db

BORN = date(2010, 6, 15)  # 16 on 2026-06-15
CDLQI = {f"dlqi_{n}": 2 for n in (1, 2, 3, 4, 5, 6, 8, 9, 10)}  # 2 points each: 18


@pytest.fixture
def teenager(unit):
    return register_patient(
        unit=unit, national_id=number_for(BORN, 7), first_name="Ola", last_name="Ung"
    )


def visit(patient, on: date, instrument: str) -> dict:
    unit = patient.units.get()
    save_record(
        record=DoctorAssessment(
            patient=patient, unit=unit, date=on, nodules=2, abscesses=1, draining_tunnels=0
        ),
        actor=None,
        finish=True,
    )
    answers = (
        {**CDLQI, "cdlqi_7_period": 1, "cdlqi_7": 2}
        if instrument == "cdlqi"
        else {**CDLQI, "dlqi_7": 5}
    )
    save_record(
        record=PatientReport(
            patient=patient, unit=unit, date=on, dlqi_instrument=instrument, **answers
        ),
        actor=None,
        finish=True,
    )
    (assessment,) = build_case(patient, as_of=on)["assessments"]
    return assessment


def test_xb6_a_cdlqi_the_day_before_the_16th_birthday_goes_to_the_engine(teenager):
    assessment = visit(teenager, date(2026, 6, 14), "cdlqi")
    assert assessment["dlqi_items"] == [2] * 10


def test_xb6_a_cdlqi_on_the_16th_birthday_is_left_out(teenager):
    assessment = visit(teenager, date(2026, 6, 15), "cdlqi")
    assert "dlqi_items" not in assessment


def test_xb6_a_dlqi_under_16_is_left_out(teenager):
    assessment = visit(teenager, date(2026, 6, 14), "dlqi")
    assert "dlqi_items" not in assessment


def test_mo1a_a_dlqi_from_16_goes_to_the_engine(teenager):
    assessment = visit(teenager, date(2026, 6, 15), "dlqi")
    assert assessment["dlqi_items"] == [2, 2, 2, 2, 2, 2, 0, 2, 2, 2]  # item 7 not relevant
