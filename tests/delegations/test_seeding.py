"""The demo's H-resept approvals (TX-6): after seeding, every region has its department and
every private practice's biologic course has an approval covering its start (and today, while
it runs), so the guard finds nothing to stop in the seeded registry."""

from __future__ import annotations

from datetime import date

import pytest

from hsreg.delegations.models import Delegation, DelegationStatus, RegionalDepartment
from hsreg.delegations.selectors import valid_approval
from hsreg.guideline.catalog import BIOLOGICS
from hsreg.records.models import Status
from hsreg.seeding.delegations import seed_approvals
from hsreg.seeding.generator import Options, generate
from hsreg.seeding.units import DEPARTMENTS, ensure_units
from hsreg.seeding.writer import write_chunk
from hsreg.treatments import guards
from hsreg.treatments.models import DrugCourse
from hsreg.units.models import UnitKind

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def test_every_region_has_its_department_after_ensure_units():
    ensure_units()
    configured = dict(RegionalDepartment.objects.values_list("region", "unit_id"))
    assert configured == DEPARTMENTS
    ensure_units()  # again: nothing doubled
    assert RegionalDepartment.objects.count() == 4


def test_seeded_private_biologic_courses_have_their_approvals():
    ensure_units()
    write_chunk(list(generate(400, Options(seed=3, today=TODAY))), today=TODAY)
    courses = DrugCourse.objects.filter(
        status=Status.FINISHED, drug__in=BIOLOGICS, unit__kind=UnitKind.PRIVATE
    ).select_related("unit")
    made = seed_approvals(today=TODAY)
    assert made > 0
    assert made == len({(c.patient_id, c.unit_id, c.drug) for c in courses})
    assert seed_approvals(today=TODAY) == 0  # again: nothing doubled
    for course in courses:
        approval = valid_approval(
            patient_id=course.patient_id, practice=course.unit, drug=course.drug, on=course.date
        )
        assert approval is not None
        assert approval.status == DelegationStatus.APPROVED
        assert approval.summary["rule_id"] == "TX-6"
        found = guards.h_resept(
            unit=course.unit,
            patient_id=course.patient_id,
            drug=course.drug,
            start=course.date,
            end=course.end,
            today=TODAY,
        )
        assert found == []
    assert Delegation.objects.filter(requested_by=None).count() == made
