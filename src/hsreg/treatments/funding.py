"""XB-5 funding status (beyond the NFDV guideline (2019); Nye metoder): the registry's record
of whether each biologic is funded for HS in the specialist health service.

Funding changes by national decision, not by guideline, so the catalog only carries a default
(guideline.catalog.DEFAULT_FUNDING, as of January 2026). The registry coordinator records a
new decision here; a `FundingDecision` row overrides the default for its drug. The case
document carries the merged statuses (patients.case_document), so the engine's options, the
drug course form and the patient page all show the coordinator's status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.guideline.catalog import (
    BIOLOGICS,
    DEFAULT_FUNDING,
    DRUGS,
    FUNDING_STATUS_NAMES,
    FundingStatus,
)
from hsreg.web.language import pick

from .models import FundingDecision

FUNDING_STATUSES: tuple[FundingStatus, ...] = ("approved", "not_approved", "under_review")


def funding_statuses() -> dict[str, str]:
    """Each biologic's funding status: the catalog's default, overridden by the coordinator's
    recorded decisions. One query, whatever the number of drugs."""
    recorded = dict(FundingDecision.objects.values_list("drug", "status"))
    merged = {**DEFAULT_FUNDING, **recorded}
    return {drug: merged[drug] for drug in BIOLOGICS if drug in merged}


def status_label(status: str) -> str:
    """The status in the active language (the catalog's own names, XB-5)."""
    return pick(FUNDING_STATUS_NAMES[status]) if status in FUNDING_STATUS_NAMES else status


@dataclass(frozen=True, slots=True)
class FundingRow:
    """One biologic on the coordinator's page: its status and where the status comes from."""

    drug: str
    name: str
    rule_id: str
    in_guideline: bool
    status: str
    status_label: str
    decision: FundingDecision | None


def funding_rows() -> list[FundingRow]:
    """Every biologic of the catalog with its current status and, when the coordinator has
    recorded one, the decision (date, source, who and when). One query."""
    decisions = {d.drug: d for d in FundingDecision.objects.select_related("updated_by")}
    statuses = {**DEFAULT_FUNDING, **{drug: d.status for drug, d in decisions.items()}}
    return [
        FundingRow(
            drug=drug,
            name=pick(DRUGS[drug].name),
            rule_id=DRUGS[drug].rule_id,
            in_guideline=DRUGS[drug].in_guideline,
            status=statuses.get(drug, ""),
            status_label=status_label(statuses[drug]) if drug in statuses else "",
            decision=decisions.get(drug),
        )
        for drug in BIOLOGICS
    ]


@transaction.atomic
def set_funding(
    *, actor: Actor, drug: str, status: str, decided_on: date, note: str
) -> FundingDecision:
    """Record a national funding decision (XB-5) for ``drug``: the one row of that drug is
    written (created the first time) and the change is audited with the earlier status, so a
    reviewer can see who changed what the engine tells every clinician."""
    if drug not in BIOLOGICS:
        raise ValueError(f"not a biologic of the catalog: {drug}")
    if status not in FUNDING_STATUSES:
        raise ValueError(f"not a funding status: {status}")
    decision = FundingDecision.objects.select_for_update().filter(drug=drug).first()
    before = decision.status if decision else DEFAULT_FUNDING.get(drug)
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    if decision is None:
        decision = FundingDecision(drug=drug)
    decision.status = status
    decision.decided_on = decided_on
    decision.note = note
    decision.updated_by = user
    decision.save()
    detail: dict[str, Any] = {
        "drug": drug,
        "status": status,
        "decided_on": decided_on.isoformat(),
        "before": before,
        "rule": "XB-5",
    }
    log(actor=actor, action=Action.CHANGE, target=f"funding status {drug}", detail=detail)
    return decision
