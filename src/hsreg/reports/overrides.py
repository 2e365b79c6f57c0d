"""Biologic courses started with the clinical-safety guard overridden (treatments.guards),
per unit: how many biologic courses started in the report year, how many of them with an
override, and which rules were overridden (TX-6, SC-1, SC-2, VA-2, VA-3).

Counted from the current (finished, not superseded) courses by their start date in the year
up to ``as_of``, at the unit that registered them: one query. Small counts per unit follow the
administrative tables (reports.distributions.protect): the unit's own staff see their unit
exact, the coordinator every unit, anyone else has counts of 1-4 hidden with complements; a
unit's page is its rows of the protected national table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from django.utils.translation import gettext as _

from hsreg.guideline.catalog import BIOLOGICS
from hsreg.records.models import Status
from hsreg.treatments.guards import RULE_ORDER, overridden_rules
from hsreg.treatments.models import DrugCourse
from hsreg.units.models import Unit

from .distributions import protect
from .distributions.common import Table, TableRow
from .distributions.protect import PUBLIC, Reader


def _counts(*, year: int, as_of: date) -> tuple[dict[int, list[int]], dict[int, str]]:
    """Per unit (RESH id): biologic courses started, with an override, then one count per
    rule of RULE_ORDER; and the units' names."""
    rows = DrugCourse.objects.filter(
        status=Status.FINISHED,
        drug__in=BIOLOGICS,
        date__gte=date(year, 1, 1),
        date__lte=min(date(year, 12, 31), as_of),
    ).values_list("unit__resh_id", "unit__name", "overridden")
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * (2 + len(RULE_ORDER)))
    names: dict[int, str] = {}
    for resh, name, overridden in rows:
        names[resh] = name
        values = counts[resh]
        values[0] += 1
        if overridden:
            values[1] += 1
            for rule in overridden_rules(overridden):
                if rule in RULE_ORDER:
                    values[2 + RULE_ORDER.index(rule)] += 1
    return dict(counts), names


def _table(counts: dict[int, list[int]], names: dict[int, str]) -> Table:
    columns = [_("Biologic courses started"), _("With an override"), *RULE_ORDER]
    rows = [
        TableRow(names[resh], list(counts[resh]), key=resh)
        for resh in sorted(counts, key=lambda r: names[r])
    ]
    if rows:
        sums = [sum(counts[r][i] for r in counts) for i in range(len(columns))]
        rows.append(TableRow(_("Sum"), list(sums), total=True))
    return Table(
        "overrides",
        _("Biologic courses started with the safety checks overridden, per unit"),
        _("Unit"),
        columns,
        rows,
    )


def override_table(
    *, year: int, as_of: date, unit: Unit | None = None, reader: Reader = PUBLIC
) -> Table:
    """The table for ``reader`` at the nation (``unit`` None) or one unit's level."""
    table = _table(*_counts(year=year, as_of=as_of))
    exact = reader.exact or (unit is not None and reader.own == unit.resh_id)
    if not exact:
        table = protect.table(table, reader)
    if unit is None:
        return table
    return replace(table, rows=[r for r in table.rows if r.key == unit.resh_id])
