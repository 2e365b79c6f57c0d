"""Case documents for tests: a plain adult patient, and the pieces tests vary."""

from __future__ import annotations

import copy
from typing import Any

from hsreg.guideline import Evaluation, evaluate
from hsreg.guideline.case import SCREENING_TESTS

AS_OF = "2026-06-01"
CLEAR_SCREENING: dict[str, Any] = {
    "tests_done": list(SCREENING_TESTS),
    "igra": "negative",
    "chest_xray": "normal",
    "hiv": "negative",
    "hepatitis_b": "negative",
    "hepatitis_c": "negative",
    "blood_tests": "normal",
    "urine_dipstick": "normal",
    "cancer_within_5_years": False,
    "demyelinating_disease": False,
    "pregnant_or_planning": False,
    "tb_symptoms": False,
    "tb_exposure": False,
    "tb_treated_before": False,
    "heart_failure_nyha": 0,
}
FAILED_DOXYCYCLINE = {
    "drug": "doxycycline",
    "start": "2025-08-01",
    "end": "2025-11-20",
    "stop_reason": "inadequate_effect",
}


def visit(
    date: str, nodules: int = 0, abscesses: int = 0, tunnels: int = 0, **extra: Any
) -> dict[str, Any]:
    """One assessment with its IHS4 counts."""
    return {
        "date": date,
        "nodules": nodules,
        "abscesses": abscesses,
        "draining_tunnels": tunnels,
        **extra,
    }


def case(**parts: Any) -> dict[str, Any]:
    """A case document: an adult (born 1980) with a confirmed diagnosis, plus ``parts``."""
    document: dict[str, Any] = {
        "as_of": AS_OF,
        "patient": {"birth_date": "1980-05-05"},
        "diagnosis": {
            "typical_lesions": True,
            "typical_location": True,
            "chronic_relapsing": True,
        },
    }
    document.update(copy.deepcopy(parts))
    return document


def eligible_case(**parts: Any) -> dict[str, Any]:
    """An adult who meets every TX-6 criterion on 2026-05-25; ``parts`` override."""
    base = {
        "assessments": [
            visit("2026-05-25", 5, 1, 2, hurley=2, inflammatory_activity="severe", dlqi=19)
        ],
        "treatments": [FAILED_DOXYCYCLINE],
        "screening": CLEAR_SCREENING,
    }
    return case(**{**base, **parts})


def evaluated(document: dict[str, Any]) -> Evaluation:
    return evaluate(document)


def as_json(document: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """The evaluation as `hsreg evaluate` prints it."""
    return evaluate(document).to_dict(lang)  # type: ignore[arg-type]


def rules_cited(document: dict[str, Any]) -> set[str]:
    return {e.rule_id for e in evaluate(document).explanations}


def texts(result: dict[str, Any], rule_id: str, topic: str | None = None) -> list[str]:
    """The explanation texts of ``rule_id`` (within ``topic``) in an evaluation's JSON."""
    return [
        e["text"]
        for e in result["explanations"]
        if e["rule_id"] == rule_id and (topic is None or e["topic"] == topic)
    ]
