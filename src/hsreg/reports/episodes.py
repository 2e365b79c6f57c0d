"""Episodes (HISREG's forløp): a finished intervention, what was measured before it and what
was measured at the control that judges it. Most quality indicators count episodes.

- The **baseline** is the patient's latest finished "before treatment" form (doctor's
  assessment, patient's report) dated on or before the intervention.
- The **control** that judges an episode is the finished form linked to the intervention at the
  6-month control for surgical and combined interventions, at the 3-month control for medical
  ones (issue 5; guideline.followup).
- The episode's **year** is the year of the intervention, its **unit** the intervention's unit.

The episodes are one SQL common table expression, materialised, so every sub-select below runs
once per episode however many indicators read its column; the indicators aggregate it in the
database (reports.indicators) and never load a row into Python.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear, Round
from django_cte import CTE

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, Occasion, PatientReport
from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.followup import window_days
from hsreg.records.models import Status
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    DrugCourse,
    Intervention,
    InterventionType,
)

BIOLOGICS = sorted(d.id for d in DRUGS.values() if d.biologic)
#: the control forms' answers on complications after surgery (HISREG's patientcontrol)
COMPLICATIONS = (
    "wound_infection",
    "delayed_healing",
    "scar_problems",
    "nerve_damage",
    "sepsis",
    "bleeding",
    "other_complications",
)
YES, NO = 1, 0


def _baseline(model: Any, field: str) -> Subquery:
    """``field`` of the patient's latest finished before-treatment form on or before the
    intervention."""
    forms = model.objects.filter(
        patient=OuterRef("patient"),
        status=Status.FINISHED,
        occasion=Occasion.PRE,
        date__lte=OuterRef("date"),
    ).order_by("-date", "-id")
    return Subquery(forms.values(field)[:1])


def _control(model: Any, field: str) -> Subquery:
    """``field`` of the finished control form that judges the episode (3 or 6 months)."""
    forms = model.objects.filter(
        intervention=OuterRef("pk"),
        status=Status.FINISHED,
        occasion=OuterRef("judged_at"),
    ).order_by("-date", "-id")
    return Subquery(forms.values(field)[:1])


def _history(field: str) -> Subquery:
    forms = MedicalHistory.objects.filter(patient=OuterRef("patient"), status=Status.FINISHED)
    return Subquery(forms.order_by("-date", "-id").values(field)[:1])


def _days_after(days: int) -> Cast:
    return Cast(OuterRef("date") + timedelta(days=days), DateField())


def _control_in_window(kind: str) -> Q:
    """A finished control form (doctor's or patient's) linked to the intervention and dated
    inside the follow-up window of ``kind`` (guideline.followup)."""
    first, last = window_days(kind)  # type: ignore[arg-type]
    within = {
        "intervention": OuterRef("pk"),
        "status": Status.FINISHED,
        "date__gte": _days_after(first),
        "date__lte": _days_after(last),
    }
    return Q(Exists(DoctorAssessment.objects.filter(**within))) | Q(
        Exists(PatientReport.objects.filter(**within))
    )


def _window_closed(kind: str, as_of: date) -> Q:
    """The follow-up window of ``kind`` has closed by ``as_of``: the episode can be judged."""
    _first, last = window_days(kind)  # type: ignore[arg-type]
    return Q(date__lte=as_of - timedelta(days=last))


def _tenths(expression: Any) -> Cast:
    """A 0-10 scale with one decimal as whole tenths, so comparisons are exact."""
    return Cast(Round(expression * 10), IntegerField())


def _control_report_where(answers: tuple[int, ...]) -> Exists:
    """The judging control report answered at least one complication question with one of
    ``answers``."""
    any_answer = Q(*(Q(**{f"{c}__in": answers}) for c in COMPLICATIONS), _connector=Q.OR)
    reports = PatientReport.objects.filter(
        any_answer,
        intervention=OuterRef("pk"),
        status=Status.FINISHED,
        occasion=OuterRef("judged_at"),
    )
    return Exists(reports)


def episode_rows(*, as_of: date, years: tuple[int, int] | None = None) -> QuerySet[Any]:
    """The episodes' columns, one row per finished intervention (optionally of ``years``, first
    and last inclusive): the body of the ``episode`` CTE."""
    interventions = Intervention.objects.filter(status=Status.FINISHED, date__lte=as_of)
    if years is not None:
        interventions = interventions.filter(
            date__gte=date(years[0], 1, 1), date__lte=date(years[1], 12, 31)
        )
    birth = "patient__birth_date"
    before_birthday = Q(
        Q(**{"month__lt": ExtractMonth(birth)})
        | Q(**{"month": ExtractMonth(birth), "day__lt": ExtractDay(birth)})
    )
    episodes = interventions.annotate(
        year=ExtractYear("date"),
        month=ExtractMonth("date"),
        day=ExtractDay("date"),
        judged_at=Case(
            When(type__in=SURGICAL_TYPES, then=Value(Occasion.CONTROL_6)),
            default=Value(Occasion.CONTROL_3),
        ),
    )
    return episodes.annotate(
        age=F("year")
        - ExtractYear(birth)
        - Case(When(before_birthday, then=Value(1)), default=Value(0)),
        sex=F("patient__sex"),
        surgical=Q(type__in=SURGICAL_TYPES),
        medical=Q(type__in=MEDICAL_TYPES),
        treated=Q(type__in=SURGICAL_TYPES | MEDICAL_TYPES),
        no_treatment=Q(
            type__in=(InterventionType.NONE_BY_DOCTOR, InterventionType.NONE_BY_PATIENT)
        ),
        biologic=Exists(
            DrugCourse.objects.filter(
                intervention=OuterRef("pk"), status=Status.FINISHED, drug__in=BIOLOGICS
            )
        ),
        prior_antibiotic=_history("medication_antibiotic"),
        base_ihs4=_baseline(DoctorAssessment, "ihs4"),
        base_hurley=_baseline(DoctorAssessment, "hurley"),
        base_an=_baseline(DoctorAssessment, "an_count"),
        base_abscesses=_baseline(DoctorAssessment, "abscesses"),
        base_tunnels=_baseline(DoctorAssessment, "draining_tunnels"),
        base_bmi=_baseline(DoctorAssessment, "bmi"),
        base_dlqi=_baseline(PatientReport, "dlqi_total"),
        base_vas=_tenths(_baseline(PatientReport, "vas_total")),
        base_smoking=_baseline(PatientReport, "smoking"),
        ctl_ihs4=_control(DoctorAssessment, "ihs4"),
        ctl_hurley=_control(DoctorAssessment, "hurley"),
        ctl_an=_control(DoctorAssessment, "an_count"),
        ctl_abscesses=_control(DoctorAssessment, "abscesses"),
        ctl_tunnels=_control(DoctorAssessment, "draining_tunnels"),
        ctl_dlqi=_control(PatientReport, "dlqi_total"),
        ctl_vas=_tenths(_control(PatientReport, "vas_total")),
        ctl_satisfaction=_control(PatientReport, "satisfaction"),
        complications_answered=_control_report_where((YES, NO)),
        complication=_control_report_where((YES,)),
        followup_3m_due=Q(medical=True) & _window_closed("medical", as_of),
        followup_6m_due=Q(surgical=True) & _window_closed("surgical", as_of),
        followup_3m_done=Case(
            When(_control_in_window("medical"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        followup_6m_done=Case(
            When(_control_in_window("surgical"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def episode_cte(*, as_of: date, years: tuple[int, int] | None = None) -> CTE:
    """The episodes as a materialised CTE named ``episode``: read its columns with
    ``cte.queryset()`` (reports.indicators)."""
    rows = episode_rows(as_of=as_of, years=years).values(
        "id",
        "unit_id",
        "patient_id",
        "type",
        "year",
        "date",
        "age",
        "sex",
        "surgical",
        "medical",
        "treated",
        "no_treatment",
        "biologic",
        "prior_antibiotic",
        "base_ihs4",
        "base_hurley",
        "base_an",
        "base_abscesses",
        "base_tunnels",
        "base_bmi",
        "base_dlqi",
        "base_vas",
        "base_smoking",
        "ctl_ihs4",
        "ctl_hurley",
        "ctl_an",
        "ctl_abscesses",
        "ctl_tunnels",
        "ctl_dlqi",
        "ctl_vas",
        "ctl_satisfaction",
        "complications_answered",
        "complication",
        "followup_3m_due",
        "followup_6m_due",
        "followup_3m_done",
        "followup_6m_done",
    )
    return CTE(rows, name="episode", materialized=True)
