"""Treatment choice per health region over the last five years."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.units.models import HealthRegion

from .. import suppression
from ..definitions import MIN_DENOMINATOR
from ..episodes import (
    episode_rows,
)

#: how many years the trends and the tables of episodes and patients per year go back
from .common import (
    DECIDED_TYPES,
    TREATED_TYPES,
    TREND_YEARS,
    Label,
    Trend,
    TrendPoint,
    TrendSeries,
)


def trends(*, year: int, as_of: date) -> list[Trend]:
    """Treatment choice per health region over the last five years: the share of episodes of
    each type of intervention, and of those that start a biologic, per region and year, with
    the national line (RG-1). One aggregate query."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    decided = Q(type__in=DECIDED_TYPES)
    choices: tuple[tuple[str, Label, Q], ...] = (
        *((f"type_{t.value}", t.label, Q(type=t.value)) for t in TREATED_TYPES),
        ("no_treatment", gettext_lazy("No intervention"), Q(no_treatment=True)),
        ("biologic", gettext_lazy("Starts a biologic"), Q(biologic=True)),
    )
    rows = (
        episode_rows(as_of=as_of, years=(years[0], years[-1]))
        .values("unit__region", "year")
        .order_by()
        .annotate(
            total=Count("id", filter=decided),
            **{key: Count("id", filter=decided & q) for key, _label, q in choices},
        )
    )
    tallies: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        for place in (r["unit__region"], "nation"):
            tally = tallies[(place, r["year"])]
            tally["total"] += r["total"]
            for key, _label, _q in choices:
                tally[key] += r[key]
    places = [(str(region.value), str(region.label), False) for region in HealthRegion]
    places.append(("nation", _("Whole country"), True))
    result: list[Trend] = []
    for key, label, _q in choices:
        series = []
        for place, name, national in places:
            points = {}
            for y in years:
                tally = tallies.get((place, y), {})
                total, n = tally.get("total", 0), tally.get(key, 0)
                hidden = suppression.too_few(total, MIN_DENOMINATOR)
                points[y] = TrendPoint(n, total, None if hidden else 100 * n / total, hidden)
            series.append(TrendSeries(name, points, national))
        result.append(
            Trend(
                f"trend_{key}",
                _("Share of episodes: %(choice)s, per health region") % {"choice": label},
                years,
                series,
            )
        )
    return result
