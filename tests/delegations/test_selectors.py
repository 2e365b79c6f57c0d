"""The delegation selectors (TX-6): a valid approval covers its last day and not the next;
the department's worklist lists pending requests and approvals expiring within 30 days (day
30 in, day 31 out) in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsreg.audit.models import Action, AuditEvent
from hsreg.delegations.models import Delegation, DelegationStatus
from hsreg.delegations.selectors import department_worklist, practice_requests, valid_approval
from hsreg.delegations.services import approve_delegation, request_delegation
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number

from .conftest import actor

pytestmark = pytest.mark.django_db


def approved(patient, specialist, doctor, *, until, drug="adalimumab"):
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug=drug)
    return approve_delegation(actor=actor(doctor), delegation=delegation, valid_until=until)


def test_valid_on_the_last_day_not_the_day_after(patient, practice, specialist, doctor):
    today = timezone.localdate()
    last = today + timedelta(days=40)
    delegation = approved(patient, specialist, doctor, until=last)
    found = valid_approval(patient_id=patient.pk, practice=practice, drug="adalimumab", on=last)
    assert found == delegation
    day_after = last + timedelta(days=1)
    assert (
        valid_approval(patient_id=patient.pk, practice=practice, drug="adalimumab", on=day_after)
        is None
    )
    before = today - timedelta(days=1)  # valid from the decision, not before it
    assert (
        valid_approval(patient_id=patient.pk, practice=practice, drug="adalimumab", on=before)
        is None
    )


def test_another_drug_or_practice_is_not_covered(
    patient, practice, other_practice, specialist, doctor
):
    today = timezone.localdate()
    approved(patient, specialist, doctor, until=today + timedelta(days=10))
    assert (
        valid_approval(patient_id=patient.pk, practice=practice, drug="infliximab", on=today)
        is None
    )
    assert (
        valid_approval(patient_id=patient.pk, practice=other_practice, drug="adalimumab", on=today)
        is None
    )


@pytest.mark.parametrize(
    "status", [DelegationStatus.PENDING, DelegationStatus.REJECTED, DelegationStatus.WITHDRAWN]
)
def test_only_an_approval_is_valid(patient, practice, specialist, doctor, status):
    today = timezone.localdate()
    delegation = approved(patient, specialist, doctor, until=today + timedelta(days=10))
    Delegation.objects.filter(pk=delegation.pk).update(status=status)
    assert (
        valid_approval(patient_id=patient.pk, practice=practice, drug="adalimumab", on=today)
        is None
    )


def test_the_worklist_shows_expiry_at_30_days_not_31(patient, practice, specialist, doctor):
    today = timezone.localdate()
    in30 = approved(patient, specialist, doctor, until=today + timedelta(days=30))
    in31 = approved(
        patient, specialist, doctor, until=today + timedelta(days=31), drug="infliximab"
    )
    pending = request_delegation(actor=actor(specialist), patient=patient, drug="secukinumab")
    worklist = department_worklist(actor=actor(doctor), today=today)
    assert worklist.pending == [pending]
    assert worklist.expiring == [in30]
    assert in31 not in worklist.expiring
    # the next day the other one enters the window, and an expired one leaves it
    later = department_worklist(actor=actor(doctor), today=today + timedelta(days=1))
    assert later.expiring == [in30, in31]
    gone = department_worklist(actor=actor(doctor), today=today + timedelta(days=31))
    assert gone.expiring == [in31]
    listed = AuditEvent.objects.filter(action=Action.LIST, target="delegation worklist")
    assert set(listed.values_list("patient_id", flat=True)) == {patient.pk}


def test_another_department_and_the_practice_see_nothing_on_the_worklist(
    patient, specialist, other_department
):
    from hsreg.accounts.services import create_user
    from tests.registry.conftest import PASSWORD

    request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    outsider = create_user(username="tromso", password=PASSWORD, units=[other_department])
    today = timezone.localdate()
    assert department_worklist(actor=actor(outsider), today=today).pending == []
    assert department_worklist(actor=actor(specialist), today=today).pending == []
    assert list(practice_requests(actor=actor(outsider))) == []
    assert len(practice_requests(actor=actor(specialist))) == 1


def worklist_queries(doctor) -> int:
    with CaptureQueriesContext(connection) as queries:
        department_worklist(actor=actor(doctor), today=timezone.localdate())
    return len(queries)


def test_the_worklists_queries_do_not_grow_with_the_requests(practice, specialist, doctor):
    def one_more(n):
        patient = register_patient(
            unit=practice, national_id=make_number(100 + n * 3), first_name="P", last_name=f"N{n}"
        )
        request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")

    one_more(1)
    few = worklist_queries(doctor)
    for n in range(2, 7):
        one_more(n)
    assert worklist_queries(doctor) == few


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("delegations:index"))
    assert response.status_code == 200
    return len(queries)


def test_the_worklist_pages_queries_do_not_grow_with_the_requests(
    practice, specialist, doctor, client_of
):
    def one_more(n):
        patient = register_patient(
            unit=practice, national_id=make_number(200 + n * 3), first_name="P", last_name=f"Q{n}"
        )
        request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")

    one_more(1)
    department, own = client_of(doctor), client_of(specialist)
    page_queries(department)  # the session's first request
    page_queries(own)
    few = page_queries(department), page_queries(own)
    for n in range(2, 7):
        one_more(n)
    assert (page_queries(department), page_queries(own)) == few
