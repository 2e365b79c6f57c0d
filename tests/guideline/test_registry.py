"""RG-1 and RG-3 as far as the guideline engine carries them."""

from __future__ import annotations

from hsreg.guideline.rules import HEALTH_REGIONS

from .builders import case, evaluated


def test_rg1_the_four_health_regions_the_registry_compares() -> None:
    assert list(HEALTH_REGIONS.values()) == [
        "Helse Nord",
        "Helse Midt-Norge",
        "Helse Vest",
        "Helse Sør-Øst",
    ]


def test_rg3_the_engine_computes_every_sum_itself() -> None:
    regions = [
        {"region": "axilla_left", "nodules": 2, "abscesses": 1, "draining_tunnels": 0},
        {"region": "axilla_right", "nodules": 1, "abscesses": 0, "draining_tunnels": 1},
    ]
    document = case(
        assessments=[{"date": "2026-05-01", "regions": regions, "dlqi_items": [2] * 10}]
    )
    result = evaluated(document)
    assert (result.staging.nodules, result.staging.abscesses, result.staging.draining_tunnels) == (
        3, 1, 1,
    )  # fmt: skip
    assert result.staging.ihs4.score == 3 + 2 + 4
    assert result.dlqi.score == 20
