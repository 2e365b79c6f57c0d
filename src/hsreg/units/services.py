"""Writes of units, by the registry coordinator: a new unit, and a change of its name,
health trust, region or kind. Each write and its audit row share one transaction; a change
keeps the earlier values in the row's detail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role
from hsreg.audit.models import Action
from hsreg.audit.services import log

from .models import HealthRegion, Unit, UnitKind

#: the refusal of a RESH id some unit has, here and in the form that checks it first
RESH_TAKEN = gettext_lazy("A unit with RESH id %(resh)s is already in the registry.")


def _check_coordinator(actor: Actor) -> None:
    if actor.role != Role.COORDINATOR:
        raise PermissionDenied("only the registry coordinator manages units")


def create_unit(
    *,
    actor: Actor,
    resh_id: int,
    name: str,
    health_trust: str,
    region: HealthRegion | str,
    kind: UnitKind | str,
) -> Unit:
    """A new unit. A RESH id already taken (also by a unit created at the same moment) is a
    ValidationError on ``resh_id``, never an overwrite."""
    _check_coordinator(actor)
    taken = ValidationError({"resh_id": RESH_TAKEN % {"resh": resh_id}})
    try:
        with transaction.atomic():
            if Unit.objects.filter(pk=resh_id).exists():
                raise taken
            unit = Unit.objects.create(
                resh_id=resh_id, name=name, health_trust=health_trust, region=region, kind=kind
            )
            log(
                actor=actor,
                action=Action.CREATE,
                target=f"unit {unit.pk}",
                detail={
                    "name": name,
                    "health_trust": health_trust,
                    "region": str(region),
                    "kind": str(kind),
                },
            )
    except IntegrityError:
        raise taken from None
    return unit


@transaction.atomic
def change_unit(
    *,
    actor: Actor,
    unit: Unit,
    name: str,
    health_trust: str,
    region: HealthRegion | str,
    kind: UnitKind | str,
) -> bool:
    """Sets a unit's name, health trust, region and kind (its RESH id never changes); returns
    whether anything changed, and an unchanged unit writes nothing. The audit row holds the
    earlier and the new values of the fields that changed."""
    _check_coordinator(actor)
    values = {"name": name, "health_trust": health_trust, "region": region, "kind": kind}
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    earlier = {f: getattr(unit, f) for f, v in values.items() if getattr(unit, f) != v}
    if not earlier:
        return False
    for field in earlier:
        setattr(unit, field, values[field])
    unit.save(update_fields=list(earlier))
    log(
        actor=actor,
        action=Action.CHANGE,
        target=f"unit {unit.pk}",
        detail={"earlier": earlier, "now": {f: str(values[f]) for f in earlier}},
    )
    return True
