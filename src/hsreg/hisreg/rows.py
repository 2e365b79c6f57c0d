"""The rows of each table: one per finished, current form (drafts and the earlier versions a
correction superseded are left out), in a fixed order (patient, date, form id) so that two
exports of the same data are byte-identical. A patient deleted by an objection has no forms
left, so nothing of theirs is written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, Occasion, PatientReport
from hsreg.records.models import Status
from hsreg.treatments.models import DrugCourse, Intervention

from .columns import sources
from .dictionary import CONTROL_TABLES
from .values import Extra, text

PRE = [Occasion.PRE]
CONTROLS = [Occasion.CONTROL_3, Occasion.CONTROL_6]
MONTHS = {Occasion.CONTROL_3: 3, Occasion.CONTROL_6: 6}
#: table -> (model, occasions or None for a form without one)
FORMS: dict[str, tuple[Any, list[Occasion] | None]] = {
    "registration": (MedicalHistory, None),
    "preintervention": (PatientReport, PRE),
    "preinterventiondoctor": (DoctorAssessment, PRE),
    "intervention": (Intervention, None),
    "patientcontrol": (PatientReport, CONTROLS),
    "doctorcontrol": (DoctorAssessment, CONTROLS),
}
CHUNK = 2000


def _interventions() -> dict[int, list[tuple[date, int]]]:
    """patient id -> their finished interventions (date, id), in order."""
    found: dict[int, list[tuple[date, int]]] = defaultdict(list)
    rows = Intervention.objects.filter(status=Status.FINISHED).order_by("patient_id", "date", "id")
    for patient_id, on, pk in rows.values_list("patient_id", "date", "id"):
        found[patient_id].append((on, pk))
    return found


def _drugs() -> dict[int, frozenset[str]]:
    """intervention id -> the drugs of its finished drug courses."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = DrugCourse.objects.filter(status=Status.FINISHED, intervention__isnull=False)
    for intervention_id, drug in rows.values_list("intervention_id", "drug"):
        found[intervention_id].add(drug)
    return {pk: frozenset(drugs) for pk, drugs in found.items()}


def _heights() -> dict[int, int | None]:
    """patient id -> the height of their finished medical history (one per patient)."""
    rows = MedicalHistory.objects.filter(status=Status.FINISHED).order_by("date", "id")
    return dict(rows.values_list("patient_id", "height_cm"))


def _episode(record: Any, table: str, interventions: dict[int, list[tuple[date, int]]]) -> Any:
    if table == "registration":
        return None
    if table == "intervention":
        return record.pk
    if table in CONTROL_TABLES:
        return record.intervention_id
    for on, pk in interventions.get(record.patient_id, ()):
        if on >= record.date:
            return pk
    return None


def rows(table: str) -> Iterator[list[str]]:
    """The table's lines after the header, as the file holds them."""
    model, occasions = FORMS[table]
    columns = sources()[table]
    forms = model.objects.filter(status=Status.FINISHED)
    if occasions is not None:
        forms = forms.filter(occasion__in=occasions)
    interventions = _interventions()
    drugs = _drugs() if table == "intervention" else {}
    heights = _heights() if table == "preinterventiondoctor" else {}
    for record in forms.order_by("patient_id", "date", "id").iterator(chunk_size=CHUNK):
        extra = Extra(
            drugs=drugs.get(record.pk, frozenset()), height=heights.get(record.patient_id)
        )
        line = [
            text(record.patient_id),
            text(record.unit_id),
            text(record.pk),
            text(_episode(record, table, interventions)),
        ]
        if table in CONTROL_TABLES:
            line.append(text(MONTHS[record.occasion]))
        for source in columns.values():
            line.append(text(source.read(record, extra)) if source.read else "")
        yield line
