"""The clinical-safety guard of a biologic course (issue 12, treatments.guards): finishing the
start of a biologic when TX-6 is not eligible, the screening (SC-1, SC-2) is incomplete or
warns, or a vaccine is due (VA-2, VA-3) shows what is missing by rule id before anything is
saved, and saves only with the override ticked and a reason; the override is stored, audited,
and shown on the course, the patient page and the unit's report."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hsreg.audit.models import AuditEvent
from hsreg.records.models import Status, Submission
from hsreg.reports.distributions.protect import PUBLIC, Reader
from hsreg.reports.overrides import override_table
from hsreg.treatments import guards
from hsreg.treatments.models import DrugCourse, Screening, Vaccination

from .pages import error_for, url
from .test_patient_page import (
    ago,
    assessment,
    complete_screening,
    course,
    finish,
    report,
)

pytestmark = pytest.mark.django_db

REASON = "Severe flare; the patient accepts the risk after discussion"


def start_adalimumab(client, patient, start=None, **extra: Any):
    data = {
        "date": (start or ago(0)).isoformat(),
        "drug": "adalimumab",
        "regimen": "weekly_40",
        "action": "finish",
        **extra,
    }
    return client.post(url("new", patient, "drug-course"), data)


def guard_rules(html: str) -> list[str]:
    return re.findall(r'<div class="guard-rule" data-rule="([A-Z0-9-]+)">', html)


def guard_section(html: str) -> str:
    start = html.index('id="course-guard"')
    return html[start : html.index("</section>", start)]


def screened(patient, user, *, on, **changes):
    """A complete SC-1/SC-2 screening with every result recorded and normal (SC-1 Reading)."""
    record = complete_screening(patient, user, on=on)
    results = {
        "hiv": "negative",
        "hepatitis_b": "negative",
        "hepatitis_c": "negative",
        "blood_tests": "normal",
        "urine_dipstick": "normal",
        **changes,
    }
    Screening.objects.filter(pk=record.pk).update(**results)
    return record


def vaccinated(patient, *, on):
    """Influenza, pneumococcal and DTaP-IPV given on ``on`` (VA-2 nothing due for a year)."""
    for vaccine in ("influenza", "pneumococcal", "dtap_ipv"):
        finish(
            Vaccination(
                patient=patient, unit=patient.units.get(), date=on, vaccine=vaccine, live=False
            ),
            None,
        )


def eligible(patient, user):
    """TX-6 met (failed doxycycline, IHS4 12, DLQI 18), screening complete, vaccines given."""
    course(
        patient,
        user,
        drug="doxycycline",
        start=ago(300),
        end=ago(300) + timedelta(weeks=13),
        stop_reason="inadequate_effect",
    )
    assessment(patient, user, on=ago(30), nodules=4, abscesses=2, tunnels=1)
    report(patient, user, on=ago(30), answer=2, pain="7.0")
    screened(patient, user, on=ago(20))
    vaccinated(patient, on=ago(60))


# --- what is listed ----------------------------------------------------------------------------


def test_not_eligible_lists_the_tx6_criteria_and_saves_nothing(en, patient, user):
    assessment(patient, user, on=ago(10), nodules=1, abscesses=0, tunnels=0, hurley=1)
    response = start_adalimumab(en, patient)
    assert response.status_code == 400
    assert DrugCourse.objects.count() == 0
    html = response.content.decode()
    shown = guard_section(html)
    assert "TX-6" in guard_rules(html)
    assert "C0 not met" in shown  # no failed tetracycline-class course
    assert "C3 unknown" in shown  # no DLQI
    assert "Tick this box" in error_for(html, "override")
    assert 'name="override_reason"' in shown


def test_missing_screening_lists_sc1_and_sc2_by_name(en, patient, user):
    response = start_adalimumab(en, patient)
    html = response.content.decode()
    assert {"SC-1", "SC-2"} <= set(guard_rules(html))
    shown = guard_section(html)
    assert "Tests not taken: haemoglobin, leukocytes with differential" in shown
    assert "hemoglobin," not in shown  # words, not the codes
    assert "Not recorded: cancer within 5 years" in shown


def test_a_screening_warning_is_listed_sc1_results_and_sc2(en, patient, user):
    eligible(patient, user)
    Screening.objects.filter(patient=patient).update(hiv="positive", pregnant_or_planning=True)
    html = start_adalimumab(en, patient).content.decode()
    shown = guard_section(html)
    assert guard_rules(html) == ["SC-1", "SC-2"]
    assert "HIV serology: positive" in shown
    assert "Pregnancy or wish for pregnancy" in shown


def test_a_due_vaccine_is_listed_va2(en, patient, user):
    eligible(patient, user)
    Vaccination.objects.filter(vaccine="influenza").update(date=ago(400))
    html = start_adalimumab(en, patient).content.decode()
    assert guard_rules(html) == ["VA-2"]
    assert "influenza vaccine (yearly)" in guard_section(html)


def test_a_live_vaccine_less_than_4_weeks_before_the_start_is_listed_va3(en, patient, user):
    eligible(patient, user)
    finish(
        Vaccination(
            patient=patient, unit=patient.units.get(), date=ago(10), vaccine="mmr", live=True
        ),
        None,
    )
    html = start_adalimumab(en, patient).content.decode()
    assert guard_rules(html) == ["VA-3"]
    assert "may start from" in guard_section(html)
    # the same course planned for when the 4 weeks have passed is not guarded (VA-3 Reading)
    response = start_adalimumab(en, patient, start=ago(-20))
    assert response.status_code == 302
    assert DrugCourse.objects.get(drug="adalimumab").overridden == []


def test_the_checks_are_for_the_courses_start_date_va2(en, patient, user):
    """A planned start is checked on its date: the influenza vaccine given 11 months ago is
    due again by a start in 2 months (VA Reading: 12 months)."""
    eligible(patient, user)
    Vaccination.objects.filter(vaccine="influenza").update(date=ago(330))
    assert start_adalimumab(en, patient).status_code == 302  # today: given within 12 months
    DrugCourse.objects.filter(drug="adalimumab").delete()
    html = start_adalimumab(en, patient, start=ago(-60)).content.decode()
    assert guard_rules(html) == ["VA-2"]


# --- the override ------------------------------------------------------------------------------


def test_an_override_without_a_reason_is_refused_and_saves_nothing(en, patient):
    for reason in ("", "   "):
        response = start_adalimumab(en, patient, override="on", override_reason=reason)
        assert response.status_code == 400
        assert "Give the reason" in error_for(response.content.decode(), "override_reason")
    assert DrugCourse.objects.count() == 0


def test_a_reason_without_the_box_is_refused(en, patient):
    response = start_adalimumab(en, patient, override_reason=REASON)
    assert response.status_code == 400
    assert DrugCourse.objects.count() == 0


def test_the_override_with_a_reason_saves_stores_and_audits_tx6_sc1_sc2_va2(
    en, patient, user, unit
):
    assessment(patient, user, on=ago(10), nodules=1, abscesses=0, tunnels=0, hurley=1)
    response = start_adalimumab(en, patient, override="on", override_reason=f"  {REASON} ")
    assert response.status_code == 302
    saved = DrugCourse.objects.get()
    assert saved.status == Status.FINISHED
    assert saved.override_reason == REASON
    rules = {key.split(":")[0] for key in saved.overridden}
    assert rules == {"TX-6", "SC-1", "SC-2", "VA-2"}
    assert "TX-6:C0" in saved.overridden
    assert "SC-1:hemoglobin" in saved.overridden
    assert "VA-2:influenza" in saved.overridden
    event = AuditEvent.objects.get(target=f"override drugcourse {saved.pk}")
    assert event.patient_id == patient.pk
    assert event.detail["overridden"] == saved.overridden
    assert REASON not in str(event.detail)  # free text stays on the course
    assert patient.last_name not in str(event.detail)

    page = en.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    notice = page[page.index('id="course-overrides"') :]
    assert REASON in notice
    assert "TX-6" in notice
    assert user.get_username() in notice or user.get_full_name() in notice
    row = re.search(r'<tr data-kind="drug-course".*?</tr>', page, re.S)
    assert row
    assert "Safety checks overridden" in row.group(0)

    detail = en.get(url("detail", patient, "drug-course", saved)).content.decode()
    assert REASON in detail
    assert 'id="course-override"' in detail

    report_page = en.get(reverse("reports:overrides") + f"?year={saved.date.year}&level=unit")
    assert report_page.status_code == 200
    table = report_page.content.decode()
    assert 'id="table-overrides"' in table
    assert re.search(
        rf"{re.escape(unit.name)}</th><td class=\"num\">1</td><td class=\"num\">1</td>", table
    )


def test_an_eligible_fully_screened_vaccinated_patient_saves_with_no_guard(en, patient, user):
    eligible(patient, user)
    assert guards.guarded(drug="adalimumab", start=ago(0), end=None, earlier=None, today=ago(0))
    response = start_adalimumab(en, patient)
    assert response.status_code == 302, guard_rules(response.content.decode())
    saved = DrugCourse.objects.get(drug="adalimumab")
    assert (saved.overridden, saved.override_reason) == ([], "")
    assert not AuditEvent.objects.filter(target__startswith="override").exists()


def test_a_course_that_is_not_a_biologic_is_never_guarded(en, patient):
    data = {"date": ago(0).isoformat(), "drug": "doxycycline", "action": "finish"}
    response = en.post(url("new", patient, "drug-course"), data)
    assert response.status_code == 302
    assert DrugCourse.objects.get().overridden == []


def test_a_draft_is_not_a_start_and_is_not_guarded(en, patient):
    response = start_adalimumab(en, patient, action="draft")
    assert response.status_code == 302
    assert DrugCourse.objects.get().status == Status.DRAFT


def test_ending_an_overridden_course_keeps_its_override_and_asks_nothing(en, patient):
    start_adalimumab(en, patient, start=ago(30), override="on", override_reason=REASON)
    running = DrugCourse.objects.get()
    en.post(url("correct", patient, "drug-course", running), {"reason": "Stopped"})
    ending = DrugCourse.objects.get(replaces=running)
    response = en.post(
        url("edit", patient, "drug-course", ending),
        {
            "date": ago(30).isoformat(),
            "drug": "adalimumab",
            "end": ago(1).isoformat(),
            "stop_reason": "adverse_effect",
            "action": "finish",
        },
    )
    assert response.status_code == 302
    ending.refresh_from_db()
    assert ending.status == Status.FINISHED
    assert (ending.overridden, ending.override_reason) == (running.overridden, REASON)


def test_a_correction_that_changes_the_start_is_checked_again(en, patient):
    start_adalimumab(en, patient, start=ago(30), override="on", override_reason=REASON)
    running = DrugCourse.objects.get()
    en.post(url("correct", patient, "drug-course", running), {"reason": "Wrong date"})
    moved = DrugCourse.objects.get(replaces=running)
    data = {"date": ago(20).isoformat(), "drug": "adalimumab", "action": "finish"}
    response = en.post(url("edit", patient, "drug-course", moved), data)
    assert response.status_code == 400
    assert "TX-6" in guard_rules(response.content.decode())
    response = en.post(
        url("edit", patient, "drug-course", moved),
        {**data, "override": "on", "override_reason": "Moved after review"},
    )
    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.override_reason == "Moved after review"


def test_a_course_registered_after_it_ended_is_history_not_a_start(en, patient):
    data = {
        "date": ago(400).isoformat(),
        "drug": "adalimumab",
        "end": ago(200).isoformat(),
        "stop_reason": "inadequate_effect",
        "action": "finish",
    }
    assert en.post(url("new", patient, "drug-course"), data).status_code == 302


def test_a_double_post_of_the_override_saves_one_course(en, patient):
    page = en.get(url("new", patient, "drug-course")).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    first = start_adalimumab(en, patient, submission=token)
    assert first.status_code == 400  # the guard: the same token stays on the page
    assert re.search(r'name="submission" value="([^"]+)"', first.content.decode()).group(1) == token
    for _ in range(2):
        response = start_adalimumab(
            en, patient, submission=token, override="on", override_reason=REASON
        )
        assert response.status_code == 302
    assert DrugCourse.objects.count() == 1
    assert Submission.objects.filter(token=token).count() == 1
    assert AuditEvent.objects.filter(target__startswith="override drugcourse").count() == 1


def test_the_hint_names_the_checks_for_a_biologic(en, patient):
    page = en.get(url("new", patient, "drug-course")).content.decode()
    hint = page[page.index('id="course-guard-hint"') :]
    assert 'data-show-when="drug=adalimumab,' in page
    for rule in ("TX-6", "SC-1", "SC-2", "VA-2", "VA-3"):
        assert rule in hint


# --- the patient page's queries and the unit's report ---------------------------------------------


def overridden_course(patient, user, *, start, reason=REASON):
    return finish(
        DrugCourse(
            patient=patient,
            unit=patient.units.get(),
            drug="adalimumab",
            date=start,
            overridden=["TX-6:C0", "SC-1:hemoglobin", "VA-2:influenza"],
            override_reason=reason,
            updated_by=user,
        ),
        None,
    )


def page_queries(client, patient) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 200
    return sum(not q["sql"].startswith('INSERT INTO "audit_auditevent"') for q in context)


def test_the_patient_pages_queries_do_not_grow_with_the_overrides(en, patient, user):
    overridden_course(patient, user, start=ago(400))
    page_queries(en, patient)  # the first request of the session writes its own rows
    one = page_queries(en, patient)
    for days in (300, 200):
        overridden_course(patient, user, start=ago(days), reason=f"reason {days}")
    html = en.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert html.count('class="override-notice"') == 3
    assert "What was not in place" in html
    assert "SC-1: haemoglobin" in html
    assert page_queries(en, patient) == one


def test_the_report_hides_a_small_count_but_not_from_the_units_own_staff(patient, user, unit):
    overridden_course(patient, user, start=ago(5))
    year, today = ago(5).year, ago(0)
    public = override_table(year=year, as_of=today, reader=PUBLIC)
    (row, _total) = public.rows
    assert row.values[:2] == [None, None]  # 1 of 1: hidden for the public and reporting role
    own = override_table(year=year, as_of=today, unit=unit, reader=Reader(own=unit.resh_id))
    (row,) = own.rows
    # started, with override, TX-6 SC-1 SC-2 XB-4 (IL-17 inhibitors only) VA-2 VA-3
    assert row.values == [1, 1, 1, 1, 0, 0, 1, 0]
    assert own.columns[2:] == ["TX-6", "SC-1", "SC-2", "XB-4", "VA-2", "VA-3"]


def test_va3_boundary_a_start_27_days_after_a_live_vaccine_is_guarded_28_is_not(patient, user):
    eligible(patient, user)
    given = ago(0)
    finish(
        Vaccination(
            patient=patient, unit=patient.units.get(), date=given, vaccine="mmr", live=True
        ),
        None,
    )

    def rules(days: int) -> list[str]:
        course = DrugCourse(
            patient=patient,
            unit=patient.units.get(),
            drug="adalimumab",
            date=given + timedelta(days=days),
        )
        return [f.rule_id for f in guards.check(patient=patient, course=course)]

    assert rules(27) == ["VA-3"]
    assert rules(28) == []
