"""Delegated courses per region and practice (TX-6 H-resept): biologic courses started at a
private practice in the year, with and without a valid approval on their start date; counts
of 1-4 hidden from the public as on the other administrative tables."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.delegations.services import approve_delegation, request_delegation
from hsreg.patients.services import register_patient
from hsreg.reports.delegated import delegated_counts, delegated_tables
from hsreg.reports.distributions.protect import Reader
from hsreg.treatments.models import DrugCourse
from tests.registry.conftest import PASSWORD, make_number
from tests.registry.test_patient_page import finish

from .conftest import actor

pytestmark = pytest.mark.django_db


def course(patient, unit, *, start, drug="adalimumab"):
    return finish(DrugCourse(patient=patient, unit=unit, drug=drug, date=start), None)


@pytest.fixture
def courses(practice, department, patient, specialist, doctor):
    """At the practice: 1 adalimumab course with the approval covering its start, 1 infliximab
    course without, 1 started before the approval; at the hospital: 1 (not counted)."""
    today = timezone.localdate()
    delegation = request_delegation(actor=actor(specialist), patient=patient, drug="adalimumab")
    approve_delegation(actor=actor(doctor), delegation=delegation)
    course(patient, practice, start=today)
    course(patient, practice, start=today, drug="infliximab")
    course(patient, practice, start=today - timedelta(days=1), drug="adalimumab")
    own = register_patient(
        unit=department, national_id=make_number(60), first_name="Ola", last_name="Dahl"
    )
    course(own, department, start=today)
    return today


def test_counts_per_region_and_practice_with_and_without_approval(courses, practice):
    counts, names = delegated_counts(year=courses.year, as_of=courses)
    assert counts == {"vest": {practice.pk: [3, 1, 2]}}  # the hospital's course not counted
    assert names == {practice.pk: "Bergen Hudlegekontor"}


def test_the_coordinator_sees_exact_counts_the_public_small_counts_hidden(courses, practice):
    [exact] = delegated_tables(year=courses.year, as_of=courses, reader=Reader(exact=True))
    assert exact.id == "delegated-vest"
    assert [r.values for r in exact.rows] == [[3, 1, 2], [3, 1, 2]]
    [public] = delegated_tables(year=courses.year, as_of=courses)
    assert public.rows[0].values == [None, None, None]  # 1-4: hidden
    [own] = delegated_tables(year=courses.year, as_of=courses, reader=Reader(own=practice.pk))
    assert own.rows[0].values == [3, 1, 2]  # the practice's own row exact


def test_the_report_page_lists_the_region(courses, department, client_of):
    coordinator = create_user(
        username="koord", password=PASSWORD, units=[department], role=Role.COORDINATOR
    )
    page = client_of(coordinator).get(reverse("reports:delegations"), {"year": courses.year})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="table-delegated-vest"' in html
    assert "Bergen Hudlegekontor" in html
