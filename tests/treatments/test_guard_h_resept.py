"""TX-6 H-resept in the biologic guard: at a private practice, a biologic course started or
continued without the region's department's valid approval for that patient and drug is a
finding "TX-6: h_resept" (naming H-resept and the department), saved only with the override
and a reason; with a valid approval there is no such finding, nor at a hospital unit."""

from __future__ import annotations

import pytest
from django.utils import translation

from hsreg.delegations.models import Delegation, DelegationStatus
from hsreg.delegations.services import approve_delegation, request_delegation
from hsreg.treatments import guards
from hsreg.treatments.models import DrugCourse
from tests.delegations.conftest import (
    actor,
    department,
    doctor,
    other_department,
    other_practice,
    patient,
    practice,
    specialist,
)
from tests.registry.pages import url
from tests.registry.test_patient_page import ago
from tests.registry.test_safety_guards import eligible, guard_rules, guard_section
from tests.signin import sign_in

__all__ = [
    "department",
    "doctor",
    "other_department",
    "other_practice",
    "patient",
    "practice",
    "specialist",
]

pytestmark = pytest.mark.django_db

REASON = "Approval by telephone; the letter follows"


def h_resept(unit, patient, *, drug="adalimumab", start=None, end=None):
    return guards.h_resept(
        unit=unit, patient_id=patient.pk, drug=drug, start=start or ago(0), end=end, today=ago(0)
    )


def approve(patient, specialist, doctor, *, drug="adalimumab", until=None):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug=drug)
    return approve_delegation(actor=actor(doctor), delegation=delegation, valid_until=until)


def test_a_private_practice_without_approval_has_the_h_resept_finding(practice, patient):
    [finding] = h_resept(practice, patient)
    assert (finding.rule_id, finding.keys) == ("TX-6", ["TX-6:h_resept"])
    assert "H-resept" in finding.text.nb
    assert "H-resept" in finding.text.en
    assert "Hudavdelingen, Haukeland" in finding.text.en  # the region's department


def test_a_valid_approval_for_the_patient_and_drug_removes_it(
    practice, patient, specialist, doctor
):
    approve(patient, specialist, doctor)
    assert h_resept(practice, patient) == []
    assert [f.keys for f in h_resept(practice, patient, drug="secukinumab")] == [["TX-6:h_resept"]]


def test_an_approval_that_ends_before_the_start_does_not_cover_it(
    practice, patient, specialist, doctor
):
    approve(patient, specialist, doctor, until=ago(-10))
    assert h_resept(practice, patient, start=ago(-10)) == []  # its last day
    assert len(h_resept(practice, patient, start=ago(-11))) == 1  # the day after


def test_a_hospital_unit_has_no_h_resept_finding(department, patient):
    assert h_resept(department, patient) == []


def test_an_ended_course_or_another_drug_kind_is_not_checked(practice, patient):
    assert h_resept(practice, patient, start=ago(100), end=ago(0)) == []  # ended today
    assert len(h_resept(practice, patient, start=ago(100), end=ago(-1))) == 1  # ends tomorrow
    assert h_resept(practice, patient, drug="doxycycline") == []


def test_a_stored_h_resept_override_is_described_in_words():
    with translation.override("en"):
        text = guards.describe("TX-6:h_resept")
    assert text.en.startswith("TX-6: H-resept")
    assert text.nb.startswith("TX-6: H-resept")


def start(client, patient, **extra):
    data = {
        "date": ago(0).isoformat(),
        "drug": "adalimumab",
        "regimen": "weekly_40",
        "action": "finish",
        **extra,
    }
    return client.post(url("new", patient, "drug-course"), data)


def test_the_form_stops_a_course_without_approval_and_saves_it_with_the_override(
    patient, specialist
):
    eligible(patient, specialist)
    client = sign_in_en(specialist)
    response = start(client, patient)
    assert response.status_code == 400
    html = response.content.decode()
    assert guard_rules(html) == ["TX-6"]
    assert "H-resept" in guard_section(html)
    assert not DrugCourse.objects.filter(drug="adalimumab").exists()
    saved = start(client, patient, override="on", override_reason=REASON)
    assert saved.status_code == 302
    course = DrugCourse.objects.get(drug="adalimumab")
    assert (course.overridden, course.override_reason) == (["TX-6:h_resept"], REASON)


def test_with_a_valid_approval_the_course_starts_without_a_guard(patient, specialist, doctor):
    eligible(patient, specialist)
    approve(patient, specialist, doctor)
    response = start(sign_in_en(specialist), patient)
    assert response.status_code == 302, guard_rules(response.content.decode())
    assert DrugCourse.objects.get(drug="adalimumab").overridden == []


def test_a_correction_of_a_running_course_after_the_approval_ended_is_stopped(
    patient, specialist, doctor
):
    eligible(patient, specialist)
    delegation = approve(patient, specialist, doctor)
    client = sign_in_en(specialist)
    start(client, patient, date=ago(30).isoformat())
    running = DrugCourse.objects.get(drug="adalimumab")
    Delegation.objects.filter(pk=delegation.pk).update(status=DelegationStatus.WITHDRAWN)
    client.post(url("correct", patient, "drug-course", running), {"reason": "Dose"})
    correction = DrugCourse.objects.get(replaces=running)
    data = {
        "date": ago(30).isoformat(),
        "drug": "adalimumab",
        "regimen": "biweekly_80",
        "action": "finish",
    }
    response = client.post(url("edit", patient, "drug-course", correction), data)
    assert response.status_code == 400
    assert "H-resept" in guard_section(response.content.decode())
    # ended before today: history, no longer treated here, so not stopped
    ended = {**data, "end": ago(1).isoformat(), "stop_reason": "adverse_effect"}
    assert client.post(url("edit", patient, "drug-course", correction), ended).status_code == 302


def sign_in_en(user):
    from django.conf import settings
    from django.test import Client

    client = sign_in(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_finding_names_tx6_and_no_approval_in_the_past_counts(
    practice, patient, specialist, doctor
):
    approve(patient, specialist, doctor, until=ago(-5))
    later = ago(-6)
    assert [f.rule_id for f in h_resept(practice, patient, start=later)] == ["TX-6"]
