"""The clinical forms: medical history, the patient's report (DLQI, pain, the follow-up) and the
doctor's assessment with its region grid, and their live scores computed by the engine."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.patients.services import register_patient
from hsreg.records.models import Status
from hsreg.records.services import save_record
from hsreg.treatments.models import Intervention

from .conftest import make_number
from .pages import error_for, url

pytestmark = pytest.mark.django_db

TODAY = "2026-11-20"
NO_TO_ALL = dict.fromkeys(
    (
        "prior_surgery",
        "prior_medication",
        "family_history",
        "acne",
        "skin_disease",
        "pilonidal",
        "rheumatic",
        "bowel_disease",
        "diabetes",
        "hypertension",
        "cardiovascular",
        "other_disease",
    ),
    "0",
)
HISTORY = {
    "date": TODAY,
    "height_cm": "170",
    "age_first_boil": "16",
    "age_first_gp": "18",
    "age_diagnosis": "25",
    **NO_TO_ALL,
}
VAS = (
    "vas_total",
    "vas_axilla_right",
    "vas_axilla_left",
    "vas_groin_right",
    "vas_groin_left",
    "vas_other",
)
REPORT = {
    "date": TODAY,
    "occasion": "pre",
    "smoking": "3",
    "work": "1",
    "boils_last_4_weeks": "2",
    "worst_boil_pain": "5",
    **dict.fromkeys(VAS, "3"),
}
FOLLOW_UP = {
    "satisfaction": "1",
    "would_repeat": "1",
    "would_recommend": "1",
    "still_on_treatment": "1",
    "dose_change": "1",
}
COMPLICATIONS = (
    "wound_infection",
    "delayed_healing",
    "scar_problems",
    "nerve_damage",
    "sepsis",
    "bleeding",
    "other_complications",
)


def warning_for(html: str, name: str) -> str:
    found = re.search(rf'data-warning="{re.escape(name)}">(.*?)</', html, re.S)
    return found.group(1) if found else ""


def output(html: str, element_id: str) -> str:
    """The data-value of a live score element."""
    found = re.search(rf'id="{element_id}" data-value="([^"]*)"', html)
    assert found, f"{element_id} not in the live fragment"
    return found.group(1)


def save(client, patient, kind: str, data: dict[str, Any], action: str = "draft"):
    response = client.post(url("new", patient, kind), {**data, "action": action})
    assert response.status_code == 302, errors_of(response)
    return response


def errors_of(response) -> dict[str, Any]:
    context = response.context
    return dict(context["form"].errors) if context and "form" in context else {}


def live(client, patient, kind: str, data: dict[str, Any]) -> str:
    response = client.post(url("live", patient, kind), data)
    assert response.status_code == 200
    return response.content.decode()


def intervention(patient, unit, user, kind: int, finish: bool = True) -> Intervention:
    return save_record(
        record=Intervention(patient=patient, unit=unit, date=date(2026, 5, 1), type=kind),
        actor=None,
        finish=finish,
    )


# --- medical history --------------------------------------------------------------------------


def test_height_outside_the_allowed_range_is_refused(en, patient):
    response = en.post(url("new", patient, "medical-history"), {**HISTORY, "height_cm": "99"})
    assert response.status_code == 400
    assert "Must be between 100 and 300." in error_for(response.content.decode(), "height_cm")


def test_height_outside_the_plausible_range_warns_but_saves(en, patient):
    save(en, patient, "medical-history", {**HISTORY, "height_cm": "250"}, action="finish")
    history = MedicalHistory.objects.get(patient=patient)
    assert history.height_cm == 250
    assert history.status == Status.FINISHED
    page = en.get(url("detail", patient, "medical-history", history)).content.decode()
    assert "usually between 120 and 215" in warning_for(page, "height_cm")


def test_a_draft_shows_the_plausibility_warning_beside_the_field(en, patient):
    save(en, patient, "medical-history", {"date": TODAY, "height_cm": "118"})
    history = MedicalHistory.objects.get(patient=patient)
    page = en.get(url("edit", patient, "medical-history", history)).content.decode()
    assert "usually between 120 and 215" in warning_for(page, "height_cm")


def test_a_draft_may_be_incomplete_finishing_asks_every_required_question(en, patient):
    save(en, patient, "medical-history", {"date": TODAY})
    history = MedicalHistory.objects.get(patient=patient)
    response = en.post(
        url("edit", patient, "medical-history", history), {"date": TODAY, "action": "finish"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    for name in ("height_cm", "age_first_boil", "prior_medication", "acne", "other_disease"):
        assert "Answer this question to finish the form." in error_for(html, name)
    # not required by the klokebok
    assert error_for(html, "months_gp_to_specialist") == ""
    # sub-questions of unanswered parents are not asked
    assert error_for(html, "medication_antibiotic") == ""


def test_medication_questions_are_asked_only_after_a_yes(en, patient):
    page = en.get(url("new", patient, "medical-history")).content.decode()
    assert 'data-show-when="prior_medication=1"' in page
    response = en.post(
        url("new", patient, "medical-history"),
        {**HISTORY, "prior_medication": "1", "action": "finish"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer this question" in error_for(html, "medication_antibiotic")
    assert "Answer this question" in error_for(html, "medication_biologic")
    answers = {**HISTORY, "prior_medication": "0", "medication_biologic": "2"}
    save(en, patient, "medical-history", answers, action="finish")
    assert MedicalHistory.objects.get(patient=patient).medication_biologic is None


def test_skin_disease_type_only_when_there_is_another_skin_disease(en, patient):
    response = en.post(
        url("new", patient, "medical-history"),
        {**HISTORY, "skin_disease": "1", "action": "finish"},
    )
    assert "Answer this question" in error_for(response.content.decode(), "skin_disease_type")
    save(en, patient, "medical-history", {**HISTORY, "skin_disease_type": "2"}, action="finish")
    history = MedicalHistory.objects.get(patient=patient)
    assert history.skin_disease == 0
    assert history.skin_disease_type is None


def test_an_age_above_the_patients_age_is_refused(en, patient):
    # born 1985-03-14: 41 on the form's date
    response = en.post(url("new", patient, "medical-history"), {**HISTORY, "age_diagnosis": "45"})
    assert response.status_code == 400
    assert "(41)" in error_for(response.content.decode(), "age_diagnosis")


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ((date.today() + timedelta(days=1)).isoformat(), "in the future"),
        ("1985-03-13", "before the patient"),
    ],
)
def test_a_date_lies_between_birth_and_today(en, patient, day, reason):
    response = en.post(url("new", patient, "medical-history"), {**HISTORY, "date": day})
    assert response.status_code == 400
    assert reason in error_for(response.content.decode(), "date")


# --- the patient's report ---------------------------------------------------------------------


def test_pain_needs_a_value_or_unknown_to_finish(en, patient):
    data = {**REPORT, "vas_total": "", "vas_other": "", "action": "finish"}
    response = en.post(url("new", patient, "patient-report"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer this question" in error_for(html, "vas_total")
    assert "Answer this question" in error_for(html, "vas_other")
    assert error_for(html, "vas_groin_left") == ""
    save(en, patient, "patient-report", {**data, "vas_total_unknown": "on", "vas_other": "0"})
    report = PatientReport.objects.get(patient=patient)
    assert report.vas_total is None
    assert report.vas_other == 0


def test_a_value_and_unknown_together_are_refused(en, patient):
    data = {**REPORT, "vas_total_unknown": "on"}
    response = en.post(url("new", patient, "patient-report"), data)
    assert response.status_code == 400
    assert "not both" in error_for(response.content.decode(), "vas_total")


def test_a_finished_report_shows_unknown_where_pain_was_unknown(en, patient):
    data = {**REPORT, "vas_other": "", "vas_other_unknown": "on"}
    save(en, patient, "patient-report", data, action="finish")
    report = PatientReport.objects.get(patient=patient)
    page = en.get(url("detail", patient, "patient-report", report)).content.decode()
    assert re.search(r'data-field="vas_other">Unknown', page)
    en.post(url("correct", patient, "patient-report", report), {"reason": "pain known"})
    copy = PatientReport.objects.get(replaces=report)
    form = en.get(url("edit", patient, "patient-report", copy)).content.decode()
    assert re.search(r'name="vas_other_unknown" id="id_vas_other_unknown" checked', form)


def test_the_dlqi_total_is_stored_as_mo1a_scores_it(en, patient):
    dlqi = {f"dlqi_{n}": "1" for n in range(1, 11)}  # very much: 3 each
    dlqi |= {"dlqi_7": "0", "dlqi_7_problems": "3", "dlqi_9": "5"}  # a little: 1; not relevant: 0
    save(en, patient, "patient-report", {**REPORT, **dlqi}, action="finish")
    report = PatientReport.objects.get(patient=patient)
    assert report.dlqi_total == 3 * 8 + 1 + 0
    page = en.get(url("detail", patient, "patient-report", report)).content.decode()
    assert 'id="score-dlqi" data-value="25"' in page
    assert "extremely large effect" in page


def test_the_q7_follow_up_is_cleared_unless_q7_is_no(en, patient):
    data = {**REPORT, "dlqi_7": "1", "dlqi_7_problems": "2"}
    save(en, patient, "patient-report", data)
    report = PatientReport.objects.get(patient=patient)
    assert report.dlqi_7 == 1
    assert report.dlqi_7_problems is None


def test_a_control_follows_up_one_of_the_patients_finished_interventions(
    en, patient, unit, user, other_unit
):
    surgical = intervention(patient, unit, user, 1)
    unfinished = intervention(patient, unit, user, 2, finish=False)
    other = register_patient(
        unit=other_unit, national_id=make_number(5), first_name="Ola", last_name="Annen"
    )
    foreign = intervention(other, other_unit, user, 1)
    control = {**REPORT, "occasion": "3m", **FOLLOW_UP}
    response = en.post(url("new", patient, "patient-report"), {**control, "action": "finish"})
    assert "Answer this question" in error_for(response.content.decode(), "intervention")
    for wrong in (unfinished, foreign):
        response = en.post(
            url("new", patient, "patient-report"), {**control, "intervention": str(wrong.pk)}
        )
        assert response.status_code == 400
        assert "Select a valid choice" in error_for(response.content.decode(), "intervention")
    page = en.get(url("new", patient, "patient-report")).content.decode()
    assert f'<option value="{surgical.pk}">#{surgical.pk} 2026-05-01: Surgical</option>' in page
    assert f">#{unfinished.pk} " not in page


def test_a_link_preselects_the_occasion_and_the_intervention(en, patient, unit, user):
    done = intervention(patient, unit, user, 2)
    link = url("new", patient, "patient-report") + f"?occasion=6m&intervention={done.pk}"
    page = en.get(link).content.decode()
    assert '<option value="6m" selected>' in page
    assert f'<option value="{done.pk}" selected>' in page


@pytest.mark.parametrize("odd", ["²", "٣", "1" * 5000, "-1", ""])
def test_an_odd_intervention_in_the_link_preselects_nothing(en, patient, odd):
    """Issue 11 point 9: ``?intervention=²`` was a 500 (``"²".isdigit()`` is true)."""
    response = en.get(url("new", patient, "patient-report"), {"intervention": odd})
    assert response.status_code == 200
    select = response.content.decode().split('name="intervention"')[1].split("</select>")[0]
    assert re.search(r'<option value="\d+" selected>', select) is None


def test_follow_up_questions_are_asked_only_at_a_control(en, patient, unit, user):
    data = {**REPORT, **FOLLOW_UP, "wound_infection": "1"}
    save(en, patient, "patient-report", data)
    report = PatientReport.objects.get(patient=patient)
    assert (report.satisfaction, report.still_on_treatment, report.wound_infection) == (
        None,
        None,
        None,
    )
    page = en.get(url("new", patient, "patient-report")).content.decode()
    assert 'data-show-when="occasion=3m,6m"' in page


def test_complications_are_asked_at_every_control_3_and_6_months(en, patient, unit, user):
    """HISREG's dictionary asks INFECTION ... OTHER_COMPLICATIONS_ID on both control forms
    (Pasient 3 mnd, Pasient 6 mnd), whatever the intervention was."""
    medical = intervention(patient, unit, user, 2)
    surgical = intervention(patient, unit, user, 3)
    for occasion, done in (("3m", medical), ("6m", surgical)):
        control = {**REPORT, "occasion": occasion, **FOLLOW_UP, "intervention": str(done.pk)}
        response = en.post(url("new", patient, "patient-report"), {**control, "action": "finish"})
        assert response.status_code == 400
        assert "Answer this question" in error_for(response.content.decode(), "bleeding")
        all_no = dict.fromkeys(COMPLICATIONS, "0")
        save(en, patient, "patient-report", {**control, **all_no, "wound_infection": "1"}, "finish")
        assert PatientReport.objects.get(intervention=done).wound_infection == 1


def test_stopping_the_treatment_asks_why_and_which_adverse_effect(en, patient, unit, user):
    done = intervention(patient, unit, user, 2)
    control = {
        **REPORT,
        "occasion": "6m",
        "intervention": str(done.pk),
        **FOLLOW_UP,
        **dict.fromkeys(COMPLICATIONS, "0"),
    }
    stopped = {**control, "still_on_treatment": "0", "action": "finish"}
    response = en.post(url("new", patient, "patient-report"), stopped)
    assert "Answer this question" in error_for(response.content.decode(), "stop_reason")
    response = en.post(url("new", patient, "patient-report"), {**stopped, "stop_reason": "2"})
    assert "Answer this question" in error_for(response.content.decode(), "stop_adverse_effect")
    save(en, patient, "patient-report", {**stopped, "stop_reason": "1"}, "finish")
    report = PatientReport.objects.get(patient=patient)
    assert (report.stop_reason, report.dose_change, report.stop_adverse_effect) == (1, None, None)


# --- the doctor's assessment ------------------------------------------------------------------


def test_the_grid_is_stored_per_region_with_the_engines_scores(en, patient, unit, user):
    save_record(
        record=MedicalHistory(patient=patient, unit=unit, date=date(2026, 1, 5), height_cm=170),
        actor=None,
        finish=True,
    )
    grid = {
        "axilla_left-nodules": "2",
        "axilla_left-abscesses": "1",
        "axilla_left-hurley": "2",
        "axilla_left-longest_distance_cm": "4",
        "axilla_left-separated_by_normal_skin": "true",
        "groin_right-draining_tunnels": "1",
        "groin_right-hurley": "3",
        "groin_right-longest_distance_cm": "12.5",
        "groin_right-separated_by_normal_skin": "false",
        # typed totals are replaced by the regions' sums
        "nodules": "40",
    }
    data = {"date": TODAY, "occasion": "pre", "weight_kg": "85", **grid}
    save(en, patient, "doctor-assessment", data, action="finish")
    assessment = DoctorAssessment.objects.get(patient=patient)
    regions = {r.region: r for r in assessment.regions.all()}
    assert set(regions) == {"axilla_left", "groin_right"}
    assert (regions["axilla_left"].nodules, regions["axilla_left"].abscesses) == (2, 1)
    assert regions["groin_right"].longest_distance_cm == Decimal("12.5")
    assert regions["groin_right"].separated_by_normal_skin is False
    assert (assessment.nodules, assessment.abscesses, assessment.draining_tunnels) == (2, 1, 1)
    assert assessment.ihs4 == 2 + 2 * 1 + 4 * 1  # ST-2
    assert assessment.ihs4_category == "moderate"
    assert assessment.an_count == 3  # MO-2
    assert assessment.hurley == 3  # ST-1: the worst region
    # XS-3: axilla 3 + 2 + 1 + 1 (< 5 cm) + 0 = 7; groin 3 + 6 + 9 (> 10 cm) + 9 = 27
    assert assessment.sartorius == 34
    assert assessment.bmi == Decimal("29.4")
    page = en.get(url("detail", patient, "doctor-assessment", assessment)).content.decode()
    assert 'id="score-ihs4" data-value="8"' in page
    assert 'data-region="groin_right"' in page


def test_totals_are_typed_when_no_region_is_counted(en, patient):
    data = {
        "date": TODAY,
        "occasion": "pre",
        "nodules": "3",
        "abscesses": "2",
        "draining_tunnels": "0",
        "hurley": "1",
    }
    save(en, patient, "doctor-assessment", data, action="finish")
    assessment = DoctorAssessment.objects.get(patient=patient)
    assert assessment.regions.count() == 0
    assert (assessment.ihs4, assessment.ihs4_category, assessment.hurley) == (7, "moderate", 1)
    assert assessment.sartorius is None


def test_finishing_an_assessment_needs_counts_and_hurley_st2(en, patient):
    response = en.post(
        url("new", patient, "doctor-assessment"),
        {"date": TODAY, "occasion": "pre", "action": "finish"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ST-2" in error_for(html, "nodules")
    assert "Answer this question" in error_for(html, "hurley")


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("axilla_left-nodules", "51", "Must be between 0 and 50."),
        ("nodules", "51", "Must be between 0 and 50."),
        ("axilla_left-abscesses", "21", "Must be between 0 and 20."),
        ("weight_kg", "20", "Must be between 30 and 300."),
        ("groin_left-longest_distance_cm", "-1", "Must be between 0 and 200."),
    ],
)
def test_counts_and_weight_outside_the_allowed_range_are_refused(en, patient, name, value, reason):
    data = {"date": TODAY, "occasion": "pre", name: value, "action": "draft"}
    response = en.post(url("new", patient, "doctor-assessment"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert reason in error_for(html, name)
    assert f'value="{value}"' in html
    assert not DoctorAssessment.objects.exists()


def test_a_weight_outside_the_plausible_range_warns_but_saves(en, patient):
    data = {"date": TODAY, "occasion": "pre", "weight_kg": "250"}
    response = en.post(url("new", patient, "doctor-assessment"), {**data, "action": "draft"})
    assert response.status_code == 302
    assessment = DoctorAssessment.objects.get(patient=patient)
    assert assessment.weight_kg == 250
    page = en.get(url("edit", patient, "doctor-assessment", assessment)).content.decode()
    assert "usually between 45 and 200" in warning_for(page, "weight_kg")


def test_regions_adding_up_beyond_the_registrys_range_are_refused(en, patient):
    grid = {f"{region}-nodules": "20" for region in ("axilla_left", "axilla_right", "genital")}
    response = en.post(
        url("new", patient, "doctor-assessment"),
        {"date": TODAY, "occasion": "pre", **grid, "action": "draft"},
    )
    assert response.status_code == 400
    assert "add up to 60" in error_for(response.content.decode(), "nodules")


def test_the_form_shows_the_lesion_definitions_and_hurley_stages(en, patient):
    page = en.get(url("new", patient, "doctor-assessment")).content.decode()
    assert "Inflammatory nodule: solid, erythematous" in page  # ST-3
    assert "Extensive subcutaneous inflammation" in page  # ST-1 stage III
    assert 'id="live-ihs4"' in page  # the scores without JavaScript


def test_a_correction_of_an_assessment_starts_from_its_regions(en, patient):
    data = {"date": TODAY, "occasion": "pre", "genital-nodules": "4", "genital-hurley": "1"}
    save(en, patient, "doctor-assessment", data, action="finish")
    original = DoctorAssessment.objects.get()
    en.post(url("correct", patient, "doctor-assessment", original), {"reason": "miscounted"})
    copy = DoctorAssessment.objects.get(replaces=original)
    assert [(r.region, r.nodules) for r in copy.regions.all()] == [("genital", 4)]
    page = en.get(url("edit", patient, "doctor-assessment", copy)).content.decode()
    assert 'name="genital-nodules" value="4"' in page
    assert output(page, "live-ihs4") == "4"
    en.post(
        url("edit", patient, "doctor-assessment", copy),
        {**data, "genital-nodules": "5", "action": "finish"},
    )
    original.refresh_from_db()
    copy.refresh_from_db()
    assert (original.status, original.ihs4) == (Status.SUPERSEDED, 4)
    assert (copy.status, copy.ihs4) == (Status.FINISHED, 5)
    assert original.regions.get().nodules == 4


# --- live scores ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "ihs4", "category"),
    [
        ({"axilla_left-nodules": "1", "axilla_right-abscesses": "1"}, "3", "mild"),
        ({"axilla_left-nodules": "2", "axilla_right-abscesses": "1"}, "4", "moderate"),
        ({"axilla_left-nodules": "2", "groin_left-draining_tunnels": "2"}, "10", "moderate"),
        (
            {
                "axilla_left-nodules": "1",
                "groin_left-draining_tunnels": "2",
                "perianal-abscesses": "1",
            },
            "11",
            "severe",
        ),
    ],
)
def test_live_ihs4_st2_boundaries(en, patient, cells, ihs4, category):
    """ST-2: IHS4 = nodules + 2 × abscesses + 4 × tunnels; mild ≤ 3, moderate 4–10, severe ≥ 11."""
    html = live(en, patient, "doctor-assessment", cells)
    assert output(html, "live-ihs4") == ihs4
    assert output(html, "live-ihs4-category") == category


def test_live_an_count_mo2_and_worst_hurley_st1(en, patient):
    cells = {
        "axilla_left-nodules": "3",
        "axilla_left-abscesses": "2",
        "axilla_left-hurley": "1",
        "groin_right-draining_tunnels": "1",
        "groin_right-hurley": "2",
    }
    html = live(en, patient, "doctor-assessment", cells)
    assert output(html, "live-an") == "5"
    assert output(html, "live-hurley") == "2"
    assert ">II<" in html


def test_live_sartorius_xs3_needs_distance_and_separation(en, patient):
    cells = {"axilla_left-nodules": "2", "axilla_left-abscesses": "1"}
    html = live(en, patient, "doctor-assessment", cells)
    assert output(html, "live-sartorius") == ""
    assert "needs distance and separation" in html
    assert "Axilla, left" in html
    complete = {
        **cells,
        "axilla_left-longest_distance_cm": "7",
        "axilla_left-separated_by_normal_skin": "true",
    }
    html = live(en, patient, "doctor-assessment", complete)
    assert output(html, "live-sartorius") == str(3 + 2 + 1 + 3)


def test_live_reads_the_grid_leniently_and_says_what_it_left_out(en, patient):
    cells = {"axilla_left-nodules": "abc", "groin_left-nodules": "3", "perianal-abscesses": "25"}
    html = live(en, patient, "doctor-assessment", cells)
    assert output(html, "live-ihs4") == "3"
    ignored = html.split('id="live-ignored"')[1]
    assert "Axilla, left: nodules" in ignored
    assert "Perianal: abscesses" in ignored
    assert "Must be between 0 and 20." in ignored


def test_live_totals_typed_without_regions(en, patient):
    html = live(
        en,
        patient,
        "doctor-assessment",
        {"nodules": "1", "abscesses": "1", "draining_tunnels": "2", "hurley": "3"},
    )
    assert output(html, "live-ihs4") == "11"
    assert output(html, "live-hurley") == "3"
    assert "needs counts per region" in html


def test_live_bmi_uses_the_height_of_the_medical_history(en, patient, unit, user):
    html = live(en, patient, "doctor-assessment", {"weight_kg": "85"})
    assert output(html, "live-bmi") == ""
    assert "needs the height" in html
    save_record(
        record=MedicalHistory(patient=patient, unit=unit, date=date(2026, 1, 5), height_cm=170),
        actor=None,
        finish=True,
    )
    html = live(en, patient, "doctor-assessment", {"weight_kg": "85"})
    assert output(html, "live-bmi") == "29.4"


def test_live_assessment_shows_the_dlqi_of_the_patients_report(en, patient):
    dlqi = {f"dlqi_{n}": "3" for n in range(1, 11)} | {"dlqi_7": "5"}  # a little: 1 each
    save(en, patient, "patient-report", {**REPORT, **dlqi}, action="finish")
    html = live(en, patient, "doctor-assessment", {"date": "2026-11-25"})
    assert output(html, "live-dlqi") == "9"


def test_live_dlqi_mo1a_q7_follow_up(en, patient):
    """MO-1a: Q7 "yes" scores 3; "no" scores its follow-up (a lot 2, a little 1)."""
    answers = {f"dlqi_{n}": "4" for n in range(1, 11)}  # not at all: 0
    html = live(en, patient, "patient-report", {**answers, "dlqi_7": "1"})
    assert output(html, "live-dlqi") == "3"
    html = live(en, patient, "patient-report", {**answers, "dlqi_7": "0", "dlqi_7_problems": "2"})
    assert output(html, "live-dlqi") == "2"
    html = live(en, patient, "patient-report", {**answers, "dlqi_7": "0", "dlqi_7_problems": "3"})
    assert output(html, "live-dlqi") == "1"
    # the follow-up counts only after "no"
    html = live(en, patient, "patient-report", {**answers, "dlqi_7": "5", "dlqi_7_problems": "1"})
    assert output(html, "live-dlqi") == "0"


def test_live_dlqi_mo1a_not_relevant_scores_0(en, patient):
    answers = {f"dlqi_{n}": "5" for n in range(3, 11)} | {"dlqi_1": "1", "dlqi_2": "2"}
    html = live(en, patient, "patient-report", answers)
    assert output(html, "live-dlqi") == "5"  # 3 + 2 + 0 × 8
    assert output(html, "live-dlqi-band") == "small"


def test_live_dlqi_mo1a_one_unanswered_counts_0_two_give_no_total(en, patient):
    answers = {f"dlqi_{n}": "1" for n in range(1, 11)} | {"dlqi_7": "1"}
    del answers["dlqi_4"]
    html = live(en, patient, "patient-report", answers)
    assert output(html, "live-dlqi") == "27"
    assert output(html, "live-dlqi-band") == "extremely_large"
    del answers["dlqi_5"]
    html = live(en, patient, "patient-report", answers)
    assert output(html, "live-dlqi") == ""
    assert "2 questions unanswered" in html
    # Q7 "no" without its follow-up is an unanswered item
    answers = {f"dlqi_{n}": "1" for n in range(1, 11)} | {"dlqi_7": "0"}
    del answers["dlqi_4"]
    assert output(live(en, patient, "patient-report", answers), "live-dlqi") == ""


def test_live_dlqi_is_shown_on_the_first_page_too(en, patient):
    dlqi = {f"dlqi_{n}": "2" for n in range(1, 11)} | {"dlqi_7": "1"}  # a lot: 2 each
    save(en, patient, "patient-report", {**REPORT, **dlqi})
    report = PatientReport.objects.get()
    page = en.get(url("edit", patient, "patient-report", report)).content.decode()
    assert output(page, "live-dlqi") == str(2 * 9 + 3)
    assert 'data-live-url="' + url("live", patient, "patient-report") + '"' in page
    assert 'data-live-target="#live-scores"' in page


@pytest.mark.parametrize("kind", ["patient-report", "doctor-assessment"])
def test_a_control_is_not_dated_before_its_intervention(en, patient, unit, user, kind):
    done = intervention(patient, unit, user, 2)  # 2026-05-01
    data = {"date": "2026-04-30", "occasion": "3m", "intervention": str(done.pk)}
    response = en.post(url("new", patient, kind), {**data, "action": "draft"})
    assert response.status_code == 400
    assert "2026-05-01" in error_for(response.content.decode(), "date")
