"""HiSCR of each doctor's assessment against its episode's baseline, as the engine says it
(MO-2, MO-3, XS-1): no formula here.

For an assessment on day D the engine is given the patient's case as of D (the forms the
reader may see, patients.case_document), resolves it, and finds the MO-2 baseline (the latest
assessment on or before the start of the most recent biologic, else systemic, course; else the
first assessment). When the assessment is the comparison visit after that baseline and the
baseline's AN count is not 0, the engine's HiSCR verdict is the assessment's; otherwise the
engine cannot say, and no HiSCR Observation is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hsreg.assessments.models import DoctorAssessment, RegionFinding
from hsreg.guideline import CaseError, parse_case
from hsreg.guideline.history import resolve
from hsreg.guideline.monitoring import baseline, current_biologic, hiscr
from hsreg.patients.case_document import PatientForms, case_assessments, case_from_forms
from hsreg.patients.models import Patient
from hsreg.records.models import Status
from hsreg.treatments.models import DrugCourse


@dataclass(frozen=True, slots=True)
class HiscrVerdict:
    achieved: bool
    baseline_date: date
    basis: str


def hiscr_of_assessments(
    patient: Patient,
    *,
    assessments: Sequence[DoctorAssessment],
    regions: dict[int, list[RegionFinding]],
    courses: Sequence[DrugCourse],
) -> dict[int, HiscrVerdict]:
    """Assessment pk -> the engine's HiSCR of that assessment, where the engine can say.
    ``assessments`` and ``courses`` are the patient's forms the reader sees (no query here)."""
    finished = sorted(
        (a for a in assessments if a.status == Status.FINISHED), key=lambda a: (a.date, a.pk)
    )
    if len(finished) < 2:
        return {}
    forms = PatientForms(
        assessments=finished,
        regions=regions,
        reports=[],
        histories=[],
        courses=sorted(
            (c for c in courses if c.status == Status.FINISHED), key=lambda c: (c.date, c.pk)
        ),
        screenings=[],
        vaccinations=[],
        labs=[],
    )
    verdicts: dict[int, HiscrVerdict] = {}
    for assessment in case_assessments(forms, as_of=date.max):
        verdict = _verdict(patient, forms, assessment.date)
        if verdict is not None:
            verdicts[assessment.pk] = verdict
    return verdicts


def _verdict(patient: Patient, forms: PatientForms, day: date) -> HiscrVerdict | None:
    try:
        history = resolve(parse_case(case_from_forms(patient, forms, as_of=day)), day)
    except CaseError:
        return None
    base = baseline(history)
    if base.follow_up is None or base.follow_up.date != day:
        return None
    result = hiscr(base, on_biologic=current_biologic(history) is not None)
    if result.achieved is None or result.baseline_date is None:
        return None
    return HiscrVerdict(result.achieved, result.baseline_date, str(result.baseline_basis))
