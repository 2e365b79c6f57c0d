"""The guideline panel's part beyond the NFDV guideline (2019), RULES.md section XB, in the
user's language: XB-3's week-16 decision on an IL-17 inhibitor, XB-4's warning, the IL-17
inhibitors as options with their funding status (XB-5), the CDLQI's reading of C3 for a
patient under 16 (XB-6), and HS-IGA (XB-7).

XB results never change a guideline result and are never shown among them (RULES.md, XB):
the panel lays this part out apart, marked "Beyond the NFDV guideline (2019)", and leaves
these explanations out of the guideline's parts (patients.panel.beyond_guideline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.guideline import Evaluation
from hsreg.guideline.catalog import DRUGS, FUNDING_STATUS_NAMES
from hsreg.guideline.il17_response import ASSESSMENT_WEEK, IL17_INHIBITORS
from hsreg.guideline.jsonable import to_jsonable
from hsreg.guideline.monitoring import DLQI_BANDS
from hsreg.guideline.response import WEEK_16_DUE_DAY, WEEK_16_FROM_DAY
from hsreg.guideline.scores import CDLQI_ELIGIBLE_FROM
from hsreg.guideline.screening import IBD_IL17, warning_text
from hsreg.web.language import lang, pick

from .panel_todo import DueBadge, evaluation_verdict

#: XB-3's decisions in words; "stop" is "consider stopping" (both product characteristics)
XB3_DECISIONS = {
    "not_due": (gettext_lazy("Not due yet"), "unknown"),
    "continue": (gettext_lazy("Continue"), "ok"),
    "stop": (gettext_lazy("Consider stopping"), "bad"),
    "clinical_judgement": (gettext_lazy("Clinical judgement"), "warn"),
    "insufficient_data": (gettext_lazy("Insufficient data"), "unknown"),
}
#: XB-5's funding status as a badge class: approved for HS, or not (yet)
FUNDING_BADGES = {"approved": "ok"}


@dataclass(frozen=True, slots=True)
class Badge:
    """A status as the page shows it: its id, a word and a badge class."""

    status: str
    label: str
    badge: str


@dataclass(frozen=True, slots=True)
class Il17Response:
    """XB-3: the week-16 evaluation of an IL-17 inhibitor's course (day 105 on)."""

    drug: str
    decision: Badge | DueBadge
    opens_day: int
    due_day: int


@dataclass(frozen=True, slots=True)
class OptionRow:
    """One drug an option names, with its funding status (XB-5) when it is a biologic."""

    drug_id: str
    label: str
    funding_status: str
    funding: str
    funding_badge: str
    rule_ids: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class CdlqiReading:
    """XB-6: C3 under 16 is read on the CDLQI, met from 13 (its "very large effect" band)."""

    score: int | None
    band: str
    met: Badge
    eligible_from: int = CDLQI_ELIGIBLE_FROM


@dataclass(frozen=True, slots=True)
class Beyond:
    """Everything the part shows besides the engine's XB explanations (panel.beyond)."""

    response: Il17Response | None
    ibd_il17: str
    options: list[OptionRow]
    cdlqi: CdlqiReading | None
    #: the IL-17 course's regimen as JSON (XB-1, XB-2), for its dosing calendar in dates
    #: (treatments/_regimen_calendar.html); TX-7's calendar stays in the guideline's part
    regimen: dict[str, Any] | None = None

    @property
    def shown(self) -> bool:
        return bool(self.response or self.ibd_il17 or self.options or self.cdlqi or self.regimen)


def beyond(e: Evaluation) -> Beyond:
    """The XB results of ``e`` in the user's language."""
    return Beyond(
        response=il17_response(e),
        ibd_il17=pick(warning_text(IBD_IL17)) if IBD_IL17 in e.screening.warnings else "",
        options=[
            option_row(
                o.drug,
                funding_status=o.funding_status,
                rule_ids=tuple(o.rule_ids),
                text=pick(o.text),
            )
            for o in e.beyond_guideline.options
        ],
        cdlqi=cdlqi_reading(e),
        regimen=il17_regimen(e),
    )


def il17_regimen(e: Evaluation) -> dict[str, Any] | None:
    """The patient's IL-17 inhibitor course's regimen (XB-1, XB-2) as JSON, else None."""
    regimen = e.biologic_regimen
    if regimen is None or regimen.drug not in IL17_INHIBITORS:
        return None
    found: dict[str, Any] = to_jsonable(regimen, lang())
    return found


def is_il17_course(e: Evaluation) -> bool:
    """Whether the course TX-9 follows is an IL-17 inhibitor's, evaluated by XB-3 instead."""
    return e.response.assessment_week == ASSESSMENT_WEEK


def il17_response(e: Evaluation) -> Il17Response | None:
    """XB-3's decision for an IL-17 inhibitor's course; before day 105 "not due", or overdue
    once day 112 has passed without an evaluation (the worklist's dates)."""
    if not is_il17_course(e) or e.response.drug is None:
        return None
    due = evaluation_verdict(e.response)
    label, badge = XB3_DECISIONS.get(e.response.decision, (e.response.decision, "unknown"))
    decision = due or Badge(e.response.decision, str(label), badge)
    return Il17Response(
        drug=drug_name(e.response.drug),
        decision=decision,
        opens_day=WEEK_16_FROM_DAY,
        due_day=WEEK_16_DUE_DAY,
    )


def cdlqi_reading(e: Evaluation) -> CdlqiReading | None:
    """XB-6 for a patient under 16: the CDLQI, its band, and whether C3 is met by it."""
    if e.dlqi.instrument != "cdlqi":
        return None
    c3 = e.biologic_eligibility.criteria.get("C3")
    met = c3.met if c3 is not None else None
    if met is None:
        verdict = Badge("unknown", _("unknown"), "unknown")
    elif met:
        verdict = Badge("met", _("met"), "ok")
    else:
        verdict = Badge("unmet", _("not met"), "bad")
    band = pick(DLQI_BANDS[e.dlqi.band]) if e.dlqi.band else ""
    return CdlqiReading(score=e.dlqi.score, band=band, met=verdict)


def option_row(
    drug_id: str,
    *,
    funding_status: str | None,
    rule_ids: tuple[str, ...] = (),
    text: str = "",
    label: str | None = None,
) -> OptionRow:
    """A drug with its funding status in words (XB-5); none for a drug that is not a biologic."""
    label = label or drug_name(drug_id)
    if funding_status is None:
        return OptionRow(drug_id, label, "", "", "", rule_ids, text)
    funding = FUNDING_STATUS_NAMES.get(funding_status)
    return OptionRow(
        drug_id,
        label,
        funding_status,
        pick(funding) if funding else funding_status,
        FUNDING_BADGES.get(funding_status, "warn"),
        rule_ids,
        text,
    )


def drug_name(drug_id: str) -> str:
    return pick(DRUGS[drug_id].name) if drug_id in DRUGS else drug_id
