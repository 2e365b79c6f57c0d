"""Episodes (HISREG's forløp): a finished intervention, what was measured before it and what
was measured at the control that judges it. Most quality indicators count episodes.

- The episode's **own** before-treatment ("pre") forms are those that belong to it as the
  HISREG export's EPISODE_ID says (hisreg.dictionary KEY_MEANINGS; issue 16, D1): a pre form
  belongs to the patient's first finished intervention dated on or after it (on one day the
  lowest id). The **baseline** is the latest (date, then id) of the episode's own finished pre
  forms; nothing is read from a pre form of an earlier episode.
- An episode is **complete** when it has its own finished doctor's and patient's pre forms and
  the patient a finished medical history: HISREG's loaders keep only such episodes
  (R/lastShinyHisreg.R, inner merges of registration, preinterventiondoctor, preintervention
  and intervention, all STATUS == 1), and the quality indicators count only them.
- The **control** that judges an episode is the finished form linked to the intervention at the
  6-month control for surgical and combined interventions, at the 3-month control for medical
  ones (issue 5; guideline.followup).
- The episode's **year** is the year of the intervention, its **unit** the intervention's unit.
- The **control indicators** (D2) read the doctor's 3- and 6-month control dates and the last
  day of each window in lubridate's months (guideline.followup).

Finding the control and the rest takes two dozen sub-selects per episode, too many to run for
every report: ``refresh_episodes`` runs them when a patient's forms change and keeps the facts
in ``reports.models.Episode``, and ``episode_rows`` reads them back beside the intervention's
own fields. The baseline, ``complete``, the windows and the patient's first complete episode
(the referral indicator, D7) are worked out in Python while the rows are stored, from the
patient's before forms read in order beside them (``_in_python``). The indicators aggregate
the stored rows in the database (reports.indicators) and never load a row into Python.
``baseline`` and ``own_pre_forms`` give the same baseline as a sub-select, for the figures'
queries of fields not stored.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
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

from hsreg.assessments.models import (
    COMPLICATIONS,
    DoctorAssessment,
    MedicalHistory,
    Occasion,
    PatientReport,
)
from hsreg.guideline import catalog
from hsreg.guideline.followup import (
    in_indicator_window,
    indicator_window_closes,
)
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
YES, NO = 1, 0


def own_pre_forms(model: Any, **only: Any) -> QuerySet[Any]:
    """The intervention's own finished before-treatment forms of ``model`` (matching ``only``):
    dated on or before it, with no other finished intervention of the patient before it (by
    date, then id) dated on or after the form, which the form would belong to instead (D1)."""
    earlier_claim = Intervention.objects.filter(
        Q(date__lt=OuterRef(OuterRef("date")))
        | Q(date=OuterRef(OuterRef("date")), pk__lt=OuterRef(OuterRef("pk"))),
        patient=OuterRef("patient"),
        status=Status.FINISHED,
        date__gte=OuterRef("date"),
    )
    return model.objects.filter(
        ~Exists(earlier_claim),
        **only,
        patient=OuterRef("patient"),
        status=Status.FINISHED,
        occasion=Occasion.PRE,
        date__lte=OuterRef("date"),
    )


def baseline(model: Any, field: str, **only: Any) -> Subquery:
    """``field`` of the latest (date, then id) of the intervention's own finished
    before-treatment forms (among those matching ``only``)."""
    forms = own_pre_forms(model, **only).order_by("-date", "-id")
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


#: a control form's answer "the control could not be done" (assessments CONTROL_POSSIBLE)
CONTROL_NOT_POSSIBLE = 0


def _doctor_control_date(occasion: str) -> Subquery:
    """The date of the latest finished doctor's control of ``occasion`` linked to the
    intervention: R's ``c_date`` (CONTROL_DATE of the doctor's control form)."""
    forms = DoctorAssessment.objects.filter(
        intervention=OuterRef("pk"), status=Status.FINISHED, occasion=occasion
    ).exclude(control_possible=CONTROL_NOT_POSSIBLE)
    return Subquery(forms.order_by("-date", "-id").values("date")[:1])


#: the baseline facts (D1) -> the field of the doctor's or the patient's before form
DOCTOR_BASELINE = {
    "base_ihs4": "ihs4",
    "base_hurley": "hurley",
    "base_an": "an_count",
    "base_abscesses": "abscesses",
    "base_tunnels": "draining_tunnels",
    "base_bmi": "bmi",
}
REPORT_BASELINE = {"base_vas": "vas_total", "base_smoking": "smoking"}


def _sql_tenths(expression: Any) -> Cast:
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
#: the stored facts worked out in Python while they are stored (``_in_python``): the baseline
#: and ``complete`` from the patient's before forms, the control windows, the first episode
IN_PYTHON = (
    "followup_3m_done",
    "followup_6m_done",
    "window_3m_closes",
    "window_6m_closes",
    "first_complete",
    "complete",
    "base_dlqi",
    *DOCTOR_BASELINE,
    *REPORT_BASELINE,
)
#: the stored facts the sub-selects compute (``computed_facts``)
IN_SQL = tuple(f for f in STORED if f not in IN_PYTHON)
BATCH = 2000


def judged_occasion(prefix: str = "") -> Case:
    """The occasion of the control that judges an intervention: 6 months after a surgical or
    combined one, 3 months after the rest. ``prefix`` reaches the intervention from a form
    ("intervention__")."""
    return Case(
        When(**{f"{prefix}type__in": SURGICAL_TYPES}, then=Value(Occasion.CONTROL_6)),
        default=Value(Occasion.CONTROL_3),
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
        has_history=Exists(
            MedicalHistory.objects.filter(patient=OuterRef("patient"), status=Status.FINISHED)
        ),
        ctl_ihs4=control(DoctorAssessment, "ihs4"),
        ctl_hurley=control(DoctorAssessment, "hurley"),
        ctl_an=control(DoctorAssessment, "an_count"),
        ctl_abscesses=control(DoctorAssessment, "abscesses"),
        ctl_tunnels=control(DoctorAssessment, "draining_tunnels"),
        ctl_dlqi=control(PatientReport, "dlqi_total", dlqi_instrument="dlqi"),
        ctl_vas=_sql_tenths(control(PatientReport, "vas_total")),
        ctl_satisfaction=control(PatientReport, "satisfaction"),
        complications_answered=_control_report_where((YES, NO)),
        complication=_control_report_where((YES,)),
        doctor_control_3m=_doctor_control_date(Occasion.CONTROL_3),
        doctor_control_6m=_doctor_control_date(Occasion.CONTROL_6),
        months_to_specialist=_history("months_gp_to_specialist"),
        age_first_gp=_history("age_first_gp"),
        age_diagnosis=_history("age_diagnosis"),
    )


#: what each row of the sub-selects holds, in order: the intervention's id, patient and date,
#: whether the patient has a finished medical history, then the facts of IN_SQL
_SELECTED = ("pk", "patient_id", "date", "has_history", *IN_SQL)
#: what each before form's row holds: its patient, date and id, then its fields
_DOCTOR_FIELDS = tuple(DOCTOR_BASELINE.values())
_REPORT_FIELDS = ("dlqi_instrument", "dlqi_total", *REPORT_BASELINE.values())


def _pre_forms(model: Any, fields: tuple[str, ...], patient_ids: list[int] | None) -> Any:
    """The patients' finished before-treatment forms of ``model`` as rows (patient, date, id,
    *fields), ordered by patient, date and id: what ``_owners`` hands out."""
    forms = model.objects.filter(status=Status.FINISHED, occasion=Occasion.PRE)
    if patient_ids is not None:
        forms = forms.filter(patient_id__in=patient_ids)
    ordered = forms.order_by("patient_id", "date", "id")
    return ordered.values_list("patient_id", "date", "id", *fields).iterator(chunk_size=BATCH)


class _Forms:
    """One patient's rows at a time from a stream of forms ordered by patient."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self._rows = iter(rows)
        self._next: tuple[Any, ...] | None = next(self._rows, None)

    def of(self, patient_id: int) -> list[tuple[Any, ...]]:
        while self._next is not None and self._next[0] < patient_id:
            self._next = next(self._rows, None)
        found = []
        while self._next is not None and self._next[0] == patient_id:
            found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _doctor_controls(patient_ids: list[int] | None) -> Any:
    """The patients' finished doctor's 3- and 6-month controls as rows (patient, intervention,
    occasion, date), ordered by patient: R keeps one row per control form (the merge of
    ``doctorcontrol`` in ``lastShinyHisreg``) and counts an episode done when any of them lies
    inside the window (``summarise(Variabel = max(Variabel))`` per MCEID). A form that says
    the control could not be done (``control_possible`` 0: the patient did not attend or
    died) is no control; R would count its date (deviation, README)."""
    forms = DoctorAssessment.objects.filter(
        status=Status.FINISHED,
        occasion__in=(Occasion.CONTROL_3, Occasion.CONTROL_6),
        intervention__isnull=False,
    ).exclude(control_possible=CONTROL_NOT_POSSIBLE)
    if patient_ids is not None:
        forms = forms.filter(patient_id__in=patient_ids)
    ordered = forms.order_by("patient_id", "date", "id")
    rows = ordered.values_list("patient_id", "intervention_id", "occasion", "date")
    return rows.iterator(chunk_size=BATCH)


