"""The patient page: header and form links, the timeline chart and the guideline panel.

Forms are written as the application writes them (records.services.save_record); dates are
relative to today so the rules' day counts (TX-9 day 77, TX-7 weeks) hold on any day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport, RegionFinding
from hsreg.guideline import evaluate
from hsreg.patients import timeline
from hsreg.patients.case_document import build_case
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.treatments.models import SCREENING_TESTS, DrugCourse, Intervention, Screening

from .conftest import make_number

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def ago(days: int) -> date:
    return TODAY() - timedelta(days=days)


def finish(record: Any, user: Any, children: Any = None) -> Any:
    return save_record(record=record, actor=None, finish=True, children=children)


def assessment(
    patient, user, *, on: date, nodules: int, abscesses: int, tunnels: int, hurley: int = 2
) -> DoctorAssessment:
    """A doctor's assessment with its counts in one region, every Dessau criterion met."""

    def regions(record: DoctorAssessment) -> None:
        RegionFinding.objects.create(
            assessment=record,
            region="axilla_left",
            nodules=nodules,
            abscesses=abscesses,
            draining_tunnels=tunnels,
            hurley=hurley,
        )

    record = DoctorAssessment(
        patient=patient,
        unit=patient.units.get(),
        date=on,
        weight_kg=80,
        inflammatory_activity="severe",
        typical_lesions=True,
        typical_location=True,
        chronic_relapsing=True,
    )
    return finish(record, user, regions)


def report(patient, user, *, on: date, answer: int, pain: str) -> PatientReport:
    """A patient's report with every DLQI item answered ``answer`` (HISREG code 1-4; item 7
    "not relevant"), so DLQI = 9 × (4 - answer)."""
    items = {f"dlqi_{n}": answer for n in range(1, 11) if n != 7}
    return finish(
        PatientReport(
            patient=patient, unit=patient.units.get(), date=on, dlqi_7=5, vas_total=pain, **items
        ),
        user,
    )


def course(patient, user, *, drug: str, start: date, end: date | None = None, **extra):
    return finish(
        DrugCourse(
            patient=patient, unit=patient.units.get(), drug=drug, date=start, end=end, **extra
        ),
        user,
    )


def complete_screening(patient, user, *, on: date) -> Screening:
    tests = {f"test_{t}": True for t in SCREENING_TESTS}
    return finish(
        Screening(
            patient=patient,
            unit=patient.units.get(),
            date=on,
            igra="negative",
            chest_xray="normal",
            cancer_within_5_years=False,
            heart_failure_nyha=0,
            demyelinating_disease=False,
            pregnant_or_planning=False,
            tb_symptoms=False,
            tb_exposure=False,
            tb_treated_before=False,
            **tests,
        ),
        user,
    )


def eligible_history(patient, user, *, adalimumab_start: date) -> None:
    """An adult with severe HS, a failed doxycycline course, DLQI 18 and a complete screening:
    TX-6 met. The adalimumab course starts on ``adalimumab_start`` (past or planned)."""
    finish(
        MedicalHistory(patient=patient, unit=patient.units.get(), date=ago(300), height_cm=175),
        user,
    )
    course(
        patient,
        user,
        drug="doxycycline",
        start=ago(300),
        end=ago(300) + timedelta(weeks=13),
        stop_reason="inadequate_effect",
    )
    assessment(patient, user, on=ago(150), nodules=4, abscesses=2, tunnels=1)  # IHS4 12, AN 6
    report(patient, user, on=ago(150), answer=2, pain="7.0")  # DLQI 18
    complete_screening(patient, user, on=ago(140))
    course(patient, user, drug="adalimumab", start=adalimumab_start, regimen="weekly_40")


def page(client, patient) -> str:
    response = client.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def element(html: str, element_id: str) -> str:
    """The markup from the element with ``id`` up to the end of the document (enough to search
    in, as each part of the page is followed by others that are searched separately)."""
    start = html.index(f'id="{element_id}"')
    return html[start:]


