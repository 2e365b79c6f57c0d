"""Issue 16, D6: the before/after means (R/hisregFigGjsnPrePostGrVar.R) hide a group of fewer
than 5 episodes (R's terskel <- 5), and keep hsreg's correct interval (Student's t, SD/sqrt(N))
where R draws mean +- 1.96 SD/N."""

from __future__ import annotations

import math
import statistics
from datetime import date, timedelta

import pytest
from django.utils import translation

from hsreg.reports import distributions as d
from hsreg.reports.distributions.averages import BEFORE_AFTER_MIN_RECORDS
from hsreg.reports.stats import mean_interval

from . import crafted

pytestmark = pytest.mark.django_db
YEAR = 2025
AS_OF = date(2025, 12, 31)
EXACT = d.Reader(exact=True)


@pytest.mark.parametrize(("episodes", "shown"), [(4, False), (5, True)])
def test_a_before_after_group_is_shown_from_5_episodes_d6(episodes, shown):
    assert BEFORE_AFTER_MIN_RECORDS == 5
    a = crafted.unit(101)
    after = [10, 12, 9, 14, 11][:episodes]
    for k, value in enumerate(after):
        crafted.episode(a, date(YEAR, 2, 1) + timedelta(days=k), before_report={"dlqi": 20},
                        after_report={"dlqi": value})  # fmt: skip
    with translation.override("en"):
        found = {x.id: x for x in d.before_after(year=YEAR, as_of=AS_OF, reader=EXACT)}
    row = found["dlqi_before_after_by_unit"].rows[0]
    assert (row.n, row.hidden) == (episodes, not shown)
    if shown:
        mean, sd = statistics.mean(after), statistics.stdev(after)
        assert row.after.mean == pytest.approx(mean)
        low, high = mean_interval(mean, sd, episodes)
        assert (row.after.ci_low, row.after.ci_high) == (pytest.approx(low), pytest.approx(high))
        # not R's mean +- 1.96 SD/N
        assert row.after.ci_high - mean != pytest.approx(1.96 * sd / episodes)
        assert row.after.ci_high - mean > 1.96 * sd / math.sqrt(episodes)
