"""The menu's "H-resept" link (TX-6 delegation): for a private practice, which requests, and
for the department configured for a region, which decides."""

from __future__ import annotations

from typing import Any

from django import template

from hsreg.units.models import UnitKind

from ..selectors import is_department

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_delegations(context: Any) -> bool:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    unit = actor.clinical_unit if actor is not None else None
    if unit is None:
        return False
    return unit.kind == UnitKind.PRIVATE or is_department(unit=unit)