def section(html: str, element_id: str) -> str:
    """The markup of the `<section>` with ``id`` (one without sections inside it)."""
    match = re.search(rf'<section[^>]*\bid="{element_id}"', html)
    assert match, element_id
    return html[match.start() : html.index("</section>", match.start())]


def criterion_status(html: str, name: str) -> str:
    match = re.search(rf'data-criterion="{name}" data-status="(\w+)"', html)
    assert match, name
    return match.group(1)


def test_eligible_adult_criteria_are_all_met_tx6(client_in, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(20))
    html = page(client_in, patient)
    assert 'id="guideline-panel"' in html
    eligibility = section(html, "eligibility")
    assert 'data-status="eligible"' in eligibility
    for name in ("C0", "C1", "C2", "C3"):
        assert criterion_status(eligibility, name) == "met"
    assert criterion_status(eligibility, "C4") == "met"
    assert eligibility.count('class="badge ok"') >= 5
    assert '<span class="rule">TX-6</span>' in eligibility


def test_missing_screening_leaves_c4_unknown_tx6_sc2(client_in, patient, user):
    """Without a screening form, C4 is unknown and the indication cannot be decided (TX-6)."""
    finish(
        MedicalHistory(patient=patient, unit=patient.units.get(), date=ago(300), height_cm=175),
        user,
    )
    course(
        patient,
        user,
        drug="doxycycline",
        start=ago(300),
        end=ago(200),
        stop_reason="inadequate_effect",
    )
    assessment(patient, user, on=ago(10), nodules=4, abscesses=2, tunnels=1)
    report(patient, user, on=ago(10), answer=2, pain="7.0")
    eligibility = section(page(client_in, patient), "eligibility")
    assert criterion_status(eligibility, "C0") == "met"
    assert criterion_status(eligibility, "C4") == "unknown"
    assert 'data-status="insufficient_data"' in eligibility
    assert 'class="badge unknown"' in eligibility


def test_adalimumab_calendar_dates_run_from_the_course_start_tx7(client_in, patient, user):
    start = ago(20)
    eligible_history(patient, user, adalimumab_start=start)
    calendar = element(page(client_in, patient), "adalimumab-calendar")
    calendar = calendar[: calendar.index("</details>")]
    # adult: 160 mg week 0, 80 mg week 2, then 40 mg every week from week 4 to week 24
    weeks = [0, 2, *range(4, 25)]
    for week in weeks:
        day = (start + timedelta(weeks=week)).isoformat()
        assert f'<tr data-date="{day}"' in calendar, week
    assert calendar.count("<tr data-date=") == len(weeks)
    # the next doses from today are highlighted: week 3 is not a dose, week 4 is the next one
    next_dose = (start + timedelta(weeks=4)).isoformat()
    assert re.search(rf'<li data-date="{next_dose}" data-week="4" class="upcoming"', calendar)


def test_week_12_decision_from_an_assessment_on_day_77_tx9(client_in, patient, user):
    """Baseline AN 6 → AN 2 on day 80 with DLQI 18 → 9: HiSCR and a DLQI fall ≥ 4, continue. The AN reduction is
    shown as the engine rounds it, down to 0.1 (66.6 %)."""
    start = ago(100)
    eligible_history(patient, user, adalimumab_start=start)
    assessment(patient, user, on=start + timedelta(days=80), nodules=2, abscesses=0, tunnels=1)
    report(patient, user, on=start + timedelta(days=80), answer=3, pain="3.0")
    html = page(client_in, patient)
    response = section(html, "response")
    assert 'data-decision="continue"' in response
    assert 'data-value="an-reduction">66,6 %' in response
    assert '<dd data-value="dlqi-fall">9</dd>' in response
    assert '<span class="rule">TX-9</span>' in response


def test_before_day_77_the_evaluation_is_not_due_tx9(client_in, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(20))
    assert 'data-decision="not_due"' in section(page(client_in, patient), "response")


