"""Means with 95 % intervals: before treatment per unit and per type of intervention, and
before and after treatment over the same episodes."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.treatments.models import (
    InterventionType,
)
from hsreg.units.models import Unit

from .. import suppression
from ..episodes import (
    episode_rows,
)
from ..stats import mean_interval

#: how many years the trends and the tables of episodes and patients per year go back
from . import compare, protect
from .common import (
    ALL,
    TREATED_TYPES,
    Average,
    AverageRow,
    BeforeAfter,
    BeforeAfterRow,
    Label,
    _scope,
)
from .filters import NO_FILTERS, Filters
from .periods import followup_episodes, followup_note
from .protect import PUBLIC, Reader


@dataclass(frozen=True, slots=True)
class _Measure:
    id: str
    title: Label  # what is averaged, for the titles
    before: str  # the episode column before treatment
    after: str | None  # the column at the control, if the control measures it
    scale: float = 1.0  # VAS is stored in tenths


MEASURES: tuple[_Measure, ...] = (
    _Measure("bmi", gettext_lazy("BMI"), "base_bmi", None),
    _Measure("dlqi", gettext_lazy("DLQI sum"), "base_dlqi", "ctl_dlqi"),
    _Measure("vas", gettext_lazy("Pain (VAS 0-10)"), "base_vas", "ctl_vas", 0.1),
    _Measure("ihs4", gettext_lazy("IHS4 score"), "base_ihs4", "ctl_ihs4"),
)


@dataclass(frozen=True, slots=True)
class _Sums:
    """A group's count, sum and sum of squares: groups add up exactly (the units' rows to the
    national row), and give the mean and the sample standard deviation."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def __add__(self, other: _Sums) -> _Sums:
        return _Sums(self.n + other.n, self.total + other.total, self.squares + other.squares)

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    @property
    def sd(self) -> float:
        if self.n < 2:
            return 0.0
        return math.sqrt(max(self.squares - self.n * self.mean**2, 0.0) / (self.n - 1))


def _sum_aggregates(key: str, column: str, where: Q | None = None) -> dict[str, Any]:
    present = Q(**{f"{column}__isnull": False}) & (where if where is not None else ALL)
    return {
        f"{key}__n": Count(column, filter=present),
        f"{key}__total": Sum(column, filter=present),
        f"{key}__squares": Sum(F(column) * F(column), filter=present),
    }


def _sums(row: Mapping[str, Any], key: str) -> _Sums:
    n = row[f"{key}__n"] or 0
    if not n:
        return _Sums()
    return _Sums(n, float(row[f"{key}__total"]), float(row[f"{key}__squares"]))


def _pooled(rows: Iterable[Mapping[str, Any]], by: str, key: str) -> dict[Any, _Sums]:
    """The sums of ``key`` per value of ``by`` (unit or type), from the rows per unit and
    type."""
    pooled: dict[Any, _Sums] = defaultdict(_Sums)
    for row in rows:
        pooled[row[by]] += _sums(row, key)
    return pooled


#: before/after means: a group of fewer is not shown (issue 16, D6: R's terskel <- 5 in
#: R/hisregFigGjsnPrePostGrVar.R); the interval stays Student's t with SD/sqrt(N), where R
#: draws mean +- 1.96 SD/N (a plain error, documented as a deviation)
BEFORE_AFTER_MIN_RECORDS = 5


def _average_row(
    label: str,
    sums: _Sums,
    scale: float,
    *,
    total: bool = False,
    key: int | None = None,
    minimum: int | None = None,
) -> AverageRow:
    """A mean with its 95 % interval, hidden below 10 records (reports.suppression), or below
    ``minimum`` when given."""
    if (
        suppression.mean_hidden(sums.n)
        if minimum is None
        else suppression.too_few(sums.n, max(minimum, 2))
    ):
        return AverageRow(label, sums.n, None, None, None, hidden=True, total=total, key=key)
    mean, sd = sums.mean * scale, sums.sd * scale
    low, high = mean_interval(mean, sd, sums.n)
    return AverageRow(label, sums.n, mean, low, high, hidden=False, total=total, key=key)


