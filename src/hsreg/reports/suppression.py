"""Small-number protection of published figures, as the registry publishes them (issue 5):

- a share whose denominator is below the indicator's minimum (5; complications 10) is not shown,
  the cell says "N<5" (or "N<10");
- when a unit's latest year is suppressed, its earlier years are hidden too, so that a trend
  cannot be read off a unit that has become too small;
- a mean of fewer than 10 records is not shown;
- a unit whose coverage (dekningsgrad) is under 60 % is labelled "Lav dekningsgrad";
- a count of 1-4 per unit in a distribution or an administrative table is not shown
  (``small_count``; reports.distributions.protect says to whom);
- a hidden cell is never alone among the shown members of a published sum (secondary
  suppression, ``complementary``; issue 11): otherwise a region's total minus its shown units
  gives the hidden unit's counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MIN_RECORDS_FOR_MEAN = 10
#: a count of patients, episodes or forms of one unit below this is not published (issue 11)
MIN_COUNT_PER_UNIT = 5
LOW_COVERAGE_BELOW = 60  # per cent


def too_few(denominator: int, minimum: int) -> bool:
    return denominator < minimum


def small_count(n: int) -> bool:
    """A count per unit that is not published: 1-4 (0 holds no one and is shown)."""
    return 0 < n < MIN_COUNT_PER_UNIT


def small_label(minimum: int) -> str:
    """What a suppressed share shows instead of its value."""
    return f"N<{minimum}"


def hide_row(latest_denominator: int, minimum: int) -> bool:
    """Whether a unit's whole row is hidden: its latest year is suppressed."""
    return too_few(latest_denominator, minimum)


def mean_hidden(n: int) -> bool:
    return n < MIN_RECORDS_FOR_MEAN


def low_coverage(percent: float | None) -> bool:
    """Under 60 % (a unit without a national patient register count is not labelled)."""
    return percent is not None and percent < LOW_COVERAGE_BELOW


def complementary(
    *,
    sizes: Mapping[K, int],
    hidden: Iterable[K],
    groups: Iterable[tuple[K, Sequence[K]]],
    readers: Iterable[Iterable[K]] = (),
) -> frozenset[K]:
    """The cells to hide so that no hidden cell can be worked out by subtraction (secondary,
    or complementary, suppression): ``hidden`` (the cells hidden for their own sake) and as
    few more as this greedy rule needs.

    ``sizes`` gives each cell's count (the denominator: a share is hidden whole, numerator and
    denominator together, so one set serves both); ``groups`` are the published sums, each a
    total and the members it adds up (a health trust and its units, a region and its units or
    trusts, the nation and its regions, trusts or units; a table's row and its Sum column, a
    column and its Sum row). A count of a member is the total minus the other members, and
    the total is the sum of the members: so in any group, a hidden cell alone among shown ones
    can be derived. The rule, applied until no group changes:

    - in a group where exactly one cell (the total or a member) is hidden, hide the shown
      member with the smallest count too (ties: the first in the group's order);
    - when no member is left to hide (the group's one other member is hidden already, or
      there is none), hide the total.

    ``readers`` are the sets of cells some reader knows although they are hidden: a unit's
    leader sees their own unit's counts (the unit's CSV, its own row of a table). To such a
    reader their cells are shown, so the rule is applied again for each of them with those
    cells counted as shown and never chosen, until neither the public nor any reader can
    derive a hidden cell they do not know (issue 11: two hidden units in a region, one of
    them the reader's own, gave the other away).

    A cell with a count of 0 holds no one: it needs no protection when hidden, and hiding it
    protects nothing (a reader may know the unit had no patients), so it is neither counted
    as hidden nor chosen. Each step hides one more cell of a finite set, so the rule ends;
    the result is the same for the same input (a pure function, no database)."""
    listed = [(total, list(members)) for total, members in groups]
    known_sets = [frozenset(r) for r in readers]
    result = _complement(sizes, set(hidden), listed, frozenset())
    changed = True
    while changed:
        changed = False
        for known in known_sets:
            if not known & result:
                continue
            before = len(result)
            result = _complement(sizes, result, listed, known)
            changed = changed or len(result) != before
    return frozenset(result)


def _complement(
    sizes: Mapping[K, int], result: set[K], groups: list[tuple[K, list[K]]], known: frozenset[K]
) -> set[K]:
    """``complementary``'s rule for one reader, who knows the cells ``known``."""

    def exposed(cell: K) -> bool:
        return cell in result and cell not in known and sizes.get(cell, 0) > 0

    changed = True
    while changed:
        changed = False
        for total, members in groups:
            if sum(exposed(c) for c in (total, *members)) != 1:
                continue
            candidates = [
                (sizes.get(m, 0), i, m)
                for i, m in enumerate(members)
                if m not in result and m not in known and sizes.get(m, 0) > 0
            ]
            if candidates:
                result.add(min(candidates, key=lambda c: (c[0], c[1]))[2])
            elif total not in result and total not in known:
                result.add(total)
            else:
                continue  # nothing this reader does not know is left to hide
            changed = True
    return result


def derivable(
    *,
    sizes: Mapping[K, int],
    hidden: Iterable[K],
    groups: Iterable[tuple[K, Sequence[K]]],
    known: Iterable[K] = (),
) -> set[K]:
    """The hidden cells (with a count above 0) that some group gives away to a reader who
    knows the cells ``known`` (none: the public): the only hidden one of its group they do not
    know. Empty after ``complementary``; the tests' check of every table."""
    shut = set(hidden) - set(known)
    found: set[K] = set()
    for total, members in groups:
        open_ = [c for c in (total, *members) if c in shut and sizes.get(c, 0) > 0]
        if len(open_) == 1:
            found.add(open_[0])
    return found
