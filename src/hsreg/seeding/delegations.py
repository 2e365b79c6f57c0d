"""The demo's H-resept approvals (TX-6): every private practice's biologic course in the
seeded registry was started under an approval of its region's department, as it would have
been in practice, so the course guard (treatments.guards.h_resept) holds for them and the
department's worklist and the delegation report have rows to show.

One approval per patient, practice and drug, decided a week before the first course started,
with TX-6's summary as the engine evaluates the patient on that day. A drug still given today
is covered until a day 1-90 days ahead (by the patient's id), so some fall within the
worklist's 30 days of expiry; an approval for a course that has ended runs its 12 months.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hsreg.delegations.models import Delegation, DelegationStatus
from hsreg.delegations.selectors import department_for
from hsreg.delegations.summary import eligibility_summary
from hsreg.guideline.catalog import BIOLOGICS
from hsreg.guideline.dates import add_months
from hsreg.records.models import Status
from hsreg.treatments.models import DrugCourse
from hsreg.units.models import UnitKind

DECIDED_BEFORE_START = timedelta(days=7)
REQUESTED_BEFORE_DECISION = timedelta(days=3)


def seed_approvals(*, today: date) -> int:
    """Creates the approvals the seeded private practices' biologic courses need (those
    missing); the number created."""
    courses = (
        DrugCourse.objects.filter(
            status=Status.FINISHED, drug__in=BIOLOGICS, unit__kind=UnitKind.PRIVATE
        )
        .select_related("patient", "unit")
        .order_by("patient_id", "unit_id", "drug", "date")
    )
    groups: dict[tuple[int, int, str], list[DrugCourse]] = {}
    for course in courses:
        groups.setdefault((course.patient_id, course.unit_id, course.drug), []).append(course)
    existing = set(
        Delegation.objects.filter(status=DelegationStatus.APPROVED).values_list(
            "patient_id", "practice_id", "drug"
        )
    )
    made = []
    for key, group in groups.items():
        if key in existing:
            continue
        first = group[0]
        department = department_for(region=first.unit.region)
        if department is None:
            continue
        decided = first.date - DECIDED_BEFORE_START
        until = add_months(decided, 12)
        if any(c.end is None or c.end > today for c in group):
            until = max(until, today + timedelta(days=1 + first.patient_id % 90))
        made.append(
            Delegation(
                patient=first.patient,
                practice=first.unit,
                department=department,
                drug=first.drug,
                status=DelegationStatus.APPROVED,
                summary=eligibility_summary(patient=first.patient, on=decided),
                requested_at=timezone.make_aware(datetime.combine(decided, time(9)))
                - REQUESTED_BEFORE_DECISION,
                decided_at=timezone.make_aware(datetime.combine(decided, time(12))),
                valid_from=decided,
                valid_until=until,
            )
        )
    Delegation.objects.bulk_create(made)
    return len(made)
