"""The data of the patient page's chart (patients.timeline draws it) from the finished forms
the reader may see: IHS4 and AN of each doctor's assessment, DLQI and pain of each patient's
report, the drug courses and the surgical interventions."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.assessments.scoring import (
    AssessmentScores,
    report_dlqi_total,
)
from hsreg.guideline import scores
from hsreg.records.models import Status
from hsreg.treatments.models import (
    DrugCourse,
    Intervention,
)

from . import timeline
from .history import Forms, drug_label


def cdlqi_series(reports: list[PatientReport]) -> tuple[timeline.Series, ...]:
    """XB-6: the children's DLQI on its own line (its bands differ from the DLQI's), shown
    only for a patient with a CDLQI."""
    children = [r for r in reports if r.dlqi_instrument == "cdlqi"]
    if not children:
        return ()
    return (
        timeline.Series(
            "cdlqi",
            "CDLQI",
            "#5a2d82",
            timeline.points((r.date, report_dlqi_total(r)) for r in children),
            top=scores.CDLQI_MAX,
            thresholds=(
                (scores.CDLQI_ELIGIBLE_FROM, _("CDLQI 13: very large effect from here (XB-6)")),
            ),
        ),
    )


def build_timeline(
    forms: Forms, assessment_values: dict[int, AssessmentScores], *, today: date
) -> timeline.Timeline:
    """The chart's data from the finished forms: IHS4 and AN of each doctor's assessment, DLQI
    and pain of each patient's report, the drug courses and the surgical interventions."""
    assessments: list[DoctorAssessment] = forms.finished(DoctorAssessment)
    reports: list[PatientReport] = forms.finished(PatientReport)
    series = (
        timeline.Series(
            "ihs4",
            "IHS4",
            "#b3261e",
            timeline.points((a.date, assessment_values[a.pk].ihs4) for a in assessments),
            min_top=15,
            thresholds=(
                (scores.IHS4_MODERATE_FROM, _("IHS4 4: moderate from here (ST-2)")),
                (scores.IHS4_SEVERE_FROM, _("IHS4 11: severe from here (ST-2)")),
            ),
        ),
        timeline.Series(
            "an",
            _("AN count"),
            "#0b5cab",
            timeline.points((a.date, assessment_values[a.pk].an_count) for a in assessments),
        ),
        timeline.Series(
            "dlqi",
            "DLQI",
            "#7b3fa0",
            timeline.points(
                (r.date, report_dlqi_total(r)) for r in reports if r.dlqi_instrument != "cdlqi"
            ),
            top=scores.DLQI_MAX,
            thresholds=((scores.DLQI_ELIGIBLE_FROM, _("DLQI 11: required for a biologic (TX-6)")),),
        ),
        *cdlqi_series(reports),
        timeline.Series(
            "pain",
            _("Pain VAS"),
            "#a35a00",
            timeline.points(
                (r.date, None if r.vas_total is None else float(r.vas_total)) for r in reports
            ),
            top=10,
            decimals=1,
        ),
    )
    courses = tuple(
        timeline.CourseBar(
            drug=drug_label(c.drug),
            start=c.date,
            end=c.end,
            planned=c.date > today,
            note="; ".join(
                n
                for n in (
                    c.get_stop_reason_display() if c.stop_reason else "",
                    _("safety checks overridden") if c.overridden else "",
                )
                if n
            ),
        )
        for c in forms.finished(DrugCourse)
    )
    surgeries = tuple(
        timeline.SurgeryMarker(i.date, i.get_type_display())
        for i in forms.finished(Intervention)
        if i.is_surgical
    )
    first = min(
        (r.date for rows in forms.by_model.values() for r in rows if r.status == Status.FINISHED),
        default=None,
    )
    return timeline.Timeline(series, courses, surgeries, today, first)
