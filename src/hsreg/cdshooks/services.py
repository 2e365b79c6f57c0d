"""The guideline as CDS Hooks 2.0 services (issue 14 point 3): what discovery lists, how a
call is answered with cards, and how the client's feedback on them is recorded.

- ``hsreg-patient-view`` (hook ``patient-view``): what is due for the patient (TX-9, LM-1,
  SC-1/SC-2, VA-2), the engine's warnings and TX-6's status with its reasons;
- ``hsreg-order-sign`` (hook ``order-sign``): a draft MedicationRequest for a biologic (by its
  ATC code or its name in guideline.catalog) draws a warning when TX-6 is not met or the
  screening is incomplete; otherwise no card.

Both read the patient of the calling client's unit through the selectors, as the patient page
does (hsreg.patients.page: the forms the unit may see, patients.panel's evaluation), so the
unit scoping, the consent to sharing and the audit rows are those of the page, with the
client as the actor. Feedback is one audit row per card outcome (Action.CREATE, target
"CDS Hooks feedback <service>"): the card, accepted or overridden, the override reason's
code, the time; the patient's registry id and the card's rules when the card was issued by
this server to this client within ``CARD_MEMORY`` (cdshooks.models.IssuedCard). A clinician's
free-text comment is not stored (it may name a person; the audit log must not); only that
one was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hsreg.accounts.actor import Actor
from hsreg.apiclients.models import ApiClient
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.fhir import codes
from hsreg.guideline.catalog import DRUGS, Drug
from hsreg.patients.history import load_forms
from hsreg.patients.panel import guideline_panel

from . import cards
from .calls import HookCall, HookError, draft_medications, national_ids, patient_resource
from .models import CARD_MEMORY, IssuedCard
from .selectors import patient_by_national_id

MAX_FEEDBACK = 100  # outcomes in one feedback call


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    hook: str
    title: str
    description: str


PATIENT_PREFETCH = {"patient": "Patient/{{context.patientId}}"}
SERVICES = {
    s.id: s
    for s in (
        Service(
            "hsreg-patient-view",
            "patient-view",
            "hsreg: HS treatment by the NFDV guideline",
            "What the NFDV 2019 guideline says is due for a patient with hidradenitis "
            "suppurativa registered in hsreg: the week-12/24 evaluation of a biologic (TX-9), "
            "screening before a biologic (SC-1, SC-2), vaccines (VA-2), laboratory checks "
            "(LM-1), the engine's warnings, and the indication for a biologic (TX-6) with its "
            "reasons.",
        ),
        Service(
            "hsreg-order-sign",
            "order-sign",
            "hsreg: check a biologic for HS before signing",
            "Warns when a draft MedicationRequest for a biologic (adalimumab, infliximab, "
            "secukinumab, bimekizumab) is signed for a patient registered in hsreg whose "
            "indication (TX-6) is not met or whose screening (SC-1, SC-2) is incomplete, "
            "listing what is missing. No card when all is met or the order is not a biologic.",
        ),
    )
}
USAGE = (
    "The calling record system is an hsreg API client of its unit with the address of its "
    "JWK Set (hsreg apiclient create --jwks-url URL); it signs each call with ES384 or RS384, "
    "iss and sub its client id, aud the service's URL. Patients are matched by national id "
    "number or D-number among the unit's patients."
)


def discovery() -> dict[str, Any]:
    """The discovery document (CDS Hooks 2.0, "Discovery")."""
    return {
        "services": [
            {
                "hook": s.hook,
                "id": s.id,
                "title": s.title,
                "description": s.description,
                "prefetch": PATIENT_PREFETCH,
                "usageRequirements": USAGE,
            }
            for s in SERVICES.values()
        ]
    }


def biologics_ordered(call: HookCall) -> list[Drug]:
    """The catalog's biologics among the draft MedicationRequests: by an ATC coding, else by
    the drug's Norwegian or English name in a coding's display or the concept's text."""
    found: dict[str, Drug] = {}
    for request in draft_medications(call):
        concept = request.get("medicationCodeableConcept")
        if not isinstance(concept, dict):
            continue
        for drug in DRUGS.values():
            if drug.biologic and _names(concept, drug):
                found[drug.id] = drug
    return list(found.values())


def _names(concept: dict[str, Any], drug: Drug) -> bool:
    codings = concept.get("coding")
    texts = [concept.get("text")]
    for coding in codings if isinstance(codings, list) else []:
        if not isinstance(coding, dict):
            continue
        if coding.get("system") == codes.ATC and coding.get("code") == drug.atc:
            return True
        texts.append(coding.get("display"))
    words = {drug.name.nb.lower(), drug.name.en.lower()}
    return any(isinstance(t, str) and any(w in t.lower() for w in words) for t in texts)


