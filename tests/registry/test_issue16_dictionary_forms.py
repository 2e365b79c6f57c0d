"""Issue 16, point 4, on the forms: a control that could not be done needs only its reason
(both control forms), the doctor's control keeps its baseline counts and HiSCR (MO-2) as it saw
them, the intervention's parent questions (0/1/9) agree with their boxes, and the new drugs
and "other" boxes; the categories' codes (guideline.registry_codes)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from hsreg.assessments.baseline import baseline_counts, hiscr_of
from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.guideline import registry_codes, scores
from hsreg.guideline.catalog import DRUGS
from hsreg.patients.case_document import build_case
from hsreg.records.services import save_record
from hsreg.treatments.models import DrugCourse, Intervention

from .pages import error_for, url
from .test_forms_assessments import COMPLICATIONS, FOLLOW_UP, REPORT, errors_of, save

pytestmark = pytest.mark.django_db

TODAY = "2026-11-20"


def finished(record):
    return save_record(record=record, actor=None, finish=True)


def intervention(patient, unit, kind: int, on: date = date(2026, 5, 1)) -> Intervention:
    return finished(Intervention(patient=patient, unit=unit, date=on, type=kind))


def pre_assessment(patient, unit, on: date, counts: tuple[int, int, int]) -> DoctorAssessment:
    n, a, d = counts
    return finished(
        DoctorAssessment(
            patient=patient,
            unit=unit,
            date=on,
            occasion="pre",
            nodules=n,
            abscesses=a,
            draining_tunnels=d,
            hurley=2,
        )
    )


# --- a control that could not be done ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["patient-report", "doctor-assessment"])
def test_a_control_not_possible_needs_only_the_reason(en, patient, unit, kind):
    done = intervention(patient, unit, 2)
    data = {"date": TODAY, "occasion": "3m", "intervention": str(done.pk), "control_possible": "0"}
    response = en.post(url("new", patient, kind), {**data, "action": "finish"})
    assert response.status_code == 400
    problems = errors_of(response)
    assert list(problems) == ["impossible_reason"]
    assert "say why" in error_for(response.content.decode(), "impossible_reason")
    # answers typed before the control was marked not possible are not stored
    save(en, patient, kind, {**data, "impossible_reason": "1", "smoking": "1"}, "finish")
    model = PatientReport if kind == "patient-report" else DoctorAssessment
    stored = model.objects.get(intervention=done)
    assert (stored.control_possible, stored.impossible_reason) == (0, 1)
    page = en.get(url("detail", patient, kind, stored)).content.decode()
    assert "Did not attend" in page
    assert "Smoking" not in page
    assert "Hurley stage" not in page
    if model is PatientReport:
        assert stored.smoking is None
    else:
        assert (stored.nodules, stored.ihs4, stored.hiscr_category) == (None, None, "")


def test_the_page_hides_the_rest_when_the_control_was_not_possible(en, patient, unit):
    page = en.get(url("new", patient, "doctor-assessment")).content.decode()
    assert 'data-show-when="control_possible=0"' in page  # the reason
    assert page.count('data-show-when="control_possible=1,"') >= 4  # the grid and the rest
    page = en.get(url("new", patient, "patient-report")).content.decode()
    assert page.count('data-show-when="control_possible=1,"') >= 4


def test_a_possible_control_asks_everything_as_before(en, patient, unit):
    done = intervention(patient, unit, 2)
    control = {
        **REPORT,
        "occasion": "3m",
        "intervention": str(done.pk),
        "control_possible": "1",
        **FOLLOW_UP,
    }
    response = en.post(url("new", patient, "patient-report"), {**control, "action": "finish"})
    assert "bleeding" in errors_of(response)  # complications at 3 months too
    save(en, patient, "patient-report", {**control, **dict.fromkeys(COMPLICATIONS, "0")}, "finish")
    assert PatientReport.objects.get(intervention=done).control_possible == 1


def test_the_before_treatment_forms_do_not_ask_it(en, patient, unit):
    save(en, patient, "patient-report", {**REPORT, "control_possible": "0"}, "finish")
    report = PatientReport.objects.get(patient=patient)
    assert (report.control_possible, report.smoking) == (None, 3)


# --- the doctor's control: baseline counts and HiSCR (MO-2) ---------------------------------------


def test_the_control_keeps_its_baseline_counts_and_hiscr_mo2_(en, patient, unit):
    pre_assessment(patient, unit, date(2026, 3, 1), (9, 9, 9))  # an earlier episode's
    intervention(patient, unit, 2, date(2026, 3, 2))
    pre_assessment(patient, unit, date(2026, 4, 20), (6, 4, 1))  # this episode's baseline
    done = intervention(patient, unit, 2, date(2026, 5, 1))
    data = {
        "date": "2026-08-01",
        "occasion": "3m",
        "intervention": str(done.pk),
        "control_possible": "1",
        "nodules": "3",
        "abscesses": "2",
        "draining_tunnels": "1",
        "hurley": "2",
    }
    save(en, patient, "doctor-assessment", data, "finish")
    control = DoctorAssessment.objects.get(intervention=done)
    assert (control.nodules_last, control.abscesses_last, control.draining_tunnels_last) == (
        6,
        4,
        1,
    )
    assert control.hiscr == Decimal("50.0")
    assert control.hiscr_category == "Full-Responder"
    page = en.get(url("detail", patient, "doctor-assessment", control)).content.decode()
    assert 'id="score-hiscr" data-value="Full-Responder"' in page
    assert "6 nodules, 4 abscesses, 1 draining tunnels" in page


def test_baseline_is_the_episodes_own_latest_before_treatment_assessment():
    interventions = [(date(2026, 3, 2), 1), (date(2026, 5, 1), 2)]
    pre = [
        (date(2026, 3, 2), 10, (1, 1, 1)),  # on the day of the earlier one: the earlier's
        (date(2026, 4, 1), 11, (2, 2, 2)),
        (date(2026, 4, 1), 12, (3, 3, 3)),  # the latest (date, then id)
        (date(2026, 5, 2), 13, (4, 4, 4)),  # after the intervention
    ]
    found = baseline_counts(
        intervention=(date(2026, 5, 1), 2), interventions=interventions, pre_assessments=pre
    )
    assert found == (3, 3, 3)
    assert baseline_counts(
        intervention=(date(2026, 3, 2), 1), interventions=interventions, pre_assessments=pre
    ) == (1, 1, 1)
    assert (
        baseline_counts(intervention=(date(2026, 1, 1), 0), interventions=[], pre_assessments=pre)
        is None
    )


def test_hiscr_category_at_its_boundaries_mo2_():
    assert hiscr_of((4, 0, 0), (2, 0, 0)) == (Decimal("50.0"), "Full-Responder")  # exactly 50 %
    assert hiscr_of((5, 0, 0), (3, 0, 0)) == (Decimal("40.0"), "Non-Responder")
    assert hiscr_of((4, 1, 0), (0, 2, 0))[1] == "Non-Responder"  # more abscesses
    assert hiscr_of((4, 0, 1), (0, 0, 2))[1] == "Non-Responder"  # more tunnels
    assert hiscr_of((0, 0, 3), (0, 0, 1)) == (None, "")  # baseline AN 0: not evaluable
    assert hiscr_of(None, (1, 1, 1)) == (None, "")
    lesions = scores.Lesions
    assert registry_codes.hiscr_category(lesions(2, 2, 0), lesions(1, 1, 0)) == "Full-Responder"


def test_ihs4_and_bmi_category_codes():
    assert [registry_codes.ihs4_category_code(c) for c in ("mild", "moderate", "severe")] == [
        1,
        2,
        3,
    ]
    assert registry_codes.ihs4_category_code("") is None
    bounds = ["15.9", "16", "16.9", "17", "17.4", "17.5", "18.5", "24.9", "25", "30", "35", "40"]
    codes = [registry_codes.bmi_category(Fraction(b)) for b in bounds]
    assert codes == [1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9]
    assert registry_codes.bmi_category(Fraction(62)) == 9  # R: NA above 50; hsreg's top class


# --- the intervention's parent questions and new drugs ------------------------------------------


SURGERY = {
    "date": TODAY,
    "type": "1",
    "surgery_deroofing": "on",
    "anaesthesia_local": "on",
    "operation_time": "2",
    "operation_diameter": "1",
    "bleeding_diathermy": "1",
    "bleeding_ligation": "0",
    "surgery_sites": ["axilla_left", "groin_right"],
}


def test_a_ticked_site_is_a_yes_and_the_others_keep_no_or_dont_know(en, patient):
    data = {**SURGERY, "site_pubis": "0", "site_mammae": "9"}
    save(en, patient, "intervention", data, "finish")
    done = Intervention.objects.get(patient=patient)
    assert (done.site_axilla, done.site_groin, done.site_pubis, done.site_mammae) == (1, 1, 0, 9)
    assert done.site_other is None


def test_a_site_answer_must_agree_with_its_boxes(en, patient):
    response = en.post(
        url("new", patient, "intervention"), {**SURGERY, "site_axilla": "0", "action": "draft"}
    )
    assert response.status_code == 400
    assert "the answer is Yes" in error_for(response.content.decode(), "site_axilla")
    response = en.post(
        url("new", patient, "intervention"), {**SURGERY, "site_perianal": "1", "action": "draft"}
    )
    assert "tick the sites" in error_for(response.content.decode(), "site_perianal")


def test_other_analgesic_and_antibiotic_need_their_name(en, patient):
    medical = {
        "date": TODAY,
        "type": "2",
        "antibiotic_given": "1",
        "antibiotic_other": "on",
        "analgesic_other": "on",
    }
    response = en.post(url("new", patient, "intervention"), {**medical, "action": "finish"})
    problems = errors_of(response)
    assert {"antibiotic_other_text", "analgesic_other_text"} <= set(problems)
    named = {
        **medical,
        "antibiotic_other_text": "Ciprofloksacin",
        "analgesic_other_text": "Tramadol",
    }
    save(en, patient, "intervention", named, "finish")
    done = Intervention.objects.get(patient=patient)
    assert (done.antibiotic_other, done.antibiotic_other_text) == (True, "Ciprofloksacin")
    assert (done.analgesic_other, done.analgesic_given) == (True, 1)  # a box ticked: yes


def test_amoxicillin_is_a_drug_course_outside_every_regimen(en, patient, unit):
    drug = DRUGS["amoxicillin_clavulanate"]
    assert (drug.antibiotic, drug.systemic, drug.biologic, drug.in_guideline) == (
        True,
        True,
        False,
        False,
    )
    done = intervention(patient, unit, 2)
    data = {"drug": drug.id, "intervention": str(done.pk), "date": TODAY}
    save(en, patient, "drug-course", data, "finish")
    assert DrugCourse.objects.get(patient=patient).drug == drug.id


def test_a_control_not_possible_is_no_assessment_in_the_case_document(patient, unit):
    """Its empty counts are not zeros: the engine never sees it (patients.case_document)."""

    done = intervention(patient, unit, 2)
    pre_assessment(patient, unit, date(2026, 4, 20), (6, 4, 1))
    finished(
        DoctorAssessment(
            patient=patient,
            unit=unit,
            date=date(2026, 8, 1),
            occasion="3m",
            intervention=done,
            control_possible=0,
            impossible_reason=1,
        )
    )
    case = build_case(patient, as_of=date(2026, 9, 1))
    assert [a["date"] for a in case["assessments"]] == ["2026-04-20"]