def test_timeline_draws_the_series_and_the_course_bars(client_in, patient, user):
    eligible_history(patient, user, adalimumab_start=TODAY() + timedelta(days=10))
    html = page(client_in, patient)
    chart = element(html, "timeline")
    chart = chart[: chart.index("</svg>")]
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in chart
    assert "aria-label=" in chart
    for key in ("ihs4", "an", "dlqi", "pain"):
        assert f'data-series="{key}"' in chart
    assert re.search(r'data-series="ihs4".*?data-value="12"', chart, re.DOTALL)
    assert re.search(r'data-series="dlqi".*?data-value="18"', chart, re.DOTALL)
    assert '<g class="course" data-drug="Doksysyklin" data-planned="false">' in chart
    assert '<g class="course" data-drug="Adalimumab" data-planned="true">' in chart
    assert 'stroke-dasharray="5 3"' in chart  # the planned course is dashed
    assert "<title>" in chart
    table = element(html, "timeline-data")
    assert "<summary>" in table
    assert "18" in table[: table.index("</details>")]


def test_surgery_is_a_marker_on_the_timeline(client_in, patient, user):
    finish(Intervention(patient=patient, unit=patient.units.get(), date=ago(30), type=1), user)
    chart = element(page(client_in, patient), "timeline")
    assert '<g class="surgeries">' in chart
    assert f'data-date="{ago(30).isoformat()}"' in chart


def test_follow_up_links_for_an_intervention_without_a_control(client_in, patient, user):
    intervention = finish(
        Intervention(patient=patient, unit=patient.units.get(), date=ago(30), type=2), user
    )
    html = page(client_in, patient)
    links = element(html, "follow-up-links")
    assert f"?occasion=3m&amp;intervention={intervention.pk}" in links
    new = reverse("records:new", kwargs={"patient_id": patient.pk, "kind": "patient-report"})
    assert new in links


def test_every_form_kind_has_a_register_link(client_in, patient):
    html = page(client_in, patient)
    for kind in (
        "medical-history",
        "patient-report",
        "doctor-assessment",
        "intervention",
        "drug-course",
        "screening",
        "vaccination",
        "lab-check",
        "adverse-event",
    ):
        url = reverse("records:new", kwargs={"patient_id": patient.pk, "kind": kind})
        assert f'href="{url}"' in html


def test_drafts_link_to_edit_and_finished_forms_to_detail(client_in, patient, user):
    draft = save_record(
        record=MedicalHistory(patient=patient, unit=patient.units.get(), date=ago(3)),
        actor=None,
        finish=False,
    )
    done = assessment(patient, user, on=ago(5), nodules=3, abscesses=1, tunnels=0)
    html = page(client_in, patient)
    edit = reverse(
        "records:edit",
        kwargs={"patient_id": patient.pk, "kind": "medical-history", "record_id": draft.pk},
    )
    detail = reverse(
        "records:detail",
        kwargs={"patient_id": patient.pk, "kind": "doctor-assessment", "record_id": done.pk},
    )
    assert edit in element(html, "drafts")
    forms = section(html, "forms")
    assert detail in forms
    assert "IHS4 <b>5 (moderat)</b>" in forms  # 3 × 1 + 1 × 2
    assert "AN <b>4</b>" in forms


def test_header_shows_the_patient_and_only_unit_names(client_in, patient, unit, other_unit):
    register_patient(
        unit=other_unit,
        national_id=patient.national_id,
        first_name=patient.first_name,
        last_name=patient.last_name,
        care_relationship="shared_care",
    )
    html = page(client_in, patient)
    header = section(html, "patient-header")
    assert f"#{patient.pk}" in header
    assert "Nordmann, Kari" in header
    assert f"{unit.name}, {other_unit.name}" in unescape(header) or (
        f"{other_unit.name}, {unit.name}" in unescape(header)
    )
    assert str(unit.resh_id) not in header


