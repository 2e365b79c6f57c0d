"""The patient's forms as the patient page reads them: the kinds of form, one read of the
forms the reader may see (patients.selectors.shown: the unit's own, and other units' finished
forms only with the patient's consent to sharing), each form's key values, and the follow-ups
still to register. The number of queries does not depend on the length of the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.assessments.scoring import (
    AssessmentScores,
    RegionCounts,
    instrument_name,
    report_dlqi_total,
    score_assessment,
)
from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.followup import followup_kind, window
from hsreg.guideline.screening import TEST_NAMES
from hsreg.guideline.staging import SEVERITY_NAMES, hurley_name
from hsreg.records.models import Record, Status
from hsreg.treatments.guards import overridden_rules
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    AdverseEvent,
    DrugCourse,
    Intervention,
    LabCheck,
    Screening,
    Vaccination,
)
from hsreg.web.language import pick

from .case_document import PatientForms
from .models import Patient
from .selectors import shown


@dataclass(frozen=True, slots=True)
class FormKind:
    """A registry form as the page links to it: its URL slug (records:new kind) and model."""

    slug: str
    model: type[Record]

    @property
    def title(self) -> str:
        return str(self.model.TITLE)


FORM_KINDS: tuple[FormKind, ...] = (
    FormKind("medical-history", MedicalHistory),
    FormKind("patient-report", PatientReport),
    FormKind("doctor-assessment", DoctorAssessment),
    FormKind("intervention", Intervention),
    FormKind("drug-course", DrugCourse),
    FormKind("screening", Screening),
    FormKind("vaccination", Vaccination),
    FormKind("lab-check", LabCheck),
    FormKind("adverse-event", AdverseEvent),
)


@dataclass(frozen=True, slots=True)
class FormEntry:
    """One form in the page's lists, with the few values that identify it at a glance."""

    kind: FormKind
    record: Record
    values: tuple[tuple[str, str], ...]
    #: the unit that wrote the form, when it is not the reader's (shown with consent only)
    unit_name: str = ""

    @property
    def date(self) -> date:
        day: date = self.record.date
        return day


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A finished intervention still waiting for its control (HISREG's 3- or 6-month
    follow-up), with the forms still missing for it."""

    intervention: Intervention
    months: int
    occasion: str  # "3m" or "6m", the Occasion value the form preselects
    opens: date
    closes: date
    needs_report: bool
    needs_assessment: bool


@dataclass(frozen=True, slots=True)
class Forms:
    """The patient's drafts and finished forms, read once for the whole page."""

    by_model: dict[type[Record], list[Record]]

    def all(self, model: type[Record]) -> list[Any]:
        """Drafts and finished forms of one model, oldest first."""
        return self.by_model[model]

    def finished(self, model: type[Record]) -> list[Any]:
        return [r for r in self.by_model[model] if r.status == Status.FINISHED]

    def case_forms(self) -> PatientForms:
        """The finished forms as the case document reads them (no further query)."""
        assessments = self.finished(DoctorAssessment)
        return PatientForms(
            assessments=assessments,
            regions={a.pk: list(a.regions.all()) for a in assessments},
            reports=self.finished(PatientReport),
            histories=self.finished(MedicalHistory),
            courses=self.finished(DrugCourse),
            screenings=self.finished(Screening),
            vaccinations=self.finished(Vaccination),
            labs=self.finished(LabCheck),
        )


def load_forms(patient: Patient) -> Forms:
    """The drafts and finished forms of every kind that the patient's reader may see
    (selectors.shown): one query per form model, plus one for the regions of the doctor's
    assessments. Superseded versions are left out."""
    by_model: dict[type[Record], list[Record]] = {}
    for kind in FORM_KINDS:
        rows = shown(kind.model, patient=patient).order_by("date", "id")
        if kind.model is DoctorAssessment:
            rows = rows.prefetch_related("regions")
        elif kind.model is DrugCourse:
            rows = rows.select_related("updated_by")  # who overrode (treatments.overrides)
        by_model[kind.model] = list(rows)
    return Forms(by_model)


def assessment_scores(assessment: DoctorAssessment) -> AssessmentScores:
    """IHS4, AN, Hurley and Sartorius of one assessment by the engine's formulas, from its
    regions (already prefetched) or its totals."""
    regions = [
        RegionCounts(
            region=r.region,
            nodules=r.nodules,
            abscesses=r.abscesses,
            draining_tunnels=r.draining_tunnels,
            hurley=r.hurley,
            longest_distance_cm=None
            if r.longest_distance_cm is None
            else float(r.longest_distance_cm),
            separated_by_normal_skin=r.separated_by_normal_skin,
        )
        for r in assessment.regions.all()
    ]
    return score_assessment(
        regions=regions,
        nodules=assessment.nodules,
        abscesses=assessment.abscesses,
        draining_tunnels=assessment.draining_tunnels,
        hurley=assessment.hurley,
    )


