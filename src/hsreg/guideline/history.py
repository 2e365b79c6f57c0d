"""A case document resolved into the patient's history, as the rules read it.

Resolving does once what every rule would otherwise repeat: derive totals and the worst Hurley
stage from body regions (ST-1), score the DLQI items (MO-1a), sort visits and courses by date,
and look drugs up in the catalog. It is also where fields are checked against each other
(RG-3: the registry computes every sum itself, so sums that disagree are an error).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from . import scores
from .case import Assessment, Case, Diagnosis, MedicalHistory, Patient, Region, Screening
from .catalog import DEFAULT_FUNDING, DRUGS, Drug, FundingStatus
from .dates import age_in_years
from .problems import CaseError, Problem

_COUNTS = ("nodules", "abscesses", "draining_tunnels")
QualityOfLife = Literal["dlqi", "cdlqi"]


@dataclass(frozen=True, slots=True)
class Visit:
    """One assessment with its totals resolved; `index` is its place in the case document.

    `dlqi` holds the quality-of-life total of the instrument that applies at the patient's age
    on the assessment date (XB-6): the CDLQI under 16 years (`instrument` ``cdlqi``), else the
    DLQI (MO-1a)."""

    index: int
    date: date
    lesions: scores.Lesions
    hurley: int | None
    inflammatory_activity: str | None
    dlqi: int | None
    pain_vas: float | None
    non_inflammatory_nodules: int | None
    regions: tuple[Region, ...]
    instrument: QualityOfLife = "dlqi"

    def path(self, field: str) -> str:
        return f"assessments[{self.index}].{field}"


@dataclass(frozen=True, slots=True)
class Course:
    """One treatment course. It has ended on its end date; before its start it is planned."""

    index: int
    drug: Drug
    start: date
    end: date | None
    stop_reason: str | None
    regimen: str | None

    def path(self, field: str) -> str:
        return f"treatments[{self.index}].{field}"

    def started_by(self, day: date) -> bool:
        return self.start <= day

    def ended_by(self, day: date) -> bool:
        return self.end is not None and self.end <= day

    def ongoing_on(self, day: date) -> bool:
        return self.started_by(day) and not self.ended_by(day)


@dataclass(frozen=True, slots=True)
class Dose:
    """One vaccination given."""

    index: int
    vaccine: str
    date: date
    live: bool | None

    def path(self, field: str) -> str:
        return f"vaccinations[{self.index}].{field}"


@dataclass(frozen=True, slots=True)
class History:
    as_of: date
    patient: Patient
    age: int
    diagnosis: Diagnosis
    visits: tuple[Visit, ...]
    courses: tuple[Course, ...]
    screening: Screening
    doses: tuple[Dose, ...]
    lab_checks: tuple[date, ...]
    medical_history: MedicalHistory
    #: XB-5: each biologic's funding status, the catalog's default overridden by the case's
    funding: dict[str, FundingStatus]

    @property
    def latest_visit(self) -> Visit | None:
        return self.visits[-1] if self.visits else None


def resolve(case: Case, today: date) -> History:
    """The case's history as of ``case.as_of`` (default ``today``); `CaseError` if inconsistent."""
    as_of = case.as_of or today
    problems: list[Problem] = []
    if case.patient.birth_date > as_of:
        problems.append(Problem("patient.birth_date", "must not be after as_of"))

    visits = []
    dated: dict[date, int] = {}
    for index, assessment in enumerate(case.assessments):
        visit = _visit(index, assessment, problems, birth_date=case.patient.birth_date)
        if assessment.date > as_of:
            problems.append(Problem(visit.path("date"), "must not be after as_of"))
        if assessment.date in dated:
            # Which of two same-day assessments is the latest would depend on their order.
            other = f"assessments[{dated[assessment.date]}]"
            problems.append(Problem(visit.path("date"), f"is the date of {other} too"))
        dated.setdefault(assessment.date, index)
        visits.append(visit)

    courses = []
    for index, treatment in enumerate(case.treatments):
        course = Course(
            index=index,
            drug=DRUGS[treatment.drug],
            start=treatment.start,
            end=treatment.end,
            stop_reason=treatment.stop_reason,
            regimen=treatment.regimen,
        )
        if course.end is not None and course.end < course.start:
            problems.append(Problem(course.path("end"), "must not be before start"))
        if course.stop_reason is not None and course.end is None:
            problems.append(Problem(course.path("stop_reason"), "needs an end date"))
        if course.regimen is not None and course.drug.id != "adalimumab":
            problems.append(Problem(course.path("regimen"), "applies to adalimumab only"))
        courses.append(course)

    doses = [Dose(index, v.vaccine, v.date, v.live) for index, v in enumerate(case.vaccinations)]
    problems += [
        Problem(dose.path("date"), "must not be after as_of") for dose in doses if dose.date > as_of
    ]
    problems += [
        Problem(f"lab_checks[{index}]", "must not be after as_of")
        for index, checked in enumerate(case.lab_checks)
        if checked > as_of
    ]
    if problems:
        raise CaseError(problems)
    return History(
        as_of=as_of,
        patient=case.patient,
        age=age_in_years(case.patient.birth_date, as_of),
        diagnosis=case.diagnosis,
        visits=tuple(sorted(visits, key=lambda v: v.date)),
        courses=tuple(sorted(courses, key=lambda c: c.start)),
        screening=case.screening,
        doses=tuple(sorted(doses, key=lambda dose: dose.date)),
        lab_checks=tuple(sorted(case.lab_checks)),
        medical_history=case.medical_history,
        funding={**DEFAULT_FUNDING, **case.funding_status},
    )


