"""A doctor's control and its episode's baseline: HISREG's IHS4_NODULI_LAST, IHS4_BOILS_LAST and
IHS4_SINUS_LAST ("ved forrige måling") and its HISCR / HISCR_CATEGORY, which HISREG computed on
the control form (R: lastShinyHisreg.R reads HISCR and HISCR_CATEGORY from doctorcontrol;
hisregIndikatorer_2022.R, indicator 3, counts HISCR_CATEGORY == "Full-Responder").

The baseline is the episode's own before-treatment doctor's assessment, as the reports read it
(issue 16, DEFINITIONS D1): a before-treatment form belongs to the patient's first finished
intervention dated on or after it (the lowest id on a day), so an intervention's own are those
dated on or before it and after the patient's previous finished intervention; of them the latest
(date, then id). HiSCR is the guideline engine's (MO-2, guideline.registry_codes), computed when
the control is saved and kept as the form saw it: a later change of the baseline does not change
a finished control (a correction of the control computes it again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from hsreg.guideline import registry_codes, scores
from hsreg.patients.selectors import current

from .models import DoctorAssessment, Occasion

Counts = tuple[int | None, int | None, int | None]
CONTROLS = (Occasion.CONTROL_3, Occasion.CONTROL_6)


def baseline_counts(
    *,
    intervention: tuple[date, int],
    interventions: Sequence[tuple[date, int]],
    pre_assessments: Sequence[tuple[date, int, Counts]],
) -> Counts | None:
    """The counts of ``intervention``'s own latest before-treatment assessment (D1), None
    without one. ``interventions`` are the patient's finished interventions (date, id) and
    ``pre_assessments`` their finished before-treatment assessments (date, id, counts)."""
    earlier = [i for i in interventions if i < intervention]
    previous = max(earlier) if earlier else None
    own = [
        a
        for a in pre_assessments
        if a[0] <= intervention[0] and (previous is None or a[0] > previous[0])
    ]
    return max(own, key=lambda a: (a[0], a[1]))[2] if own else None


def hiscr_of(baseline: Counts | None, counts: Counts) -> tuple[Decimal | None, str]:
    """(the AN count's reduction in %, HISCR_CATEGORY) of a control against its baseline;
    (None, "") when it cannot be evaluated (no counts, no baseline, baseline AN 0: MO-2)."""
    if baseline is None or None in baseline or None in counts:
        return None, ""
    before = scores.Lesions(*baseline)  # type: ignore[arg-type]
    after = scores.Lesions(*counts)  # type: ignore[arg-type]
    reduction = scores.reduction_pct(before.an, after.an)
    category = registry_codes.hiscr_category(before, after)
    return (None if reduction is None else Decimal(str(reduction))), category


def episode_baseline(record: DoctorAssessment) -> Counts | None:
    """The baseline counts of the intervention ``record`` follows up, from the finished forms
    of every unit (the registry's view, as the export reads them)."""
    followed: Any = record.intervention
    if followed is None or followed.pk is None:
        return None
    from hsreg.treatments.models import Intervention  # noqa: PLC0415 - treatments imports us

    interventions = list(
        current(Intervention, patient=record.patient, whole_history=True).values_list("date", "id")
    )
    pre = [
        (on, pk, (n, a, d))
        for on, pk, n, a, d in current(DoctorAssessment, patient=record.patient, whole_history=True)
        .filter(occasion=Occasion.PRE)
        .values_list("date", "id", "nodules", "abscesses", "draining_tunnels")
    ]
    return baseline_counts(
        intervention=(followed.date, followed.pk), interventions=interventions, pre_assessments=pre
    )


def score_control(record: DoctorAssessment) -> None:
    """Sets a control's baseline counts and HiSCR (nothing of it at a before-treatment
    assessment, or when the control could not be done)."""
    possible = record.control_possible != 0
    baseline = episode_baseline(record) if record.occasion in CONTROLS and possible else None
    record.nodules_last, record.abscesses_last, record.draining_tunnels_last = (
        baseline if baseline is not None else (None, None, None)
    )
    counts = (record.nodules, record.abscesses, record.draining_tunnels)
    record.hiscr, record.hiscr_category = hiscr_of(baseline, counts)
