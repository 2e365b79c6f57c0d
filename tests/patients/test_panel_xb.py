"""The guideline panel's part beyond the NFDV guideline (2019), apart from the guideline's own
parts (RULES.md, XB): XB-3's week-16 decision on an IL-17 inhibitor (not in TX-9's part),
XB-4's warning for inflammatory bowel disease (not among the guideline's warnings), the IL-17
inhibitors as options with their funding status and rule ids (XB-1, XB-2, XB-5), and every
biologic among TX-12's options with its funding status; the CDS Hooks card of an XB-3 result
is marked "beyond NFDV"."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings

from hsreg.assessments.models import MedicalHistory, PatientReport
from hsreg.cdshooks.cards import BEYOND, patient_view
from hsreg.patients.history import load_forms
from hsreg.patients.panel import guideline_panel
from hsreg.patients.services import register_patient
from tests.registry.test_cdlqi_form import number_for
from tests.registry.test_patient_page import (
    ago,
    assessment,
    complete_screening,
    course,
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


def eligible(patient, user, *, ibd: bool = False) -> None:
    """An adult meeting TX-6 (failed doxycycline, IHS4 12 / AN 6 and DLQI 18 at baseline,
    complete screening); with ``ibd``, Crohn's disease in the medical history."""
    bowel = {"bowel_disease": 1, "bowel_disease_type": 1} if ibd else {}
    finish(
        MedicalHistory(
            patient=patient, unit=patient.units.get(), date=ago(300), height_cm=175, **bowel
        ),
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
    assessment(patient, user, on=ago(150), nodules=4, abscesses=2, tunnels=1)
    report(patient, user, on=ago(150), answer=2, pain="7.0")
    complete_screening(patient, user, on=ago(140))


def on_il17(patient, user, *, drug: str, start_days_ago: int, **history) -> None:
    eligible(patient, user, **history)
    course(patient, user, drug=drug, start=ago(start_days_ago))


def parts(html: str) -> tuple[str, str]:
    """The part beyond the guideline, and the rest of the panel."""
    panel = html[html.index('id="guideline-panel"') :]
    beyond = section(panel, "beyond-guideline")
    return beyond, panel.replace(beyond, "")


def test_xb3_before_day_105_the_week_16_evaluation_is_not_due_apart_from_tx9(
    english, patient, user
):
    on_il17(patient, user, drug="bimekizumab", start_days_ago=100)
    html = unescape(page(english, patient))
    beyond, _rest = parts(html)
    xb3 = beyond[beyond.index('data-part="il17-response"') :]
    assert 'data-decision="not_due"' in xb3
    assert "Response on Bimekizumab: the week-16 evaluation" in xb3
    assert '<span class="rule">XB-3</span>' in xb3
    assert "Not due yet" in xb3
    response = section(html, "response")
    assert 'data-decision="xb3"' in response
    assert "XB-3" not in response
    assert "week-16 evaluation is shown apart" in response
    assert "Not due yet" not in response  # TX-9's part shows no decision for an IL-17 course


def test_xb3_an_assessment_on_day_105_without_an_reduction_is_consider_stopping(
    english, patient, user
):
    on_il17(patient, user, drug="secukinumab", start_days_ago=110)
    assessment(patient, user, on=ago(5), nodules=4, abscesses=2, tunnels=1)  # day 105, AN 6
    html = unescape(page(english, patient))
    beyond, rest = parts(html)
    xb3 = beyond[beyond.index('data-part="il17-response"') :]
    assert 'data-decision="stop"' in xb3
    assert "Consider stopping" in xb3
    assert "Week 16" in xb3
    assert 'data-value="an-reduction">0.0 %' in xb3
    assert "Consider stopping" not in rest
    assert not re.search(r"\bXB-3\b", rest)


def test_xb3_hiscr_and_a_dlqi_fall_of_4_is_continue(english, patient, user):
    on_il17(patient, user, drug="secukinumab", start_days_ago=110)
    assessment(patient, user, on=ago(5), nodules=1, abscesses=0, tunnels=1)  # AN 6 → 1
    report(patient, user, on=ago(5), answer=3, pain="2.0")  # DLQI 18 → 9
    beyond, _rest = parts(unescape(page(english, patient)))
    assert 'data-part="il17-response" data-decision="continue"' in beyond
    assert ">Continue<" in beyond


def test_xb4_ibd_on_an_il17_course_is_warned_beyond_the_guideline_only(english, patient, user):
    on_il17(patient, user, drug="secukinumab", start_days_ago=30, ibd=True)
    html = unescape(page(english, patient))
    beyond, rest = parts(html)
    warning = re.search(r'<p class="warning" data-part="ibd-il17"[^>]*>(.*?)</p>', beyond, re.S)
    assert warning
    assert "XB-4" in warning.group(1)
    assert "inflammatory bowel disease" in warning.group(1)
    assert "beyond the NFDV guideline (2019)" in warning.group(1)
    assert "inflammatory bowel disease and an IL-17" not in rest
    if 'id="guideline-warnings"' in html:
        assert "XB-4" not in section(html, "guideline-warnings")


def test_xb5_the_il17_options_with_their_funding_status_and_rule_ids(english, patient, user):
    eligible(patient, user)  # TX-6 met, no biologic yet
    html = unescape(page(english, patient))
    beyond, _rest = parts(html)
    options = beyond[beyond.index('data-part="options"') :]
    for drug, rule in (("secukinumab", "XB-1"), ("bimekizumab", "XB-2")):
        item = re.search(rf'<li data-drug="{drug}">(.*?)</li>', options, re.S)
        assert item, drug
        assert f'<span class="rule">{rule}</span>' in item.group(1)
        assert '<span class="rule">XB-5</span>' in item.group(1)
        assert 'data-funding="not_approved">not approved for HS (Nye metoder)<' in item.group(1)
    # never among the guideline's own options (TX-12) ...
    recommendation = section(html, "recommendation")
    assert "Secukinumab" not in recommendation
    assert "Bimekizumab" not in recommendation
    # ... where the guideline's biologic carries its funding status too (XB-5)
    adalimumab = re.search(r'<span data-option="adalimumab">(.*?)</span></span>', recommendation)
    assert adalimumab
    assert 'data-funding="approved"' in adalimumab.group(1)
    assert "approved for HS in the specialist health service" in adalimumab.group(1)


def test_xb_options_are_not_offered_without_the_indication(english, patient, user):
    assessment(patient, user, on=ago(10), nodules=1, abscesses=0, tunnels=0)
    html = unescape(page(english, patient))
    assert 'data-part="options"' not in html
    assert 'data-part="il17-response"' not in html


def test_an_adalimumab_course_keeps_tx9_in_its_own_part(english, patient, user):
    eligible(patient, user)
    course(patient, user, drug="adalimumab", start=ago(100), regimen="weekly_40")
    html = unescape(page(english, patient))
    response = section(html, "response")
    assert 'data-decision="not_due"' in response
    assert 'data-due="overdue"' in response
    assert 'data-part="il17-response"' not in html


def test_the_cds_hooks_card_of_an_overdue_xb3_evaluation_is_marked_beyond_nfdv(patient, user):
    on_il17(patient, user, drug="bimekizumab", start_days_ago=120)  # day 120 > 112: overdue
    panel, problems = guideline_panel(patient, load_forms(patient), today=ago(0))
    assert panel is not None, problems
    cards = patient_view(panel, patient_id=patient.pk)
    xb3 = [c for c in cards if c.rule_ids == ("XB-3",)]
    assert len(xb3) == 1
    assert xb3[0].as_json("x")["source"]["label"] == BEYOND
    assert xb3[0].indicator == "warning"
    assert not [c for c in cards if c.rule_ids == ("TX-9",)]


def test_the_cds_hooks_card_of_an_xb3_stop_is_marked_beyond_nfdv(patient, user):
    on_il17(patient, user, drug="secukinumab", start_days_ago=110)
    assessment(patient, user, on=ago(5), nodules=4, abscesses=2, tunnels=1)
    panel, _problems = guideline_panel(patient, load_forms(patient), today=ago(0))
    assert panel is not None
    (card,) = [c for c in patient_view(panel, patient_id=patient.pk) if c.rule_ids == ("XB-3",)]
    assert card.as_json("x")["source"]["label"] == BEYOND
    assert card.summary.startswith("XB-3:")


# --- XB-6: C3 under 16 reads the CDLQI ----------------------------------------------------------


@pytest.fixture
def child(unit):
    """A patient of 14 today: the CDLQI (XB-6)."""
    today = ago(0)
    born = today.replace(year=today.year - 14) - timedelta(days=30)
    return register_patient(
        unit=unit, national_id=number_for(born, 3), first_name="Ola", last_name="Ung"
    )


def cdlqi_report(patient, *, total: int) -> PatientReport:
    """A CDLQI of ``total`` (≤ 15): items 1-5 answered, 3 points each at most."""
    codes = {f"dlqi_{n}": 4 for n in (1, 2, 3, 4, 5, 6, 8, 9, 10)}  # 0 points each
    for n in (1, 2, 3, 4, 5):
        points = min(3, total)
        codes[f"dlqi_{n}"] = 4 - points
        total -= points
    return finish(
        PatientReport(
            patient=patient,
            unit=patient.units.get(),
            date=ago(2),
            dlqi_instrument="cdlqi",
            cdlqi_7_period=1,
            cdlqi_7=4,
            **codes,
        ),
        None,
    )


@pytest.mark.parametrize(("total", "status"), [(12, "unmet"), (13, "met")])
def test_xb6_under_16_c3_reads_the_cdlqi_from_13(english, child, user, total, status):
    assessment(child, user, on=ago(2), nodules=4, abscesses=2, tunnels=1)
    cdlqi_report(child, total=total)
    html = unescape(page(english, child))
    beyond, _rest = parts(html)
    part = re.search(
        r'<div class="score" data-part="cdlqi" data-status="(\w+)">(.*?)</div>', beyond
    )
    assert part
    assert part.group(1) == status
    assert f'data-value="cdlqi">{total}<' in part.group(2)
    assert "C3 under 16: CDLQI ≥ 13" in part.group(2)
    band = "moderate effect" if total == 12 else "very large effect"
    assert band in part.group(2).lower()
    assert re.search(rf'data-criterion="C3" data-status="{status}"', html)
    measures = section(html, "measures")
    assert 'data-instrument="cdlqi"' in measures
    assert "DLQI ≥ 11" not in section(html, "eligibility")


def test_xb6_an_adult_has_no_cdlqi_part(english, patient, user):
    eligible(patient, user)
    html = unescape(page(english, patient))
    assert 'data-part="cdlqi"' not in html
    assert 'data-instrument="dlqi"' in section(html, "measures")


def test_xb2_the_il17_courses_dosing_calendar_is_in_the_part_beyond_the_guideline(
    english, patient, user
):
    on_il17(patient, user, drug="bimekizumab", start_days_ago=30)
    beyond, rest = parts(unescape(page(english, patient)))
    calendar = beyond[beyond.index('data-part="il17-regimen"') :]
    assert 'id="regimen-calendar-bimekizumab"' in calendar
    assert 'data-rule="XB-2"' in calendar
    assert calendar.count('data-part="induction"') == 1
    start = ago(30)
    for week in (0, 2, 14):  # XB-2: 320 mg every 2 weeks to week 14, then every 4 from 16
        assert (
            f'data-date="{start + timedelta(weeks=week):%Y-%m-%d}" data-week="{week}"' in calendar
        )
    assert f'data-date="{start + timedelta(weeks=16):%Y-%m-%d}" data-week="16"' in calendar
    assert "regimen-calendar" not in rest


def test_xb1_both_maintenance_options_of_secukinumab_are_in_the_calendar(english, patient, user):
    on_il17(patient, user, drug="secukinumab", start_days_ago=10)
    beyond, _rest = parts(unescape(page(english, patient)))
    assert 'data-rule="XB-1"' in beyond
    assert 'data-every-weeks="4"' in beyond
    assert 'data-every-weeks="2"' in beyond
