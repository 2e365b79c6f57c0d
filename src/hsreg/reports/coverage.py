"""Coverage (dekningsgrad): the share of a unit's HS patients that the registry holds.

The registry's count is the unit's distinct patients with an intervention (an episode) in the
year; the national patient register's count (ICD-10 L73.2) is uploaded by the registry
coordinator (reports.models.NprCount). Coverage = registry count / NPR count, in per cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractYear

from hsreg.records.models import Status
from hsreg.treatments.models import Intervention

from .models import NprCount


@dataclass(frozen=True, slots=True)
class Coverage:
    registered: int
    npr: int | None

    @property
    def percent(self) -> float | None:
        if not self.npr:
            return None
        return 100 * self.registered / self.npr


def registered_patients(*, years: Sequence[int]) -> dict[tuple[int, int], int]:
    """(RESH id, year) -> distinct patients with a finished intervention there that year."""
    rows = (
        Intervention.objects.filter(status=Status.FINISHED)
        .annotate(year=ExtractYear("date"))
        .filter(year__in=list(years))
        .values("unit_id", "year")
        .order_by()
        .annotate(patients=Count("patient", distinct=True))
    )
    return {(r["unit_id"], r["year"]): r["patients"] for r in rows}


def coverage_by_unit(*, years: Sequence[int]) -> dict[tuple[int, int], Coverage]:
    """(RESH id, year) -> coverage, for every unit and year with either count."""
    registered = registered_patients(years=years)
    npr = {
        (c.unit_id, c.year): c.patients
        for c in NprCount.objects.filter(year__in=list(years)).only("unit_id", "year", "patients")
    }
    return {
        key: Coverage(registered.get(key, 0), npr.get(key)) for key in set(registered) | set(npr)
    }