def _sorted_rows(rows: list[AverageRow]) -> list[AverageRow]:
    """Shown rows by their mean (lowest first, as the registry's figures), hidden rows last."""
    return sorted(rows, key=lambda r: (r.hidden, r.mean or 0.0, r.label))


def _episodes(*, year: int, as_of: date) -> QuerySet[Any]:
    return episode_rows(as_of=as_of, years=(year, year))


def _per_unit_and_type(
    *,
    year: int,
    as_of: date,
    aggregates: dict[str, Any],
    filters: Filters = NO_FILTERS,
    followup: bool = False,
) -> list[Mapping[str, Any]]:
    """The aggregates per unit and intervention type: one query, which the per-unit, per-type
    and national figures are all summed from (of the episodes ``filters`` choose). With
    ``followup``, the episodes of the follow-up period of the controls (periods, D4)."""
    chosen = followup_episodes if followup else _episodes
    episodes = filters.narrow(chosen(year=year, as_of=as_of))
    return list(episodes.values("unit_id", "type").order_by().annotate(**aggregates))


def _type_label(value: int) -> str:
    return str(InterventionType(value).label)


def _unit_names(resh_ids: Iterable[int]) -> dict[int, str]:
    return dict(Unit.objects.filter(pk__in=list(resh_ids)).values_list("resh_id", "name"))


def averages(
    *,
    year: int,
    as_of: date,
    unit: Unit | None = None,
    reader: Reader = PUBLIC,
    filters: Filters = NO_FILTERS,
) -> list[Average]:
    """Means before treatment of BMI, DLQI, VAS and IHS4 with 95 % intervals, per unit (with
    the national row; at a unit, its row and the national one) and per intervention type (of
    the unit's episodes at a unit): one aggregate query, and one for the units' names. A
    count of 1-4 records per unit (N) is hidden with its complements unless the ``reader``
    may see it (protect.means). ``filters`` narrow the episodes; with its ``compare`` the
    rest of the country's rows join a unit's (distributions.compare: two queries more)."""
    aggregates = {k: v for m in MEASURES for k, v in _sum_aggregates(m.id, m.before).items()}
    rows = _per_unit_and_type(year=year, as_of=as_of, aggregates=aggregates, filters=filters)
    chosen = [r for r in rows if unit is None or r["unit_id"] == unit.resh_id]
    names = _unit_names({r["unit_id"] for r in rows})
    national, own = _("Whole country"), _scope(unit)
    result: list[Average] = []
    for m in MEASURES:
        per_unit = _pooled(rows, "unit_id", m.id)
        lines = [
            _average_row(names[k], v, m.scale, key=k)
            for k, v in per_unit.items()
            if v.n and (unit is None or k == unit.resh_id)
        ]
        everyone = sum(per_unit.values(), _Sums())
        lines = [*_sorted_rows(lines), _average_row(national, everyone, m.scale, total=True)]
        title = _("Mean %(measure)s before treatment, per unit") % {"measure": m.title}
        result.append(Average(f"{m.id}_by_unit", title, m.id, "unit", lines))
        per_type = _pooled(chosen, "type", m.id)
        lines = [
            _average_row(_type_label(t), per_type[t], m.scale)
            for t in TREATED_TYPES
            if per_type[t].n
        ]
        selection = sum(per_type.values(), _Sums())
        lines = [*_sorted_rows(lines), _average_row(own, selection, m.scale, total=True)]
        title = _("Mean %(measure)s before treatment, per type of intervention") % {
            "measure": m.title
        }
        result.append(Average(f"{m.id}_by_type", title, m.id, "type", lines))
    result = protect.means(result, reader, unit=unit.resh_id if unit else None)
    if not reader.exact:
        result = compare.national_means(result, filters, unit_level=unit is not None)
    if unit is None or not filters.compare:
        return result
    rest = averages(
        year=year, as_of=as_of, unit=None, reader=reader, filters=filters.rest_of(unit.resh_id)
    )
    return compare.means(result, rest)


