"""TX-9: the 12-week (and, after an extension, 24-week) response decision on a TNF-α
inhibitor; XB-3: the week-16 decision on an IL-17 inhibitor (il17_response.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from . import scores
from .catalog import drug_name
from .dates import course_day
from .history import Course, History, Visit
from .il17_response import (
    ASSESSMENT_WEEK,
    BEYOND,
    IL17_INHIBITORS,
    judge,
)
from .logic import Tri, all3
from .monitoring import Baseline, current_biologic
from .status import STATUS_NAMES, DueStatus, due_status
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

Decision = Literal[
    "not_on_biologic",
    "not_due",
    "continue",
    "extend_12_weeks",
    "stop",
    "clinical_judgement",
    "insufficient_data",
]
EvaluationKind = Literal["week_12", "week_24", "week_16"]

WHY = Topic("response")
WEEK_12_FROM_DAY = 77  # TX-9 Reading (timing): day 77 of the course = first day of week 11
WEEK_24_FROM_DAY = 161  # after an extension: day 161 = first day of week 23
WEEK_12_DUE_DAY = 84  # the evaluation is overdue once week 12 (day 84) has passed without one
WEEK_24_DUE_DAY = 168
PARTIAL_PERCENT = 25
TX9_ASSESSMENT_WEEK = 12
NO_PREFIX = Text("", "")
WEEK_16_FROM_DAY = 105  # XB-3 Reading: day 105 of the course (week 15+) serves as week 16
WEEK_16_DUE_DAY = 112  # an IL-17 inhibitor's week-16 evaluation is overdue after day 112


@dataclass(frozen=True, slots=True)
class Response:
    decision: Decision
    drug: str | None = None
    course_start: date | None = None
    course_week: int | None = None
    evaluation: EvaluationKind | None = None
    evaluation_date: date | None = None
    day: int | None = None
    week: int | None = None
    an_reduction_pct: float | None = None
    hiscr_achieved: bool | None = None
    dlqi_fall: int | None = None
    baseline_date: date | None = None
    next_evaluation_from: date | None = None
    #: the day the next evaluation falls due (week 12 or, after an extension, week 24), and
    #: whether it is overdue, due or not yet due on ``as_of`` (guideline.status)
    next_evaluation_due: date | None = None
    evaluation_status: DueStatus | None = None
    missing: tuple[str, ...] = ()
    #: the week of the response evaluation: 12 on a TNF-α inhibitor (TX-9), 16 on an IL-17
    #: inhibitor (XB-3), None when not on a biologic
    assessment_week: int | None = None
    explanations: tuple[Explanation, ...] = explanations_field()


@dataclass(frozen=True, slots=True)
class _Judged:
    decision: Decision
    kind: EvaluationKind
    visit: Visit
    an_reduction_pct: float | None
    hiscr_achieved: bool | None
    dlqi_fall: int | None
    missing: tuple[str, ...]
    text: Text


def decide(history: History, base: Baseline) -> Response:
    """TX-9 for the current biologic course, as of the latest evaluation."""
    course = current_biologic(history)
    if course is None:
        why = WHY(
            "TX-9",
            "Pasienten står ikke på biologisk behandling.",
            "The patient is not on a biologic.",
        )
        return Response("not_on_biologic", explanations=(why,))
    if course.drug.id in IL17_INHIBITORS:
        return _week_16(history, base, course)
    name = drug_name(course.drug.id)
    week_now = course_day(course.start, history.as_of) // 7
    baseline_date = base.visit.date if base.visit else None
    evaluations = [
        v for v in history.visits if course_day(course.start, v.date) >= WEEK_12_FROM_DAY
    ]
    if not evaluations:
        return _not_due(
            history, base, course, rule_id="TX-9", week=12, from_day=WEEK_12_FROM_DAY,
            due_day=WEEK_12_DUE_DAY, assessment_week=TX9_ASSESSMENT_WEEK,
        )  # fmt: skip

    judged: list[_Judged] = []
    extended = False
    for visit in evaluations:
        day = course_day(course.start, visit.date)
        if extended and day < WEEK_24_FROM_DAY:
            continue  # during the extension: not an evaluation
        kind: EvaluationKind = "week_24" if extended else "week_12"
        result = _judge(kind, base, visit)
        judged.append(result)
        extended = extended or result.decision == "extend_12_weeks"
    latest = judged[-1]
    day = course_day(course.start, latest.visit.date)
    extension = latest.decision == "extend_12_weeks"
    next_from = course.start + timedelta(days=WEEK_24_FROM_DAY) if extension else None
    next_due = course.start + timedelta(days=WEEK_24_DUE_DAY) if extension else None
    status = (
        due_status(history.as_of, due_on=next_due, opens_on=next_from)
        if next_due is not None
        else None
    )
    label = Text("12-ukers", "Week-12") if latest.kind == "week_12" else Text("24-ukers", "Week-24")
    intro = Text(
        f"{label.nb}evaluering av {name.nb} {d(latest.visit.date).nb} (dag {day}, uke {day // 7}): ",
        f"{label.en} evaluation of {name.en} on {d(latest.visit.date).en} (day {day}, week "
        f"{day // 7}): ",
    )
    return Response(
        decision=latest.decision,
        drug=course.drug.id,
        course_start=course.start,
        course_week=week_now,
        evaluation=latest.kind,
        evaluation_date=latest.visit.date,
        day=day,
        week=day // 7,
        an_reduction_pct=latest.an_reduction_pct,
        hiscr_achieved=latest.hiscr_achieved,
        dlqi_fall=latest.dlqi_fall,
        baseline_date=baseline_date,
        next_evaluation_from=next_from,
        next_evaluation_due=next_due,
        evaluation_status=status,
        missing=latest.missing,
        assessment_week=TX9_ASSESSMENT_WEEK,
        explanations=(WHY.text("TX-9", intro + latest.text + _week_24_due(next_due, status)),),
    )


def _not_due(
    history: History,
    base: Baseline,
    course: Course,
    *,
    rule_id: str,
    week: int,
    from_day: int,
    due_day: int,
    assessment_week: int,
    prefix: Text = NO_PREFIX,
) -> Response:
    """No assessment yet from ``from_day`` of the course, which TX-9's Reading (day 77, week
    11+) and XB-3's (day 105, week 15+) count as the week-``week`` evaluation: ``not_due``,
    with the day it opens and the day it is due by."""
    name = drug_name(course.drug.id)
    week_now = course_day(course.start, history.as_of) // 7
    due = course.start + timedelta(days=from_day)
    due_by = course.start + timedelta(days=due_day)
    status = due_status(history.as_of, due_on=due_by, opens_on=due)
    text = prefix + Text(
        f"{name.nb} startet {d(course.start).nb} (uke {week_now}). En vurdering fra dag "
        f"{from_day} (uke {from_day // 7}, fra {d(due).nb}) gjelder som {week}-ukersevalueringen, "
        f"innen uke {week} ({d(due_by).nb}): {STATUS_NAMES[status].nb}.",
        f"{name.en} started {d(course.start).en} (week {week_now}). An assessment from day "
        f"{from_day} (week {from_day // 7}, from {d(due).en}) serves as the week-{week} "
        f"evaluation, due by week {week} ({d(due_by).en}): {STATUS_NAMES[status].en}.",
    )
    return Response(
        "not_due",
        drug=course.drug.id,
        course_start=course.start,
        course_week=week_now,
        baseline_date=base.visit.date if base.visit else None,
        next_evaluation_from=due,
        next_evaluation_due=due_by,
        evaluation_status=status,
        assessment_week=assessment_week,
        explanations=(WHY.text(rule_id, reading(text)),),
    )


def _week_16(history: History, base: Baseline, course: Course) -> Response:
    """XB-3 Reading: the latest assessment from day 105 (week 15+) is the week-16 evaluation;
    before one → ``not_due``. No extension: the latest such assessment decides."""
    name = drug_name(course.drug.id)
    week_now = course_day(course.start, history.as_of) // 7
    baseline_date = base.visit.date if base.visit else None
    evaluations = [
        v for v in history.visits if course_day(course.start, v.date) >= WEEK_16_FROM_DAY
    ]
    if not evaluations:
        return _not_due(
            history, base, course, rule_id="XB-3", week=16, from_day=WEEK_16_FROM_DAY,
            due_day=WEEK_16_DUE_DAY, assessment_week=ASSESSMENT_WEEK, prefix=BEYOND,
        )  # fmt: skip
    visit = evaluations[-1]
    day = course_day(course.start, visit.date)
    result = judge(base.visit, visit)
    intro = Text(
        f"16-ukersevaluering av {name.nb} {d(visit.date).nb} (dag {day}, uke {day // 7}): ",
        f"Week-16 evaluation of {name.en} on {d(visit.date).en} (day {day}, week {day // 7}): ",
    )
    return Response(
        decision=result.decision,
        drug=course.drug.id,
        course_start=course.start,
        course_week=week_now,
        evaluation="week_16",
        evaluation_date=visit.date,
        day=day,
        week=day // 7,
        an_reduction_pct=result.an_reduction_pct,
        hiscr_achieved=result.hiscr_achieved,
        dlqi_fall=result.dlqi_fall,
        baseline_date=baseline_date,
        missing=result.missing,
        assessment_week=ASSESSMENT_WEEK,
        explanations=(WHY.text("XB-3", reading(BEYOND + intro + result.text)),),
    )


def _week_24_due(due_by: date | None, status: DueStatus | None) -> Text:
    """After an extension: when the week-24 evaluation falls due, and whether it is overdue."""
    if due_by is None or status is None:
        return Text("", "")
    return Text(
        f" 24-ukersevalueringen innen {d(due_by).nb}: {STATUS_NAMES[status].nb}.",
        f" The week-24 evaluation is due by {d(due_by).en}: {STATUS_NAMES[status].en}.",
    )


def _judge(kind: EvaluationKind, base: Baseline, visit: Visit) -> _Judged:
    """One evaluation: week 12 (continue / extend / stop / clinical judgement) or, after an
    extension, week 24 (adequate → continue, otherwise stop)."""
    before = base.visit
    if before is None or before.date >= visit.date:
        no_baseline = Text(
            "ingen baseline-vurdering før evalueringen (MO-2).",
            "no baseline assessment before the evaluation (MO-2).",
        )
        return _Judged(
            "insufficient_data",
            kind,
            visit,
            an_reduction_pct=None,
            hiscr_achieved=None,
            dlqi_fall=None,
            missing=("assessments",),
            text=no_baseline,
        )
    pct = scores.reduction_pct(before.lesions.an, visit.lesions.an)
    achieved = scores.hiscr(before.lesions, visit.lesions)
    fall = None if before.dlqi is None or visit.dlqi is None else before.dlqi - visit.dlqi
    fall_ok: Tri = None if fall is None else fall >= scores.DLQI_ADEQUATE_FALL
    dlqi_missing = tuple(v.path("dlqi") for v in (before, visit) if v.dlqi is None)
    facts = Text(
        f"AN {before.lesions.an} → {visit.lesions.an} ({reduction(pct).nb}), HiSCR "
        f"{achievement(achieved).nb}, DLQI-fall {num(fall).nb}. ",
        f"AN {before.lesions.an} → {visit.lesions.an} ({reduction(pct).en}), HiSCR "
        f"{achievement(achieved).en}, DLQI fall {num(fall).en}. ",
    )

    def judged(decision: Decision, text: Text, missing: tuple[str, ...] = ()) -> _Judged:
        return _Judged(decision, kind, visit, pct, achieved, fall, missing, facts + text)

    if achieved is None:
        return judged(
            "clinical_judgement",
            reading(
                Text(
                    "AN ved baseline er 0, så HiSCR og AN-reduksjon kan ikke vurderes; klinisk skjønn.",
                    "the AN count at baseline is 0, so HiSCR and the AN reduction are not evaluable; "
                    "clinical judgement.",
                )
            ),
        )
    adequate = all3(achieved, fall_ok)
    if adequate:
        return judged(
            "continue",
            Text(
                "Adekvat respons (DLQI-fall ≥ 4 og HiSCR): fortsett.",
                "Adequate response (DLQI fall ≥ 4 and HiSCR): continue.",
            ),
        )
    if kind == "week_24":
        if adequate is None:
            return judged(
                "insufficient_data",
                Text(
                    "DLQI mangler for å avgjøre om responsen er adekvat.",
                    "The DLQI is missing to decide whether the response is adequate.",
                ),
                dlqi_missing,
            )
        return judged(
            "stop",
            reading(
                Text(
                    "ikke adekvat respons etter 12 ukers forlengelse: avslutt, vurder tredjelinje (TX-11).",
                    "no adequate response after the 12-week extension: stop, consider third line (TX-11).",
                )
            ),
        )
    an, abscesses, tunnels = (
        before.lesions.an,
        before.lesions.abscesses,
        before.lesions.draining_tunnels,
    )
    if scores.reduced_by(an, visit.lesions.an, scores.HISCR_PERCENT):
        failing = []
        if achieved is False:
            failing.append(
                Text(
                    f"HiSCR (abscesser {abscesses} → {visit.lesions.abscesses}, fistler {tunnels} → "
                    f"{visit.lesions.draining_tunnels})",
                    f"HiSCR (abscesses {abscesses} → {visit.lesions.abscesses}, tunnels {tunnels} → "
                    f"{visit.lesions.draining_tunnels})",
                )
            )
        if fall_ok is False:
            failing.append(Text(f"DLQI-fall ≥ 4 (fall {fall})", f"DLQI fall ≥ 4 (fall {fall})"))
        if not failing:
            return judged(
                "insufficient_data",
                Text(
                    "AN redusert ≥ 50 %, men DLQI mangler for å avgjøre om responsen er adekvat.",
                    "AN reduced ≥ 50 %, but the DLQI is missing to decide whether the response is "
                    "adequate.",
                ),
                dlqi_missing,
            )
        names = Text(" og ".join(t.nb for t in failing), " and ".join(t.en for t in failing))
        return judged(
            "clinical_judgement",
            reading(
                Text(
                    f"AN redusert ≥ 50 %, men ikke oppnådd: {names.nb}. Klinisk skjønn.",
                    f"AN reduced ≥ 50 %, but not achieved: {names.en}. Clinical judgement.",
                )
            ),
        )
    if scores.reduced_by(an, visit.lesions.an, PARTIAL_PERCENT):
        return judged(
            "extend_12_weeks",
            Text(
                "Partiell respons (AN redusert 25–49 %): fortsett 12 uker til.",
                "Partial response (AN reduced 25–49 %): continue another 12 weeks.",
            ),
        )
    return judged(
        "stop",
        Text(
            "AN redusert mindre enn 25 %: avslutt, vurder tredjelinje (TX-11).",
            "AN reduced by less than 25 %: stop, consider third line (TX-11).",
        ),
    )
