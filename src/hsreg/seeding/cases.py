"""The case document and due items of a seeded patient, from the forms in memory.

The writer has just inserted the forms, so reading them back per patient (as
`case_document.build_case` and `worklists.services.refresh_patient` do) would only repeat in
thousands of queries what is already here. These functions give the same results from the
saved instances: `case_of` is `build_case` over lists instead of querysets (the same per-form
conversions: `case_document.case_from_forms` over the forms in memory), and `due_items`
is `refresh_patient`'s computation with the same `worklists.due` functions. A test compares
both with the originals on seeded patients, so a change there that is not made here fails.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from hsreg.assessments.models import RegionFinding
from hsreg.patients import case_document
from hsreg.records.models import Record, Status
from hsreg.treatments.models import MEDICAL_TYPES, SURGICAL_TYPES
from hsreg.worklists import due

from .journey import SeededPatient

R = TypeVar("R", bound=Record)


def _current(records: Iterable[R]) -> list[R]:
    """Finished forms by date then id: `selectors.current` with the models' default ordering."""
    return sorted((r for r in records if r.status == Status.FINISHED), key=lambda r: (r.date, r.pk))


def forms_of(seeded: SeededPatient) -> case_document.PatientForms:
    """`case_document.load` for this patient, from the saved instances in memory."""
    regions: dict[int, list[RegionFinding]] = defaultdict(list)
    for finding in sorted(seeded.findings, key=lambda f: f.pk):
        regions[finding.assessment_id].append(finding)
    return case_document.PatientForms(
        assessments=_current(seeded.assessments),
        regions=regions,
        reports=_current(seeded.reports),
        histories=_current(seeded.histories),
        courses=_current(seeded.courses),
        screenings=_current(seeded.screenings),
        vaccinations=_current(seeded.vaccinations),
        labs=_current(seeded.labs),
    )


def case_of(seeded: SeededPatient, *, as_of: date) -> dict[str, Any]:
    """What `case_document.build_case(patient, as_of=as_of)` returns, without a query."""
    return case_document.case_from_forms(seeded.patient, forms_of(seeded), as_of=as_of)


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
    forms = forms_of(seeded)
    return due.due_items(
        case_document.case_from_forms(seeded.patient, forms, as_of=today),
        courses=[(c.drug, c.date) for c in forms.courses],
        interventions=intervention_facts(seeded),
        today=today,
    )
