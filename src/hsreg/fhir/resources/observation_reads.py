"""Finding Observations: the forms behind them, read in a fixed number of queries.

An Observation is one value of a form, so a search reads the forms (through hsreg.fhir.reads:
the unit's drafts and the finished forms it may see), turns each into its values, and filters
and pages those. HiSCR needs each patient's whole series of assessments and drug courses, so
the forms of every patient concerned are read whatever the ``date`` asked: four queries for
the doctor's assessments with their regions, the patients' reports and the drug courses.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.fhir.search import Page, Search, SearchError, window
from hsreg.treatments.models import DrugCourse

from ..reads import NotFoundError, forms, record
from .episodes import hiscr_of_assessments
from .ids import DOCTOR, ObservationId, parse_observation_id
from .observation import assessment_observations, report_observations


def observations(
    *, actor: Any, patient_ids: list[int] | None, form_ids: dict[str, set[int]] | None = None
) -> list[dict[str, Any]]:
    """The Observations of the unit's patients (of ``patient_ids`` if given; of the forms
    ``form_ids`` names, by ``da``/``pr``, if given), by date, then form, then value."""
    assessments = list(
        forms(DoctorAssessment, actor=actor, patient_ids=patient_ids)
        .select_related("patient")
        .prefetch_related("regions")
        .order_by("date", "pk")
    )
    reports = list(
        forms(PatientReport, actor=actor, patient_ids=patient_ids).order_by("date", "pk")
    )
    concerned = sorted({a.patient_id for a in assessments})
    courses: dict[int, list[DrugCourse]] = defaultdict(list)
    if concerned:
        for course in forms(DrugCourse, actor=actor, finished_only=True, patient_ids=concerned):
            courses[course.patient_id].append(course)
    by_patient: dict[int, list[DoctorAssessment]] = defaultdict(list)
    for a in assessments:
        by_patient[a.patient_id].append(a)
    hiscr = {}
    regions = {a.pk: list(a.regions.all()) for a in assessments}
    for patient_id, series in by_patient.items():
        hiscr.update(
            hiscr_of_assessments(
                series[0].patient, assessments=series, regions=regions, courses=courses[patient_id]
            )
        )
    keyed: list[tuple[tuple[Any, ...], list[dict[str, Any]]]] = []
    for a in assessments:
        if form_ids is None or a.pk in form_ids.get("da", ()):
            keyed.append(
                (
                    (a.date, 0, a.pk),
                    assessment_observations(a, regions[a.pk], hiscr=hiscr.get(a.pk)),
                )
            )
    for r in reports:
        if form_ids is None or r.pk in form_ids.get("pr", ()):
            keyed.append(((r.date, 1, r.pk), report_observations(r)))
    keyed.sort(key=lambda item: item[0])
    return [o for _key, values in keyed for o in values]


def _matches(resource: dict[str, Any], search: Search) -> bool:
    coding = resource["code"]["coding"][0]
    return (
        search.id_matches(resource["id"])
        and search.code_matches(coding["system"], coding["code"])
        and search.date_matches(_day(resource))
    )


def _day(resource: dict[str, Any]) -> date:
    return date.fromisoformat(resource["effectiveDateTime"][:10])


def search(*, actor: Any, search: Search) -> Page:
    """Observations by ``patient``, ``_id``, ``code`` and ``date`` (the form's date)."""
    form_ids: dict[str, set[int]] | None = None
    if search.ids is not None:
        form_ids = defaultdict(set)
        for text in search.ids:
            parsed = parse_observation_id(text)
            if parsed is not None:
                form_ids[parsed.form].add(parsed.pk)
        if not form_ids:
            return Page([], 0, frozenset())
    patient_ids = search.patients
    if form_ids is not None and patient_ids is None:
        # only the patients of the forms named (their whole series still counts for HiSCR)
        patient_ids = sorted(
            set(
                DoctorAssessment.objects.filter(pk__in=form_ids.get("da", ())).values_list(
                    "patient_id", flat=True
                )
            )
            | set(
                PatientReport.objects.filter(pk__in=form_ids.get("pr", ())).values_list(
                    "patient_id", flat=True
                )
            )
        )
    if patient_ids is None and form_ids is None:
        patient_ids = _dated_patients(actor=actor, search=search)
    found = [
        o
        for o in observations(actor=actor, patient_ids=patient_ids, form_ids=form_ids)
        if _matches(o, search)
    ]
    page = window(found, search)
    return Page(page, len(found), frozenset(_patient(o) for o in page))


def _dated_patients(*, actor: Any, search: Search) -> list[int]:
    """A search of the whole unit must name a date range: only the patients with a form in
    it are read (with their whole series, for HiSCR), in the database, so the work follows
    the range asked and not the unit's whole history."""
    if not search.dates:
        raise SearchError(
            "patient",
            "An Observation search names a patient, an _id or a date range: every "
            "observation of the unit at once is too costly.",
        )
    lookups: dict[str, date] = {}
    for test in search.dates:
        lookups.update(test.lookups("date"))
    found: set[int] = set()
    for model in (DoctorAssessment, PatientReport):
        rows = forms(model, actor=actor, patient_ids=None).filter(**lookups)
        found.update(rows.values_list("patient_id", flat=True))
    return sorted(found)


def _patient(resource: dict[str, Any]) -> int:
    return int(resource["subject"]["reference"].removeprefix("Patient/"))


def read(*, actor: Any, text: str) -> dict[str, Any]:
    """One Observation by id: its form through the selectors (audited), then its value."""
    parsed: ObservationId | None = parse_observation_id(text)
    if parsed is None:
        raise NotFoundError(text)
    model = DoctorAssessment if parsed.form == DOCTOR else PatientReport
    form = record(model, actor=actor, record_id=parsed.pk)
    values = observations(
        actor=actor, patient_ids=[form.patient_id], form_ids={parsed.form: {parsed.pk}}
    )
    for resource in values:
        if resource["id"] == text:
            return resource
    raise NotFoundError(text)
