"""Pages read a fixed number of row sets: the count of SQL queries must not grow with the
number of patients in the unit (10 or 200), nor with the length of one patient's history.

Each test counts the queries of the same request before and after the unit grows, and
compares the two counts with each other, not with a number that would break with every
harmless change to a page.

The audit rows of a list page (one per patient shown, hsreg.audit) are one insert on
PostgreSQL; SQLite splits a bulk insert into batches of 999 parameters, so their number follows
the length of the page (at most its page size), not the size of the unit. They are counted
apart from the reads.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.client import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsreg.patients.models import Enrolment, Patient
from hsreg.units.models import Unit
from hsreg.worklists.models import DueItem, DueKind

from .conftest import make_number
from .test_patient_page import ago, assessment, eligible_history, report

pytestmark = pytest.mark.django_db

FEW, MANY = 10, 200
FIRST_BORN = date(1960, 1, 1)  # apart from the fixtures' patients, so id numbers never clash


def add_patients(unit: Unit, *, start: int, count: int) -> list[Patient]:
    """``count`` patients enrolled at ``unit``, written in two bulk queries, each with a due
    item on every worklist (evaluations, labs, follow-ups, screening) open today."""
    patients = Patient.objects.bulk_create(
        Patient(
            national_id=make_number(n, FIRST_BORN + timedelta(days=n)),
            first_name=f"Test{n}",
            last_name="Hansen",
            birth_date=FIRST_BORN + timedelta(days=n),
            sex="female",
        )
        for n in range(start, start + count)
    )
    Enrolment.objects.bulk_create(Enrolment(patient=p, unit=unit) for p in patients)
    today = timezone.localdate()
    DueItem.objects.bulk_create(
        DueItem(
            patient=p,
            kind=kind,
            opens_on=today - timedelta(days=7),
            due_on=today + timedelta(days=n % 20 - 10),
            rule_id="TX-9",
        )
        for n, p in enumerate(patients)
        for kind in (DueKind.WEEK_12, DueKind.LAB, DueKind.FOLLOWUP_3, DueKind.SCREENING)
    )
    return patients


AUDIT_INSERT = 'INSERT INTO "audit_auditevent"'


def count_queries(client: Client, url: str) -> int:
    """The queries of one request, the audit log's inserts left out (see the docstring)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return sum(not q["sql"].startswith(AUDIT_INSERT) for q in context.captured_queries)


def few_and_many(client: Client, unit: Unit, url: str) -> tuple[int, int]:
    """The queries of ``url`` with 10 and then with 200 patients in the unit."""
    first = add_patients(unit, start=0, count=FEW)
    client.get(url)  # anything cached per process (sessions, content types) is read once
    few = count_queries(client, url)
    add_patients(unit, start=FEW, count=MANY - FEW)
    many = count_queries(client, url)
    assert first  # the unit really had patients the first time
    return few, many


def test_patient_page_queries_do_not_grow_with_the_unit(client_in, unit, patient, user):
    eligible_history(patient, user, adalimumab_start=ago(100))
    url = reverse("patients:detail", args=[patient.pk])
    few, many = few_and_many(client_in, unit, url)
    assert few == many


def test_patient_page_queries_do_not_grow_with_the_history(client_in, unit, patient, user):
    """One assessment or many, one course or several: one query per form model."""
    assessment(patient, user, on=ago(400), nodules=3, abscesses=1, tunnels=0)
    report(patient, user, on=ago(400), answer=3, pain="4.0")
    url = reverse("patients:detail", args=[patient.pk])
    client_in.get(url)
    short = count_queries(client_in, url)
    eligible_history(patient, user, adalimumab_start=ago(100))
    for weeks in (4, 8, 12):
        on = ago(100) + timedelta(weeks=weeks)
        assessment(patient, user, on=on, nodules=3, abscesses=1, tunnels=1)
        report(patient, user, on=on, answer=3, pain="3.5")
    long = count_queries(client_in, url)
    assert short == long


@pytest.mark.parametrize(
    "query",
    ["", "Hansen", "Test1 Hansen", "#1", "national-id"],
    ids=["empty", "name", "two-words", "registry-id", "id-number"],
)
def test_patient_search_queries_do_not_grow_with_the_unit(client_in, unit, patient, query):
    if query == "national-id":
        query = patient.national_id
    url = reverse("patients:search") + "?" + urlencode({"q": query})
    few, many = few_and_many(client_in, unit, url)
    assert few == many


@pytest.mark.parametrize("name", ["evaluations", "labs", "followups", "screening"])
def test_worklist_queries_do_not_grow_with_the_unit(client_in, unit, name):
    url = reverse("worklists:list", args=[name])
    few, many = few_and_many(client_in, unit, url)
    assert few == many


def test_worklist_index_queries_do_not_grow_with_the_unit(client_in, unit):
    few, many = few_and_many(client_in, unit, reverse("worklists:index"))
    assert few == many


def test_the_lists_really_show_the_patients(client_in, unit):
    """The counts above compare pages that list the patients, not two empty pages."""
    add_patients(unit, start=0, count=FEW)
    html = client_in.get(reverse("worklists:list", args=["labs"])).content.decode()
    assert html.count("Hansen, Test") == FEW
    html = client_in.get(reverse("patients:search") + "?q=Hansen").content.decode()
    assert html.count("Hansen, Test") == FEW