def follow_ups(forms: Forms) -> list[FollowUp]:
    """Finished medical or surgical interventions whose control is not finished yet: the
    patient's report and/or the doctor's assessment that refers to the intervention."""
    reported = {r.intervention_id for r in forms.finished(PatientReport)}
    assessed = {a.intervention_id for a in forms.finished(DoctorAssessment)}
    due = []
    for intervention in forms.finished(Intervention):
        if intervention.type not in SURGICAL_TYPES | MEDICAL_TYPES:
            continue
        needs_report = intervention.pk not in reported
        needs_assessment = intervention.pk not in assessed
        if not (needs_report or needs_assessment):
            continue
        w = window(followup_kind(surgical=intervention.is_surgical), intervention.date)
        due.append(
            FollowUp(
                intervention,
                w.months,
                f"{w.months}m",
                w.opens,
                w.closes,
                needs_report,
                needs_assessment,
            )
        )
    return due


# --- the forms' key values -------------------------------------------------------------------


def key_values(
    record: Record, assessment_values: dict[int, AssessmentScores]
) -> tuple[tuple[str, str], ...]:
    """The values that tell one form from another in a list (IHS4, DLQI, the drug …)."""
    values: list[tuple[str, str | None]] = []
    if isinstance(record, DoctorAssessment):
        s = assessment_values[record.pk]
        ihs4 = None
        if s.ihs4 is not None:
            ihs4 = f"{s.ihs4} ({pick(SEVERITY_NAMES[s.ihs4_category])})"
        values = [
            (_("Occasion"), record.get_occasion_display()),
            ("IHS4", ihs4),
            ("AN", _text(s.an_count)),
            ("Hurley", None if s.hurley is None else hurley_name(s.hurley)),
            (_("Sartorius"), _text(s.sartorius)),
            # XB-7, beyond the NFDV guideline (2019): only from counts per region
            ("HS-IGA", _text(s.hs_iga)),
        ]
    elif isinstance(record, PatientReport):
        values = [
            (_("Occasion"), record.get_occasion_display()),
            # XB-6: a patient under 16 answered the children's DLQI, on its own scale
            (instrument_name(record.dlqi_instrument), _text(report_dlqi_total(record))),
            (_("Pain VAS"), _decimal(record.vas_total)),
        ]
        if record.reported_by == "patient":
            values.append((_("Reported by the patient"), _channel(record.reported_channel)))
    elif isinstance(record, MedicalHistory):
        values = [(_("Height"), None if record.height_cm is None else f"{record.height_cm} cm")]
    elif isinstance(record, Intervention):
        values = [(_("Type"), record.get_type_display() if record.type else None)]
    elif isinstance(record, DrugCourse):
        values = [
            (_("Drug"), drug_label(record.drug)),
            (_("End"), _day(record.end) if record.end else None),
            (_("Stop reason"), record.get_stop_reason_display() if record.stop_reason else None),
            (
                _("Safety checks overridden"),
                ", ".join(overridden_rules(record.overridden)) if record.overridden else None,
            ),
        ]
    elif isinstance(record, Screening):
        values = [(_("Tests done"), f"{len(record.tests_done())}/{len(TEST_NAMES)}")]
    elif isinstance(record, Vaccination):
        values = [(_("Vaccine"), record.get_vaccine_display())]
    elif isinstance(record, LabCheck):
        abnormal = {True: _("abnormal"), False: _("normal"), None: None}[record.abnormal]
        values = [(_("Result"), abnormal)]
    elif isinstance(record, AdverseEvent):
        values = [
            (_("Event"), record.description),
            (_("Seriousness"), record.get_seriousness_display()),
        ]
    return tuple((label, value) for label, value in values if value)


def drug_label(drug_id: str) -> str:
    """The drug's name in the user's language, as the catalog writes it."""
    drug = DRUGS.get(drug_id)
    return pick(drug.name) if drug else drug_id


def _channel(channel: str) -> str:
    """How a patient's report was sent (the questionnaires' channels), or a tick."""
    from hsreg.questionnaires.models import Channel  # noqa: PLC0415 - app above this

    return str(Channel(channel).label) if channel in Channel.values else "✓"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _decimal(value: object) -> str | None:
    return None if value is None else number_format(float(value), 1)  # type: ignore[arg-type]


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")