def _controlled(controls: list[tuple[Any, ...]], pk: int, on: date) -> dict[str, bool]:
    """Whether any finished doctor's control of each occasion linked to intervention ``pk``
    (dated ``on``) lies strictly inside its indicator window (D2, guideline.followup)."""
    dates: dict[str, list[date]] = {Occasion.CONTROL_3: [], Occasion.CONTROL_6: []}
    for _patient, intervention, occasion, when in controls:
        if intervention == pk:
            dates[occasion].append(when)
    return {
        "followup_3m_done": any(
            in_indicator_window("medical", on, d) for d in dates[Occasion.CONTROL_3]
        ),
        "followup_6m_done": any(
            in_indicator_window("surgical", on, d) for d in dates[Occasion.CONTROL_6]
        ),
    }


def _owners(interventions: list[tuple[Any, ...]], forms: list[tuple[Any, ...]]) -> list[list[Any]]:  # fmt: skip
    """Per intervention (ordered by date and id), its own before forms (D1): each form goes to
    the first intervention dated on or after it, on one day the lowest id (hisreg.dictionary
    KEY_MEANINGS, EPISODE_ID); a form after the last intervention goes to none. Both lists
    are ordered by (date, id); so are the forms of each intervention."""
    owned: list[list[Any]] = [[] for _ in interventions]
    k = 0
    for form in forms:
        while k < len(interventions) and interventions[k][2] < form[1]:
            k += 1
        if k == len(interventions):
            break
        owned[k].append(form)
    return owned


