"""Reads for the clinic's invitation pages: always of the actor's unit (the patient itself is
read through patients.selectors.get_patient, scoped and audited there)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from hsreg.accounts.actor import Actor
from hsreg.patients.models import Patient
from hsreg.patients.selectors import current
from hsreg.treatments.models import MEDICAL_TYPES, SURGICAL_TYPES, Intervention

from .models import Invitation

#: the interventions a patient control follows up (HISREG's windows: medical and surgical)
FOLLOWED_UP_TYPES = sorted(SURGICAL_TYPES | MEDICAL_TYPES)


def patient_invitations(*, actor: Actor, patient: Patient) -> QuerySet[Invitation]:
    """The patient's invitations made by the actor's unit, newest first."""
    return Invitation.objects.filter(patient=patient, unit=actor.clinical_unit).select_related(
        "intervention", "created_by"
    )


def followed_up_interventions(*, patient: Patient) -> QuerySet[Intervention]:
    """The patient's finished surgical or medical interventions the reader may see (corrections
    applied), newest first: those a 3- or 6-month control can follow up."""
    return (
        current(Intervention, patient=patient)
        .filter(type__in=FOLLOWED_UP_TYPES)
        .order_by("-date", "-pk")
    )


def unit_invitation(*, actor: Actor, invitation_id: int) -> Invitation:
    """An invitation of the actor's unit, else 404 (an id of another unit is not found)."""
    unit = actor.clinical_unit
    invitation = (
        Invitation.objects.select_related("unit").filter(pk=invitation_id, unit=unit).first()
        if unit is not None and 0 < invitation_id < 2**63
        else None
    )
    if invitation is None:
        raise Http404("No such invitation at this unit")
    return invitation
