"""hsreg's own CodeSystems, served whole at ``/fhir/CodeSystem/<id>`` (public: codes, no
patient data): the observation codes LOINC does not have (codes.OBSERVATION_CODES) and the
body regions of the engine (ST-1, XS-3), both from codes.py and the form's region list."""

from __future__ import annotations

from typing import Any

from hsreg.assessments.models import Region
from hsreg.fhir import codes

from .observation import region_label

VERSION = "1"


def _code_system(
    cid: str, url: str, name: str, title: str, concepts: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "resourceType": "CodeSystem",
        "id": cid,
        "url": url,
        "version": VERSION,
        "name": name,
        "title": title,
        "status": "active",
        "publisher": "hsreg",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }


def code_systems() -> dict[str, dict[str, Any]]:
    """Id -> CodeSystem."""
    observation = _code_system(
        "hsreg-observation",
        codes.OBSERVATION_SYSTEM,
        "HsregObservation",
        "hsreg observation codes",
        [
            {"code": code, "display": display, "definition": definition}
            for code, (display, definition) in codes.OBSERVATION_CODES.items()
        ],
    )
    region = _code_system(
        "hsreg-body-region",
        codes.REGION_SYSTEM,
        "HsregBodyRegion",
        "hsreg body regions (ST-1, XS-3)",
        [{"code": r, "display": region_label(r)} for r in Region.values],
    )
    return {observation["id"]: observation, region["id"]: region}
