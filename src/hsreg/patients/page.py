"""The patient page's content: the header, the forms, the timeline and the guideline panel.

Everything the template shows is prepared here, so the template only lays it out and never
triggers a query: the forms are read with one query per form model (drafts and finished
together; the regions of the doctor's assessments in one more), the case document is built from
the same rows (patients.case_document.case_from_forms), the units in one. The number of queries therefore does not
depend on how many patients the unit has, nor on how long this patient's history is.

The guideline's texts come from the engine in both languages; the panel picks the user's
(web.language.pick). Scores shown in the lists and the timeline are computed by the engine's
formulas (assessments.scoring), the same that the case document and the panel use, so the three
can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.assessments.scoring import (
    AssessmentScores,
    RegionCounts,
    report_dlqi_total,
    score_assessment,
)
from hsreg.guideline import CaseError, Evaluation, Explanation, Problem, evaluate, scores
from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.dates import age_in_years
from hsreg.guideline.diagnosis import CRITERIA as DIAGNOSIS_CRITERIA
from hsreg.guideline.followup import followup_kind, window
from hsreg.guideline.labels import field_list
from hsreg.guideline.logic import Tri
from hsreg.guideline.monitoring import DLQI_BANDS, HS_PGA_NAMES
from hsreg.guideline.screening import CONTRAINDICATIONS, REFERRAL_TRIGGERS, TEST_NAMES
from hsreg.guideline.staging import SEVERITY_NAMES, hurley_name
from hsreg.guideline.text import achievement
from hsreg.guideline.vaccination import VACCINE_NAMES
from hsreg.records.models import Record, Status
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

from . import timeline
from .case_document import PatientForms, case_from_forms
from .models import Patient

CALENDAR_SHOWN = 4  # doses listed before "all doses": the next ones, the rest folded away
UPCOMING_HIGHLIGHTED = 2  # the next doses marked as coming up


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
    """Drafts and finished forms of every kind: one query per form model, plus one for the
    regions of the doctor's assessments. Superseded versions are left out (selectors.current)."""
    by_model: dict[type[Record], list[Record]] = {}
    for kind in FORM_KINDS:
        rows = kind.model.objects.filter(
            patient=patient, status__in=(Status.DRAFT, Status.FINISHED)
        ).order_by("date", "id")
        if kind.model is DoctorAssessment:
            rows = rows.prefetch_related("regions")
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


