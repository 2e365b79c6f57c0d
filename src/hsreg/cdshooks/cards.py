"""CDS Hooks cards from the guideline panel of the patient page (patients.panel).

No rule is applied here: every card restates what the panel already says on the patient's
page, from the same evaluation, in the same words where the engine has them (its nb/en
explanations, picked for the active language), so the record and hsreg can never disagree.
Each card names its rule ids in the summary (at most 140 characters), the full reasoning in
``detail`` (markdown), its source ("NFDV 2019", or "beyond NFDV" for the XB/XS rules), a
fresh ``uuid`` for feedback, and links into hsreg by registry id only (settings.PUBLIC_URL;
never a national id number in a URL).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from hsreg.fhir import codes
from hsreg.guideline import Evaluation, Problem
from hsreg.guideline.catalog import DRUGS, Drug, drug_name
from hsreg.guideline.labels import field_label
from hsreg.guideline.status import STATUS_NAMES
from hsreg.guideline.text import d
from hsreg.patients.panel import Note, Panel
from hsreg.patients.panel_links import FormLink
from hsreg.web.language import pick

SUMMARY_MAX = 140
NFDV = "NFDV 2019"
BEYOND = "beyond NFDV"


@dataclass(frozen=True, slots=True)
class Card:
    rule_ids: tuple[str, ...]
    summary: str
    detail: str
    indicator: str  # info / warning / critical
    links: tuple[tuple[str, str], ...]  # (label, absolute URL)

    def as_json(self, card_id: str) -> dict[str, Any]:
        return {
            "uuid": card_id,
            "summary": _short(self.summary),
            "detail": self.detail,
            "indicator": self.indicator,
            "source": {"label": source_label(self.rule_ids)},
            "links": [
                {"label": label, "url": url, "type": "absolute"} for label, url in self.links
            ],
            "overrideReasons": override_reasons(),
        }


def new_card_id() -> str:
    return str(uuid.uuid4())


def source_label(rule_ids: tuple[str, ...]) -> str:
    """NFDV 2019, unless the card's first rule lies beyond the guideline (XB, XS)."""
    return BEYOND if rule_ids and rule_ids[0].startswith(("XB", "XS")) else NFDV


def override_reasons() -> list[dict[str, str]]:
    """The reasons a clinician may give for setting a card aside (CDS Hooks 2.0)."""
    return [
        {"system": codes.CDS_OVERRIDE_SYSTEM, "code": code, "display": str(display)}
        for code, display in (
            ("already-done", _("Already done, not yet registered in hsreg")),
            ("not-relevant", _("Not relevant for this patient now")),
            ("clinical-judgement", _("Clinical judgement")),
        )
    ]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def _absolute(path: str) -> str:
    return settings.PUBLIC_URL + path


def patient_link(patient_id: int) -> tuple[str, str]:
    url = _absolute(reverse("patients:detail", kwargs={"patient_id": patient_id}))
    return (_("Open the patient in hsreg"), url)


def _form_link(link: FormLink | None) -> tuple[tuple[str, str], ...]:
    return ((str(link.text), _absolute(link.url)),) if link is not None else ()


def _lines(notes: list[Note]) -> list[str]:
    return [f"- **{n.rule_id}** {n.text}" for n in notes]


def _detail(*parts: list[str] | str) -> str:
    """The lines of ``parts`` as one markdown list (each line an item)."""
    lines: list[str] = []
    for part in parts:
        lines += [part] if isinstance(part, str) else part
    return "\n".join(line if line.startswith("- ") else f"- {line}" for line in lines if line)


def not_registered() -> Card:
    """The one card for a patient the client's unit has not registered: nothing else."""
    return Card(
        ("RG-1",),
        _("RG-1: not registered in hsreg at this unit"),
        _(
            "hsreg has no patient with this national id number at your unit, so it has no "
            "guideline advice for this patient. Register the patient in hsreg to follow the "
            "treatment by the NFDV guideline."
        ),
        "info",
        (),
    )


