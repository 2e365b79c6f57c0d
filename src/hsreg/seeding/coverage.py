"""The national patient register's counts of HS patients for the demo units, so the demo's
coverage (dekningsgrad) shows figures: each unit registers a steady share of the patients NPR
sees there, one unit of each region below 60 % ("Lav dekningsgrad"); and the counts of the
health trusts, the sum of their units' (coverage per trust, issue 16 D5)."""

from __future__ import annotations

import random
from collections import Counter

from hsreg.reports.coverage import registered_patients
from hsreg.reports.models import NprCount, NprTrustCount
from hsreg.units.models import Unit


def seed_npr_counts(*, seed: int, years: list[int]) -> int:
    """One NprCount per unit and year of ``years`` with registered patients, for a share drawn
    once per unit (55-98 %), and one NprTrustCount per health trust and year, the sum of its
    units'; returns how many were written."""
    rng = random.Random(f"npr-{seed}")  # noqa: S311 - synthetic data, not secrets
    registered = registered_patients(years=years)
    low_in_region: set[str] = set()
    counts = []
    trusts: Counter[tuple[str, int]] = Counter()
    for unit in Unit.objects.order_by("resh_id"):
        share = rng.uniform(0.7, 0.98)
        if unit.region not in low_in_region and rng.random() < 0.3:
            low_in_region.add(unit.region)
            share = rng.uniform(0.4, 0.58)
        for year in years:
            patients = registered.get((unit.resh_id, year), 0)
            if patients:
                npr = max(patients, round(patients / share))
                counts.append(NprCount(unit=unit, year=year, patients=npr))
                if unit.health_trust:
                    trusts[(unit.health_trust, year)] += npr
    NprCount.objects.bulk_create(
        counts,
        update_conflicts=True,
        unique_fields=["unit", "year"],
        update_fields=["patients"],
    )
    NprTrustCount.objects.bulk_create(
        [NprTrustCount(health_trust=t, year=y, patients=n) for (t, y), n in trusts.items()],
        update_conflicts=True,
        unique_fields=["health_trust", "year"],
        update_fields=["patients"],
    )
    return len(counts) + len(trusts)
