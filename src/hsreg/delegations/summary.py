"""TX-6's eligibility summary of a patient, as a delegation request carries it.

Read from the guideline engine's evaluation of the patient's finished forms (all units, as
the due items and the course guard read them: patients.case_document.load), as of the day of
the request. The summary holds ids, statuses and the engine's reason texts in both languages,
never a name, national id number or birth date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hsreg.guideline import CaseError, evaluate
from hsreg.guideline.evaluation import Evaluation
from hsreg.patients.case_document import case_from_forms, load
from hsreg.patients.models import Patient


def evaluation_of(*, patient: Patient, on: date) -> Evaluation | None:
    """The engine's evaluation of the patient as of ``on``; None when the forms cannot be
    evaluated (a case error: the summary then says the indication is unknown)."""
    case = case_from_forms(patient, load(patient), as_of=on)
    try:
        return evaluate(case, today=on)
    except CaseError:
        return None


def eligibility_summary(*, patient: Patient, on: date) -> dict[str, Any]:
    """TX-6 as of ``on``: ``status``, each criterion C0-C4 (``met`` true/false/null and its
    ``reason`` {nb, en}), ``screening_missing`` (SC-1 tests not taken, SC-2 items not
    recorded), ``as_of``, ``rule_id`` "TX-6"."""
    evaluation = evaluation_of(patient=patient, on=on)
    if evaluation is None:
        return {
            "rule_id": "TX-6",
            "as_of": on.isoformat(),
            "status": "insufficient_data",
            "criteria": {},
            "screening_missing": [],
            "case_error": True,
        }
    eligibility = evaluation.biologic_eligibility
    screening = evaluation.screening
    return {
        "rule_id": "TX-6",
        "as_of": on.isoformat(),
        "status": eligibility.status,
        "criteria": {
            name: {
                "rule_id": criterion.rule_id,
                "met": criterion.met,
                "reason": {"nb": criterion.reason.nb, "en": criterion.reason.en},
            }
            for name, criterion in eligibility.criteria.items()
        },
        "screening_missing": [
            *(f"SC-1:{test}" for test in screening.missing_tests),
            *(f"SC-2:{item.removeprefix('screening.')}" for item in screening.unknown),
        ],
    }
