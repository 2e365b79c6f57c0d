"""The reader's own unit against the rest of the country (HISREG's enhetsUtvalg 1,
``R/hisregFigAndeler.R``: ``ind$Hoved`` the unit's records, ``ind$Rest`` every other unit's),
and the protection of small counts when filters are set (issue 16, point 3).

The rest of the country is counted by the same function as the whole country, with the unit
left out (filters.Filters.rest_of): the same queries once more, a fixed number. Its numbers
join the unit's figure: a distribution gets the rest as its second series
(Distribution.compared), a figure of means the rest's rows, a shift its own figure for the rest.

What is hidden (README "Small counts stay hidden"; reports.suppression, distributions.protect):

- the unit's own counts as at level "unit": 1-4 hidden with their complements, unless the
  reader is the unit's own staff;
- **the rest is hidden whenever the unit's cell is**: the rest is the country minus the unit,
  and the country's figure is on the same pages, so a shown rest would give a hidden unit cell
  back. Their complements (a sum of the rest's categories) are hidden too;
- **with any filter set** (a period, sex, age, type), the whole country's and the rest of the
  country's counts of 1-4 are hidden with their complements, as a unit's are, for every reader
  (the annual report and the pages without filters publish the national counts as before). A
  narrow selection (one day, one sex, one age) over the whole country can name a patient as well
  as a unit's count can: "one woman of 37 had surgery on 5 March" is such a count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from django.utils.translation import gettext as _

from .. import suppression
from . import protect
from .common import (
    Average,
    AverageRow,
    BeforeAfter,
    BeforeAfterRow,
    Category,
    Distribution,
    Shift,
)
from .filters import Filters


def rest_label() -> str:
    return _("Rest of the country")


# --- distributions ------------------------------------------------------------------------


def _hide_distribution(d: Distribution, forced: set[object], *, small: bool) -> Distribution:
    """``d`` with the cells ``forced`` hidden, with its counts of 1-4 too when ``small``, and
    the complements the sum (the total of the categories) needs."""
    cells: dict[object, int] = {i: c.n or 0 for i, c in enumerate(d.categories)}
    cells["total"] = d.total or 0
    hidden: set[object] = set(forced)
    if small:
        hidden |= {k for k, n in cells.items() if suppression.small_count(n)}
    if not hidden:
        return d
    groups = [] if d.multiple else [("total", list(range(len(d.categories))))]
    shut = suppression.complementary(sizes=cells, hidden=hidden, groups=groups)
    categories = [
        Category(c.label, None, c.key) if i in shut or c.n is None else c
        for i, c in enumerate(d.categories)
    ]
    total = None if "total" in shut or d.total is None else d.total
    return replace(d, categories=categories, total=total)


def national_distributions(items: Sequence[Distribution], filters: Filters) -> list[Distribution]:
    """The whole country's distributions under ``filters``: counts of 1-4 hidden when a
    filter is set. The figure per unit (its categories are units) is protected per unit
    already (protect.distribution)."""
    if not filters.active:
        return list(items)
    return [
        d
        if any(c.key is not None for c in d.categories)
        else _hide_distribution(d, set(), small=True)
        for d in items
    ]


def distributions(
    own: Sequence[Distribution], rest: Sequence[Distribution], filters: Filters
) -> list[Distribution]:
    """The unit's distributions (protected for the reader) each with the rest of the
    country's as its second series; a rest cell is hidden where the unit's is."""
    by_id = {d.id: d for d in rest}
    paired = []
    for d in own:
        other = by_id.get(d.id)
        if other is None:
            paired.append(d)
            continue
        forced: set[object] = {i for i, c in enumerate(d.categories) if c.n is None}
        if d.total is None:
            forced.add("total")
        other = _hide_distribution(other, forced, small=filters.active)
        paired.append(replace(d, compared=replace(other, scope=rest_label())))
    return paired


# --- shifts -------------------------------------------------------------------------------


def national_shifts(items: Sequence[Shift], filters: Filters) -> list[Shift]:
    """The whole country's shifts under ``filters``: counts of 1-4 hidden when a filter is
    set."""
    if not filters.active:
        return list(items)
    return [protect.hide_shift(s, set(), small=True) for s in items]


def shifts(own: Sequence[Shift], rest: Sequence[Shift], filters: Filters) -> list[Shift]:
    """Each of the unit's shifts followed by the rest of the country's (its id with
    "_rest"), a rest cell hidden where the unit's is."""
    by_id = {s.id: s for s in rest}
    result: list[Shift] = []
    for s in own:
        result.append(s)
        other = by_id.get(s.id)
        if other is None:
            continue
        forced: set[object] = {"total"} if s.total is None else set()
        for i, c in enumerate(s.categories):
            if c.before is None:
                forced.add(("before", i))
            if c.after is None:
                forced.add(("after", i))
        other = protect.hide_shift(other, forced, small=filters.active)
        result.append(replace(other, id=f"{s.id}_rest", scope=rest_label()))
    return result


