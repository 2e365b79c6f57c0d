"""Organization on the Norwegian base profile no-basis-Organization: a unit, by its RESH id.

Units hold no patient data, so a client reads every unit (the one it belongs to, and the
others a shared patient's forms name). The logical id is the RESH id, which is the unit's
primary key.
"""

from __future__ import annotations

from typing import Any

from hsreg.fhir import codes
from hsreg.fhir.search import Page, Search, window
from hsreg.units.models import Unit


def build(unit: Unit) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": str(unit.pk),
        "meta": {"profile": [codes.ORGANIZATION_PROFILE]},
        "identifier": [{"use": "official", "system": codes.RESH_SYSTEM, "value": str(unit.pk)}],
        "active": True,
        "name": unit.name,
    }
    if unit.health_trust:
        resource["alias"] = [unit.health_trust]
    return resource


def search(*, search: Search) -> Page:
    """Units by ``_id`` and ``identifier`` (RESH), by RESH id: two queries."""
    found = Unit.objects.order_by("pk")
    if search.ids is not None:
        found = found.filter(pk__in=[int(i) for i in search.ids if _is_resh(i)])
    if search.identifiers is not None:
        found = found.filter(
            pk__in=[
                int(value)
                for system, value in search.identifiers
                if system in (None, codes.RESH_SYSTEM) and _is_resh(value)
            ]
        )
    total = found.count()
    page = list(window(found, search)) if search.count else []  # type: ignore[arg-type]
    return Page([build(u) for u in page], total, frozenset())


def _is_resh(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 9 and int(text) > 0