def _visit(
    index: int, assessment: Assessment, problems: list[Problem], *, birth_date: date
) -> Visit:
    where = f"assessments[{index}]"
    # XB-6: under 16 on the assessment date the DLQI fields hold the children's DLQI (an
    # assessment dated before the birth date counts as age 0, the children's instrument).
    instrument = scores.quality_of_life_instrument(
        max(0, age_in_years(birth_date, assessment.date))
    )
    counts: dict[str, int] = {}
    hurley = assessment.hurley
    if assessment.regions:
        seen: set[str] = set()
        for number, region in enumerate(assessment.regions):
            if region.region in seen:
                problems.append(
                    Problem(f"{where}.regions[{number}].region", "appears more than once")
                )
            seen.add(region.region)
        for field in _COUNTS:
            total = sum(getattr(region, field) for region in assessment.regions)
            given = getattr(assessment, field)
            if given is not None and given != total:
                problems.append(
                    Problem(f"{where}.{field}", f"must equal the sum over the regions ({total})")
                )
            counts[field] = total
        stages = [r.hurley for r in assessment.regions if r.hurley is not None]
        if stages:
            worst = max(stages)
            if hurley is not None and hurley != worst:
                problems.append(
                    Problem(f"{where}.hurley", f"must equal the worst region's stage ({worst})")
                )
            hurley = worst
    else:
        for field in _COUNTS:
            given = getattr(assessment, field)
            if given is None:
                problems.append(
                    Problem(f"{where}.{field}", "is required when no regions are given")
                )
            counts[field] = given or 0

    dlqi = assessment.dlqi
    if assessment.dlqi_items is not None:
        total = scores.cdlqi_total if instrument == "cdlqi" else scores.dlqi_total
        from_items = total(assessment.dlqi_items)
        if dlqi is not None and dlqi != from_items:
            shown = "not scored" if from_items is None else str(from_items)
            problems.append(
                Problem(f"{where}.dlqi", f"must equal the total of dlqi_items ({shown})")
            )
        dlqi = from_items

    return Visit(
        index=index,
        date=assessment.date,
        lesions=scores.Lesions(**counts),
        hurley=hurley,
        inflammatory_activity=assessment.inflammatory_activity,
        dlqi=dlqi,
        pain_vas=assessment.pain_vas,
        non_inflammatory_nodules=assessment.non_inflammatory_nodules,
        regions=assessment.regions,
        instrument=instrument,
    )
