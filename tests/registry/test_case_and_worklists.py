"""The patient's forms as the engine's case document, and the due items the worklists read
(TX-9 week 12/24, LM-1 labs, SC-1 screening before a planned biologic, RG-1 follow-ups)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport, RegionFinding
from hsreg.patients.case_document import build_case
from hsreg.records.models import Status
from hsreg.records.services import save_record, start_correction
from hsreg.treatments.models import DrugCourse, Intervention, LabCheck, Screening
from hsreg.worklists.models import DueItem
from hsreg.worklists.selectors import worklist
from hsreg.worklists.services import refresh_patient

pytestmark = pytest.mark.django_db
TODAY = date.today()  # refresh_patient evaluates on the real today


def assessment(patient, unit, day, regions, **fields):
    def children(record):
        for region, (n, a, d, hurley) in regions.items():
            RegionFinding.objects.create(
                assessment=record,
                region=region,
                nodules=n,
                abscesses=a,
                draining_tunnels=d,
                hurley=hurley,
            )

    record = DoctorAssessment(patient=patient, unit=unit, date=day, **fields)
    return save_record(record=record, actor=None, finish=True, children=children)


def course(patient, unit, drug, start, **fields):
    return save_record(
        record=DrugCourse(patient=patient, unit=unit, drug=drug, date=start, **fields),
        actor=None,
        finish=True,
    )


def kinds(patient):
    return {i.kind: i for i in DueItem.objects.filter(patient=patient)}


def test_case_document_joins_the_patients_report_to_the_doctors_assessment(patient, unit):
    """MO-1a: HISREG codes 1..4 become 3..0, not relevant 0; Q7 'no' takes its follow-up."""
    save_record(
        record=MedicalHistory(patient=patient, unit=unit, date=TODAY, height_cm=170, diabetes=1),
        actor=None,
        finish=True,
    )
    assessment(
        patient, unit, TODAY - timedelta(days=3), {"axilla_left": (3, 1, 1, 2)}, weight_kg=85
    )
    answers = {f"dlqi_{n}": 1 for n in range(1, 11)}
    answers.update(dlqi_3=5, dlqi_7=0, dlqi_7_problems=3, smoking=1)
    save_record(
        record=PatientReport(patient=patient, unit=unit, date=TODAY - timedelta(days=1), **answers),
        actor=None,
        finish=True,
    )
    case = build_case(patient, as_of=TODAY)
    assert case["patient"] == {
        "birth_date": "1985-03-14",
        "sex": patient.sex,
        "weight_kg": 85,
        "height_cm": 170,
        "smoking": "current",
        "comorbidities": ["diabetes"],
    }
    (visit,) = case["assessments"]
    assert visit["regions"][0]["hurley"] == 2
    assert visit["dlqi_items"] == [3, 3, 0, 3, 3, 3, 1, 3, 3, 3]


def test_drafts_and_earlier_versions_are_not_in_the_case(patient, unit):
    first = assessment(patient, unit, TODAY - timedelta(days=10), {"groin_left": (2, 0, 0, 1)})
    correction = start_correction(record=first, user=None, reason="miscounted")
    save_record(record=correction, actor=None, finish=False)
    assert len(build_case(patient, as_of=TODAY)["assessments"]) == 1
    correction.nodules = 4

    def regions(record):
        RegionFinding.objects.create(assessment=record, region="groin_left", nodules=4, hurley=1)

    save_record(record=correction, actor=None, finish=True, children=regions)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    (visit,) = build_case(patient, as_of=TODAY)["assessments"]
    assert visit["regions"][0]["nodules"] == 4


def test_tx9_week_12_evaluation_is_due_from_day_77(patient, unit, user):
    start = TODAY - timedelta(days=80)
    assessment(patient, unit, start, {"axilla_right": (6, 2, 1, 2)})
    course(patient, unit, "adalimumab", start)
    item = kinds(patient)["week12"]
    assert item.opens_on == start + timedelta(days=77)
    assert item.due_on == start + timedelta(days=84)
    assert item.rule_id == "TX-9"
    assert [i.patient for i in worklist(unit=unit, name="evaluations", today=TODAY)] == [patient]
    assert not worklist(unit=unit, name="evaluations", today=start + timedelta(days=76))


def test_tx9_partial_response_puts_the_week_24_evaluation_on_the_list(patient, unit):
    start = TODAY - timedelta(days=90)
    assessment(patient, unit, start, {"axilla_right": (8, 2, 0, 2)})
    course(patient, unit, "adalimumab", start)
    assessment(patient, unit, start + timedelta(days=84), {"axilla_right": (5, 1, 0, 2)})
    due = kinds(patient)
    assert "week12" not in due
    assert due["week24"].opens_on == start + timedelta(days=161)


def test_lm1_first_lab_check_one_month_after_start_then_after_each_check(patient, unit):
    start = date(2026, 9, 30)
    assessment(patient, unit, start, {"axilla_right": (3, 1, 0, 2)})
    course(patient, unit, "adalimumab", start)
    assert kinds(patient)["lab"].due_on == date(2026, 10, 30)
    save_record(
        record=LabCheck(patient=patient, unit=unit, date=date(2026, 10, 29)),
        actor=None,
        finish=True,
    )
    lab = kinds(patient)["lab"]
    assert (lab.opens_on, lab.due_on) == (date(2026, 12, 29), date(2027, 1, 29))


def test_sc1_screening_incomplete_before_a_planned_biologic(patient, unit):
    assessment(patient, unit, TODAY, {"axilla_right": (3, 1, 0, 2)})
    planned = TODAY + timedelta(days=14)
    course(patient, unit, "adalimumab", planned)
    item = kinds(patient)["screening"]
    assert item.due_on == planned
    assert "igra" in item.detail
    screening = Screening(patient=patient, unit=unit, date=TODAY)
    for name in [
        "test_hemoglobin",
        "test_leukocytes_differential",
        "test_platelets",
        "test_alt",
        "test_alp",
        "test_ggt",
        "test_creatinine",
        "test_crp",
        "test_hiv",
        "test_hepatitis_b",
        "test_hepatitis_c",
        "test_igra",
        "test_urine_dipstick",
        "test_chest_xray",
    ]:
        setattr(screening, name, True)
    screening.igra, screening.chest_xray = "negative", "normal"
    for name in [
        "cancer_within_5_years",
        "demyelinating_disease",
        "pregnant_or_planning",
        "tb_symptoms",
        "tb_exposure",
        "tb_treated_before",
    ]:
        setattr(screening, name, False)
    screening.heart_failure_nyha = 0
    save_record(record=screening, actor=None, finish=True)
    assert "screening" not in kinds(patient)


def test_rg1_follow_up_due_after_surgery_until_a_control_is_registered(patient, unit):
    operated = TODAY - timedelta(days=160)
    surgery = save_record(
        record=Intervention(patient=patient, unit=unit, date=operated, type=1),
        actor=None,
        finish=True,
    )
    item = kinds(patient)["followup6"]
    assert item.opens_on == operated + timedelta(days=153)
    assert item.closes_on == operated + timedelta(days=243)
    assert [i.patient for i in worklist(unit=unit, name="followups", today=TODAY)] == [patient]
    save_record(
        record=PatientReport(
            patient=patient, unit=unit, date=TODAY, occasion="6m", intervention=surgery
        ),
        actor=None,
        finish=True,
    )
    assert "followup6" not in kinds(patient)


def test_worklists_show_only_the_units_own_patients(patient, unit, other_unit):
    start = TODAY - timedelta(days=80)
    assessment(patient, unit, start, {"axilla_right": (6, 2, 1, 2)})
    course(patient, unit, "adalimumab", start)
    assert worklist(unit=unit, name="evaluations", today=TODAY).count() == 1
    assert worklist(unit=other_unit, name="evaluations", today=TODAY).count() == 0
    assert worklist(unit=None, name="evaluations", today=TODAY).count() == 0


def test_refresh_is_idempotent(patient, unit):
    start = TODAY - timedelta(days=80)
    assessment(patient, unit, start, {"axilla_right": (6, 2, 1, 2)})
    course(patient, unit, "adalimumab", start)
    before = sorted(DueItem.objects.filter(patient=patient).values_list("kind", "due_on"))
    refresh_patient(patient)
    refresh_patient(patient)
    assert sorted(DueItem.objects.filter(patient=patient).values_list("kind", "due_on")) == before