def _tenths(value: Any) -> int | None:
    """A 0-10 scale with one decimal as whole tenths, so comparisons are exact."""
    if value is None:
        return None
    return int((Decimal(value) * 10).to_integral_value(ROUND_HALF_UP))


def _baseline_facts(doctors: list[Any], reports: list[Any], has_history: bool) -> dict[str, Any]:
    """The baseline and ``complete`` of one episode from its own before forms (D1): the
    latest (date, id) doctor's and patient's form; the DLQI from the latest report on the
    DLQI (XB-6: a CDLQI, under 16, is on another scale)."""
    facts: dict[str, Any] = {"complete": bool(has_history and doctors and reports)}
    latest = doctors[-1] if doctors else None
    for i, name in enumerate(DOCTOR_BASELINE):
        facts[name] = None if latest is None else latest[3 + i]
    report = reports[-1] if reports else None
    facts["base_vas"] = None if report is None else _tenths(report[5])
    facts["base_smoking"] = None if report is None else report[6]
    dlqi = [r for r in reports if r[3] == "dlqi"]
    facts["base_dlqi"] = dlqi[-1][4] if dlqi else None
    return facts


def _in_python(rows: Iterable[tuple[Any, ...]], doctors: _Forms, reports: _Forms, controls: _Forms) -> Iterator[Episode]:  # fmt: skip
    """The episodes of ``rows`` (ordered by patient, date and id) with the facts of IN_PYTHON:

    - the baseline and ``complete`` from each episode's own before forms (``_owners``; D1);
    - the last days of the indicators' windows, and whether any of the doctor's 3- and
      6-month controls lies strictly inside them, in lubridate's months (D2,
      guideline.followup);
    - ``first_complete``: the patient's earliest complete episode, the one the referral
      indicator counts (D7; R: ``aux[order(aux$HovedDato), ]``, first row per PasientID).

    The baseline is worked out here and not by sub-selects: bounding each of a dozen
    sub-selects to the episode's own forms (``own_pre_forms``, which the figures' queries
    use) made the refresh four times slower."""
    for patient_id, group in groupby(rows, key=lambda row: row[1]):
        interventions = list(group)
        own_doctors = _owners(interventions, doctors.of(patient_id))
        own_reports = _owners(interventions, reports.of(patient_id))
        patient_controls = controls.of(patient_id)
        seen_complete = False
        for k, (pk, _patient, on, has_history, *values) in enumerate(interventions):
            facts = dict(zip(IN_SQL, values, strict=True))
            facts.update(_baseline_facts(own_doctors[k], own_reports[k], has_history))
            first = facts["complete"] and not seen_complete
            seen_complete = seen_complete or facts["complete"]
            yield Episode(
                intervention_id=pk,
                **facts,
                first_complete=first,
                window_3m_closes=indicator_window_closes("medical", on),
                window_6m_closes=indicator_window_closes("surgical", on),
                **_controlled(patient_controls, pk, on),
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
            computed_facts(interventions.order_by("patient_id", "date", "id"))
            .values_list(*_SELECTED)
            .iterator(chunk_size=BATCH)
        )
    chosen = None if patient_ids is None else ids
    doctors = _Forms(_pre_forms(DoctorAssessment, _DOCTOR_FIELDS, chosen))
    reports = _Forms(_pre_forms(PatientReport, _REPORT_FIELDS, chosen))
    controls = _Forms(_doctor_controls(chosen))
    stored = 0
    batch: list[Episode] = []
    for episode in _in_python(rows, doctors, reports, controls):
        batch.append(episode)
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
    ordered = interventions.order_by("date", "id")
    query = computed_facts(ordered).values_list(*_SELECTED).query
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
        # D2, deviation 2: counted once the window's last day is on or before the report date
        followup_3m_due=Q(type__in=MEDICAL_TYPES, episode__window_3m_closes__lt=as_of),
        followup_6m_due=Q(type__in=SURGICAL_TYPES, episode__window_6m_closes__lt=as_of),
    )
