"""The case document and due items of a seeded patient, from the forms in memory.

The writer has just inserted the forms, so reading them back per patient (as
`case_document.build_case` and `worklists.services.refresh_patient` do) would only repeat in
thousands of queries what is already here. These functions give the same results from the
saved instances: `case_of` is `build_case` over lists instead of querysets (the same per-form
conversions, imported from case_document; the same order, by date then id), and `due_items`
is `refresh_patient`'s computation with the same `worklists.due` functions. A test compares
both with the originals on seeded patients, so a change there that is not made here fails.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from hsreg.assessments.models import DoctorAssessment, PatientReport, RegionFinding
from hsreg.assessments.scoring import dlqi_item_scores
from hsreg.guideline import CaseError, evaluate
from hsreg.patients import case_document
from hsreg.records.models import Record, Status
from hsreg.treatments.models import MEDICAL_TYPES, SURGICAL_TYPES
from hsreg.worklists import due

from .journey import SeededPatient

R = TypeVar("R", bound=Record)


def _current(records: Iterable[R], as_of: date | None = None) -> list[R]:
    """Finished forms (dated by ``as_of`` when given), by date then id: `selectors.current`
    with the models' default ordering."""
    chosen = [
        r for r in records if r.status == Status.FINISHED and (as_of is None or r.date <= as_of)
    ]
    return sorted(chosen, key=lambda r: (r.date, r.pk))


def _assessment(
    a: DoctorAssessment, regions: list[RegionFinding], report: PatientReport | None
) -> dict[str, Any]:
    """`case_document._assessment` with the regions given instead of queried."""
    item: dict[str, Any] = {"date": a.date.isoformat()}
    if regions:
        item["regions"] = [
            {
                "region": r.region,
                "nodules": r.nodules,
                "abscesses": r.abscesses,
                "draining_tunnels": r.draining_tunnels,
                **({"hurley": r.hurley} if r.hurley is not None else {}),
                **(
                    {"longest_distance_cm": float(r.longest_distance_cm)}
                    if r.longest_distance_cm is not None
                    else {}
                ),
                **(
                    {"separated_by_normal_skin": r.separated_by_normal_skin}
                    if r.separated_by_normal_skin is not None
                    else {}
                ),
            }
            for r in regions
        ]
        if a.hurley is not None and not any(r.hurley for r in regions):
            item["hurley"] = a.hurley
    else:
        item.update(
            nodules=a.nodules or 0,
            abscesses=a.abscesses or 0,
            draining_tunnels=a.draining_tunnels or 0,
        )
        if a.hurley is not None:
            item["hurley"] = a.hurley
    if a.inflammatory_activity:
        item["inflammatory_activity"] = a.inflammatory_activity
    if report is not None:
        items = dlqi_item_scores(
            [getattr(report, f"dlqi_{n}") for n in range(1, 11)], report.dlqi_7_problems
        )
        if any(i is not None for i in items):
            item["dlqi_items"] = items
        if report.vas_total is not None:
            item["pain_vas"] = float(report.vas_total)
    return item


def case_of(seeded: SeededPatient, *, as_of: date) -> dict[str, Any]:
    """What `case_document.build_case(patient, as_of=as_of)` returns for this patient, from
    the saved instances in memory (no query)."""
    assessments = _current(seeded.assessments, as_of)
    reports = _current(seeded.reports, as_of)
    histories = _current(seeded.histories)
    history = max(histories, key=lambda h: h.date) if histories else None
    courses = _current(seeded.courses)
    screenings = _current(seeded.screenings)
    screening = max(screenings, key=lambda s: (s.date, s.pk)) if screenings else None
    vaccinations = _current(seeded.vaccinations, as_of)
    labs = _current(seeded.labs, as_of)
    regions: dict[int, list[RegionFinding]] = defaultdict(list)
    for finding in sorted(seeded.findings, key=lambda f: f.pk):
        regions[finding.assessment_id].append(finding)

    by_date = {a.date: a for a in assessments}
    assessments = list(by_date.values())
    paired = case_document._pair(reports, assessments)

    patient = seeded.patient
    person: dict[str, Any] = {"birth_date": patient.birth_date.isoformat(), "sex": patient.sex}
    weights = [a for a in assessments if a.weight_kg]
    if weights:
        person["weight_kg"] = weights[-1].weight_kg
    if history is not None and history.height_cm:
        person["height_cm"] = history.height_cm
    smoking = [
        r for r in sorted(reports, key=lambda r: r.date) if r.smoking in case_document.SMOKING
    ]
    if smoking:
        person["smoking"] = case_document.SMOKING[smoking[-1].smoking]
    person["comorbidities"] = case_document._comorbidities(history)

    diagnosis: dict[str, Any] = {}
    for a in assessments:
        for criterion in ("typical_lesions", "typical_location", "chronic_relapsing"):
            value = getattr(a, criterion)
            if value is not None:
                diagnosis[criterion] = value

    case: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "patient": person,
        "diagnosis": diagnosis,
        "assessments": [_assessment(a, regions[a.pk], paired.get(a.pk)) for a in assessments],
        "treatments": [case_document._treatment(c, as_of) for c in courses],
        "vaccinations": [
            {
                "vaccine": v.vaccine,
                "date": v.date.isoformat(),
                **({"live": v.live} if v.live is not None else {}),
            }
            for v in vaccinations
        ],
        "lab_checks": sorted(lab.date.isoformat() for lab in labs),
    }
    if screening is not None:
        case["screening"] = case_document._screening(screening)
    return case


def intervention_facts(seeded: SeededPatient) -> list[due.InterventionFacts]:
    """`worklists.services.intervention_facts` from memory: finished medical or surgical
    interventions and whether a finished control form names them."""
    controlled = {
        form.intervention_id
        for form in [*seeded.assessments, *seeded.reports]
        if form.status == Status.FINISHED and form.intervention_id is not None
    }
    return [
        due.InterventionFacts(i.date, i.type in SURGICAL_TYPES, i.pk in controlled)
        for i in _current(seeded.interventions)
        if i.type in SURGICAL_TYPES or i.type in MEDICAL_TYPES
    ]


def due_items(seeded: SeededPatient, *, today: date) -> list[due.Due]:
    """What `refresh_patient` would store for this patient on ``today``."""
    items: list[due.Due] = []
    try:
        evaluation = evaluate(case_of(seeded, as_of=today), today=today)
    except CaseError:
        evaluation = None
    if evaluation is not None:
        courses = [(c.drug, c.date) for c in seeded.courses if c.status == Status.FINISHED]
        items += due.from_evaluation(
            evaluation, planned_biologic=due.planned_biologic_start(courses, today)
        )
    items += due.from_interventions(intervention_facts(seeded))
    return items