def test_english_page_shows_the_engine_texts_in_english(client_in, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(20))
    url = reverse("patients:detail", args=[patient.pk])
    client_in.post(reverse("set_language"), {"language": "en", "next": url})
    assert client_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = page(client_in, patient)
    assert "The diagnosis is confirmed" in html
    assert "The indication for adalimumab is met" in html
    assert "Diagnosen er bekreftet" not in html
    assert '<html lang="en">' in html


def test_norwegian_is_the_default_language_of_the_engine_texts(client_in, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(20))
    html = page(client_in, patient)
    assert "Diagnosen er bekreftet" in html
    assert "The diagnosis is confirmed" not in html


def test_every_explanation_is_shown_with_its_rule_id(client_in, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(20))
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = unescape(page(client_in, patient))
    evaluation = evaluate(build_case(patient, as_of=TODAY()), today=TODAY())
    for explanation in evaluation.explanations:
        text = explanation.text.en
        if explanation.topic == "biologic_eligibility" and text[:2] in {
            "C0",
            "C1",
            "C2",
            "C3",
            "C4",
        }:
            text = text.split(". ", 1)[1]  # shown as the criterion's reason beside its badge
        assert text in html, explanation
        assert f'<span class="rule">{explanation.rule_id}</span>' in html


def test_another_units_patient_is_not_found(client_in, other_unit):
    stranger = register_patient(
        unit=other_unit, national_id=make_number(7), first_name="Ola", last_name="Utenfor"
    )
    response = client_in.get(reverse("patients:detail", args=[stranger.pk]))
    assert response.status_code == 404


def test_a_patient_without_forms_gets_a_page_with_insufficient_data_dx1(client_in, patient):
    html = page(client_in, patient)
    assert 'data-status="insufficient_data"' in section(html, "diagnosis")
    eligibility = section(html, "eligibility")
    assert criterion_status(eligibility, "C0") == "unmet"  # no tetracycline-class course
    assert criterion_status(eligibility, "C3") == "unknown"  # no DLQI
    assert 'data-status="not_eligible"' in eligibility
    assert 'data-decision="not_on_biologic"' in html
    assert 'id="timeline"' in html
    assert "<svg" not in html
    assert "Ingen ferdigstilte skjemaer ennå" in html  # Norwegian by default


def test_inconsistent_forms_give_a_notice_not_an_error(client_in, patient, user):
    """A course that ends before it starts cannot be evaluated (CaseError): the page says
    which field is wrong and still shows the forms."""
    course(patient, user, drug="doxycycline", start=ago(10), end=ago(20))
    html = page(client_in, patient)
    notice = element(html, "case-problems")
    assert "treatments[0].end" in notice
    assert 'id="eligibility"' not in html
    assert section(html, "forms")


def test_timeline_escapes_every_text():
    chart = timeline.svg(
        timeline.Timeline(
            series=(
                timeline.Series(
                    "x", "<b>&", "#000", timeline.points([(date(2026, 1, 5), 3)]), top=10
                ),
            ),
            courses=(
                timeline.CourseBar('"><script>alert(1)</script>', date(2026, 1, 1), None, False),
            ),
            surgeries=(),
            today=date(2026, 3, 1),
        )
    )
    assert "<script>" not in chart
    assert "<b>&" not in chart
    assert "&lt;b&gt;&amp;" in chart


def test_timeline_axis_spans_first_form_to_today_with_month_ticks():
    chart = timeline.Timeline(
        series=(
            timeline.Series("ihs4", "IHS4", "#000", timeline.points([(date(2025, 6, 10), 5)])),
        ),
        courses=(),
        surgeries=(),
        today=date(2026, 11, 26),
    )
    assert chart.span() == (date(2025, 6, 10), date(2026, 11, 26))
    svg = timeline.svg(chart)
    # 18 months: a tick every 2 months, January labelled with its year
    assert ">jan 2026<" in svg or ">Jan 2026<" in svg
    assert svg.count('text-anchor="middle" fill="#5b6475"') <= timeline.MAX_TICKS
