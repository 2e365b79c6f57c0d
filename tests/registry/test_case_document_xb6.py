"""XB-6 in the case document: a child's CDLQI flows to the engine as its ``dlqi_items``; a
report recorded in the instrument that does not fit the patient's age (on its own date, or on
the date of the doctor's assessment it joins) is left out rather than read on the wrong scale."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.guideline import evaluate
from hsreg.patients.case_document import build_case
from hsreg.patients.services import register_patient
from hsreg.records.models import Status

from .test_cdlqi_form import number_for

SIXTEENTH_BIRTHDAY = date(2026, 6, 1)
BORN = date(2010, 6, 1)


def patient(unit, born: date = BORN):
    return register_patient(
        unit=unit, national_id=number_for(born, 7), first_name="Kari", last_name="Ung"
    )


def report(who, unit, on: date, instrument: str) -> PatientReport:
    items = {f"dlqi_{n}": 2 for n in (1, 2, 3, 4, 5, 6, 8, 9, 10)}
    seventh = {"cdlqi_7_period": 1, "cdlqi_7": 2} if instrument == "cdlqi" else {"dlqi_7": 2}
    return PatientReport.objects.create(
        patient=who, unit=unit, date=on, status=Status.FINISHED, finished_at=timezone.now(),
        dlqi_instrument=instrument, **items, **seventh,
    )  # fmt: skip


def assessment(who, unit, on: date) -> None:
    DoctorAssessment.objects.create(patient=who, unit=unit, date=on, status=Status.FINISHED,
                                    nodules=2, abscesses=1, draining_tunnels=0)  # fmt: skip


def test_xb6_a_childs_cdlqi_reaches_the_engine_as_the_cdlqi(unit):
    child = patient(unit)
    on = SIXTEENTH_BIRTHDAY - timedelta(days=10)
    report(child, unit, on, "cdlqi")
    assessment(child, unit, on)
    document = build_case(child, as_of=on)
    (item,) = document["assessments"]
    assert len(item["dlqi_items"]) == 10
    dlqi = evaluate(document).dlqi
    assert dlqi.instrument == "cdlqi"
    assert dlqi.score == sum(i for i in item["dlqi_items"] if i is not None)


def test_xb6_a_report_in_the_wrong_instrument_for_its_date_is_left_out(unit):
    child = patient(unit)
    on = SIXTEENTH_BIRTHDAY - timedelta(days=10)
    report(child, unit, on, "dlqi")  # 15 on its date: the CDLQI applies
    assessment(child, unit, on)
    (item,) = build_case(child, as_of=on)["assessments"]
    assert "dlqi_items" not in item


def test_xb6_a_cdlqi_joined_with_an_assessment_after_the_16th_birthday_is_left_out(unit):
    child = patient(unit)
    report(child, unit, SIXTEENTH_BIRTHDAY - timedelta(days=1), "cdlqi")
    assessment(child, unit, SIXTEENTH_BIRTHDAY)
    (item,) = build_case(child, as_of=SIXTEENTH_BIRTHDAY)["assessments"]
    assert "dlqi_items" not in item
