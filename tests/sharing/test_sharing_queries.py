"""The sharing checks cost a fixed number of queries (issue 11): the patient page of a shared
patient, with and without consent, does not grow with the other unit's history, and the unit
leader's review (their unit's rows or rows about their patients) stays one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hsreg.assessments.models import DoctorAssessment
from hsreg.audit.models import Action, AuditEvent
from hsreg.records.services import save_record

pytestmark = pytest.mark.django_db
AUDIT_INSERT = 'INSERT INTO "audit_auditevent"'


def reads(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return sum(not q["sql"].startswith(AUDIT_INSERT) for q in context.captured_queries)


def more_history(patient, unit, n: int) -> None:
    for i in range(n):
        save_record(
            record=DoctorAssessment(
                patient=patient,
                unit=unit,
                date=patient.b_forms["assessment"].date - timedelta(days=i + 1),
                nodules=i,
                abscesses=0,
                draining_tunnels=0,
            ),
            actor=None,
            finish=True,
        )


@pytest.mark.parametrize("consent", [False, True], ids=["without-consent", "with-consent"])
def test_a_shared_patients_page_does_not_grow_with_the_other_units_history(
    a_client, enrolled, other_unit, consent
):
    if consent:
        a_client.post(
            reverse("patients:consent", kwargs={"patient_id": enrolled.pk}),
            {"reason": "samtykke", "confirm": "on"},
        )
    url = reverse("patients:detail", kwargs={"patient_id": enrolled.pk})
    a_client.get(url)  # the session's first request writes it
    short = reads(a_client, url)
    more_history(enrolled, other_unit, 6)
    assert reads(a_client, url) == short


def test_the_unit_leaders_review_is_one_read_whatever_the_number_of_patients(
    b_leader_client, b_leader, enrolled, other_unit
):
    url = reverse("audit:events")
    b_leader_client.get(url)
    few = reads(b_leader_client, url)
    AuditEvent.objects.bulk_create(
        AuditEvent(unit_id=None, patient_id=enrolled.pk, action=Action.READ) for _ in range(60)
    )
    many = reads(b_leader_client, url)
    assert few == many
    with CaptureQueriesContext(connection) as context:
        b_leader_client.get(url)
    selects = [q["sql"] for q in context.captured_queries if 'FROM "audit_auditevent"' in q["sql"]]
    assert len(selects) == 1
    assert "patients_enrolment" in selects[0]  # the unit's patients as a subquery
