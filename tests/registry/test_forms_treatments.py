"""The treatment forms: intervention, drug course, screening (SC-1, SC-2), vaccination (VA),
lab check (LM-1) and adverse event."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hsreg.patients.services import register_patient
from hsreg.records.models import Status
from hsreg.records.services import save_record
from hsreg.treatments.models import (
    AdverseEvent,
    DrugCourse,
    Intervention,
    LabCheck,
    Screening,
    Vaccination,
)

from .conftest import make_number
from .pages import error_for, url

pytestmark = pytest.mark.django_db

TODAY = "2026-11-20"
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


def post(client, patient, kind: str, data: dict[str, Any], action: str = "draft"):
    return client.post(url("new", patient, kind), {**data, "action": action})


def saved(client, patient, kind: str, data: dict[str, Any], action: str = "draft"):
    response = post(client, patient, kind, data, action)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return response


# --- intervention -----------------------------------------------------------------------------


def test_the_intervention_form_branches_on_its_type(en, patient):
    page = en.get(url("new", patient, "intervention")).content.decode()
    assert 'data-show-when="type=1,3"' in page  # surgery
    assert 'data-show-when="type=2,3"' in page  # medical
    assert 'data-show-when="type=4,5"' in page  # why no intervention
    assert 'name="surgery_sites" value="axilla_left"' in page


def test_no_intervention_needs_a_reason_to_finish(en, patient):
    response = post(en, patient, "intervention", {"date": TODAY, "type": "4"}, "finish")
    assert response.status_code == 400
    assert "Answer this question" in error_for(response.content.decode(), "no_treatment_reason")
    data = {"date": TODAY, "type": "4", "no_treatment_reason": "Mild disease"}
    saved(en, patient, "intervention", data, "finish")
    assert Intervention.objects.get().no_treatment_reason == "Mild disease"


def test_surgery_asks_the_registrys_surgical_questions(en, patient):
    response = post(en, patient, "intervention", {"date": TODAY, "type": "3"}, "finish")
    html = response.content.decode()
    for name in ("operation_time", "operation_diameter", "bleeding_diathermy"):
        assert "Answer this question" in error_for(html, name)
    saved(en, patient, "intervention", SURGERY, "finish")
    done = Intervention.objects.get()
    assert done.surgery_sites == ["axilla_left", "groin_right"]
    assert (done.surgery_deroofing, done.operation_time, done.bleeding_ligation) == (True, 2, 0)
    page = en.get(url("detail", patient, "intervention", done)).content.decode()
    assert "Axilla, left, Groin, right" in page


def test_surgical_answers_are_cleared_for_a_medical_intervention(en, patient):
    saved(en, patient, "intervention", {**SURGERY, "type": "2", "analgesic_nsaid": "on"})
    done = Intervention.objects.get()
    assert (done.surgery_deroofing, done.operation_time, done.surgery_sites) == (False, None, [])
    assert done.analgesic_nsaid is True


def test_a_finished_medical_intervention_offers_its_drug_course(en, patient):
    response = en.post(
        url("new", patient, "intervention"),
        {"date": "2026-11-02", "type": "2", "action": "finish"},
        follow=True,
    )
    done = Intervention.objects.get()
    link = url("new", patient, "drug-course") + f"?intervention={done.pk}&amp;date=2026-11-02"
    assert link in response.content.decode()
    form = en.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{done.pk}" selected>' in form
    assert 'name="date" value="2026-11-02"' in form
    assert link in en.get(url("detail", patient, "intervention", done)).content.decode()


def test_no_drug_course_is_offered_after_surgery_alone(en, patient):
    response = en.post(
        url("new", patient, "intervention"), {**SURGERY, "action": "finish"}, follow=True
    )
    done = Intervention.objects.get()
    assert f"?intervention={done.pk}" not in response.content.decode()


# --- drug course ------------------------------------------------------------------------------


def test_drugs_are_grouped_by_the_guidelines_line(en, patient):
    page = en.get(url("new", patient, "drug-course")).content.decode()
    assert '<optgroup label="Second line (TX-6)">' in page
    assert '<option value="adalimumab">Adalimumab</option>' in page
    assert "Secukinumab (beyond the NFDV guideline)" in page
    assert 'data-show-when="drug=adalimumab"' in page


# a biologic's start with nothing of TX-6, SC-1/SC-2 or VA in place: the guard's override
# (tests/registry/test_safety_guards.py)
OVERRIDE = {"override": "on", "override_reason": "Decided at the clinic"}


def test_a_course_may_start_in_the_future_but_not_end_there(en, patient):
    data = {"date": "2027-01-10", "drug": "adalimumab", "regimen": "weekly_40", **OVERRIDE}
    saved(en, patient, "drug-course", data, "finish")
    planned = DrugCourse.objects.get()
    assert planned.date == date(2027, 1, 10)
    assert planned.regimen == "weekly_40"
    response = post(en, patient, "drug-course", {**data, "end": "2027-02-01"})
    assert "in the future" in error_for(response.content.decode(), "end")


def test_a_stop_reason_needs_an_end(en, patient):
    data = {"date": "2026-06-01", "drug": "doxycycline", "stop_reason": "adverse_effect"}
    response = post(en, patient, "drug-course", data)
    assert response.status_code == 400
    assert "end date" in error_for(response.content.decode(), "stop_reason")
    saved(en, patient, "drug-course", {**data, "end": "2026-08-01"}, "finish")
    course = DrugCourse.objects.get()
    assert (course.end, course.stop_reason) == (date(2026, 8, 1), "adverse_effect")


def test_the_regimen_is_kept_only_for_adalimumab(en, patient):
    saved(en, patient, "drug-course", {"date": TODAY, "drug": "infliximab", "regimen": "weekly_40"})
    assert DrugCourse.objects.get().regimen == ""


def test_a_course_needs_a_drug_to_finish_and_a_drug_of_the_catalog(en, patient):
    response = post(en, patient, "drug-course", {"date": TODAY}, "finish")
    assert "Answer this question" in error_for(response.content.decode(), "drug")
    response = post(en, patient, "drug-course", {"date": TODAY, "drug": "aspirin"})
    assert "Select a valid choice" in error_for(response.content.decode(), "drug")
    saved(en, patient, "drug-course", {"date": TODAY})
    assert DrugCourse.objects.get().status == Status.DRAFT


def test_ending_a_course_is_a_correction_keeping_the_running_version(en, patient):
    data = {"date": "2026-06-01", "drug": "adalimumab", **OVERRIDE}
    saved(en, patient, "drug-course", data, "finish")
    running = DrugCourse.objects.get()
    en.post(url("correct", patient, "drug-course", running), {"reason": "Stopped"})
    ended = DrugCourse.objects.get(replaces=running)
    en.post(
        url("edit", patient, "drug-course", ended),
        {
            "date": "2026-06-01",
            "drug": "adalimumab",
            "end": "2026-11-01",
            "stop_reason": "inadequate_effect",
            "action": "finish",
        },
    )
    running.refresh_from_db()
    ended.refresh_from_db()
    assert (running.status, running.end) == (Status.SUPERSEDED, None)
    assert (ended.status, ended.end) == (Status.FINISHED, date(2026, 11, 1))


# --- screening --------------------------------------------------------------------------------


def test_screening_stores_the_sc1_tests_and_sc2_answers(en, patient):
    data = {
        "date": TODAY,
        "test_hemoglobin": "on",
        "test_igra": "on",
        "igra": "negative",
        "chest_xray": "abnormal",  # the X-ray was not taken: the result is not kept
        "cancer_within_5_years": "false",
        "tb_exposure": "true",
        "heart_failure_nyha": "0",
    }
    saved(en, patient, "screening", data, "finish")
    screening = Screening.objects.get()
    assert screening.tests_done() == ["hemoglobin", "igra"]
    assert (screening.igra, screening.chest_xray) == ("negative", "")
    assert (screening.cancer_within_5_years, screening.tb_exposure) == (False, True)
    assert screening.demyelinating_disease is None
    assert screening.heart_failure_nyha == 0


def test_screening_refuses_an_nyha_class_that_does_not_exist(en, patient):
    response = post(en, patient, "screening", {"date": TODAY, "heart_failure_nyha": "5"})
    assert response.status_code == 400
    assert "Select a valid choice" in error_for(response.content.decode(), "heart_failure_nyha")


# --- vaccination ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vaccine", "stated", "live"),
    [
        ("mmr", "unknown", True),
        ("influenza", "unknown", False),
        ("other", "unknown", None),
        ("other", "true", True),
        ("yellow_fever", "false", False),
    ],
)
def test_a_vaccine_is_live_as_the_list_says_unless_stated_va3(en, patient, vaccine, stated, live):
    saved(en, patient, "vaccination", {"date": TODAY, "vaccine": vaccine, "live": stated})
    assert Vaccination.objects.get().live is live


def test_a_vaccination_needs_its_vaccine_to_finish(en, patient):
    response = post(en, patient, "vaccination", {"date": TODAY}, "finish")
    assert "Answer this question" in error_for(response.content.decode(), "vaccine")


# --- lab check and adverse event ----------------------------------------------------------------


def test_a_lab_check_records_whether_a_result_was_abnormal(en, patient):
    saved(en, patient, "lab-check", {"date": TODAY, "abnormal": "true", "note": "ALT 2x"}, "finish")
    check = LabCheck.objects.get()
    assert (check.abnormal, check.note, check.status) == (True, "ALT 2x", Status.FINISHED)


def test_an_adverse_event_links_only_to_the_patients_courses(en, patient, unit, user, other_unit):
    mine = save_record(
        record=DrugCourse(patient=patient, unit=unit, date=date(2026, 6, 1), drug="adalimumab"),
        actor=None,
        finish=True,
    )
    other = register_patient(
        unit=other_unit, national_id=make_number(6), first_name="Ola", last_name="Annen"
    )
    theirs = save_record(
        record=DrugCourse(patient=other, unit=other_unit, date=date(2026, 6, 1), drug="infliximab"),
        actor=None,
        finish=True,
    )
    event = {
        "date": TODAY,
        "description": "Injection-site reaction",
        "seriousness": "moderate",
        "action_taken": "paused",
    }
    response = post(en, patient, "adverse-event", {**event, "drug_course": str(theirs.pk)})
    assert "Select a valid choice" in error_for(response.content.decode(), "drug_course")
    saved(en, patient, "adverse-event", {**event, "drug_course": str(mine.pk)}, "finish")
    stored = AdverseEvent.objects.get()
    assert (stored.drug_course, stored.action_taken, stored.seriousness) == (
        mine,
        "paused",
        "moderate",
    )
    page = en.get(url("detail", patient, "adverse-event", stored)).content.decode()
    assert "Treatment paused" in page
    assert f"#{mine.pk} Adalimumab from 2026-06-01" in page


def test_an_adverse_event_needs_what_happened_and_the_action_to_finish(en, patient):
    response = post(en, patient, "adverse-event", {"date": TODAY}, "finish")
    html = response.content.decode()
    for name in ("description", "seriousness", "action_taken"):
        assert "Answer this question" in error_for(html, name)
    saved(en, patient, "adverse-event", {"date": TODAY})
    assert AdverseEvent.objects.get().status == Status.DRAFT
