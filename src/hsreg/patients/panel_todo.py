"""What the guideline panel says to do next: the warnings, each with the form that resolves it;
what is missing, listed once with the form that supplies each item; and whether each dated
item is overdue, due or not yet due (guideline.status, the function the worklists read too).

The engine explains every result in its own part; the warnings and the list of what TX-6
misses are gathered here instead, so the page states each once (`moved_explanations` names the
explanations shown here, which the parts then leave out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hsreg.guideline import Evaluation, Explanation
from hsreg.guideline.eligibility import ASSESSMENT_OLD, current_activity_warning, summary_text
from hsreg.guideline.labels import field_label
from hsreg.guideline.response import Response
from hsreg.guideline.screening import PREGNANCY, result_explanations
from hsreg.guideline.staging import tunnel_warning
from hsreg.guideline.status import STATUS_NAMES, DueStatus, due_status
from hsreg.web.language import pick

from .panel_links import FormLink, Links

BADGES: dict[DueStatus, str] = {"overdue": "bad", "due": "warn", "not_yet": "unknown"}
EVALUATION_DUE: dict[DueStatus, Promise] = {
    "overdue": _("Evaluation overdue"),
    "due": _("Evaluation due now"),
    "not_yet": _("Not due yet"),
}


@dataclass(frozen=True, slots=True)
class DueBadge:
    """overdue / due / not yet, as a word and a badge class."""

    status: DueStatus
    label: str
    badge: str


@dataclass(frozen=True, slots=True)
class Alert:
    """A warning of the engine with the form that resolves it."""

    rule_id: str
    text: str
    link: FormLink | None


@dataclass(frozen=True, slots=True)
class MissingItem:
    """Things not recorded that one form supplies, and the rules that need them."""

    labels: tuple[str, ...]
    rule_ids: tuple[str, ...]
    link: FormLink | None


def due_badge(status: DueStatus | None) -> DueBadge | None:
    if status is None:
        return None
    return DueBadge(status, pick(STATUS_NAMES[status]), BADGES[status])


def evaluation_verdict(response: Response) -> DueBadge | None:
    """TX-9 before an evaluation: "overdue" once week 12 has passed without one, never "not
    due yet" (the decision ``not_due`` says only that no evaluation has been made)."""
    if response.decision != "not_due" or response.evaluation_status is None:
        return None
    status = response.evaluation_status
    return DueBadge(status, str(EVALUATION_DUE[status]), BADGES[status])


def screening_badge(e: Evaluation, *, today: date) -> DueBadge | None:
    """SC-1/SC-2 incomplete before a biologic: due by its planned start, overdue once an
    ongoing course has started without it (the screening worklist's dates)."""
    start = e.vaccination.planned_biologic_start or (
        e.response.course_start if e.response.decision != "not_on_biologic" else None
    )
    screening = e.screening
    if start is None or not (screening.missing_tests or screening.unknown):
        return None
    return due_badge(due_status(today, due_on=start, opens_on=min(today, start)))


def vaccines_badge(e: Evaluation, *, today: date) -> DueBadge | None:
    """VA-2 vaccines due: due now, with no deadline (non-live, VA-3), so never overdue."""
    if not e.vaccination.due:
        return None
    return due_badge(due_status(today, due_on=None, opens_on=today))


def moved_explanations(e: Evaluation) -> set[Explanation]:
    """The explanations this module shows (as warnings, or as the list of what is missing)."""
    moved = set(_warning_explanations(e).values())
    eligibility = e.biologic_eligibility
    if eligibility.status == "insufficient_data":
        summary = summary_text(eligibility.status, eligibility.missing)
        moved.add(Explanation("TX-6", summary, "biologic_eligibility"))
    return moved


def _warning_explanations(e: Evaluation) -> dict[str, Explanation]:
    """The engine's warnings by what resolves them: ``assessment`` (TX-6 current activity,
    ST-1) or ``screening`` (SC-1 results)."""
    found: dict[str, Explanation] = {}
    eligibility = e.biologic_eligibility
    if ASSESSMENT_OLD in eligibility.warnings and eligibility.assessment_date is not None:
        days = (e.as_of - eligibility.assessment_date).days
        found["activity"] = current_activity_warning(eligibility.assessment_date, days)
    if e.staging.warnings and e.staging.date is not None:
        found["tunnels"] = tunnel_warning(e.staging.date, e.staging.hurley_i_tunnel_regions)
    # SC-1's results are "<result>:<finding>"; pregnancy (SC-2) and XB-4's ibd_il17 are not
    results = tuple(w for w in e.screening.warnings if w != PREGNANCY and ":" in w)
    for number, explanation in enumerate(result_explanations(results)):
        found[f"screening{number}"] = explanation
    return found


def warnings(e: Evaluation, links: Links) -> list[Alert]:
    """Each warning with its form: a new assessment and report for an old one (TX-6), the
    assessment's correction for Hurley I with tunnels (ST-1), the screening form (SC-1)."""
    alerts = []
    for key, explanation in _warning_explanations(e).items():
        if key == "activity":
            link: FormLink | None = links.doctor_assessment()
        elif key == "tunnels":
            link = links.latest_assessment()
        else:
            link = links.screening()
        alerts.append(Alert(explanation.rule_id, pick(explanation.text), link))
    return alerts


def missing_items(e: Evaluation, links: Links) -> list[MissingItem]:
    """Everything the rules miss, each item once, grouped by the form that supplies it, with
    every rule that needs it."""
    eligibility = e.biologic_eligibility
    criteria = tuple(path for c in eligibility.criteria.values() for path in c.missing)
    sources = (
        # what decides TX-6 first, then what its other criteria miss ("see what is missing")
        ("TX-6", eligibility.missing + criteria),
        ("SC-2", e.screening.unknown),
        ("DX-1", e.diagnosis.missing),
        ("TX-9", e.response.missing),
        ("TX-7", e.adalimumab_regimen.missing),
        ("VA-3", e.vaccination.missing),
    )
    by_form: dict[str, tuple[FormLink | None, list[str], list[str]]] = {}
    for rule_id, paths in sources:
        for path in paths:
            link = links.for_path(path)
            _link, labels, rules = by_form.setdefault(link.url if link else "", (link, [], []))
            label = pick(field_label(path))
            if label not in labels:
                labels.append(label)
            if rule_id not in rules:
                rules.append(rule_id)
    return [
        MissingItem(tuple(labels), tuple(rules), link) for link, labels, rules in by_form.values()
    ]
