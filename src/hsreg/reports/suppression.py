"""Small-number protection of published figures, as the registry publishes them (issue 5):

- a share whose denominator is below the indicator's minimum (5; complications 10) is not shown,
  the cell says "N<5" (or "N<10");
- when a unit's latest year is suppressed, its earlier years are hidden too, so that a trend
  cannot be read off a unit that has become too small;
- a mean of fewer than 10 records is not shown;
- a unit whose coverage (dekningsgrad) is under 60 % is labelled "Lav dekningsgrad".
"""

from __future__ import annotations

MIN_RECORDS_FOR_MEAN = 10
LOW_COVERAGE_BELOW = 60  # per cent


def too_few(denominator: int, minimum: int) -> bool:
    return denominator < minimum


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
