"""TX-7 adalimumab and TX-11 infliximab dosing, and their calendars with real dates.

The general `biologic_regimen` (any of the four biologics, XB-1 and XB-2 included) is in
`biologic_regimen.py`, built on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .history import Course, History
from .scores import exact
from .text import Explanation, Text, Topic, d, explanations_field, num

Population = Literal["adult", "adolescent"]
RegimenStatus = Literal["ok", "not_applicable", "insufficient_data"]

WHY = Topic("adalimumab_regimen")
ADULT_FROM_AGE = 18
ADOLESCENT_FROM_AGE = 12
ADOLESCENT_MIN_WEIGHT_KG = 30
CALENDAR_WEEKS = 24  # the calendar runs to the week-24 evaluation (TX-9)


@dataclass(frozen=True, slots=True)
class InductionDose:
    week: int
    dose_mg: int


@dataclass(frozen=True, slots=True)
class Maintenance:
    start_week: int
    dose_mg: int
    every_weeks: int


@dataclass(frozen=True, slots=True)
class CalendarDose:
    date: date
    week: int
    dose_mg: int


@dataclass(frozen=True, slots=True)
class Regimen:
    induction: tuple[InductionDose, ...]
    maintenance: tuple[Maintenance, ...]
    escalation: tuple[Maintenance, ...]


ADULT = Regimen(
    induction=(InductionDose(0, 160), InductionDose(2, 80)),
    maintenance=(Maintenance(4, 40, 1), Maintenance(4, 80, 2)),
    escalation=(),
)
ADOLESCENT = Regimen(
    induction=(InductionDose(0, 80),),
    maintenance=(Maintenance(1, 40, 2),),
    escalation=(Maintenance(1, 40, 1), Maintenance(1, 80, 2)),
)
# Adult maintenance chosen on the course (TX-7: "as preferred").
ADULT_MAINTENANCE = {"weekly_40": Maintenance(4, 40, 1), "biweekly_80": Maintenance(4, 80, 2)}


@dataclass(frozen=True, slots=True)
class AdalimumabRegimen:
    status: RegimenStatus
    population: Population | None = None
    induction: tuple[InductionDose, ...] = ()
    maintenance: tuple[Maintenance, ...] = ()
    escalation: tuple[Maintenance, ...] = ()
    calendar: tuple[CalendarDose, ...] = ()
    calendar_start: date | None = None
    missing: tuple[str, ...] = ()
    explanations: tuple[Explanation, ...] = explanations_field()


def population(age: int, weight_kg: float | None) -> Population | Literal["unknown"] | None:
    """TX-7: adult from 18; adolescent at 12–17 with ≥ 30 kg; otherwise no regimen (``None``).

    ``"unknown"`` when a 12–17-year-old's weight is not recorded.
    """
    if age >= ADULT_FROM_AGE:
        return "adult"
    if age < ADOLESCENT_FROM_AGE:
        return None
    if weight_kg is None:
        return "unknown"
    return "adolescent" if exact(weight_kg) >= ADOLESCENT_MIN_WEIGHT_KG else None


def calendar(
    start: date, regimen: Regimen, maintenance: Maintenance | None, weeks: int = CALENDAR_WEEKS
) -> tuple[CalendarDose, ...]:
    """Dose dates from ``start`` through week ``weeks``: the induction, then ``maintenance``
    (``None``: not chosen yet, only the induction is listed)."""
    doses = {dose.week: dose.dose_mg for dose in regimen.induction}
    if maintenance is not None:
        for week in range(maintenance.start_week, weeks + 1, maintenance.every_weeks):
            doses.setdefault(week, maintenance.dose_mg)
    return tuple(CalendarDose(start + timedelta(weeks=w), w, mg) for w, mg in sorted(doses.items()))


def _calendar_course(history: History) -> Course | None:
    """The adalimumab course that is ongoing or planned, if any."""
    courses = [
        c for c in history.courses if c.drug.id == "adalimumab" and not c.ended_by(history.as_of)
    ]
    return courses[-1] if courses else None


def adalimumab(history: History) -> AdalimumabRegimen:
    """TX-7 for the patient's age at as_of, with the dose calendar of an ongoing or planned
    adalimumab course."""
    who = population(history.age, history.patient.weight_kg)
    age = history.age
    if who == "unknown":
        return AdalimumabRegimen(
            "insufficient_data",
            missing=("patient.weight_kg",),
            explanations=(
                WHY(
                    "TX-7",
                    f"Pasienten er {age} år: ungdomsdosering krever vekt ≥ 30 kg, og vekten er ikke "
                    "registrert.",
                    f"The patient is {age}: the adolescent regimen requires ≥ 30 kg, and the weight is "
                    "not recorded.",
                ),
            ),
        )
    if who is None:
        weight = history.patient.weight_kg
        reason = (
            Text(f"under 12 år ({age} år)", f"under 12 years ({age})")
            if age < 12
            else Text(
                f"{age} år og {num(weight).nb} kg (under 30 kg)",
                f"{age} years and {num(weight).en} kg (under 30 kg)",
            )
        )
        return AdalimumabRegimen(
            "not_applicable",
            explanations=(
                WHY.reading(
                    "TX-7",
                    f"retningslinjen gir ingen adalimumabdosering for pasienter {reason.nb}.",
                    f"the guideline gives no adalimumab regimen for patients {reason.en}.",
                ),
            ),
        )
    regimen = ADULT if who == "adult" else ADOLESCENT
    why = [WHY.text("TX-7", regimen_text(who))]
    course = _calendar_course(history)
    doses: tuple[CalendarDose, ...] = ()
    if course is not None:
        if who == "adult":
            chosen = ADULT_MAINTENANCE.get(course.regimen or "")
        else:
            chosen = ADOLESCENT.maintenance[0]
        doses = calendar(course.start, regimen, chosen)
        if chosen is None:
            why.append(
                WHY(
                    "TX-7",
                    "Vedlikehold er ikke valgt for kuren (40 mg hver uke eller 80 mg hver 2. uke); "
                    "kalenderen viser induksjonen.",
                    "Maintenance is not chosen for the course (40 mg every week or 80 mg every 2 "
                    "weeks); the calendar shows the induction.",
                )
            )
        why.append(
            WHY(
                "TX-7",
                f"Doseringskalender fra {d(course.start).nb} til uke {CALENDAR_WEEKS}.",
                f"Dose calendar from {d(course.start).en} to week {CALENDAR_WEEKS}.",
            )
        )
    return AdalimumabRegimen(
        status="ok",
        population=who,
        induction=regimen.induction,
        maintenance=regimen.maintenance,
        escalation=regimen.escalation,
        calendar=doses,
        calendar_start=course.start if course else None,
        missing=(),
        explanations=tuple(why),
    )


def regimen_text(who: Population) -> Text:
    """TX-7's regimen for ``who``, as the clinician reads it."""
    if who == "adult":
        return Text(
            "Voksen (≥ 18 år): 160 mg uke 0, 80 mg uke 2; fra uke 4 enten 40 mg hver uke eller "
            "80 mg hver 2. uke, etter ønske. Subkutant, egeninjeksjon etter opplæring.",
            "Adult (≥ 18 years): 160 mg week 0, 80 mg week 2; from week 4 either 40 mg every "
            "week or 80 mg every 2 weeks, as preferred. Subcutaneous, self-injected after "
            "training.",
        )
    return Text(
        "Ungdom (12–17 år, ≥ 30 kg): 80 mg uke 0, deretter 40 mg hver 2. uke fra uke 1. Ved "
        "utilstrekkelig respons: vurder 40 mg hver uke eller 80 mg hver 2. uke.",
        "Adolescent (12–17 years, ≥ 30 kg): 80 mg week 0, then 40 mg every 2 weeks from week 1. "
        "Inadequate response: consider 40 mg every week or 80 mg every 2 weeks.",
    )


INFLIXIMAB_MG_PER_KG = 5
INFLIXIMAB_INDUCTION_WEEKS = (0, 2, 6)
INFLIXIMAB_EVERY_WEEKS = 8


def infliximab_weeks(until_week: int) -> tuple[int, ...]:
    """TX-11: infusions at weeks 0, 2 and 6, then every 8 weeks (14, 22, …)."""
    later = range(6 + INFLIXIMAB_EVERY_WEEKS, until_week + 1, INFLIXIMAB_EVERY_WEEKS)
    return tuple(w for w in (*INFLIXIMAB_INDUCTION_WEEKS, *later) if w <= until_week)


def infliximab_dose_mg(weight_kg: float) -> float:
    """TX-11: 5 mg/kg."""
    return float(exact(weight_kg) * INFLIXIMAB_MG_PER_KG)
