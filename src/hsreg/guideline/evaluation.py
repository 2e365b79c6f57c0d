"""The case evaluator: one patient's case document in, every rule's result and reason out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from . import scores
from .beyond import BeyondGuideline, beyond_guideline
from .biologic_regimen import BiologicRegimen, biologic
from .case import Case, parse_case
from .diagnosis import DiagnosisResult, diagnose
from .eligibility import Eligibility, assess
from .history import History, resolve
from .hsiga import HsIga, hs_iga
from .il17_response import IL17_INHIBITORS
from .jsonable import to_jsonable
from .labs import Labs, next_check
from .monitoring import (
    Change,
    Hiscr,
    HsPga,
    Ihs455,
    Pain,
    baseline,
    change,
    current_biologic,
    hiscr,
    hs_pga,
    ihs4_55,
    pain,
)
from .quality_of_life import Dlqi, dlqi
from .recommendation import Recommendation, recommend
from .regimens import AdalimumabRegimen, adalimumab
from .response import Response, decide
from .screening import ScreeningResult, screen, with_ibd_il17
from .staging import Staging, stage
from .text import Explanation, Lang, Text
from .vaccination import VaccinationResult, vaccinate


@dataclass(frozen=True, slots=True)
class PatientSummary:
    age: int
    bmi: float | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything the guideline says about one patient on one date.

    The field names are the public contract of `hsreg evaluate`; `to_dict` gives the JSON.
    `explanations` gathers the reasons of every part, each naming its rule and its topic.
    """

    as_of: date
    patient: PatientSummary
    diagnosis: DiagnosisResult
    staging: Staging
    dlqi: Dlqi
    hiscr: Hiscr
    ihs4_55: Ihs455
    pain: Pain
    hs_pga: HsPga
    hs_iga: HsIga
    change: Change
    biologic_eligibility: Eligibility
    response: Response
    adalimumab_regimen: AdalimumabRegimen
    biologic_regimen: BiologicRegimen | None
    screening: ScreeningResult
    vaccination: VaccinationResult
    labs: Labs
    recommendation: Recommendation
    #: XB: the IL-17 inhibitors as options beyond the NFDV guideline (2019), never among
    #: `recommendation.options`
    beyond_guideline: BeyondGuideline
    explanations: tuple[Explanation, ...]

    def to_dict(self, lang: Lang = "nb") -> dict[str, Any]:
        """The evaluation as JSON-ready data, its texts in ``lang``."""
        result: dict[str, Any] = to_jsonable(self, lang)
        return result


def evaluate(case: Case | Mapping[str, Any], *, today: date | None = None) -> Evaluation:
    """Evaluates one case document (parsed JSON, or a `Case`).

    ``today`` is the evaluation date when the document has no ``as_of`` (default: the system
    date). Raises `CaseError` listing every problem, each naming its field.
    """
    history = resolve(parse_case(case), today or date.today())
    return evaluate_history(history)


def evaluate_history(history: History) -> Evaluation:
    """Applies every rule to a resolved history, in the order the rules depend on each other."""
    latest = history.latest_visit
    base = baseline(history)
    diagnosis = diagnose(history.diagnosis)
    staging = stage(latest)
    screening = screen(history.screening)
    eligibility = assess(history, screening)
    response = decide(history, base)
    beyond = beyond_guideline(history, eligibility)
    # XB-4 needs both the courses and the options beyond the guideline; it warns, never bars
    # (C4 above is unchanged by it).
    il17_course = any(
        c.drug.id in IL17_INHIBITORS and not c.ended_by(history.as_of) for c in history.courses
    )
    screening = with_ibd_il17(
        screening,
        ibd="ibd" in history.patient.comorbidities,
        il17=il17_course or bool(beyond.options),
    )
    evaluation = Evaluation(
        as_of=history.as_of,
        patient=_patient_summary(history),
        diagnosis=diagnosis,
        staging=staging,
        dlqi=dlqi(latest),
        hiscr=hiscr(base, on_biologic=current_biologic(history) is not None),
        ihs4_55=ihs4_55(base),
        pain=pain(base, latest),
        hs_pga=hs_pga(latest),
        hs_iga=hs_iga(latest),
        change=change(base),
        biologic_eligibility=eligibility,
        response=response,
        adalimumab_regimen=adalimumab(history),
        biologic_regimen=biologic(history),
        screening=screening,
        vaccination=vaccinate(history, eligible=eligibility.status == "eligible"),
        labs=next_check(history),
        recommendation=recommend(history, diagnosis, staging, eligibility, response),
        beyond_guideline=beyond,
        explanations=(),
    )
    parts = [getattr(evaluation, name) for name in _SECTIONS]
    explanations = [e for part in parts if part is not None for e in part.explanations]
    if diagnosis.status == "confirmed":
        explanations.append(
            Explanation(
                "MO-4",
                Text(
                    "HS behandlet av hudlege i spesialisthelsetjenesten skal registreres i HISREG "
                    "(obligatorisk fra september 2019).",
                    "HS treated by a dermatologist in the specialist health service must be registered "
                    "in HISREG (mandatory since September 2019).",
                ),
                "registry",
            )
        )
    return replace(evaluation, explanations=tuple(explanations))


def _patient_summary(history: History) -> PatientSummary:
    patient = history.patient
    bmi = (
        None
        if patient.weight_kg is None or patient.height_cm is None
        else scores.floor_tenth(scores.bmi(patient.weight_kg, patient.height_cm))
    )
    return PatientSummary(age=history.age, bmi=bmi)


# The parts of an evaluation, in the order their explanations are listed.
_SECTIONS = (
    "diagnosis",
    "staging",
    "dlqi",
    "hiscr",
    "ihs4_55",
    "pain",
    "hs_pga",
    "hs_iga",
    "change",
    "biologic_eligibility",
    "response",
    "adalimumab_regimen",
    "biologic_regimen",  # None without a biologic course
    "screening",
    "vaccination",
    "labs",
    "recommendation",
    "beyond_guideline",
)
