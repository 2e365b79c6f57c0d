"""The guideline panel says what to do next, truthfully (issue 12): one overdue / due / not
yet status shared with the worklists (TX-9, LM-1, SC-1, VA-2), no vaccine deadline in the past
(VA-1, VA-3), the warnings with the form that resolves each (TX-6 current activity, SC-1
results, ST-1), C0 unknown from the medical history with a link to register the earlier course,
every missing item linked to its form and listed once, and one "next" dose (TX-7)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, RegionFinding
from hsreg.patients.case_document import build_case
from hsreg.treatments.models import SCREENING_TESTS, Screening

from .pages import error_for, url
from .test_patient_page import (
    ago,
    assessment,
    complete_screening,
    course,
    eligible_history,
    finish,
    page,
    report,
    section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client_in):
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client_in


def new_form(patient, kind: str) -> str:
    return reverse("records:new", kwargs={"patient_id": patient.pk, "kind": kind})


def correct_form(patient, kind: str, record) -> str:
    return reverse(
        "records:correct", kwargs={"patient_id": patient.pk, "kind": kind, "record_id": record.pk}
    )


def block(html: str, element_id: str) -> str:
    return section(html, element_id)


# --- one status: overdue / due / not yet (TX-9, LM-1) --------------------------------------------


def test_tx9_an_overdue_week_12_evaluation_reads_overdue_not_not_due_yet(english, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(100))  # day 100, week 12 passed
    html = page(english, patient)
    response = block(html, "response")
    assert 'data-decision="not_due"' in response
    assert 'data-due="overdue"' in response
    assert "Evaluation overdue" in response
    assert "Not due yet" not in response
    assert f'href="{new_form(patient, "doctor-assessment")}"' in response


@pytest.mark.parametrize(
    ("days", "status", "label"),
    [(76, "not_yet", "Not due yet"), (80, "due", "Evaluation due now"), (85, "overdue", None)],
)
def test_tx9_the_week_12_status_by_day(english, patient, user, days, status, label):  # noqa: PLR0917
    eligible_history(patient, user, adalimumab_start=ago(days))
    response = block(page(english, patient), "response")
    assert f'data-due="{status}"' in response
    assert (label or "Evaluation overdue") in response


def test_tx9_lm1_the_panel_and_the_worklist_say_the_same_status(english, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(100))
    evaluations = english.get(reverse("worklists:list", args=["evaluations"])).content.decode()
    assert 'data-due="overdue"' in evaluations
    assert "overdue" in evaluations
    labs = block(page(english, patient), "labs")
    assert 'data-due="overdue"' in labs  # first check due a month after the start (LM-1)
    worklist = english.get(reverse("worklists:list", args=["labs"])).content.decode()
    assert 'data-due="overdue"' in worklist


# --- vaccines (VA-1, VA-3) ----------------------------------------------------------------------


def test_va1_va3_a_start_closer_than_4_weeks_shows_no_deadline_in_the_past(english, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(-10))  # planned in 10 days
    vaccines = block(page(english, patient), "vaccination")
    assert "Live vaccines by" not in vaccines
    assert "closer than 4 weeks" in vaccines
    assert "The vaccines due are non-live and may be given during a biologic." in vaccines
    assert "influenza vaccine (yearly)" in vaccines
    assert 'data-due="due"' in vaccines
    past = (ago(-10) - timedelta(days=28)).isoformat()
    assert past not in vaccines


def test_va1_a_start_4_weeks_away_or_more_gives_the_live_deadline(english, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(-40))
    vaccines = block(page(english, patient), "vaccination")
    assert 'data-value="live-deadline"' in vaccines
    assert "Live vaccines by" in vaccines


# --- warnings with the form that resolves each ---------------------------------------------------


@pytest.mark.parametrize(("days", "warned"), [(92, False), (93, True)])
def test_tx6_current_activity_warning_after_92_days(english, patient, user, days, warned):
    course(patient, user, drug="doxycycline", start=ago(400), end=ago(300),
           stop_reason="inadequate_effect")  # fmt: skip
    assessment(patient, user, on=ago(days), nodules=4, abscesses=2, tunnels=1)
    report(patient, user, on=ago(days), answer=2, pain="7.0")
    html = page(english, patient)
    if not warned:
        assert 'id="guideline-warnings"' not in html
        return
    warnings = block(html, "guideline-warnings")
    assert 'data-rule="TX-6"' in warnings
    assert ago(days).isoformat() in warnings
    assert "93 days old" in warnings
    assert f'href="{new_form(patient, "doctor-assessment")}"' in warnings


def test_sc1_screening_result_warnings_link_the_screening_form(english, patient, user):
    screening = complete_screening(patient, user, on=ago(5))
    Screening.objects.filter(pk=screening.pk).update(
        hiv="negative", hepatitis_b="positive", hepatitis_c="negative", blood_tests="abnormal"
    )
    warnings = unescape(block(page(english, patient), "guideline-warnings"))
    assert 'data-rule="SC-1"' in warnings
    assert "hepatitis B serology: positive" in warnings
    assert "the blood tests" in warnings
    assert "test taken, result not recorded: urine dipstick" in warnings  # not given above
    assert f'href="{correct_form(patient, "screening", screening)}"' in warnings


def test_st1_hurley_i_with_tunnels_warns_and_links_the_assessment(english, patient, user):
    record = assessment(patient, user, on=ago(3), nodules=2, abscesses=0, tunnels=2, hurley=1)
    warnings = unescape(block(page(english, patient), "guideline-warnings"))
    assert 'data-rule="ST-1"' in warnings
    assert "Hurley I has no tunnels" in warnings
    assert "left axilla" in warnings
    assert f'href="{correct_form(patient, "doctor-assessment", record)}"' in warnings


# --- C0 and the medical history -----------------------------------------------------------------


def test_tx6_c0_unknown_from_the_history_links_the_new_drug_course(english, patient, user):
    finish(
        MedicalHistory(patient=patient, unit=patient.units.get(), date=ago(30), height_cm=170,
                       prior_medication=1, medication_antibiotic=1),
        user,
    )  # fmt: skip
    assessment(patient, user, on=ago(3), nodules=4, abscesses=2, tunnels=1)
    eligibility = block(page(english, patient), "eligibility")
    assert re.search(r'data-criterion="C0" data-status="unknown"', eligibility)
    assert "register the earlier course with why it was stopped" in eligibility
    assert f'href="{new_form(patient, "drug-course")}"' in eligibility
    assert "Register the earlier course with its stop reason" in eligibility


def test_tx6_c0_stays_unmet_when_the_history_reports_no_antibiotics(english, patient, user):
    finish(
        MedicalHistory(patient=patient, unit=patient.units.get(), date=ago(30), height_cm=170,
                       prior_medication=1, medication_antibiotic=0),
        user,
    )  # fmt: skip
    assessment(patient, user, on=ago(3), nodules=4, abscesses=2, tunnels=1)
    eligibility = block(page(english, patient), "eligibility")
    assert re.search(r'data-criterion="C0" data-status="unmet"', eligibility)


# --- what is missing: once, each item linked to its form -----------------------------------------


def test_the_missing_data_list_appears_once(english, patient, user):
    """No screening: the eight SC-2 items that leave C4 unknown are listed once (TX-6, SC-2)."""
    course(patient, user, drug="doxycycline", start=ago(400), end=ago(300),
           stop_reason="inadequate_effect")  # fmt: skip
    assessment(patient, user, on=ago(3), nodules=4, abscesses=2, tunnels=1)
    report(patient, user, on=ago(3), answer=2, pain="7.0")
    html = unescape(page(english, patient))
    panel = html[html.index('id="guideline-panel"') :]
    for label in ("cancer within 5 years", "heart failure (NYHA class)", "the IGRA result",
                  "the chest X-ray result", "earlier TB treatment"):  # fmt: skip
        assert panel.count(label) == 1, label
    missing = block(html, "missing-data")
    assert "The indication cannot be decided until this is recorded:" in missing
    assert missing.count(f'href="{new_form(patient, "screening")}"') == 1  # grouped by form
    assert '<span class="rule">SC-2</span>' in missing


def test_each_missing_item_links_to_the_form_that_supplies_it(english, patient, user):
    course(patient, user, drug="doxycycline", start=ago(400), end=ago(300),
           stop_reason="inadequate_effect")  # fmt: skip
    record = assessment(patient, user, on=ago(3), nodules=1, abscesses=0, tunnels=0)
    DoctorAssessment.objects.filter(pk=record.pk).update(inflammatory_activity="")
    RegionFinding.objects.filter(assessment=record).update(hurley=None)
    html = unescape(page(english, patient))
    missing = block(html, "missing-data")
    report_link = f'<a href="{new_form(patient, "patient-report")}">Patient\'s report</a>: the DLQI'
    assert report_link in missing
    assessment_link = correct_form(patient, "doctor-assessment", record)
    assert re.search(rf'<a href="{assessment_link}">[^<]+</a>: [^<]*the Hurley stage', missing)
    assert f'href="{new_form(patient, "screening")}"' in missing


# --- the dose calendar: one "next" (TX-7) -------------------------------------------------------


def test_tx7_only_the_very_next_dose_is_marked_next(english, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(20))
    calendar = block(page(english, patient), "regimen")
    shown = calendar[: calendar.index("<details>")]
    assert shown.count('class="upcoming"') == 1
    assert shown.count(">next</span>") == 1
    whole = calendar[calendar.index("<details>") :]
    assert whole.count("upcoming") == 1


# --- the screening form records the results (SC-1 Reading) --------------------------------------


def test_sc1_the_screening_form_stores_the_results(english, patient):
    data = {
        "date": ago(1).isoformat(),
        **{f"test_{t}": "on" for t in SCREENING_TESTS},
        "blood_tests": "abnormal",
        "hiv": "negative",
        "hepatitis_b": "negative",
        "hepatitis_c": "positive",
        "urine_dipstick": "normal",
        "igra": "negative",
        "chest_xray": "normal",
        "action": "finish",
    }
    response = english.post(url("new", patient, "screening"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Screening.objects.get()
    assert (saved.blood_tests, saved.hepatitis_c, saved.urine_dipstick) == (
        "abnormal", "positive", "normal",
    )  # fmt: skip


def test_sc1_a_result_of_a_test_not_taken_is_not_kept(english, patient):
    data = {"date": ago(1).isoformat(), "hiv": "positive", "action": "finish"}
    english.post(url("new", patient, "screening"), data)
    assert Screening.objects.get().hiv == ""


def test_sc1_a_blood_tests_result_needs_a_blood_test_ticked(english, patient):
    data = {"date": ago(1).isoformat(), "blood_tests": "abnormal", "action": "finish"}
    response = english.post(url("new", patient, "screening"), data)
    assert response.status_code == 400
    assert "Tick the blood tests taken" in error_for(response.content.decode(), "blood_tests")


# --- the case document carries the results and the history's antibiotics ------------------------


@pytest.mark.parametrize(
    ("code", "reported"),
    [(0, "no"), (1, "more_than_3_months"), (2, "less_than_3_months"), (3, "last_2_weeks"),
     (9, None)],
)  # fmt: skip
def test_tx6_c0_the_case_document_reads_the_medical_historys_antibiotics(
    patient, user, code, reported
):
    finish(
        MedicalHistory(patient=patient, unit=patient.units.get(), date=ago(30), height_cm=170,
                       prior_medication=1, medication_antibiotic=code),
        user,
    )  # fmt: skip
    case = build_case(patient, as_of=ago(0))
    expected = {"earlier_systemic_antibiotics": reported} if reported else None
    assert case.get("medical_history") == expected


def test_sc1_the_case_document_carries_the_screening_results(patient, user):
    screening = complete_screening(patient, user, on=ago(5))
    Screening.objects.filter(pk=screening.pk).update(
        hiv="negative", hepatitis_b="negative", hepatitis_c="positive", blood_tests="normal",
        urine_dipstick="abnormal",
    )  # fmt: skip
    document = build_case(patient, as_of=ago(0))["screening"]
    assert {
        k: document[k]
        for k in (
            "hiv",
            "hepatitis_b",
            "hepatitis_c",
            "blood_tests",
            "urine_dipstick",
            "igra",
            "chest_xray",
        )
    } == {
        "hiv": "negative",
        "hepatitis_b": "negative",
        "hepatitis_c": "positive",
        "blood_tests": "normal",
        "urine_dipstick": "abnormal",
        "igra": "negative",
        "chest_xray": "normal",
    }


# --- XB: beyond the NFDV guideline (2019), apart from its results --------------------------------


def test_xb7_hs_iga_and_the_xb_texts_are_in_their_own_part_of_the_panel(english, patient, user):
    """HS-IGA of the latest assessment's regions (XB-7: 6 lesions in the upper body → grade 2)
    is shown in the part "beyond the NFDV guideline (2019)", with its XB texts; no XB text
    stands among the guideline's results (RULES.md, XB)."""
    assessment(patient, user, on=ago(3), nodules=3, abscesses=2, tunnels=1)
    html = unescape(page(english, patient))
    beyond = block(html, "beyond-guideline")
    assert "Beyond the NFDV guideline (2019)" in beyond
    assert re.search(r'data-value="hs-iga">\s*2\s*<', beyond)
    assert "XB-7" in beyond
    rest = html.replace(beyond, "")
    assert not re.search(r"\bXB-\d", rest)


def test_xb7_without_an_assessment_the_part_says_why_there_is_no_hs_iga(english, patient, user):
    beyond = block(unescape(page(english, patient)), "beyond-guideline")
    assert 'data-value="hs-iga"' not in beyond
    assert "No assessment is recorded." in beyond
