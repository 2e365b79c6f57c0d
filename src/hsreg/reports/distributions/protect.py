"""Small counts per unit in the descriptive figures and the administrative tables (issue 11).

A count of 1-4 patients, episodes or forms of one unit is not published (suppression.small_count):
the cell shows "hidden". Where the figure also shows sums (a table's Sum column and Sum row, a
distribution's total), the hidden cells get complements (suppression.complementary over the
row and column sums), so no hidden cell can be worked out from the shown ones, not even by the
leader of a unit who knows their own unit's row. One mechanism for every figure: ``table`` and
``distribution`` only lay a figure's cells and sums out for it.

Who sees what (``Reader``):

- the public, the annual report and the reporting-only role: every table suppressed;
- a unit leader or registrar: their own unit's counts exact (they register those patients and
  see them in the registry anyway), every other unit's suppressed. The suppression is the
  public one, which already holds with any one unit's cells known, so showing the reader's own
  row gives nothing else away;
- the coordinator on the administrative page only: every count exact. That page is for running
  the registry (which unit has drafts to finish, controls missed, patients without a medical
  history) and the coordinator follows such units up by name; the coordinator's distributions
  and the annual report are suppressed as for everyone else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from .. import suppression
from .common import (
    Average,
    BeforeAfter,
    BeforeAfterRow,
    Category,
    Distribution,
    Shift,
    ShiftCategory,
    Table,
)

#: a cell of a table: (row index, column index)
Place = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Reader:
    """Who a figure is for: ``exact`` shows every count (the coordinator's administration);
    ``own`` is the unit (RESH id) whose counts the reader may see exact."""

    exact: bool = False
    own: int | None = None


#: the public, the annual report and the reporting-only role
PUBLIC = Reader()


def table(counts: Table, reader: Reader = PUBLIC) -> Table:
    """``counts`` with every count of 1-4 in a unit's row hidden (None) and the complements
    its row sums and the Sum row need; the reader's own row exact."""
    if reader.exact:
        return counts
    rows = counts.rows
    units = [i for i, r in enumerate(rows) if not r.total]
    sizes: dict[Place, int] = {
        (i, j): v or 0 for i, r in enumerate(rows) for j, v in enumerate(r.values)
    }
    small = {
        (i, j)
        for i in units
        for j, v in enumerate(rows[i].values)
        if suppression.small_count(v or 0)
    }
    groups: list[tuple[Place, Sequence[Place]]] = [
        ((i, total), [(i, j) for j in members])
        for i in range(len(rows))
        for total, members in counts.row_sums
    ]
    for i, row in enumerate(rows):
        if row.total:
            groups += [((i, j), [(u, j) for u in units]) for j in range(len(row.values))]
    readers = [{(i, j) for j in range(len(rows[i].values))} for i in units]
    hidden = suppression.complementary(sizes=sizes, hidden=small, groups=groups, readers=readers)
    shown_rows = []
    for i, row in enumerate(rows):
        if row.key is not None and row.key == reader.own:
            shown_rows.append(row)
            continue
        values = [None if (i, j) in hidden else v for j, v in enumerate(row.values)]
        shown_rows.append(replace(row, values=values))
    return replace(counts, rows=shown_rows)


def distribution(
    counts: Distribution, reader: Reader = PUBLIC, *, unit: int | None
) -> Distribution:
    """``counts`` with its small counts per unit hidden: the units' counts of a figure per
    unit (``unit`` None; its categories carry the RESH id), or every category and the total of
    one unit's figure (``unit``, exact to its own unit's staff). The total is the sum of the
    categories unless a record can be in several (``multiple``); a hidden total hides the
    shares too, as they would give it back."""
    per_unit = unit is None
    if not per_unit and reader.own == unit:
        return counts
    if per_unit and not any(c.key is not None for c in counts.categories):
        return counts  # the whole country's figure: no count per unit
    cells: dict[object, int] = {i: c.n or 0 for i, c in enumerate(counts.categories)}
    cells["total"] = counts.total or 0
    small = {i for i, c in enumerate(counts.categories) if suppression.small_count(c.n or 0)}
    readers: list[set[object]] = []
    if per_unit:
        readers = [{i} for i, c in enumerate(counts.categories) if c.key is not None]
    elif suppression.small_count(counts.total or 0):
        small.add("total")
    groups = [] if counts.multiple else [("total", list(range(len(counts.categories))))]
    hidden = suppression.complementary(sizes=cells, hidden=small, groups=groups, readers=readers)
    categories = [
        c
        if i not in hidden or (per_unit and c.key == reader.own)
        else Category(c.label, None, c.key)
        for i, c in enumerate(counts.categories)
    ]
    total = None if "total" in hidden else counts.total
    return replace(counts, categories=categories, total=total)


def shift(counts: Shift, reader: Reader = PUBLIC, *, unit: int) -> Shift:
    """One unit's ``counts`` of DLQI bands or Hurley stages with its counts of 1-4 hidden:
    before treatment and at the control, each column adding up to the total (two sums). A
    hidden total hides the shares too."""
    if reader.exact or reader.own == unit:
        return counts
    return hide_shift(counts, set(), small=True)


def hide_shift(s: Shift, forced: set[object], *, small: bool) -> Shift:
    """``s`` with the cells of ``forced`` hidden, and its counts of 1-4 too when ``small``,
    with the complements its two sums need (before and at the control each add up to the
    total); None where hidden. A hidden total hides the shares too."""
    cells: dict[object, int] = {"total": s.total or 0}
    for i, c in enumerate(s.categories):
        cells[("before", i)], cells[("after", i)] = c.before or 0, c.after or 0
    hidden: set[object] = set(forced)
    if small:
        hidden |= {k for k, n in cells.items() if suppression.small_count(n)}
    if not hidden:
        return s
    members = range(len(s.categories))
    groups = [("total", [(side, i) for i in members]) for side in ("before", "after")]
    shut = suppression.complementary(sizes=cells, hidden=hidden, groups=groups)
    categories = [
        ShiftCategory(
            c.label,
            None if ("before", i) in shut else c.before,
            None if ("after", i) in shut else c.after,
        )
        for i, c in enumerate(s.categories)
    ]
    return replace(s, categories=categories, total=None if "total" in shut else s.total)


M = TypeVar("M", Average, BeforeAfter)


def mean(item: M, reader: Reader = PUBLIC, *, unit: int | None) -> M:
    """``item`` (means per unit or per type) with its counts of 1-4 records per unit (N)
    hidden: the units' N beside the nation's (their sum) in a figure per unit, and one unit's
    N per type beside its total (their sum). The whole country's N per type are no counts per
    unit. A mean hidden already stays hidden (under 10 records); the mean of a row whose N is
    hidden as a complement is shown, as it does not give the count."""
    per_unit = item.by == "unit"
    if reader.exact or (unit is not None and reader.own == unit):
        return item
    if not per_unit and unit is None:
        return item
    rows = item.rows
    sizes: dict[int, int] = {i: r.n or 0 for i, r in enumerate(rows)}
    members = [i for i, r in enumerate(rows) if not r.total]
    small = {i for i in members if suppression.small_count(sizes[i])}
    groups: list[tuple[int, list[int]]] = []
    readers: list[set[int]] = []
    for t, r in enumerate(rows):
        if not r.total:
            continue
        if per_unit and unit is None:
            groups.append((t, members))  # the nation of every unit with records
            readers = [{i} for i in members]
        elif not per_unit:
            groups.append((t, members))  # the unit's total of its types
            if suppression.small_count(sizes[t]):
                small.add(t)
    hidden = suppression.complementary(sizes=sizes, hidden=small, groups=groups, readers=readers)
    shown = []
    for i, r in enumerate(rows):
        if i not in hidden or (r.key is not None and r.key == reader.own):
            shown.append(r)
        elif isinstance(r, BeforeAfterRow):
            shown.append(
                replace(r, n=None, before=replace(r.before, n=None), after=replace(r.after, n=None))
            )
        else:
            shown.append(replace(r, n=None))
    return replace(item, rows=shown)


def means(items: Sequence[M], reader: Reader = PUBLIC, *, unit: int | None) -> list[M]:
    return [mean(i, reader, unit=unit) for i in items]


def tables(counts: Sequence[Table], reader: Reader = PUBLIC) -> list[Table]:
    return [table(t, reader) for t in counts]


def distributions(
    counts: Sequence[Distribution], reader: Reader = PUBLIC, *, unit: int | None
) -> list[Distribution]:
    return [distribution(d, reader, unit=unit) for d in counts]