# --- means --------------------------------------------------------------------------------

M = TypeVar("M", Average, BeforeAfter)
R = TypeVar("R", AverageRow, BeforeAfterRow)


def _without_n(row: R) -> R:
    if isinstance(row, BeforeAfterRow):
        return replace(  # type: ignore[return-value]
            row, n=None, before=replace(row.before, n=None), after=replace(row.after, n=None)
        )
    return replace(row, n=None)


def _withheld(row: R) -> R:
    """A row shown without its count nor its mean (the rest where the unit's count is
    hidden: with the country's mean and count beside it, the rest's mean and count would give
    the unit's back)."""
    if isinstance(row, BeforeAfterRow):
        before = replace(row.before, n=None, mean=None, ci_low=None, ci_high=None, hidden=True)
        after = replace(row.after, n=None, mean=None, ci_low=None, ci_high=None, hidden=True)
        return replace(row, n=None, before=before, after=after, hidden=True)  # type: ignore[return-value]
    return replace(row, n=None, mean=None, ci_low=None, ci_high=None, hidden=True)


def _hide_small_rows(item: M) -> M:
    """``item`` with its counts (N) of 1-4 hidden in the rows that are no unit's (the units'
    rows are protected per unit already) and the complements the total row needs."""
    rows = item.rows
    sizes = {i: r.n or 0 for i, r in enumerate(rows)}
    small = {i for i, r in enumerate(rows) if r.key is None and suppression.small_count(sizes[i])}
    if not small:
        return item
    totals = [i for i, r in enumerate(rows) if r.total]
    members = [i for i, r in enumerate(rows) if not r.total]
    groups = [(t, members) for t in totals[:1]] if members else []
    shut = suppression.complementary(sizes=sizes, hidden=small, groups=groups)
    shown = [_without_n(r) if i in shut and r.n is not None else r for i, r in enumerate(rows)]
    return replace(item, rows=shown)


def national_means(items: Sequence[M], filters: Filters, *, unit_level: bool) -> list[M]:
    """The whole country's means under ``filters``: the counts (N) of 1-4 of the national
    and per-type rows hidden when a filter is set (the means themselves are hidden below 10
    records as always). At a unit (``unit_level``) only the national row of the figures per
    unit is the country's: the unit's own rows are protected per unit (protect.mean)."""
    if not filters.active:
        return list(items)
    return [_hide_small_rows(i) if not unit_level or i.by == "unit" else i for i in items]


def _rest_rows(own: M, rest: M, label: str) -> list[AverageRow] | list[BeforeAfterRow]:
    """The rows of the rest of the country to add to ``own``: its total row for a figure per
    unit; its rows per type (named "…, rest of the country") and its total for a figure per
    type. A rest row whose match in ``own`` has a hidden count is withheld."""
    own_n = {r.label: r.n for r in own.rows}
    unit_hidden = any(r.n is None for r in own.rows if r.key is not None or r.total)
    added: list[AverageRow | BeforeAfterRow] = []
    for r in rest.rows:
        if own.by == "unit" and not r.total:
            continue
        name = label if r.total else f"{r.label}, {label.lower()}"
        row = replace(r, label=name, total=True, key=None)
        hidden = (own_n.get(r.label, 0) is None) if not r.total else unit_hidden
        added.append(_withheld(row) if hidden else row)
    return added  # type: ignore[return-value]


def means(own: Sequence[M], rest: Sequence[M]) -> list[M]:
    """The unit's figures of means with the rest of the country's rows added: in a figure per
    unit before the national row, in a figure per type after the unit's total."""
    by_id = {m.id: m for m in rest}
    label = rest_label()
    result: list[M] = []
    for item in own:
        other = by_id.get(item.id)
        if other is None:
            result.append(item)
            continue
        added = _rest_rows(item, other, label)
        rows = list(item.rows)
        if item.by == "unit" and rows and rows[-1].total:
            rows = [*rows[:-1], *added, rows[-1]]
        else:
            rows = [*rows, *added]
        result.append(replace(item, rows=rows))
    return result