def not_evaluable(patient_id: int, problems: tuple[Problem, ...]) -> Card:
    """The forms do not make a consistent case: the patient page lists what to correct."""
    return Card(
        ("RG-1",),
        _("RG-1: hsreg cannot evaluate the guideline: %(count)s problems in the forms")
        % {"count": len(problems)},
        _("Correct the forms named on the patient's page in hsreg; then the advice returns."),
        "warning",
        (patient_link(patient_id),),
    )


def patient_view(panel: Panel, *, patient_id: int) -> list[Card]:
    """What is due (TX-9, LM-1, SC-1/SC-2, VA-2), the warnings and TX-6's status."""
    e = panel.evaluation
    link = patient_link(patient_id)
    cards = [
        *_evaluation(panel, e, link),
        *_labs(panel, e, link),
        *_screening(panel, e, link),
        *_vaccines(panel, link),
        *(
            Card(
                (a.rule_id,),
                f"{a.rule_id}: {a.text}",
                a.text,
                "warning",
                (link, *_form_link(a.link)),
            )
            for a in panel.warnings
        ),
        eligibility(panel, link),
    ]
    return cards


def _status_words(status: str) -> str:
    return pick(STATUS_NAMES[status])  # type: ignore[index]


def _evaluation(panel: Panel, e: Evaluation, link: tuple[str, str]) -> list[Card]:
    """TX-9: the week-12 (or, after an extension, week-24) evaluation, when due or overdue."""
    r = e.response
    if panel.xb.response is not None:
        return _il17_evaluation(panel, e, link)
    if r.evaluation_status not in ("due", "overdue") or r.next_evaluation_due is None:
        return []
    week = 24 if r.decision == "extend_12_weeks" else 12
    summary = _("TX-9: the week-%(week)s evaluation of %(drug)s is %(status)s (by %(date)s)") % {
        "week": week,
        "drug": _drug(r.drug),
        "status": _status_words(r.evaluation_status),
        "date": pick(d(r.next_evaluation_due)),
    }
    indicator = "warning" if r.evaluation_status == "overdue" else "info"
    notes = panel.notes.get("response", [])
    return [Card(("TX-9",), summary, _detail(_lines(notes)), indicator, (link,))]


def _il17_evaluation(panel: Panel, e: Evaluation, link: tuple[str, str]) -> list[Card]:
    """XB-3 (beyond the NFDV guideline, 2019): an IL-17 inhibitor's week-16 evaluation when due
    or overdue, and its decision once made when it is not "continue"; source "beyond NFDV"."""
    r = e.response
    xb3 = panel.xb.response
    assert xb3 is not None  # noqa: S101 - the caller's condition
    detail = _detail(_lines([n for n in panel.beyond if n.rule_id == "XB-3"]))
    if r.decision == "not_due":
        if r.evaluation_status not in ("due", "overdue") or r.next_evaluation_due is None:
            return []
        summary = _("XB-3: the week-16 evaluation of %(drug)s is %(status)s (by %(date)s)") % {
            "drug": xb3.drug,
            "status": _status_words(r.evaluation_status),
            "date": pick(d(r.next_evaluation_due)),
        }
        indicator = "warning" if r.evaluation_status == "overdue" else "info"
        return [Card(("XB-3",), summary, detail, indicator, (link,))]
    if r.decision == "continue":
        return []
    summary = _("XB-3: the week-16 evaluation of %(drug)s: %(decision)s") % {
        "drug": xb3.drug,
        "decision": xb3.decision.label,
    }
    indicator = "warning" if r.decision == "stop" else "info"
    return [Card(("XB-3",), summary, detail, indicator, (link,))]


def _drug(drug_id: str | None) -> str:
    return pick(DRUGS[drug_id].name) if drug_id in DRUGS else str(drug_id or "")


def _labs(panel: Panel, e: Evaluation, link: tuple[str, str]) -> list[Card]:
    labs = e.labs
    if labs.status not in ("due", "overdue") or labs.next_due is None:
        return []
    summary = _("LM-1: laboratory check %(status)s (by %(date)s)") % {
        "status": _status_words(labs.status),
        "date": pick(d(labs.next_due)),
    }
    indicator = "warning" if labs.status == "overdue" else "info"
    return [
        Card(("LM-1",), summary, _detail(_lines(panel.notes.get("labs", []))), indicator, (link,))
    ]


