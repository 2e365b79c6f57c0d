"""Coverage (dekningsgrad): the share of a unit's (or a health trust's) HS patients that the
registry holds.

The registry's count is the unit's distinct patients with an intervention (an episode) in the
year; the national patient register's count (ICD-10 L73.2) is uploaded by the registry
coordinator (reports.models.NprCount). Coverage = registry count / NPR count, in per cent.

**Per health trust** (issue 16, D5), as the registry publishes it (dekningsgrad per HF): the
trust's distinct patients with an intervention in the year at any of its units, divided by
NPR's count for the trust (reports.models.NprTrustCount, uploaded beside the units' counts).
A patient seen at two of a trust's units is one patient of the trust, so the trust's figure
is not a sum of its units'. The page and the annual PDF show it beside the units'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy

from hsreg.records.models import Status
from hsreg.treatments.models import Intervention
from hsreg.units.models import HealthRegion, Unit

from . import suppression
from .models import NprCount, NprTrustCount

NATION = gettext_lazy("National")


@dataclass(frozen=True, slots=True)
class Coverage:
    registered: int
    npr: int | None

    @property
    def percent(self) -> float | None:
        if not self.npr:
            return None
        return 100 * self.registered / self.npr


def _registered(*, years: Sequence[int], by: str) -> dict[tuple[Any, int], int]:
    """(the intervention's ``by``, year) -> distinct patients with a finished intervention
    there that year: one aggregate query."""
    rows = (
        Intervention.objects.filter(status=Status.FINISHED)
        .annotate(year=ExtractYear("date"))
        .filter(year__in=list(years))
        .values(by, "year")
        .order_by()
        .annotate(patients=Count("patient", distinct=True))
    )
    return {(r[by], r["year"]): r["patients"] for r in rows}


def registered_patients(*, years: Sequence[int]) -> dict[tuple[int, int], int]:
    """(RESH id, year) -> distinct patients with a finished intervention there that year."""
    return _registered(years=years, by="unit_id")


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


def coverage_by_trust(*, years: Sequence[int]) -> dict[tuple[str, int], Coverage]:
    """(health trust, year) -> coverage, for every trust and year with either count: the
    trust's distinct patients with a finished intervention at any of its units, against NPR's
    count for the trust (D5)."""
    registered = _registered(years=years, by="unit__health_trust")
    npr = {
        (c.health_trust, c.year): c.patients
        for c in NprTrustCount.objects.filter(year__in=list(years))
    }
    return {
        key: Coverage(registered.get(key, 0), npr.get(key)) for key in set(registered) | set(npr)
    }


# --- the coordinator's page: per unit, health trust and region --------------------------


@dataclass(frozen=True, slots=True)
class CoverageCell:
    registered: int
    npr: int | None
    percent: float | None

    @property
    def low(self) -> bool:
        return suppression.low_coverage(self.percent)


@dataclass(slots=True)
class CoverageRow:
    key: str
    name: str
    cells: dict[int, CoverageCell]

    @property
    def cell_list(self) -> list[CoverageCell]:
        return [self.cells[y] for y in sorted(self.cells)]


def _cell(c: Coverage | None) -> CoverageCell:
    if c is None:
        return CoverageCell(0, None, None)
    return CoverageCell(c.registered, c.npr, c.percent)


def trust_coverage_rows(*, years: list[int]) -> list[CoverageRow]:
    """Coverage per health trust (every trust with a registry or an NPR count in ``years``),
    ordered by name (D5)."""
    coverage = coverage_by_trust(years=years)
    return [
        CoverageRow(trust, trust, {y: _cell(coverage.get((trust, y))) for y in years})
        for trust in sorted({trust for trust, _year in coverage})
    ]


def coverage_overview(*, years: list[int]) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """Coverage per unit (every unit with a registry or an NPR count in ``years``) and per
    health region with the whole country last.

    A region's coverage sums only the units that have an NPR count that year: a unit without
    one would add registered patients and no denominator, and show coverage too high."""
    coverage = coverage_by_unit(years=years)
    named = {u.resh_id: u for u in Unit.objects.filter(resh_id__in={k[0] for k in coverage})}
    units = []
    for unit in sorted(named.values(), key=lambda u: u.name):
        cells = {y: _cell(coverage.get((unit.resh_id, y))) for y in years}
        units.append(CoverageRow(str(unit.resh_id), unit.name, cells))
    totals: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (resh, year), c in coverage.items():
        if c.npr and resh in named:
            for group in (named[resh].region, "nation"):
                totals[group][year][0] += c.registered
                totals[group][year][1] += c.npr
    regions = []
    for code, label in [*HealthRegion.choices, ("nation", NATION)]:
        by_year = totals.get(code, {})
        cells = {}
        for y in years:
            registered, npr = by_year.get(y, [0, 0])
            cells[y] = _cell(Coverage(registered, npr) if npr else None)
        regions.append(CoverageRow(code, str(label), cells))
    return units, regions


def low_coverage_units(*, year: int) -> frozenset[int]:
    """The RESH ids whose coverage of ``year`` is under 60 % (reports.suppression): the units
    every indicator table marks "Lav dekningsgrad"."""
    return frozenset(
        resh
        for (resh, y), c in coverage_by_unit(years=[year]).items()
        if y == year and suppression.low_coverage(c.percent)
    )
