"""The guideline panel of the patient page: the engine's evaluation of the case document
built from the forms the reader may see, with its texts in the user's language
(web.language.pick). What to do next (warnings with their forms, what is missing, overdue /
due / not yet) is prepared by patients.panel_todo, the links by patients.panel_links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.guideline import CaseError, Evaluation, Explanation, Problem, evaluate
from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.diagnosis import CRITERIA as DIAGNOSIS_CRITERIA
from hsreg.guideline.eligibility import EARLIER_COURSE
from hsreg.guideline.logic import Tri
from hsreg.guideline.monitoring import DLQI_BANDS, HS_PGA_NAMES
from hsreg.guideline.screening import CONTRAINDICATIONS, REFERRAL_TRIGGERS, TEST_NAMES
from hsreg.guideline.staging import SEVERITY_NAMES, hurley_name
from hsreg.guideline.text import achievement
from hsreg.guideline.vaccination import VACCINE_NAMES
from hsreg.web.language import pick

from .case_document import case_from_forms
from .history import Forms, drug_label
from .models import Patient
from .panel_beyond import Beyond, OptionRow, beyond, option_row
from .panel_links import FormLink, Links
from .panel_todo import (
    Alert,
    DueBadge,
    MissingItem,
    due_badge,
    evaluation_verdict,
    missing_items,
    moved_explanations,
    screening_badge,
    vaccines_badge,
    warnings,
)

CALENDAR_SHOWN = 4  # doses listed before "all doses": the next ones, the rest folded away
UPCOMING_HIGHLIGHTED = 1  # only the very next dose is marked "next"


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
    missing: int  # how many items it misses; they are listed once, under "What is missing"
    link: FormLink | None = None  # C0 unknown from the history: register the earlier course


@dataclass(frozen=True, slots=True)
class CalendarDose:
    date: date
    week: int
    dose_mg: int
    past: bool
    upcoming: bool  # the very next dose from today


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
    decision: Verdict | DueBadge
    screening_missing: list[str]
    contraindications: list[str]
    referral_reasons: list[str]
    screening_unknown: int  # SC-2 items not recorded; listed under "What is missing"
    vaccines_due: list[str]
    recommended_line: str
    #: TX-12's options, each biologic with its funding status (XB-5)
    options: list[OptionRow]
    steps: list[Note]
    # what to do next: warnings with the form that resolves them, and the missing data once
    warnings: list[Alert]
    missing: list[MissingItem]
    missing_undecided: bool  # TX-6 cannot be decided until the missing items are recorded
    evaluation_status: DueBadge | None
    labs_status: DueBadge | None
    screening_status: DueBadge | None
    screening_link: FormLink
    vaccines_status: DueBadge | None
    vaccines_during_treatment: list[str]
    #: the XB results (beyond the NFDV guideline, 2019), in their own part of the panel; the
    #: engine's general biologic_regimen texts are not repeated (the calendar shows TX-7's)
    beyond: list[Note]
    #: XB-3's week-16 decision, XB-4's warning, the IL-17 options (XB-5), XB-6's C3 reading
    xb: Beyond


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
}
#: XB-6 Reading: under 16 C3 reads the CDLQI (beyond the NFDV guideline, 2019)
CRITERION_QUESTIONS_UNDER_16 = {
    "C3": gettext_lazy("CDLQI ≥ 13 (under 16: XB-6, beyond the NFDV guideline (2019))"),
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
    case_forms = forms.case_forms()
    try:
        case = case_from_forms(patient, case_forms, as_of=today)
        evaluation = evaluate(case, today=today)
    except CaseError as error:
        return None, error.problems
    scope = patient.scope
    links = Links(patient.pk, case_forms, today, scope.unit_id if scope else None)
    return panel(evaluation, today=today, links=links), ()


def panel(evaluation: Evaluation, *, today: date, links: Links) -> Panel:
    """The evaluation's results and texts in the user's language."""
    e = evaluation
    # the warnings are shown together with the form that resolves them, and the missing data
    # once with a link each: their explanations are not repeated in the parts' notes
    moved = moved_explanations(e)
    notes = _notes_by_topic(
        x
        for x in e.explanations
        if x not in moved and not beyond_guideline(x) and x.topic != "biologic_regimen"
    )
    # TX-6: the per-criterion explanations are shown as the criterion rows; the rest stay.
    criterion_lines = tuple(f"{name}: " for name in e.biologic_eligibility.criteria)
    notes["biologic_eligibility"] = [
        n for n in notes["biologic_eligibility"] if not n.text.startswith(criterion_lines)
    ]
    doses = _calendar(e, today=today)
    c0 = e.biologic_eligibility.criteria["C0"]
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
                question=_question(name, cdlqi=e.dlqi.instrument == "cdlqi"),
                verdict=_tri(c.met),
                reason=pick(c.reason),
                rule_id=c.rule_id,
                missing=len(c.missing),
                link=links.earlier_course() if c is c0 and EARLIER_COURSE in c.missing else None,
            )
            for name, c in e.biologic_eligibility.criteria.items()
        ],
        calendar=doses,
        calendar_shown=_shown(doses),
        decision=evaluation_verdict(e.response) or _status(DECISIONS, e.response.decision),
        screening_missing=[pick(TEST_NAMES[t]) for t in e.screening.missing_tests],
        contraindications=[pick(CONTRAINDICATIONS[c]) for c in e.screening.contraindications],
        referral_reasons=[pick(REFERRAL_TRIGGERS[r]) for r in e.screening.referral_reasons],
        screening_unknown=len(e.screening.unknown),
        vaccines_due=[pick(VACCINE_NAMES[v]) for v in e.vaccination.due],
        recommended_line=str(LINES.get(e.recommendation.line, e.recommendation.line))
        if e.recommendation.line
        else "",
        options=[
            _option(option, e.recommendation.funding_status.get(option))
            for option in e.recommendation.options
        ],
        steps=[_note(a) for a in e.recommendation.advice],
        warnings=warnings(e, links),
        missing=missing_items(e, links),
        missing_undecided=e.biologic_eligibility.status == "insufficient_data",
        evaluation_status=due_badge(e.response.evaluation_status),
        labs_status=due_badge(e.labs.status),
        screening_status=screening_badge(e, today=today),
        screening_link=links.screening(),
        vaccines_status=vaccines_badge(e, today=today),
        vaccines_during_treatment=[
            pick(VACCINE_NAMES[v]) for v in e.vaccination.may_be_given_during_treatment
        ],
        beyond=[_note(x) for x in e.explanations if beyond_guideline(x)],
        xb=beyond(e),
    )


def _option(option: str, funding: str | None) -> OptionRow:
    """A TX-12 option in words, a biologic with its funding status (XB-5)."""
    label = drug_label(option) if option in DRUGS else _("Surgery")
    return option_row(option, funding_status=funding, label=label)


def _question(name: str, *, cdlqi: bool) -> str:
    """A criterion's question; C3 under 16 is the CDLQI's (XB-6)."""
    if cdlqi and name in CRITERION_QUESTIONS_UNDER_16:
        return str(CRITERION_QUESTIONS_UNDER_16[name])
    return str(CRITERION_QUESTIONS.get(name, name))


def beyond_guideline(explanation: Explanation) -> bool:
    """An XB result: shown apart from the guideline's, never among them (RULES.md, XB)."""
    return explanation.rule_id.startswith("XB")


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
