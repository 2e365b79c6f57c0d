"""Delegated courses per region and practice (TX-6 H-resept): the biologic courses started
at private practices in the report year, with and without a valid approval of the region's
department on their start date.

Counted from the current (finished, not superseded) courses by their start date in the year up
to ``as_of``, at the practice that registered them, in one query (the approval as an EXISTS
subquery). One table per health region with a Sum row; small counts per practice are hidden
as on the other administrative tables (reports.distributions.protect, reports.suppression):
the practice's own staff see their row exact, the coordinator every row.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext as _

from hsreg.delegations.models import Delegation, DelegationStatus
from hsreg.guideline.catalog import BIOLOGICS
from hsreg.records.models import Status
from hsreg.reports.distributions import protect
from hsreg.reports.distributions.common import Table, TableRow
from hsreg.reports.distributions.protect import PUBLIC, Reader
from hsreg.treatments.models import DrugCourse
from hsreg.units.models import HealthRegion, UnitKind

Counts = dict[str, dict[int, list[int]]]


def delegated_counts(*, year: int, as_of: date) -> tuple[Counts, dict[int, str]]:
    """Per region, per practice (RESH id): [started, with a valid approval at the start,
    without]; and the practices' names."""
    approval = Delegation.objects.filter(
        patient_id=OuterRef("patient_id"),
        practice_id=OuterRef("unit_id"),
        drug=OuterRef("drug"),
        status=DelegationStatus.APPROVED,
        valid_from__lte=OuterRef("date"),
        valid_until__gte=OuterRef("date"),
    )
    rows = (
        DrugCourse.objects.filter(
            status=Status.FINISHED,
            drug__in=BIOLOGICS,
            unit__kind=UnitKind.PRIVATE,
            date__gte=date(year, 1, 1),
            date__lte=min(date(year, 12, 31), as_of),
        )
        .annotate(approved=Exists(approval), region=F("unit__region"), name=F("unit__name"))
        .values_list("region", "unit_id", "name", "approved")
    )
    counts: Counts = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    names: dict[int, str] = {}
    for region, resh, name, approved in rows:
        names[resh] = name
        values = counts[region][resh]
        values[0] += 1
        values[1 if approved else 2] += 1
    return {r: dict(units) for r, units in counts.items()}, names


def delegated_tables(*, year: int, as_of: date, reader: Reader = PUBLIC) -> list[Table]:
    """One table per health region that has courses at a private practice, protected for
    ``reader``."""
    counts, names = delegated_counts(year=year, as_of=as_of)
    columns = [
        _("Biologic courses started"),
        _("With a valid approval at the start"),
        _("Without an approval"),
    ]
    tables = []
    for region, label in HealthRegion.choices:
        units = counts.get(region)
        if not units:
            continue
        rows = [
            TableRow(names[resh], list(units[resh]), key=resh)
            for resh in sorted(units, key=lambda r: names[r])
        ]
        rows.append(
            TableRow(_("Sum"), [sum(u[i] for u in units.values()) for i in range(3)], total=True)
        )
        table = Table(
            f"delegated-{region}",
            str(label),
            _("Practice"),
            columns,
            rows,
            row_sums=((0, (1, 2)),),
        )
        tables.append(table if reader.exact else protect.table(table, reader))
    return tables
