"""H-resept delegation's steps (TX-6): request, approve, reject, renew, withdraw, each with
its audit row (ids and status only) and its mail to the other side (no patient named)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.delegations.models import Delegation, DelegationStatus
from hsreg.delegations.services import (
    DelegationError,
    approve_delegation,
    reject_delegation,
    renew_delegation,
    request_delegation,
    set_department,
    withdraw_delegation,
)
from hsreg.guideline.dates import add_months
from hsreg.patients.services import register_patient
from tests.registry.conftest import PASSWORD, make_number

from .conftest import actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in English (bokmål is the default language)."""
    with translation.override("en"):
        yield


REASON = "Kari Nordmann has not tried lymecycline"


def assert_no_patient_named(text: str, patient) -> None:
    for value in (patient.first_name, patient.last_name, patient.national_id):
        assert value not in text
    assert patient.birth_date.isoformat() not in text
    assert patient.birth_date.strftime("%d.%m.%Y") not in text


@pytest.mark.usefixtures("leader", "reporter")
def test_a_request_carries_tx6s_summary_audits_and_mails_the_department(
    patient, specialist, doctor, mailoutbox
):
    delegation = request_delegation(
        actor=actor(specialist), patient=patient, drug="adalimumab", site="https://hsreg.test/"
    )
    assert delegation.status == DelegationStatus.PENDING
    assert delegation.department.resh_id == 4203318
    summary = delegation.summary
    assert summary["rule_id"] == "TX-6"
    assert summary["status"] == "not_eligible"  # no tetracycline-class course: C0 not met
    assert summary["criteria"]["C0"]["met"] is False
    assert set(summary["criteria"]) == {"C0", "C1", "C2", "C3", "C4"}
    assert summary["criteria"]["C3"]["met"] is None
    assert summary["screening_missing"]  # SC-1 tests not taken
    row = AuditEvent.objects.get(target=f"delegation {delegation.pk}")
    assert (row.action, row.patient_id) == (Action.CREATE, patient.pk)
    assert row.detail["status"] == "pending"
    assert row.detail["step"] == "request"
    [mail] = list(mailoutbox)
    assert sorted(mail.to) == ["leder@sykehus.test", "lege@sykehus.test"]  # not reporting
    assert f"#{delegation.pk}" in mail.subject
    assert f"https://hsreg.test/delegations/{delegation.pk}/" in mail.body
    assert_no_patient_named(mail.subject + mail.body, patient)


def test_a_duplicate_pending_request_for_the_same_patient_and_drug_is_refused(patient, specialist):
    request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    with pytest.raises(DelegationError, match="already pending"):
        request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    other = request_delegation(actor=actor(specialist), patient=patient, drug="secukinumab")
    assert other.drug == "secukinumab"
    assert Delegation.objects.count() == 2


def test_only_a_private_practice_member_requests_for_its_own_patient(
    patient, specialist, doctor, department, practice
):
    with pytest.raises(DelegationError, match="private practice"):
        request_delegation(actor=actor(doctor), patient=patient, drug="adalimumab")
    stranger = register_patient(
        unit=department, national_id=make_number(21), first_name="Ola", last_name="Hansen"
    )
    with pytest.raises(DelegationError, match="not enrolled"):
        request_delegation(actor=actor(specialist), patient=stranger, drug="adalimumab")
    with pytest.raises(DelegationError, match="biologic"):
        request_delegation(actor=actor(specialist), patient=patient, drug="doxycycline")
    assert not Delegation.objects.exists()


def test_a_region_without_a_department_cannot_request(other_practice):
    user = create_user(username="bodo", password=PASSWORD, units=[other_practice])
    patient = register_patient(
        unit=other_practice, national_id=make_number(33), first_name="Per", last_name="Berg"
    )
    with pytest.raises(DelegationError, match="No department"):
        request_delegation(actor=actor(user), patient=patient, drug="adalimumab")


def test_approve_defaults_to_12_months_audits_and_mails_the_requester(
    patient, specialist, doctor, mailoutbox
):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    mailoutbox.clear()
    approved = approve_delegation(actor=actor(doctor), delegation=delegation)
    today = timezone.localdate()
    assert approved.status == DelegationStatus.APPROVED
    assert (approved.valid_from, approved.valid_until) == (today, add_months(today, 12))
    assert approved.decided_by == doctor
    row = AuditEvent.objects.filter(target=f"delegation {delegation.pk}").latest("pk")
    assert (row.action, row.patient_id, row.detail["step"]) == (
        Action.CHANGE,
        patient.pk,
        "approve",
    )
    [mail] = list(mailoutbox)
    assert mail.to == ["spes@praksis.test"]
    assert_no_patient_named(mail.subject + mail.body, patient)