def screening_gaps(panel: Panel, e: Evaluation) -> tuple[tuple[str, ...], list[str]]:
    """The rule ids and lines of what the screening lacks: tests not taken (SC-1), history
    items not recorded (SC-2)."""
    rules: list[str] = []
    lines: list[str] = []
    if panel.screening_missing:
        rules.append("SC-1")
        lines.append(
            _("Tests not taken (SC-1): %(tests)s") % {"tests": ", ".join(panel.screening_missing)}
        )
    if e.screening.unknown:
        rules.append("SC-2")
        items = ", ".join(dict.fromkeys(pick(field_label(p)) for p in e.screening.unknown))
        lines.append(_("Not recorded (SC-2): %(items)s") % {"items": items})
    return tuple(rules), lines


def _screening(panel: Panel, e: Evaluation, link: tuple[str, str]) -> list[Card]:
    badge = panel.screening_status
    if badge is None or badge.status not in ("due", "overdue"):
        return []
    rules, lines = screening_gaps(panel, e)
    summary = _("%(rules)s: screening before the biologic is incomplete (%(status)s)") % {
        "rules": "/".join(rules),
        "status": badge.label,
    }
    indicator = "warning" if badge.status == "overdue" else "info"
    detail = _detail(lines, _lines(panel.notes.get("screening", [])))
    return [Card(rules, summary, detail, indicator, (link, *_form_link(panel.screening_link)))]


def _vaccines(panel: Panel, link: tuple[str, str]) -> list[Card]:
    if not panel.vaccines_due:
        return []
    summary = _("VA-2: vaccines due: %(vaccines)s") % {"vaccines": ", ".join(panel.vaccines_due)}
    detail = _detail(_lines(panel.notes.get("vaccination", [])))
    return [Card(("VA-2",), summary, detail, "info", (link,))]


def _criteria_lines(panel: Panel) -> list[str]:
    lines = [
        f"- **{row.name}** ({row.rule_id}) {row.question}: {row.verdict.label}. {row.reason}"
        for row in panel.criteria
    ]
    for item in panel.missing:
        lines.append(
            _("Missing (%(rules)s): %(items)s")
            % {"rules": ", ".join(item.rule_ids), "items": ", ".join(item.labels)}
        )
    return lines


def eligibility(panel: Panel, link: tuple[str, str]) -> Card:
    """TX-6's status with its reasons: each criterion and what is missing."""
    summary = _("TX-6: indication for a biologic (adalimumab): %(status)s") % {
        "status": panel.eligibility_status.label
    }
    detail = _detail(_criteria_lines(panel), _lines(panel.notes.get("biologic_eligibility", [])))
    return Card(("TX-6",), summary, detail, "info", (link,))


def order_warning(panel: Panel, drugs: list[Drug], *, patient_id: int) -> Card | None:
    """order-sign: a warning when TX-6 is not met or the screening (SC-1/SC-2) is incomplete
    for the biologic ordered; None when neither holds."""
    e = panel.evaluation
    eligible = e.biologic_eligibility.status == "eligible"
    rules, gaps = screening_gaps(panel, e)
    if eligible and not rules:
        return None
    reasons = ([] if eligible else ["TX-6"]) + list(rules)
    beyond = [drug for drug in drugs if not drug.in_guideline]  # XS-1: named as such
    reasons += [drug.rule_id for drug in beyond if drug.rule_id not in reasons]
    names = ", ".join(pick(drug.name) for drug in drugs)
    what = (
        []
        if eligible
        else [_("indication: %(status)s") % {"status": panel.eligibility_status.label}]
    )
    if rules:
        what.append(_("screening incomplete"))
    summary = _("%(rules)s: check before ordering %(drugs)s: %(what)s") % {
        "rules": ", ".join(reasons),
        "drugs": names,
        "what": ", ".join(what),
    }
    detail = _detail(
        gaps,
        [] if eligible else _criteria_lines(panel),
        [f"- **{drug.rule_id}** {pick(drug_name(drug.id))}" for drug in beyond],
    )
    link = patient_link(patient_id)
    form = _form_link(panel.screening_link) if rules else ()
    return Card(tuple(reasons), summary, detail, "warning", (link, *form))
