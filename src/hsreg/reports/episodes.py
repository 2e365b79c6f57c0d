"""Episodes (HISREG's forløp): a finished intervention, what was measured before it and what
was measured at the control that judges it. Most quality indicators count episodes.

- The **baseline** is the patient's latest finished "before treatment" form (doctor's
  assessment, patient's report) dated on or before the intervention.
- The **control** that judges an episode is the finished form linked to the intervention at the
  6-month control for surgical and combined interventions, at the 3-month control for medical
  ones (issue 5; guideline.followup).
- The episode's **year** is the year of the intervention, its **unit** the intervention's unit.

Finding the baseline and the control takes two dozen sub-selects per episode, too many to run
for every report: ``refresh_episodes`` runs them when a patient's forms change and keeps the
facts in ``reports.models.Episode``, and ``episode_rows`` reads them back beside the
intervention's own fields. The indicators aggregate those rows in the database
(reports.indicators) and never load a row into Python.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
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

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, Occasion, PatientReport
from hsreg.guideline import catalog
from hsreg.guideline.followup import window_days
from hsreg.patients.models import Patient
from hsreg.records.models import Record, Status
from hsreg.records.services import on_change
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    DrugCourse,
    Intervention,
    InterventionType,
)

from .models import Episode

BIOLOGICS = sorted(catalog.BIOLOGICS)  # alphabetical: the distributions' rows follow this order
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


def baseline(model: Any, field: str, **only: Any) -> Subquery:
    """``field`` of the patient's latest finished before-treatment form on or before the
    intervention (among those matching ``only``)."""
    forms = model.objects.filter(
        **only,
        patient=OuterRef("patient"),
        status=Status.FINISHED,
        occasion=Occasion.PRE,
        date__lte=OuterRef("date"),
    ).order_by("-date", "-id")
    return Subquery(forms.values(field)[:1])


def control(model: Any, field: str, **only: Any) -> Subquery:
    """``field`` of the finished control form that judges the episode (3 or 6 months), among
    those matching ``only``."""
    forms = model.objects.filter(
        **only,
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


def complication_answered(answers: tuple[int, ...]) -> Q:
    """A patient's report answered at least one complication question with one of
    ``answers``."""
    return Q(*(Q(**{f"{c}__in": answers}) for c in COMPLICATIONS), _connector=Q.OR)


def _control_report_where(answers: tuple[int, ...]) -> Exists:
    """The judging control report answered at least one complication question with one of
    ``answers``."""
    reports = PatientReport.objects.filter(
        complication_answered(answers),
        intervention=OuterRef("pk"),
        status=Status.FINISHED,
        occasion=OuterRef("judged_at"),
    )
    return Exists(reports)


#: the facts stored per episode (reports.models.Episode), read back by ``episode_rows``
STORED = tuple(f.name for f in Episode._meta.concrete_fields if not f.primary_key)
BATCH = 2000


def judged_occasion(prefix: str = "") -> Case:
    """The occasion of the control that judges an intervention: 6 months after a surgical or
    combined one, 3 months after the rest. ``prefix`` reaches the intervention from a form
    ("intervention__")."""
    return Case(
        When(**{f"{prefix}type__in": SURGICAL_TYPES}, then=Value(Occasion.CONTROL_6)),
        default=Value(Occasion.CONTROL_3),
    )


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def computed_facts(interventions: QuerySet[Intervention]) -> QuerySet[Any]:
    """``interventions`` with every stored fact computed from the patient's forms (the
    sub-selects): what ``refresh_episodes`` stores."""
    return interventions.annotate(judged_at=judged_occasion()).annotate(
        biologic=Exists(
            DrugCourse.objects.filter(
                intervention=OuterRef("pk"), status=Status.FINISHED, drug__in=BIOLOGICS
            )
        ),
        prior_antibiotic=_history("medication_antibiotic"),
        base_ihs4=baseline(DoctorAssessment, "ihs4"),
        base_hurley=baseline(DoctorAssessment, "hurley"),
        base_an=baseline(DoctorAssessment, "an_count"),
        base_abscesses=baseline(DoctorAssessment, "abscesses"),
        base_tunnels=baseline(DoctorAssessment, "draining_tunnels"),
        base_bmi=baseline(DoctorAssessment, "bmi"),
        # XB-6: a CDLQI (under 16) is on another scale: the DLQI's before/after are DLQIs
        base_dlqi=baseline(PatientReport, "dlqi_total", dlqi_instrument="dlqi"),
        base_vas=_tenths(baseline(PatientReport, "vas_total")),
        base_smoking=baseline(PatientReport, "smoking"),
        ctl_ihs4=control(DoctorAssessment, "ihs4"),
        ctl_hurley=control(DoctorAssessment, "hurley"),
        ctl_an=control(DoctorAssessment, "an_count"),
        ctl_abscesses=control(DoctorAssessment, "abscesses"),
        ctl_tunnels=control(DoctorAssessment, "draining_tunnels"),
        ctl_dlqi=control(PatientReport, "dlqi_total", dlqi_instrument="dlqi"),
        ctl_vas=_tenths(control(PatientReport, "vas_total")),
        ctl_satisfaction=control(PatientReport, "satisfaction"),
        complications_answered=_control_report_where((YES, NO)),
        complication=_control_report_where((YES,)),
        followup_3m_done=_flag(_control_in_window("medical")),
        followup_6m_done=_flag(_control_in_window("surgical")),
    )


@transaction.atomic
def refresh_episodes(*, patient_ids: Iterable[int] | None = None) -> int:
    """Recomputes the stored facts of the episodes of ``patient_ids`` (of every patient when
    None) from their finished forms; returns how many episodes were stored. Episodes of
    interventions no longer finished (corrected) go."""
    interventions = Intervention.objects.filter(status=Status.FINISHED)
    stale = Episode.objects.all()
    if patient_ids is not None:
        ids = list(patient_ids)
        # one refresh of a patient at a time: two forms of the same patient finished at once
        # would otherwise both store the episodes, and the later one might not see the other
        list(Patient.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        interventions = interventions.filter(patient_id__in=ids)
        stale = stale.filter(intervention__patient_id__in=ids)
    stale.delete()
    if patient_ids is not None and len(ids) == 1:
        rows: Iterable[tuple[Any, ...]] = _facts_of_one_patient(ids[0])
    else:
        rows = (
            computed_facts(interventions.order_by())
            .values_list("pk", *STORED)
            .iterator(chunk_size=BATCH)
        )
    stored = 0
    batch: list[Episode] = []
    for pk, *facts in rows:
        batch.append(Episode(intervention_id=pk, **dict(zip(STORED, facts, strict=True))))
        if len(batch) == BATCH:
            stored += len(Episode.objects.bulk_create(batch))
            batch = []
    stored += len(Episode.objects.bulk_create(batch))
    return stored


#: stands for the patient's id in the compiled query of one patient's facts (no id is negative)
_PATIENT = -1


@functools.cache
def _one_patient_query(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of ``computed_facts`` for one patient, compiled once per process:
    Django takes about 20 ms to compile its two dozen sub-selects, twice what the database
    takes to run them, and a finished form refreshes its patient on every save. ``vendor``
    keys the cache by database."""
    interventions = Intervention.objects.filter(status=Status.FINISHED, patient_id=_PATIENT)
    query = computed_facts(interventions.order_by()).values_list("pk", *STORED).query
    sql, params = query.sql_with_params()
    assert params.count(_PATIENT) == 1, vendor  # noqa: S101 - the one place the id goes
    return sql, tuple(params)


