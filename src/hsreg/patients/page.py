"""The patient page's content: forms, the timeline and the guideline panel."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hsreg.guideline import CaseError, evaluate

from .case_document import build_case
from .models import Patient


def context(*, patient: Patient) -> dict[str, Any]:
    today = timezone.localdate()
    try:
        evaluation = evaluate(build_case(patient, as_of=today), today=today)
    except CaseError as error:
        return {"patient": patient, "evaluation": None, "case_problems": error.problems}
    return {"patient": patient, "evaluation": evaluation, "case_problems": ()}
