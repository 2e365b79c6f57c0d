"""HISREG's Figur 37-39 (the types of antibiotic, anti-inflammatory and local treatment) and
Figur 40-42 (the type of treatment, of surgery and of medical treatment per unit,
``R/hisregFigAndelerGrVar.R``): one aggregate query each, over the year's episodes with their
drug courses (the same rows as counts.distributions' episodes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.treatments.models import MEDICAL_TYPES, InterventionType
from hsreg.units.models import Unit

from .. import suppression
from . import groups, protect
from .common import Distribution, Table, TableRow, _counts, _distribution, _scope, _Spec
from .counts import EPISODE_COLUMNS, _episode_specs, _episodes_with_drugs, _materialised
from .filters import NO_FILTERS, Filters
from .protect import PUBLIC, Reader


@dataclass(frozen=True, slots=True)
class UnitShares:
    """Shares of categories per unit (R hisregFigAndelerGrVar): each row a unit's count per
    category and, last, its N (the episodes the shares are of); the last row the whole
    country. A count is None when hidden (a small count per unit, distributions.protect)."""

    id: str
    title: str
    categories: list[str]
    rows: list[TableRow]
    multiple: bool = False  # an episode may be in several categories (types of surgery)
    scope: str = ""

    @staticmethod
    def percent(row: TableRow, i: int) -> float | None:
        n, total = row.values[i], row.values[-1]
        if n is None or not total:
            return None
        return 100 * n / total


def _drug_specs() -> list[_Spec]:
    """Figur 37-39 (R Antibiotisk_v2, AntiinflammatoriskBeh, LokalisertMedisinsk_v2), among
    the medical and combined episodes with the group (groups)."""
    medical = Q(type__in=MEDICAL_TYPES)

    def spec(id: str, title: Any, given: Q, boxes: Sequence[tuple[str, Any, Any, Any]]) -> _Spec:
        categories = tuple((label, groups.box(column)) for column, label, _d, _f in boxes)
        return _Spec(id, title, medical & given, categories, multiple=True)

    return [
        spec(
            "antibiotic_type",
            gettext_lazy("Type of antibiotic treatment"),
            groups.antibiotic(),
            groups.ANTIBIOTIC_BOXES,
        ),
        spec(
            "antiinflammatory_type",
            gettext_lazy("Type of anti-inflammatory treatment"),
            groups.antiinflammatory(),
            groups.ANTIINFLAMMATORY_BOXES,
        ),
        spec(
            "local_type",
            gettext_lazy("Type of local medical treatment"),
            groups.local(),
            groups.LOCAL_BOXES,
        ),
    ]


def _unit_specs() -> list[_Spec]:
    """Figur 40-42: R TYPE_INTERVENTION (4-6 as one "no intervention"), type_kirurgi_gr and
    MedisinskBeh_gr, the last two as the national figures of surgery and medical treatment
    types (counts._episode_specs) count them."""
    by_id = {s.id: s for s in _episode_specs()}
    none = (
        InterventionType.NONE_BY_DOCTOR,
        InterventionType.NONE_BY_PATIENT,
        InterventionType.DID_NOT_ATTEND,
    )
    types = _Spec(
        "intervention_type_by_unit",
        gettext_lazy("Type of treatment, per unit"),
        Q(type__isnull=False),
        (
            (InterventionType.SURGICAL.label, Q(type=InterventionType.SURGICAL)),
            (InterventionType.MEDICAL.label, Q(type=InterventionType.MEDICAL)),
            (InterventionType.BOTH.label, Q(type=InterventionType.BOTH)),
            (gettext_lazy("No intervention"), Q(type__in=none)),
        ),
    )
    return [
        types,
        replace(
            by_id["surgery_type"],
            id="surgery_type_by_unit",
            title=gettext_lazy("Type of surgery, per unit"),
        ),
        replace(
            by_id["medical_type"],
            id="medical_type_by_unit",
            title=gettext_lazy("Type of medical treatment, per unit"),
        ),
    ]


def _per_unit(
    specs: Sequence[_Spec], *, year: int, as_of: date, filters: Filters
) -> dict[int, Mapping[str, Any]]:
    """The counts of ``specs`` per unit: one aggregate query over the episodes, each drug
    course read once (a materialised common table expression)."""
    rows = _materialised(
        _episodes_with_drugs(year=year, as_of=as_of, unit=None, filters=filters),
        EPISODE_COLUMNS,
        "treatment",
    )
    counted = rows.values("unit_id").order_by().annotate(**_counts(specs, of="id", distinct=False))
    return {r["unit_id"]: r for r in counted}


def _summed(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> dict[str, int]:
    return {k: sum(r[k] or 0 for r in rows) for k in keys}


def drug_types(
    *, year: int, as_of: date, unit: Unit | None = None, filters: Filters = NO_FILTERS
) -> list[Distribution]:
    """Figur 37-39 of the whole country or of ``unit``, unprotected (the caller hides a
    unit's small counts, protect.distributions, as for every distribution)."""
    specs = _drug_specs()
    per_unit = _per_unit(specs, year=year, as_of=as_of, filters=filters)
    chosen = [r for k, r in per_unit.items() if unit is None or k == unit.resh_id]
    keys = list(_counts(specs, of="id", distinct=False))
    counted = _summed(chosen, keys)
    return [_distribution(s, counted, _scope(unit)) for s in specs]


def _national_small(row: TableRow, *, multiple: bool) -> TableRow:
    """The whole country's row under filters: its counts of 1-4 hidden with the complements
    its N needs (distributions.compare does the same for the national distributions)."""
    cells = {j: v or 0 for j, v in enumerate(row.values)}
    small = {j for j, v in enumerate(row.values) if v is None or suppression.small_count(v)}
    if not small:
        return row
    last = len(row.values) - 1
    group = [] if multiple else [(last, list(range(last)))]
    hidden = suppression.complementary(sizes=cells, hidden=small, groups=group)
    return replace(row, values=[None if j in hidden else v for j, v in enumerate(row.values)])


def unit_shares(
    *,
    year: int,
    as_of: date,
    unit: Unit | None = None,
    reader: Reader = PUBLIC,
    filters: Filters = NO_FILTERS,
) -> list[UnitShares]:
    """Figur 40-42: every unit's shares and the whole country's, or at ``unit`` its own row
    beside the whole country's (the national, protected table's rows, as the administrative
    tables do). Counts of 1-4 per unit are hidden with their complements (protect.table, the
    reader's own row exact). R leaves a unit with N < 5 out of the figure; hsreg shows its row
    as hidden, which the complements of the Sum row need. Two queries (the counts, the
    units' names)."""
    specs = _unit_specs()
    per_unit = _per_unit(specs, year=year, as_of=as_of, filters=filters)
    names = dict(Unit.objects.filter(pk__in=list(per_unit)).values_list("resh_id", "name"))
    result = []
    for spec in specs:
        keys = [f"{spec.id}__{i}" for i in range(len(spec.categories))]
        keys.append(f"{spec.id}__total")
        rows = [
            TableRow(names.get(k, str(k)), [r[key] or 0 for key in keys], key=k)
            for k, r in sorted(per_unit.items(), key=lambda item: names.get(item[0], ""))
            if r[f"{spec.id}__total"]
        ]
        total = _summed(list(per_unit.values()), keys)
        rows.append(TableRow(_("Whole country"), [total[k] for k in keys], total=True))
        labels = [str(label) for label, _q in spec.categories]
        width = len(labels)
        row_sums = () if spec.multiple else ((width, tuple(range(width))),)
        table = Table(spec.id, str(spec.title), _("Unit"), [*labels, "N"], rows, row_sums)
        if not reader.exact:
            table = protect.table(table, reader)
        shown = table.rows
        if filters.active and not reader.exact:
            shown = [_national_small(r, multiple=spec.multiple) if r.total else r for r in shown]
        if unit is not None:
            shown = [r for r in shown if r.total or r.key == unit.resh_id]
        result.append(
            UnitShares(spec.id, str(spec.title), labels, shown, spec.multiple, _scope(unit))
        )
    return result