def test_the_department_may_choose_another_validity(patient, specialist, doctor):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    until = timezone.localdate() + timedelta(days=90)
    approved = approve_delegation(actor=actor(doctor), delegation=delegation, valid_until=until)
    assert approved.valid_until == until
    with pytest.raises(DelegationError, match="already been decided"):
        approve_delegation(actor=actor(doctor), delegation=approved)


def test_a_validity_ending_before_today_is_refused(patient, specialist, doctor):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(DelegationError, match="today or later"):
        approve_delegation(actor=actor(doctor), delegation=delegation, valid_until=yesterday)


def test_reject_needs_a_reason_kept_off_the_audit_log(patient, specialist, doctor, mailoutbox):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    with pytest.raises(DelegationError, match="reason"):
        reject_delegation(actor=actor(doctor), delegation=delegation, reason="  ")
    mailoutbox.clear()
    rejected = reject_delegation(actor=actor(doctor), delegation=delegation, reason=REASON)
    assert (rejected.status, rejected.reject_reason) == (DelegationStatus.REJECTED, REASON)
    rows = AuditEvent.objects.filter(patient_id=patient.pk)
    assert all(REASON not in str(r.detail) and "Nordmann" not in r.target for r in rows)
    [mail] = list(mailoutbox)
    assert mail.to == ["spes@praksis.test"]
    assert REASON not in mail.body  # the reason is read on the page, behind the login


def test_another_regions_department_cannot_decide(patient, specialist, other_department):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    outsider = create_user(username="tromso", password=PASSWORD, units=[other_department])
    with pytest.raises(DelegationError, match="Only the department"):
        approve_delegation(actor=actor(outsider), delegation=delegation)
    with pytest.raises(DelegationError, match="Only the department"):
        reject_delegation(actor=actor(outsider), delegation=delegation, reason="no")
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.PENDING


def test_the_practice_cannot_decide_its_own_request(patient, specialist):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    with pytest.raises(DelegationError):
        approve_delegation(actor=actor(specialist), delegation=delegation)


def test_renewal_before_expiry_links_the_approval_which_stays_valid(
    patient, specialist, doctor, mailoutbox
):
    first = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    ends = timezone.localdate() + timedelta(days=20)
    approve_delegation(actor=actor(doctor), delegation=first, valid_until=ends)
    mailoutbox.clear()
    renewal = renew_delegation(actor=actor(specialist), delegation=first)
    assert (renewal.renews, renewal.status) == (first, DelegationStatus.PENDING)
    assert [m.to for m in mailoutbox] == [["lege@sykehus.test"]]
    first.refresh_from_db()
    assert first.status == DelegationStatus.APPROVED
    assert first.valid_until == ends
    row = AuditEvent.objects.get(target=f"delegation {renewal.pk}")
    assert row.detail["step"] == "renew"
    assert row.detail["renews"] == first.pk
    approved = approve_delegation(actor=actor(doctor), delegation=renewal)
    assert approved.valid_until == add_months(ends, 12)  # follows on from the renewed one


def test_an_expired_or_pending_delegation_is_not_renewed(patient, specialist, doctor):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    with pytest.raises(DelegationError, match="not expired"):
        renew_delegation(actor=actor(specialist), delegation=delegation)
    approve_delegation(actor=actor(doctor), delegation=delegation)
    Delegation.objects.filter(pk=delegation.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    delegation.refresh_from_db()
    with pytest.raises(DelegationError, match="not expired"):
        renew_delegation(actor=actor(specialist), delegation=delegation)


def test_withdraw_by_the_practice_audits_and_mails_the_department(
    patient, specialist, doctor, mailoutbox
):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    with pytest.raises(DelegationError, match="Only the practice"):
        withdraw_delegation(actor=actor(doctor), delegation=delegation)
    mailoutbox.clear()
    withdrawn = withdraw_delegation(actor=actor(specialist), delegation=delegation)
    assert withdrawn.status == DelegationStatus.WITHDRAWN
    assert [m.to for m in mailoutbox] == [["lege@sykehus.test"]]
    row = AuditEvent.objects.filter(target=f"delegation {delegation.pk}").latest("pk")
    assert row.detail["step"] == "withdraw"
    with pytest.raises(DelegationError, match="already been decided"):
        withdraw_delegation(actor=actor(specialist), delegation=delegation)
    # a new request may follow a withdrawn one
    request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")


def test_the_coordinator_sets_a_regions_department_audited(department, other_department):
    coordinator = create_user(username="koord", password=PASSWORD, units=[department])
    set_department(actor=actor(coordinator), region="vest", unit=other_department)
    row = AuditEvent.objects.get(target="regional department vest")
    assert row.detail == {"region": "vest", "unit": other_department.pk}
