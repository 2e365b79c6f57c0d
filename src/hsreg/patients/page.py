"""The patient page's content: the header, the forms, the timeline and the guideline panel.

Everything the template shows is prepared here, so the template only lays it out and never
triggers a query: the forms are read with one query per form model (drafts and finished
together; the regions of the doctor's assessments in one more), the case document is built from
the same rows (patients.case_document.case_from_forms), the enrolments in one. The number of
queries therefore does not depend on how many patients the unit has, nor on how long this
patient's history is.

Everything is built from the forms the reader's unit may see (patients.selectors): its own,
and the other units' finished forms, labelled with their unit, only with the patient's consent
to sharing. Without it the page says which other units hold how many forms, and how to open
them (record the consent); the list, the chart, the follow-ups and the panel show nothing of
them.

The parts: patients.history (the forms and their key values), patients.chart (the timeline's
data, drawn by patients.timeline) and patients.panel (the guideline panel).

The guideline's texts come from the engine in both languages; the panel picks the user's
(web.language.pick). Scores shown in the lists and the timeline are computed by the engine's
formulas (assessments.scoring), the same that the case document and the panel use, so the three
can never disagree.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from hsreg.assessments.models import DoctorAssessment
from hsreg.guideline.dates import age_in_years
from hsreg.records.models import Status
from hsreg.treatments.models import DrugCourse
from hsreg.treatments.overrides import notices

from . import timeline
from .chart import build_timeline
from .history import FORM_KINDS, FormEntry, assessment_scores, follow_ups, key_values, load_forms
from .models import Enrolment, Patient
from .panel import guideline_panel
from .selectors import active_consent, enrolments, hidden_form_counts


def context(*, patient: Patient) -> dict[str, Any]:
    """Everything patients/detail.html shows for ``patient`` today."""
    today = timezone.localdate()
    forms = load_forms(patient)
    assessment_values = {a.pk: assessment_scores(a) for a in forms.all(DoctorAssessment)}
    scope = patient.scope
    entries = [
        FormEntry(
            kind,
            record,
            key_values(record, assessment_values),
            unit_name=record.unit.name if scope and record.unit_id != scope.unit_id else "",
        )
        for kind in FORM_KINDS
        for record in forms.by_model[kind.model]
    ]
    finished = sorted(
        (e for e in entries if e.record.status == Status.FINISHED),
        key=lambda e: (e.date, e.record.created_at),
        reverse=True,
    )
    drafts = sorted(
        (e for e in entries if e.record.status == Status.DRAFT), key=lambda e: e.date, reverse=True
    )
    chart = build_timeline(forms, assessment_values, today=today)
    panel, problems = guideline_panel(patient, forms, today=today)
    units = enrolments(patient=patient)
    return {
        **_sharing(patient, units),
        "patient": patient,
        "today": today,
        "age": age_in_years(patient.birth_date, today),
        "unit_names": sorted(e.unit.name for e in units),
        "form_kinds": FORM_KINDS,
        "follow_ups": follow_ups(forms),
        "drafts": drafts,
        "finished": finished,
        "timeline": chart,
        "timeline_svg": _safe_svg(timeline.svg(chart)),
        "timeline_rows": chart.rows(),
        "panel": panel,
        "evaluation": panel.evaluation if panel else None,
        "overrides": notices(forms.finished(DrugCourse)),
        "case_problems": problems,
    }


def _safe_svg(markup: str) -> SafeString | None:
    # timeline.svg escapes every text it writes, so the markup is safe to insert as it is.
    return mark_safe(markup) if markup else None  # noqa: S308


def _sharing(patient: Patient, units: list[Enrolment]) -> dict[str, Any]:
    """What the page says of the patient's other units: where else they are enrolled, since
    when and why; with the consent, who recorded it; without it, how many forms each other
    unit holds (no content) and the form to record the consent."""
    scope = patient.scope
    others = [e for e in units if scope is None or e.unit_id != scope.unit_id]
    hidden = hidden_form_counts(patient=patient) if others else {}
    return {
        "other_enrolments": others,
        "shared": bool(scope and scope.shared),
        "consent": active_consent(patient=patient) if others else None,
        "hidden_forms": [(e.unit.name, hidden[e.unit_id]) for e in others if e.unit_id in hidden],
    }