def _facts_of_one_patient(patient_id: int) -> list[tuple[Any, ...]]:
    sql, params = _one_patient_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [patient_id if p == _PATIENT else p for p in params])
        return cursor.fetchall()


@on_change
def _refresh_after_change(record: Record) -> None:
    refresh_episodes(patient_ids=[record.patient_id])


def episode_rows(*, as_of: date, years: tuple[int, int] | None = None) -> QuerySet[Any]:
    """One row per finished intervention dated up to ``as_of`` (of ``years``, first and last
    inclusive, when given): the intervention's fields, the patient's age at it and sex, its
    stored facts, and what depends on ``as_of`` (whether a follow-up window has closed). The
    indicators' definitions read these columns (reports.definitions)."""
    interventions = Intervention.objects.filter(status=Status.FINISHED, date__lte=as_of)
    if years is not None:
        interventions = interventions.filter(
            date__gte=date(years[0], 1, 1), date__lte=date(years[1], 12, 31)
        )
    birth = "patient__birth_date"
    before_birthday = Q(month__lt=ExtractMonth(birth)) | Q(
        month=ExtractMonth(birth), day__lt=ExtractDay(birth)
    )
    rows = interventions.order_by().annotate(
        year=ExtractYear("date"),
        month=ExtractMonth("date"),
        day=ExtractDay("date"),
        judged_at=judged_occasion(),
        **{column: F(f"episode__{column}") for column in STORED},
    )
    return rows.annotate(
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
        followup_3m_due=Q(type__in=MEDICAL_TYPES) & _window_closed("medical", as_of),
        followup_6m_due=Q(type__in=SURGICAL_TYPES) & _window_closed("surgical", as_of),
    )