def answer(*, actor: Actor, client: ApiClient, service: Service, call: HookCall) -> list[dict]:
    """The cards of one call, as JSON; each card remembered for its feedback."""
    target = f"CDS Hooks {service.id}"
    if service.hook == "order-sign":
        drugs = biologics_ordered(call)
        if not drugs:
            return []  # not a biologic: nothing to say, nothing read
    patient = patient_by_national_id(
        actor=actor, numbers=national_ids(patient_resource(call)), target=target
    )
    if patient is None:
        return _issued([cards.not_registered()], client=client, service=service, patient_id=None)
    forms = load_forms(patient)
    panel, problems = guideline_panel(patient, forms, today=timezone.localdate())
    if panel is None:
        found = [cards.not_evaluable(patient.pk, problems)]
    elif service.hook == "order-sign":
        warning = cards.order_warning(panel, drugs, patient_id=patient.pk)
        found = [warning] if warning is not None else []
    else:
        found = cards.patient_view(panel, patient_id=patient.pk)
    return _issued(found, client=client, service=service, patient_id=patient.pk)


def _issued(
    found: list[cards.Card], *, client: ApiClient, service: Service, patient_id: int | None
) -> list[dict]:
    """The cards as JSON, each with a new uuid, noted (IssuedCard) for their feedback."""
    ids = [cards.new_card_id() for _ in found]
    IssuedCard.objects.bulk_create(
        IssuedCard(
            uuid=card_id,
            client=client,
            service=service.id,
            patient_id=patient_id,
            rules=list(card.rule_ids),
        )
        for card_id, card in zip(ids, found, strict=True)
    )
    return [card.as_json(card_id) for card_id, card in zip(ids, found, strict=True)]


def record_feedback(*, actor: Actor, client: ApiClient, service: Service, data: Any) -> int:
    """One audit row per outcome in a feedback call's body (CDS Hooks 2.0, "Feedback");
    HookError 400 naming the element of a malformed one, and then nothing is recorded."""
    if not isinstance(data, dict) or not isinstance(data.get("feedback"), list):
        raise HookError("The body must be an object with a feedback list.", path="feedback")
    items = data["feedback"]
    if len(items) > MAX_FEEDBACK:
        raise HookError(f"At most {MAX_FEEDBACK} outcomes per call.", path="feedback")
    rows = [_outcome(item, f"feedback[{n}]") for n, item in enumerate(items)]
    # another client's card, or another service's, is not this one's to judge
    issued = IssuedCard.objects.filter(
        uuid__in=[row["card"] for row in rows],
        client=client,
        service=service.id,
        issued_at__gte=timezone.now() - CARD_MEMORY,
    ).in_bulk()
    for row in rows:
        card = issued.get(row["card"])
        if card is not None:
            row["rules"] = card.rules
        log(
            actor=actor,
            action=Action.CREATE,
            patient_id=card.patient_id if card else None,
            target=f"CDS Hooks feedback {service.id}",
            detail=row,
        )
    return len(rows)


def _outcome(item: Any, path: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise HookError("Each feedback item must be an object.", path=path)
    card = item.get("card")
    if not isinstance(card, str) or not 0 < len(card) <= 64:
        raise HookError("card must be the card's uuid.", path=f"{path}.card")
    outcome = item.get("outcome")
    if outcome not in ("accepted", "overridden"):
        raise HookError("outcome must be accepted or overridden.", path=f"{path}.outcome")
    stamp = item.get("outcomeTimestamp")
    try:
        when = parse_datetime(stamp) if isinstance(stamp, str) else None
    except ValueError:
        when = None
    if when is None:
        raise HookError(
            "outcomeTimestamp must be a date and time.", path=f"{path}.outcomeTimestamp"
        )
    row: dict[str, Any] = {"card": card, "outcome": outcome, "at": when.isoformat()}
    accepted = item.get("acceptedSuggestions", [])
    if not isinstance(accepted, list):
        raise HookError("acceptedSuggestions must be a list.", path=f"{path}.acceptedSuggestions")
    if accepted:
        row["accepted_suggestions"] = len(accepted)
    override = item.get("overrideReason")
    if override is not None:
        row.update(_override(override, f"{path}.overrideReason"))
    return row


def _override(override: Any, path: str) -> dict[str, Any]:
    if not isinstance(override, dict):
        raise HookError("overrideReason must be an object.", path=path)
    found: dict[str, Any] = {}
    reason = override.get("reason")
    if reason is not None:
        if not isinstance(reason, dict) or not isinstance(reason.get("code"), str):
            raise HookError("reason must be a Coding with a code.", path=f"{path}.reason")
        system = reason.get("system")
        found["override_reason"] = {
            "system": system[:200] if isinstance(system, str) else "",
            "code": reason["code"][:64],
        }
    comment = override.get("userComment")
    if comment is not None and not isinstance(comment, str):
        raise HookError("userComment must be a string.", path=f"{path}.userComment")
    if comment:
        found["comment_given"] = True
    return found
