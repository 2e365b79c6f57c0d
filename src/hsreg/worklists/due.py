"""What a patient is due for, from the guideline engine's evaluation and the interventions.

Pure functions: the same code serves `refresh_patient` after every write and the bulk seeding
of demo data. Every item names the rule it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hsreg.guideline import CaseError, evaluate
from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.evaluation import Evaluation
from hsreg.guideline.followup import followup_kind, window
from hsreg.guideline.il17_response import ASSESSMENT_WEEK as IL17_ASSESSMENT_WEEK
from hsreg.guideline.response import (
    WEEK_12_DUE_DAY,
    WEEK_12_FROM_DAY,
    WEEK_16_DUE_DAY,
    WEEK_16_FROM_DAY,
    WEEK_24_DUE_DAY,
    WEEK_24_FROM_DAY,
)


@dataclass(frozen=True, slots=True)
class Due:
    kind: str  # a worklists.models.DueKind value
    opens_on: date
    due_on: date
    closes_on: date | None
    rule_id: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class InterventionFacts:
    """What a follow-up item needs to know about one finished intervention."""

    date: date
    surgical: bool
    followed_up: bool


def screening_gaps(evaluation: Evaluation) -> list[str]:
    """What a screening still lacks, as codes the worklist shows in words
    (worklists.labels): ``SC-1:<test>`` for a test not taken, ``SC-2:<field>`` for a history
    item not recorded."""
    screening = evaluation.screening
    return [
        *(f"SC-1:{test}" for test in screening.missing_tests),
        *(f"SC-2:{field.removeprefix('screening.')}" for field in screening.unknown),
    ]


def _screening_item(evaluation: Evaluation, *, planned: date | None) -> Due | None:
    """Incomplete screening (SC-1, SC-2) before a planned biologic, due on its start, or during
    an ongoing one (the course the engine's TX-9 follows), due since its start: overdue."""
    ongoing = evaluation.response.course_start
    if planned is None and ongoing is None:
        return None
    gaps = screening_gaps(evaluation)
    if not gaps:
        return None
    rule_id = "SC-1" if evaluation.screening.missing_tests else "SC-2"
    detail = ",".join(gaps)
    if ongoing is not None:
        return Due("screening", ongoing, ongoing, None, rule_id, detail)
    assert planned is not None  # noqa: S101 - one of the two is set
    return Due("screening", min(evaluation.as_of, planned), planned, None, rule_id, detail)


def from_evaluation(evaluation: Evaluation, *, planned_biologic: date | None) -> list[Due]:
    """Week-12/24 evaluations (TX-9), an IL-17 inhibitor's week-16 evaluation (XB-3), the next
    lab check (LM-1) and incomplete screening before a planned biologic or during an ongoing
    one (SC-1, SC-2)."""
    items: list[Due] = []
    response = evaluation.response
    if response.course_start is not None and response.drug is not None:
        start = response.course_start
        if response.assessment_week == IL17_ASSESSMENT_WEEK:
            # XB-3 has no 12-week extension: once evaluated, nothing more is due
            if response.decision == "not_due":
                items.append(
                    Due(
                        "week16",
                        start + timedelta(days=WEEK_16_FROM_DAY),
                        start + timedelta(days=WEEK_16_DUE_DAY),
                        None,
                        "XB-3",
                        response.drug,
                    )
                )
        elif response.decision == "not_due":
            items.append(
                Due(
                    "week12",
                    start + timedelta(days=WEEK_12_FROM_DAY),
                    start + timedelta(days=WEEK_12_DUE_DAY),
                    None,
                    "TX-9",
                    response.drug,
                )
            )
        elif response.decision == "extend_12_weeks":
            items.append(
                Due(
                    "week24",
                    start + timedelta(days=WEEK_24_FROM_DAY),
                    start + timedelta(days=WEEK_24_DUE_DAY),
                    None,
                    "TX-9",
                    response.drug,
                )
            )
    labs = evaluation.labs
    if labs.next_due is not None and labs.window_start is not None:
        items.append(Due("lab", labs.window_start, labs.next_due, None, "LM-1"))
    screening = _screening_item(evaluation, planned=planned_biologic)
    if screening is not None:
        items.append(screening)
    return items


def from_interventions(interventions: list[InterventionFacts]) -> list[Due]:
    """HISREG's follow-up: 3 months after a medical, 6 after a surgical or combined
    intervention (guideline.followup), until a control is registered for it."""
    items = []
    for i in interventions:
        if i.followed_up:
            continue
        w = window(followup_kind(surgical=i.surgical), i.date)
        kind = "followup6" if w.months == 6 else "followup3"
        midpoint = w.opens + (w.closes - w.opens) // 2
        items.append(Due(kind, w.opens, midpoint, w.closes, "RG-1", i.date.isoformat()))
    return items


def planned_biologic_start(courses: list[tuple[str, date]], as_of: date) -> date | None:
    """The earliest biologic course (drug id, start) starting after ``as_of``."""
    planned = [start for drug, start in courses if DRUGS[drug].biologic and start > as_of]
    return min(planned) if planned else None


def due_items(
    case: dict[str, Any],
    *,
    courses: list[tuple[str, date]],
    interventions: list[InterventionFacts],
    today: date,
) -> list[Due]:
    """Everything a patient is due for on ``today``: the engine's evaluation of their case
    document, their drug courses (drug id, start) and their interventions. Forms that do not
    yet make a consistent case (CaseError) give no guideline items, only follow-ups."""
    items: list[Due] = []
    try:
        evaluation = evaluate(case, today=today)
    except CaseError:
        evaluation = None
    if evaluation is not None:
        planned = planned_biologic_start(courses, today)
        items += from_evaluation(evaluation, planned_biologic=planned)
    return items + from_interventions(interventions)