def context(*, patient: Patient) -> dict[str, Any]:
    """Everything patients/detail.html shows for ``patient`` today."""
    today = timezone.localdate()
    forms = load_forms(patient)
    assessment_values = {a.pk: assessment_scores(a) for a in forms.all(DoctorAssessment)}
    entries = [
        FormEntry(kind, record, _key_values(record, assessment_values))
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
    return {
        "patient": patient,
        "today": today,
        "age": age_in_years(patient.birth_date, today),
        "unit_names": list(patient.units.order_by("name").values_list("name", flat=True)),
        "form_kinds": FORM_KINDS,
        "follow_ups": follow_ups(forms),
        "drafts": drafts,
        "finished": finished,
        "timeline": chart,
        "timeline_svg": _safe_svg(timeline.svg(chart)),
        "timeline_rows": chart.rows(),
        "panel": panel,
        "evaluation": panel.evaluation if panel else None,
        "case_problems": problems,
    }


def _safe_svg(markup: str) -> SafeString | None:
    # timeline.svg escapes every text it writes, so the markup is safe to insert as it is.
    return mark_safe(markup) if markup else None  # noqa: S308


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


def _key_values(
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
        ]
    elif isinstance(record, PatientReport):
        values = [
            (_("Occasion"), record.get_occasion_display()),
            ("DLQI", _text(report_dlqi_total(record))),
            (_("Pain VAS"), _decimal(record.vas_total)),
        ]
    elif isinstance(record, MedicalHistory):
        values = [(_("Height"), None if record.height_cm is None else f"{record.height_cm} cm")]
    elif isinstance(record, Intervention):
        values = [(_("Type"), record.get_type_display() if record.type else None)]
    elif isinstance(record, DrugCourse):
        values = [
            (_("Drug"), drug_label(record.drug)),
            (_("End"), _day(record.end) if record.end else None),
            (_("Stop reason"), record.get_stop_reason_display() if record.stop_reason else None),
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


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _decimal(value: object) -> str | None:
    return None if value is None else number_format(float(value), 1)  # type: ignore[arg-type]


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- the timeline ----------------------------------------------------------------------------


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
            timeline.points((r.date, report_dlqi_total(r)) for r in reports),
            top=scores.DLQI_MAX,
            thresholds=((scores.DLQI_ELIGIBLE_FROM, _("DLQI 11: required for a biologic (TX-6)")),),
        ),
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
            note=c.get_stop_reason_display() if c.stop_reason else "",
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


# --- the guideline panel ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Note:
    """One explanation of the engine in the user's language, with the rule that made it."""

    rule_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """A three-valued outcome as the page shows it: a word and a badge class."""

    status: str  # met / unmet / unknown
    label: str
    badge: str  # ok / bad / unknown


@dataclass(frozen=True, slots=True)
class CriterionRow:
    name: str
    question: str
    verdict: Verdict
    reason: str
    rule_id: str
    missing: str


@dataclass(frozen=True, slots=True)
class CalendarDose:
    date: date
    week: int
    dose_mg: int
    past: bool
    upcoming: bool  # one of the next doses from today


@dataclass(frozen=True, slots=True)
class Panel:
    """The guideline's evaluation of the patient, ready to lay out (texts in one language)."""

    evaluation: Evaluation
    notes: dict[str, list[Note]]
    measure_notes: list[tuple[str, list[Note]]]
    diagnosis_status: Verdict
    diagnosis_criteria: list[tuple[str, Verdict]]
    hurley: str
    ihs4_category: str
    dlqi_band: str
    hiscr: Verdict
    hiscr75: Verdict
    hiscr90: Verdict
    ihs4_55: Verdict
    nrs30: Verdict
    hs_pga: str
    eligibility_status: Verdict
    criteria: list[CriterionRow]
    calendar: list[CalendarDose]
    calendar_shown: list[CalendarDose]
    decision: Verdict
    screening_missing: list[str]
    contraindications: list[str]
    referral_reasons: list[str]
    screening_unknown: str
    vaccines_due: list[str]
    recommended_line: str
    options: list[str]
    steps: list[Note]


DIAGNOSIS_STATUS = {
    "confirmed": (gettext_lazy("Confirmed"), "ok"),
    "not_confirmed": (gettext_lazy("Not confirmed"), "bad"),
    "insufficient_data": (gettext_lazy("Insufficient data"), "unknown"),
}
ELIGIBILITY_STATUS = {
    "eligible": (gettext_lazy("Indication met"), "ok"),
    "not_eligible": (gettext_lazy("Indication not met"), "bad"),
    "insufficient_data": (gettext_lazy("Insufficient data"), "unknown"),
}
DECISIONS = {
    "not_on_biologic": (gettext_lazy("Not on a biologic"), "unknown"),
    "not_due": (gettext_lazy("Not due yet"), "unknown"),
    "continue": (gettext_lazy("Continue"), "ok"),
    "extend_12_weeks": (gettext_lazy("Continue 12 more weeks"), "warn"),
    "stop": (gettext_lazy("Stop"), "bad"),
    "clinical_judgement": (gettext_lazy("Clinical judgement"), "warn"),
    "insufficient_data": (gettext_lazy("Insufficient data"), "unknown"),
}
CRITERION_QUESTIONS = {
    "C0": gettext_lazy("A tetracycline-class course failed (inadequate effect or adverse effects)"),
    "C1": gettext_lazy("IHS4 ≥ 4, or Hurley ≥ II with moderate or severe activity"),
    "C2": gettext_lazy("C0 and moderate or severe activity"),
    "C3": gettext_lazy("DLQI ≥ 11"),
    "C4": gettext_lazy("No contraindication to the biologic"),
}
LINES = {
    "local": gettext_lazy("Local treatment"),
    "first": gettext_lazy("First line"),
    "second": gettext_lazy("Second line"),
    "third": gettext_lazy("Third line"),
}
# The explanation topics the panel shows, each beside its part; any other topic goes to "other".
SHOWN_TOPICS = (
    "diagnosis",
    "registry",
    "staging",
    "dlqi",
    "hiscr",
    "ihs4_55",
    "pain",
    "hs_pga",
    "change",
    "biologic_eligibility",
    "adalimumab_regimen",
    "response",
    "screening",
    "vaccination",
    "labs",
    "recommendation",
)
MEASURE_TOPICS = ("dlqi", "hiscr", "ihs4_55", "pain", "hs_pga", "change")
TOPIC_NAMES = {
    "diagnosis": gettext_lazy("Diagnosis"),
    "registry": gettext_lazy("Registry"),
    "staging": gettext_lazy("Stage"),
    "dlqi": "DLQI",
    "hiscr": "HiSCR",
    "ihs4_55": "IHS4-55",
    "pain": gettext_lazy("Pain"),
    "hs_pga": "HS-PGA",
    "change": gettext_lazy("Change from baseline"),
}


def guideline_panel(
    patient: Patient, forms: Forms, *, today: date
) -> tuple[Panel | None, tuple[Problem, ...]]:
    """The evaluation as of today, or the problems that keep the forms from making a
    consistent case (shown as a notice: the rest of the page still works)."""
    try:
        case = case_from_forms(patient, forms.case_forms(), as_of=today)
        evaluation = evaluate(case, today=today)
    except CaseError as error:
        return None, error.problems
    return panel(evaluation, today=today), ()


def panel(evaluation: Evaluation, *, today: date) -> Panel:
    """The evaluation's results and texts in the user's language."""
    e = evaluation
    notes = _notes_by_topic(e.explanations)
    # TX-6: the per-criterion explanations are shown as the criterion rows; the rest stay.
    criterion_lines = tuple(f"{name}: " for name in e.biologic_eligibility.criteria)
    notes["biologic_eligibility"] = [
        n for n in notes["biologic_eligibility"] if not n.text.startswith(criterion_lines)
    ]
    doses = _calendar(e, today=today)
    return Panel(
        evaluation=e,
        notes=notes,
        measure_notes=[
            (str(TOPIC_NAMES[topic]), notes[topic]) for topic in MEASURE_TOPICS if notes[topic]
        ],
        diagnosis_status=_status(DIAGNOSIS_STATUS, e.diagnosis.status),
        diagnosis_criteria=[
            (pick(DIAGNOSIS_CRITERIA[name]), _tri(met))
            for name, met in e.diagnosis.criteria.items()
        ],
        hurley=hurley_name(e.staging.hurley) if e.staging.hurley else "",
        ihs4_category=pick(SEVERITY_NAMES[e.staging.ihs4.category])
        if e.staging.ihs4.category
        else "",
        dlqi_band=pick(DLQI_BANDS[e.dlqi.band]) if e.dlqi.band else "",
        hiscr=_achieved(e.hiscr.achieved),
        hiscr75=_achieved(e.hiscr.hiscr75),
        hiscr90=_achieved(e.hiscr.hiscr90),
        ihs4_55=_achieved(e.ihs4_55.achieved),
        nrs30=_achieved(e.pain.nrs30),
        hs_pga=pick(HS_PGA_NAMES[e.hs_pga.category]) if e.hs_pga.category else "",
        eligibility_status=_status(ELIGIBILITY_STATUS, e.biologic_eligibility.status),
        criteria=[
            CriterionRow(
                name=name,
                question=str(CRITERION_QUESTIONS.get(name, name)),
                verdict=_tri(c.met),
                reason=pick(c.reason),
                rule_id=c.rule_id,
                missing=pick(field_list(c.missing)) if c.missing else "",
            )
            for name, c in e.biologic_eligibility.criteria.items()
        ],
        calendar=doses,
        calendar_shown=_shown(doses),
        decision=_status(DECISIONS, e.response.decision),
        screening_missing=[pick(TEST_NAMES[t]) for t in e.screening.missing_tests],
        contraindications=[pick(CONTRAINDICATIONS[c]) for c in e.screening.contraindications],
        referral_reasons=[pick(REFERRAL_TRIGGERS[r]) for r in e.screening.referral_reasons],
        screening_unknown=pick(field_list(e.screening.unknown)) if e.screening.unknown else "",
        vaccines_due=[pick(VACCINE_NAMES[v]) for v in e.vaccination.due],
        recommended_line=str(LINES.get(e.recommendation.line, e.recommendation.line))
        if e.recommendation.line
        else "",
        options=[
            drug_label(option) if option in DRUGS else _("Surgery")
            for option in e.recommendation.options
        ],
        steps=[_note(a) for a in e.recommendation.advice],
    )


def _note(explanation: Explanation) -> Note:
    return Note(explanation.rule_id, pick(explanation.text))


def _notes_by_topic(explanations: Iterable[Explanation]) -> dict[str, list[Note]]:
    """The explanations of each topic, in the engine's order. A topic the page does not know
    goes to "other", so no explanation is ever dropped."""
    notes: dict[str, list[Note]] = defaultdict(list)
    for explanation in explanations:
        topic = explanation.topic if explanation.topic in SHOWN_TOPICS else "other"
        notes[topic].append(_note(explanation))
    return {topic: notes[topic] for topic in (*SHOWN_TOPICS, "other")}


def _tri(value: Tri) -> Verdict:
    if value is None:
        return Verdict("unknown", _("unknown"), "unknown")
    if value:
        return Verdict("met", _("met"), "ok")
    return Verdict("unmet", _("not met"), "bad")


def _achieved(value: bool | None) -> Verdict:
    """HiSCR, IHS4-55, NRS30: the engine's own words for achieved / not / not evaluable."""
    status = "unknown" if value is None else "met" if value else "unmet"
    badge = {"unknown": "unknown", "met": "ok", "unmet": "bad"}[status]
    return Verdict(status, pick(achievement(value)), badge)


def _status(table: dict[str, tuple[Any, str]], key: str) -> Verdict:
    """A status of the engine with its label; one this page does not know yet is shown as
    its id rather than failing the page."""
    label, badge = table.get(key, (key, "unknown"))
    return Verdict(key, str(label), badge)


def _calendar(evaluation: Evaluation, *, today: date) -> list[CalendarDose]:
    """TX-7's dose calendar with real dates, each dose marked as past or among the next ones."""
    doses = evaluation.adalimumab_regimen.calendar
    coming = [d for d in doses if d.date >= today][:UPCOMING_HIGHLIGHTED]
    return [
        CalendarDose(d.date, d.week, d.dose_mg, past=d.date < today, upcoming=d in coming)
        for d in doses
    ]


def _shown(doses: list[CalendarDose]) -> list[CalendarDose]:
    """The doses listed first: the next ones from today; after the last dose, the last ones."""
    ahead = [d for d in doses if not d.past]
    return ahead[:CALENDAR_SHOWN] if ahead else doses[-CALENDAR_SHOWN:]
