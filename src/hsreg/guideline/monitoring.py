"""MO-1..3 and XS-1, 2, 4, 5: the baseline, HiSCR and the other measures of change from
baseline (the DLQI of the latest assessment and XB-6's CDLQI: quality_of_life.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from . import scores
from .catalog import drug_name
from .history import Course, History, Visit
from .text import (
    Explanation,
    Text,
    Topic,
    achievement,
    d,
    explanations_field,
    num,
    reading,
    reduction,
)

BaselineBasis = Literal["biologic_start", "systemic_start", "first_assessment"]

DLQI_WHY, HISCR_WHY, IHS4_55_WHY = Topic("dlqi"), Topic("hiscr"), Topic("ihs4_55")
PAIN_WHY, HS_PGA_WHY, CHANGE_WHY = Topic("pain"), Topic("hs_pga"), Topic("change")

DLQI_BANDS: dict[str, Text] = {
    "no_effect": Text("ingen effekt på pasientens liv", "no effect on the patient's life"),
    "small": Text("liten effekt på pasientens liv", "small effect on the patient's life"),
    "moderate": Text("moderat effekt på pasientens liv", "moderate effect on the patient's life"),
    "very_large": Text(
        "svært stor effekt på pasientens liv", "very large effect on the patient's life"
    ),
    "extremely_large": Text(
        "ekstremt stor effekt på pasientens liv", "extremely large effect on the patient's life"
    ),
}
HS_PGA_NAMES: dict[str, Text] = {
    "clear": Text("fri", "clear"),
    "minimal": Text("minimal", "minimal"),
    "mild": Text("mild", "mild"),
    "moderate": Text("moderat", "moderate"),
    "severe": Text("alvorlig", "severe"),
    "very_severe": Text("svært alvorlig", "very severe"),
}


@dataclass(frozen=True, slots=True)
class Baseline:
    """The MO-2 baseline assessment and the comparison (latest) assessment after it."""

    visit: Visit | None
    basis: BaselineBasis | None
    course: Course | None
    follow_up: Visit | None


def current_biologic(history: History) -> Course | None:
    """The most recent biologic course started by as_of, if it is still ongoing."""
    course = most_recent(history, biologic=True)
    return course if course is not None and course.ongoing_on(history.as_of) else None


def most_recent(history: History, *, biologic: bool) -> Course | None:
    """The latest-starting biologic (or any systemic) course that has started by as_of."""
    started = [
        c
        for c in history.courses
        if c.started_by(history.as_of) and (c.drug.biologic if biologic else c.drug.systemic)
    ]
    return started[-1] if started else None


def baseline(history: History) -> Baseline:
    """MO-2 Reading (baseline): the latest assessment on or before the start of the most recent
    biologic course; without one, the same for the most recent systemic course; without one,
    the first assessment. The comparison is the latest assessment, if it is dated after it."""
    visit, basis, course = _baseline_visit(history)
    latest = history.latest_visit
    follow_up = (
        latest if visit is not None and latest is not None and latest.date > visit.date else None
    )
    return Baseline(visit=visit, basis=basis, course=course, follow_up=follow_up)


def _baseline_visit(
    history: History,
) -> tuple[Visit | None, BaselineBasis | None, Course | None]:
    candidates: tuple[tuple[BaselineBasis, Course | None], ...] = (
        ("biologic_start", most_recent(history, biologic=True)),
        ("systemic_start", most_recent(history, biologic=False)),
    )
    for basis, course in candidates:
        if course is None:
            continue
        before = [v for v in history.visits if v.date <= course.start]
        if before:
            return before[-1], basis, course
    if history.visits:
        return history.visits[0], "first_assessment", None
    return None, None, None


def baseline_text(base: Baseline) -> Text:
    """Says which assessment is the baseline and why, naming the MO-2 Reading."""
    if base.visit is None:
        return reading(
            Text(
                "ingen vurdering er registrert, så det finnes ingen baseline.",
                "no assessment is recorded, so there is no baseline.",
            )
        )
    when = d(base.visit.date)
    if base.course is None:
        return reading(
            Text(
                f"baseline er første vurdering ({when.nb}), da ingen vurdering går forut for en "
                "biologisk eller systemisk kur.",
                f"the baseline is the first assessment ({when.en}), as no assessment precedes a "
                "biologic or systemic course.",
            )
        )
    name, start = drug_name(base.course.drug.id), d(base.course.start)
    kind = (
        Text("siste biologiske kur", "most recent biologic course")
        if base.basis == "biologic_start"
        else Text("siste systemiske kur", "most recent systemic course")
    )
    return reading(
        Text(
            f"baseline er vurderingen {when.nb}, den siste på eller før start av {kind.nb} "
            f"({name.nb}, {start.nb}).",
            f"the baseline is the assessment of {when.en}, the latest on or before the start of "
            f"the {kind.en} ({name.en}, {start.en}).",
        )
    )


@dataclass(frozen=True, slots=True)
class Hiscr:
    achieved: bool | None = None
    hiscr75: bool | None = None
    hiscr90: bool | None = None
    an_reduction_pct: float | None = None
    baseline_date: dt.date | None = None
    baseline_basis: BaselineBasis | None = None
    date: dt.date | None = None
    baseline_an: int | None = None
    an: int | None = None
    in_validated_range: bool | None = None  # XB-8: baseline AN >= 3; null without a baseline
    explanations: tuple[Explanation, ...] = explanations_field()


# XB-8: the note on a HiSCR computed below its validated range, beyond the 2019 guideline.
OUTSIDE_VALIDATED_RANGE = Text(
    "Utover NFDV-retningslinjen (2019): HiSCR er validert for pasienter med AN ≥ 3 ved baseline "
    "(Kimball et al., Br J Dermatol 2014). ",
    "Beyond the NFDV guideline (2019): HiSCR was validated in patients with a baseline AN count "
    "≥ 3 (Kimball et al., Br J Dermatol 2014). ",
)


def hiscr(base: Baseline, *, on_biologic: bool) -> Hiscr:
    """MO-2 HiSCR and XS-1 HiSCR75/90 of the latest assessment against the baseline."""
    why = [HISCR_WHY.text("MO-2", baseline_text(base))]
    mo3 = HISCR_WHY(
        "MO-3",
        "HiSCR skal brukes for alle pasienter på biologisk behandling: registrer tellinger ved "
        "baseline og ved hver kontroll.",
        "HiSCR is used for every patient on biologic treatment: record the counts at baseline "
        "and at every follow-up.",
    )
    if base.visit is None or base.follow_up is None:
        if base.visit is not None:
            why.append(
                HISCR_WHY(
                    "MO-2",
                    "HiSCR krever en vurdering etter baseline; ingen finnes.",
                    "HiSCR needs an assessment after the baseline; there is none.",
                )
            )
        if on_biologic:
            why.append(mo3)
        before_an = base.visit.lesions.an if base.visit else None
        return Hiscr(
            baseline_date=base.visit.date if base.visit else None,
            baseline_basis=base.basis,
            baseline_an=before_an,
            in_validated_range=(
                None if before_an is None else scores.hiscr_in_validated_range(before_an)
            ),
            explanations=tuple(why),
        )
    before, after = base.visit.lesions, base.follow_up.lesions
    achieved = scores.hiscr(before, after)
    pct = scores.reduction_pct(before.an, after.an)
    if achieved is None:
        why.append(
            HISCR_WHY.reading(
                "MO-2",
                "AN ved baseline er 0, så HiSCR kan ikke vurderes.",
                "the AN count at baseline is 0, so HiSCR is not evaluable.",
            )
        )
        if on_biologic:
            why.append(mo3)
    else:
        verdict = achievement(achieved)
        why.append(
            HISCR_WHY(
                "MO-2",
                f"HiSCR {verdict.nb}: AN {before.an} → {after.an} ({reduction(pct).nb}, krav "
                f"≥ 50 %), abscesser {before.abscesses} → {after.abscesses}, drenerende fistler "
                f"{before.draining_tunnels} → {after.draining_tunnels} (ingen økning tillatt).",
                f"HiSCR {verdict.en}: AN {before.an} → {after.an} ({reduction(pct).en}, ≥ 50 % "
                f"required), abscesses {before.abscesses} → {after.abscesses}, draining tunnels "
                f"{before.draining_tunnels} → {after.draining_tunnels} (no increase allowed).",
            )
        )
        why.append(
            HISCR_WHY(
                "XS-1",
                "HiSCR75 og HiSCR90 bruker samme regel med ≥ 75 % og ≥ 90 % AN-reduksjon.",
                "HiSCR75 and HiSCR90 apply the same rule with ≥ 75 % and ≥ 90 % AN reduction.",
            )
        )
    in_range = scores.hiscr_in_validated_range(before.an)
    if achieved is not None and not in_range:
        why.append(
            HISCR_WHY.text(
                "XB-8",
                OUTSIDE_VALIDATED_RANGE
                + Text(
                    f"Med AN {before.an} ved baseline er HiSCR beregnet (MO-2), men utenfor det "
                    "validerte området.",
                    f"With a baseline AN of {before.an}, HiSCR is computed (MO-2) but outside "
                    "its validated range.",
                ),
            )
        )
    return Hiscr(
        achieved=achieved,
        hiscr75=scores.hiscr(before, after, 75),
        hiscr90=scores.hiscr(before, after, 90),
        an_reduction_pct=pct,
        baseline_date=base.visit.date,
        baseline_basis=base.basis,
        date=base.follow_up.date,
        baseline_an=before.an,
        an=after.an,
        in_validated_range=in_range,
        explanations=tuple(why),
    )


@dataclass(frozen=True, slots=True)
class Ihs455:
    achieved: bool | None = None
    reduction_pct: float | None = None
    baseline: int | None = None
    current: int | None = None
    explanations: tuple[Explanation, ...] = explanations_field()


def ihs4_55(base: Baseline) -> Ihs455:
    """XS-2: IHS4 reduced by ≥ 55 % from the MO-2 baseline."""
    if base.visit is None or base.follow_up is None:
        why = IHS4_55_WHY(
            "XS-2",
            "IHS4-55 krever en baseline og en senere vurdering.",
            "IHS4-55 needs a baseline and a later assessment.",
        )
        return Ihs455(explanations=(why,))
    before, after = base.visit.lesions.ihs4, base.follow_up.lesions.ihs4
    achieved = scores.ihs4_55(before, after)
    pct = scores.reduction_pct(before, after)
    if achieved is None:
        why = IHS4_55_WHY(
            "XS-2",
            "IHS4 ved baseline er 0, så IHS4-55 kan ikke vurderes.",
            "IHS4 at baseline is 0, so IHS4-55 is not evaluable.",
        )
    else:
        verdict = achievement(achieved)
        why = IHS4_55_WHY(
            "XS-2",
            f"IHS4-55 {verdict.nb}: IHS4 {before} → {after} ({reduction(pct).nb}, krav ≥ 55 %).",
            f"IHS4-55 {verdict.en}: IHS4 {before} → {after} ({reduction(pct).en}, ≥ 55 % "
            "required).",
        )
    return Ihs455(achieved, pct, before, after, (why,))


@dataclass(frozen=True, slots=True)
class Pain:
    score: float | None = None
    date: dt.date | None = None
    baseline: float | None = None
    baseline_date: dt.date | None = None
    nrs30: bool | None = None
    explanations: tuple[Explanation, ...] = explanations_field()


def pain(base: Baseline, latest: Visit | None) -> Pain:
    """MO-1 pain VAS of the latest assessment and XS-4 NRS30 against the MO-2 baseline."""
    before = base.visit.pain_vas if base.visit else None
    after = base.follow_up.pain_vas if base.follow_up else None
    result = None if before is None or after is None else scores.nrs30(before, after)
    if before is None or after is None:
        why = PAIN_WHY(
            "XS-4",
            "NRS30 krever smerte-VAS ved baseline og ved en senere vurdering.",
            "NRS30 needs the pain VAS at baseline and at a later assessment.",
        )
    elif result is None:
        why = PAIN_WHY(
            "XS-4",
            f"Smerte ved baseline er {num(before).nb} (< 3): NRS30 kan ikke vurderes.",
            f"Pain at baseline is {num(before).en} (< 3): NRS30 is not evaluable.",
        )
    else:
        verdict = achievement(result)
        why = PAIN_WHY(
            "XS-4",
            f"NRS30 {verdict.nb}: smerte {num(before).nb} → {num(after).nb} (krav: fall ≥ 30 % og "
            "≥ 1 poeng).",
            f"NRS30 {verdict.en}: pain {num(before).en} → {num(after).en} (required: a fall of "
            "≥ 30 % and ≥ 1 point).",
        )
    return Pain(
        score=latest.pain_vas if latest else None,
        date=latest.date if latest else None,
        baseline=before,
        baseline_date=base.visit.date if base.visit else None,
        nrs30=result,
        explanations=(why,),
    )


@dataclass(frozen=True, slots=True)
class HsPga:
    category: scores.HsPgaCategory | None = None
    date: dt.date | None = None
    explanations: tuple[Explanation, ...] = explanations_field()


def hs_pga(latest: Visit | None) -> HsPga:
    """XS-5 for the latest assessment."""
    if latest is None:
        why = HS_PGA_WHY("XS-5", "Ingen vurdering er registrert.", "No assessment is recorded.")
        return HsPga(explanations=(why,))
    n, a, t = latest.lesions
    category = scores.hs_pga(n, a, t, latest.non_inflammatory_nodules)
    if category is None:
        why = HS_PGA_WHY(
            "XS-5",
            "HS-PGA: ingen inflammatoriske lesjoner; antall ikke-inflammatoriske noduli må "
            "registreres for å skille «fri» fra «minimal».",
            "HS-PGA: no inflammatory lesions; the number of non-inflammatory nodules must be "
            "recorded to tell 'clear' from 'minimal'.",
        )
    else:
        name = HS_PGA_NAMES[category]
        why = HS_PGA_WHY(
            "XS-5",
            f"HS-PGA {name.nb}: abscesser + fistler = {a + t}, inflammatoriske noduli = {n}.",
            f"HS-PGA {name.en}: abscesses + tunnels = {a + t}, inflammatory nodules = {n}.",
        )
    return HsPga(category, latest.date, (why,))


@dataclass(frozen=True, slots=True)
class Delta:
    baseline: float | int | None
    current: float | int | None
    change: float | int | None


@dataclass(frozen=True, slots=True)
class Change:
    """MO-1: the measures response is judged from, at baseline and now."""

    baseline_date: dt.date | None
    date: dt.date | None
    ihs4: Delta
    an_count: Delta
    hurley: Delta
    sartorius: Delta
    dlqi: Delta
    pain_vas: Delta
    explanations: tuple[Explanation, ...] = explanations_field()


def _delta(before: float | None, after: float | None) -> Delta:
    if before is None or after is None:
        return Delta(before, after, None)
    if isinstance(before, int) and isinstance(after, int):
        return Delta(before, after, after - before)
    return Delta(before, after, float(scores.exact(after) - scores.exact(before)))


def change(base: Baseline) -> Change:
    """MO-1: change in IHS4, AN, Hurley, Sartorius, DLQI and pain from baseline to now."""
    before, after = base.visit, base.follow_up
    if before is None or after is None:
        empty = Delta(None, None, None)
        why = CHANGE_WHY(
            "MO-1",
            "Endring kan vurderes når det finnes en vurdering etter baseline.",
            "Change can be judged once there is an assessment after the baseline.",
        )
        return Change(
            baseline_date=before.date if before else None,
            date=None,
            ihs4=empty,
            an_count=empty,
            hurley=empty,
            sartorius=empty,
            dlqi=empty,
            pain_vas=empty,
            explanations=(why,),
        )
    return Change(
        baseline_date=before.date,
        date=after.date,
        ihs4=_delta(before.lesions.ihs4, after.lesions.ihs4),
        an_count=_delta(before.lesions.an, after.lesions.an),
        hurley=_delta(before.hurley, after.hurley),
        sartorius=_delta(scores.sartorius(before.regions), scores.sartorius(after.regions)),
        dlqi=_delta(before.dlqi, after.dlqi),
        pain_vas=_delta(before.pain_vas, after.pain_vas),
        explanations=(
            CHANGE_WHY(
                "MO-1",
                "Behandlingsrespons vurderes fra endring i Hurley/IHS4, Sartorius og/eller HiSCR, "
                f"smerte-VAS og DLQI, her fra {d(before.date).nb} til {d(after.date).nb}.",
                "Treatment response is judged from change in Hurley/IHS4, Sartorius and/or HiSCR, "
                f"pain VAS and DLQI, here from {d(before.date).en} to {d(after.date).en}.",
            ),
        ),
    )
