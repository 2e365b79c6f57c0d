"""`beyond_guideline`: the IL-17 inhibitors as options beyond the NFDV guideline (2019).

RULES.md section XB: secukinumab (XB-1, EU approval for HS 2023) and bimekizumab (XB-2, 2024)
are approved for adults with moderate–severe HS after inadequate conventional systemic therapy.
They are offered here, apart from TX-12's `recommendation.options` (which follow the guideline
alone), to an adult who meets the indication for a biologic (TX-6) or whose TNF-α inhibitor
was stopped for inadequate or adverse effect; each with its funding status (XB-5) and, for a
patient with inflammatory bowel disease, XB-4's warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import DRUGS, FundingStatus, funding_text
from .eligibility import FAILURE_REASONS, Eligibility
from .history import History
from .il17_response import IL17_INHIBITORS
from .regimens import ADULT_FROM_AGE
from .text import Explanation, Text, Topic, explanations_field

WHY = Topic("beyond_guideline")
TNF_INHIBITORS = frozenset({"adalimumab", "infliximab"})
IBD = "ibd"
BEYOND_2019 = Text("Utover NFDV-retningslinjen (2019): ", "Beyond the NFDV guideline (2019): ")
_SOURCES: dict[str, Text] = {
    "secukinumab": Text(
        "EU-godkjent for HS 2023; SUNSHINE/SUNRISE, Lancet 2023",
        "EU approval for HS 2023; SUNSHINE/SUNRISE, Lancet 2023",
    ),
    "bimekizumab": Text(
        "EU-godkjent for HS 2024; BE HEARD I/II, Lancet 2024",
        "EU approval for HS 2024; BE HEARD I/II, Lancet 2024",
    ),
}
IBD_WARNING = Text(
    "XB-4: inflammatorisk tarmsykdom i sykehistorien kan forverres av en IL-17-hemmer "
    "(preparatomtalene for sekukinumab og bimekizumab); tuberkulosescreening som SC-1/SC-2, "
    "levende vaksiner etter VA-3.",
    "XB-4: a history of inflammatory bowel disease may worsen on an IL-17 inhibitor (the "
    "summaries of product characteristics of secukinumab and bimekizumab); tuberculosis "
    "screening as SC-1/SC-2, live vaccines by VA-3.",
)


@dataclass(frozen=True, slots=True)
class BeyondOption:
    """One IL-17 inhibitor offered beyond the guideline; `rule_ids` name its regimen rule
    (XB-1 or XB-2), its funding status (XB-5) and, with IBD, XB-4's warning."""

    drug: str
    rule_ids: tuple[str, ...]
    funding_status: FundingStatus
    text: Text


@dataclass(frozen=True, slots=True)
class BeyondGuideline:
    options: tuple[BeyondOption, ...] = ()
    explanations: tuple[Explanation, ...] = explanations_field()


def _why_offered(history: History, eligibility: Eligibility) -> Text | None:
    """Why an IL-17 inhibitor is an option for this patient, or None when it is not."""
    if history.age < ADULT_FROM_AGE:
        return None
    if eligibility.status == "eligible":
        return Text(
            "indikasjonen for biologisk behandling er oppfylt (TX-6)",
            "the indication for a biologic is met (TX-6)",
        )
    failed = [
        c
        for c in history.courses
        if c.drug.id in TNF_INHIBITORS
        and c.ended_by(history.as_of)
        and c.stop_reason in FAILURE_REASONS
    ]
    if failed:
        name = DRUGS[failed[-1].drug.id].name
        return Text(
            f"{name.nb.lower()} (TNF-α-hemmer) ble avsluttet for utilstrekkelig effekt eller "
            "bivirkninger",
            f"{name.en.lower()} (a TNF-α inhibitor) was stopped for inadequate effect or adverse "
            "effects",
        )
    return None


def beyond_guideline(history: History, eligibility: Eligibility) -> BeyondGuideline:
    """The IL-17 inhibitors for an adult eligible by TX-6 or after a failed TNF-α inhibitor;
    none for a drug the patient is already on (or has planned), and none under 18."""
    why = _why_offered(history, eligibility)
    if why is None:
        return BeyondGuideline()
    taken = {c.drug.id for c in history.courses if not c.ended_by(history.as_of)}
    ibd = IBD in history.patient.comorbidities
    options = []
    for drug_id in IL17_INHIBITORS:
        if drug_id in taken:
            continue
        drug = DRUGS[drug_id]
        status = history.funding[drug_id]
        rule_ids = (drug.rule_id, "XB-5", *(("XB-4",) if ibd else ()))
        text = (
            BEYOND_2019
            + Text(
                f"{drug.name.nb} ({drug.rule_id}; {_SOURCES[drug_id].nb}) er et alternativ for "
                f"en voksen når {why.nb}. ",
                f"{drug.name.en} ({drug.rule_id}; {_SOURCES[drug_id].en}) is an option for an "
                f"adult when {why.en}. ",
            )
            + funding_text(drug_id, status)
            + (Text(" ", " ") + IBD_WARNING if ibd else Text("", ""))
        )
        options.append(BeyondOption(drug_id, rule_ids, status, text))
    return BeyondGuideline(
        options=tuple(options),
        explanations=tuple(WHY.text(o.rule_ids[0], o.text) for o in options),
    )
