"""`biologic_regimen`: the regimen of the patient's current or planned biologic course, for
adalimumab (TX-7), infliximab (TX-11), secukinumab (XB-1) and bimekizumab (XB-2).

`adalimumab_regimen` (regimens.py) stays TX-7's own contract with a calendar in dates; this one
answers the same question for whichever biologic the course names, in weeks, so that a course
of any of the four reads alike. The IL-17 inhibitors lie beyond the NFDV guideline (2019): their
texts say so and name their source (RULES.md, section XB).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from .catalog import DRUGS
from .history import Course, History
from .regimens import (
    ADULT_FROM_AGE,
    INFLIXIMAB_EVERY_WEEKS,
    INFLIXIMAB_INDUCTION_WEEKS,
    AdalimumabRegimen,
    RegimenStatus,
    adalimumab,
    infliximab_dose_mg,
    regimen_text,
)
from .text import Explanation, Text, Topic, explanations_field, num

WHY = Topic("biologic_regimen")
BiologicPopulation = Literal["adult", "adolescent", "any"]
CourseState = Literal["ongoing", "planned"]
EXPANDED_WEEKS = 52  # how far `doses` unrolls a calendar by default (one year)
# The rule that gives each biologic's regimen.
_RULES = {"adalimumab": "TX-7", "infliximab": "TX-11", "secukinumab": "XB-1", "bimekizumab": "XB-2"}


@dataclass(frozen=True, slots=True)
class BiologicDose:
    week: int
    dose_mg: float  # infliximab's 5 mg/kg (TX-11) need not be whole


@dataclass(frozen=True, slots=True)
class BiologicMaintenance:
    start_week: int
    dose_mg: float
    every_weeks: int


@dataclass(frozen=True, slots=True)
class BiologicRegimen:
    """The regimen of the patient's ongoing (else next planned) biologic course; each
    `maintenance` entry is an alternative (TX-7 adult: either; XB-1: 4-weekly or 2-weekly)."""

    drug: str
    status: RegimenStatus
    population: BiologicPopulation | None
    induction: tuple[BiologicDose, ...]
    maintenance: tuple[BiologicMaintenance, ...]
    rule_id: str
    course: CourseState
    start: date
    missing: tuple[str, ...] = ()
    explanations: tuple[Explanation, ...] = explanations_field()


def doses(
    regimen: BiologicRegimen, *, option: int = 0, until_week: int = EXPANDED_WEEKS
) -> tuple[BiologicDose, ...]:
    """The calendar in weeks through ``until_week``: the induction, then maintenance option
    ``option`` (an induction dose wins a week both name)."""
    by_week = {dose.week: dose.dose_mg for dose in regimen.induction if dose.week <= until_week}
    if regimen.maintenance:
        chosen = regimen.maintenance[option]
        for week in range(chosen.start_week, until_week + 1, chosen.every_weeks):
            by_week.setdefault(week, chosen.dose_mg)
    return tuple(BiologicDose(week, mg) for week, mg in sorted(by_week.items()))


def _biologic_course(history: History) -> Course | None:
    """The latest-starting ongoing biologic course, else the earliest planned one."""
    open_courses = [c for c in history.courses if c.drug.biologic and not c.ended_by(history.as_of)]
    ongoing = [c for c in open_courses if c.started_by(history.as_of)]
    planned = [c for c in open_courses if not c.started_by(history.as_of)]
    return ongoing[-1] if ongoing else (planned[0] if planned else None)


def biologic(history: History) -> BiologicRegimen | None:
    """The regimen of the current or planned biologic course; ``None`` without one."""
    course = _biologic_course(history)
    if course is None:
        return None
    state: CourseState = "ongoing" if course.started_by(history.as_of) else "planned"
    base = BiologicRegimen(
        drug=course.drug.id,
        status="ok",
        population=None,
        induction=(),
        maintenance=(),
        rule_id=_RULES[course.drug.id],
        course=state,
        start=course.start,
    )
    if course.drug.id == "adalimumab":
        return _adalimumab_course(base, adalimumab(history))
    if course.drug.id == "infliximab":
        return _infliximab_course(base, history.patient.weight_kg)
    return _il17_course(base, history.age)


def _adalimumab_course(base: BiologicRegimen, tx7: AdalimumabRegimen) -> BiologicRegimen:
    """TX-7 as `adalimumab_regimen` gives it, in the general shape: its regimen text, or its
    reason when there is no regimen (under 12; 12–17 under 30 kg or without a weight)."""
    if tx7.population is None:
        why = tuple(e._replace(topic=WHY.name) for e in tx7.explanations)
    else:
        why = (WHY.text("TX-7", regimen_text(tx7.population)),)
    return replace(
        base,
        status=tx7.status,
        population=tx7.population,
        induction=tuple(BiologicDose(i.week, i.dose_mg) for i in tx7.induction),
        maintenance=tuple(
            BiologicMaintenance(m.start_week, m.dose_mg, m.every_weeks) for m in tx7.maintenance
        ),
        missing=tx7.missing,
        explanations=why,
    )


def _infliximab_course(base: BiologicRegimen, weight_kg: float | None) -> BiologicRegimen:
    """TX-11: 5 mg/kg at weeks 0, 2 and 6, then every 8 weeks, for any age."""
    if weight_kg is None:
        return replace(
            base,
            status="insufficient_data",
            population="any",
            missing=("patient.weight_kg",),
            explanations=(
                WHY(
                    "TX-11",
                    "Infliksimab doseres etter vekt (5 mg/kg), og vekten er ikke registrert.",
                    "Infliximab is dosed by weight (5 mg/kg), and the weight is not recorded.",
                ),
            ),
        )
    mg = infliximab_dose_mg(weight_kg)
    dose = int(mg) if mg.is_integer() else mg
    return replace(
        base,
        population="any",
        induction=tuple(BiologicDose(w, dose) for w in INFLIXIMAB_INDUCTION_WEEKS),
        maintenance=(
            BiologicMaintenance(6 + INFLIXIMAB_EVERY_WEEKS, dose, INFLIXIMAB_EVERY_WEEKS),
        ),
        explanations=(
            WHY(
                "TX-11",
                f"Infliksimab 5 mg/kg ({num(weight_kg).nb} kg: {num(mg).nb} mg) intravenøst uke "
                "0, 2 og 6, deretter hver 8. uke.",
                f"Infliximab 5 mg/kg ({num(weight_kg).en} kg: {num(mg).en} mg) intravenously at "
                "weeks 0, 2 and 6, then every 8 weeks.",
            ),
        ),
    )


# XB-1 and XB-2 (RULES.md, section XB): adults only; each text names its source.
_IL17: dict[str, tuple[tuple[BiologicDose, ...], tuple[BiologicMaintenance, ...], Text]] = {
    "secukinumab": (
        tuple(BiologicDose(w, 300) for w in (0, 1, 2, 3, 4)),
        (BiologicMaintenance(8, 300, 4), BiologicMaintenance(8, 300, 2)),
        Text(
            "sekukinumab (Cosentyx; EU-godkjent for HS 2023; SUNSHINE/SUNRISE, Lancet 2023): "
            "300 mg subkutant uke 0, 1, 2, 3 og 4, deretter 300 mg hver 4. uke fra uke 8; etter "
            "respons kan vedlikeholdsdosen økes til 300 mg hver 2. uke.",
            "secukinumab (Cosentyx; EU approval for HS 2023; SUNSHINE/SUNRISE, Lancet 2023): "
            "300 mg subcutaneously at weeks 0, 1, 2, 3 and 4, then 300 mg every 4 weeks from "
            "week 8; by response the maintenance dose may be raised to 300 mg every 2 weeks.",
        ),
    ),
    "bimekizumab": (
        tuple(BiologicDose(w, 320) for w in range(0, 15, 2)),
        (BiologicMaintenance(16, 320, 4),),
        Text(
            "bimekizumab (Bimzelx; EU-godkjent for HS 2024; BE HEARD I/II, Lancet 2024): 320 mg "
            "subkutant hver 2. uke i uke 0–14, deretter 320 mg hver 4. uke fra uke 16.",
            "bimekizumab (Bimzelx; EU approval for HS 2024; BE HEARD I/II, Lancet 2024): 320 mg "
            "subcutaneously every 2 weeks at weeks 0–14, then 320 mg every 4 weeks from week 16.",
        ),
    ),
}
BEYOND_2019 = Text("Utover NFDV-retningslinjen (2019): ", "Beyond the NFDV guideline (2019): ")


def _il17_course(base: BiologicRegimen, age: int) -> BiologicRegimen:
    """XB-1 / XB-2: the approved regimen for adults; none under 18."""
    induction, maintenance, text = _IL17[base.drug]
    if age < ADULT_FROM_AGE:
        name = DRUGS[base.drug].name
        why = BEYOND_2019 + Text(
            f"{name.nb} er godkjent for voksne med HS; ingen dosering for en pasient på {age} år.",
            f"{name.en} is approved for adults with HS; no regimen for a patient aged {age}.",
        )
        return replace(base, status="not_applicable", explanations=(WHY.text(base.rule_id, why),))
    return replace(
        base,
        population="adult",
        induction=induction,
        maintenance=maintenance,
        explanations=(WHY.text(base.rule_id, BEYOND_2019 + text),),
    )
