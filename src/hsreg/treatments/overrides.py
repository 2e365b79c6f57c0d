"""Stored overrides of the clinical-safety guard (treatments.guards) as pages show them: on
the patient page beside the guideline panel, on the course's own page and in the forms list.

Built from courses already read with their ``updated_by`` (patients.history.load_forms reads
the courses with it in the same query), so showing them costs the patient page no query.
Who and when: the user who finished the version that carries the override, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hsreg.guideline.catalog import DRUGS
from hsreg.web.language import pick

from .guards import describe, overridden_rules
from .models import DrugCourse


@dataclass(frozen=True, slots=True)
class Notice:
    course: DrugCourse
    drug: str
    rules: list[str]
    items: list[str]
    reason: str
    by: str
    at: datetime | None


def notice(course: DrugCourse) -> Notice:
    user = course.updated_by
    by = (user.get_full_name() or user.get_username()) if user is not None else ""
    drug = DRUGS.get(course.drug)
    return Notice(
        course=course,
        drug=pick(drug.name) if drug else course.drug,
        rules=overridden_rules(course.overridden),
        items=[pick(describe(key)) for key in course.overridden],
        reason=course.override_reason,
        by=by,
        at=course.finished_at,
    )


def notices(courses: list[DrugCourse]) -> list[Notice]:
    """The finished courses that were started with an override, newest start first."""
    return [notice(c) for c in sorted(courses, key=lambda c: c.date, reverse=True) if c.overridden]