def _before_after_row(
    label: str,
    before: _Sums,
    after: _Sums,
    scale: float,
    *,
    total: bool = False,
    key: int | None = None,
) -> BeforeAfterRow:
    least = BEFORE_AFTER_MIN_RECORDS
    b = _average_row(label, before, scale, total=total, key=key, minimum=least)
    a = _average_row(label, after, scale, total=total, key=key, minimum=least)
    hidden = b.hidden or a.hidden
    return BeforeAfterRow(label, before.n, b, a, hidden=hidden, total=total, key=key)


def before_after(
    *,
    year: int,
    as_of: date,
    unit: Unit | None = None,
    reader: Reader = PUBLIC,
    filters: Filters = NO_FILTERS,
) -> list[BeforeAfter]:
    """Means of DLQI, VAS and IHS4 before treatment and at the judging control, over the same
    episodes (those with both), per unit and per intervention type: one aggregate query, and
    one for the units' names. Counts of 1-4 per unit are hidden as in ``averages``."""
    paired = [m for m in MEASURES if m.after is not None]
    aggregates: dict[str, Any] = {}
    for m in paired:
        both = Q(**{f"{m.before}__isnull": False, f"{m.after}__isnull": False})
        aggregates |= _sum_aggregates(f"{m.id}_before", m.before, both)
        aggregates |= _sum_aggregates(f"{m.id}_after", str(m.after), both)
    rows = _per_unit_and_type(
        year=year, as_of=as_of, aggregates=aggregates, filters=filters, followup=True
    )
    note = followup_note(year, as_of)
    chosen = [r for r in rows if unit is None or r["unit_id"] == unit.resh_id]
    names = _unit_names({r["unit_id"] for r in rows})
    national, own = _("Whole country"), _scope(unit)
    result: list[BeforeAfter] = []
    for m in paired:
        before = _pooled(rows, "unit_id", f"{m.id}_before")
        after = _pooled(rows, "unit_id", f"{m.id}_after")
        lines = [
            _before_after_row(names[k], before[k], after[k], m.scale, key=k)
            for k in sorted(before, key=lambda k: names[k])
            if before[k].n and (unit is None or k == unit.resh_id)
        ]
        lines.append(
            _before_after_row(
                national,
                sum(before.values(), _Sums()),
                sum(after.values(), _Sums()),
                m.scale,
                total=True,
            )
        )
        title = _("Mean %(measure)s before and after treatment, per unit") % {"measure": m.title}
        result.append(
            BeforeAfter(f"{m.id}_before_after_by_unit", title, m.id, "unit", lines, note=note)
        )
        before = _pooled(chosen, "type", f"{m.id}_before")
        after = _pooled(chosen, "type", f"{m.id}_after")
        lines = [
            _before_after_row(_type_label(t), before[t], after[t], m.scale)
            for t in TREATED_TYPES
            if before[t].n
        ]
        lines.append(
            _before_after_row(
                own,
                sum(before.values(), _Sums()),
                sum(after.values(), _Sums()),
                m.scale,
                total=True,
            )
        )
        title = _("Mean %(measure)s before and after treatment, per type of intervention") % {
            "measure": m.title
        }
        result.append(
            BeforeAfter(f"{m.id}_before_after_by_type", title, m.id, "type", lines, note=note)
        )
    result = protect.means(result, reader, unit=unit.resh_id if unit else None)
    if not reader.exact:
        result = compare.national_means(result, filters, unit_level=unit is not None)
    if unit is None or not filters.compare:
        return result
    rest = before_after(
        year=year, as_of=as_of, unit=None, reader=reader, filters=filters.rest_of(unit.resh_id)
    )
    return compare.means(result, rest)
