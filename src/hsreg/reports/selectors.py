"""What the report pages read, put together once per request: the report's parameters from the
query string (refused with the field named, never a 500), the indicator tables at a level with
the actor's own unit beside the rest of the country, the descriptive figures of the whole
country or of one unit, and any one chart by its id (the chart files).

Every figure comes from aggregate queries (reports.indicators, reports.distributions): the
number of queries of a page does not grow with the number of patients, and no page sees a
patient row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Min
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hsreg.records.models import Status
from hsreg.treatments.models import Intervention
from hsreg.units.models import Unit

from . import charts, suppression
from .coverage import low_coverage_units
from .definitions import BY_ID, INDICATORS, MIN_DENOMINATOR, Indicator
from .distributions import (
    Average,
    AverageRow,
    BeforeAfter,
    Distribution,
    Reader,
    Shift,
    Trend,
    TrendPoint,
    UnitShares,
    averages,
    before_after,
    distributions,
    shifts,
    trends,
    unit_shares,
)
from .distributions.filters import NO_FILTERS, Filters
from .indicators import (
    FIRST_YEAR,
    LEVELS,
    IndicatorTable,
    Level,
    Row,
    default_year,
    hidden_places,
    indicator_table,
    own_unit_versus_rest,
    report_years,
    unit_tallies,
)

LEVEL_LABELS: dict[Level, Any] = {
    "unit": gettext_lazy("Unit"),
    "trust": gettext_lazy("Health trust"),
    "region": gettext_lazy("Health region"),
    "nation": gettext_lazy("Nationally"),
}
#: the levels of the descriptive pages: the whole country, or the actor's own unit
SCOPES: tuple[Level, ...] = ("nation", "unit")
#: the levels each kind of chart can be drawn at, its page's default first (the trends are
#: per health region already)
CHART_LEVELS: dict[str, tuple[Level, ...]] = {
    "indicator": LEVELS,
    "distribution": SCOPES,
    "shift": SCOPES,
    "average": SCOPES,
    "before-after": SCOPES,
    "trend": ("nation",),
    "by-unit": SCOPES,  # HISREG's Figur 40-42 (distributions.treatment)
}


class ParameterError(ValueError):
    """A query-string parameter the reports cannot use; ``field`` names it for the 400 page."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Params:
    """A report's parameters: the report year (with the two before it) and the level."""

    year: int
    level: Level
    as_of: date

    @property
    def years(self) -> list[int]:
        return report_years(self.year)


def report_params(
    query: Mapping[str, str],
    *,
    today: date,
    default_level: Level,
    levels: Sequence[Level] = LEVELS,
) -> Params:
    """The year (default: the last whole year, indicators.default_year) and level (default ``default_level``, one of ``levels``)
    of ``query``, as of ``today``.

    Raises ParameterError naming the field: a report of a year to come, or of a year that is not
    a number, has no meaning, and answering it with an empty page would mislead."""
    raw_year = query.get("year", "").strip()
    if not raw_year:
        year = default_year(today)
    elif not (raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4):
        raise ParameterError(
            "year", _("give the year as four digits, e.g. %(year)d") % {"year": today.year}
        )
    else:
        year = int(raw_year)
        if year > today.year:
            raise ParameterError("year", _("%(year)d has not come yet") % {"year": year})
        if year < FIRST_YEAR:
            raise ParameterError(
                "year", _("the registry has no data before %(first)d") % {"first": FIRST_YEAR}
            )
    level = query.get("level", "").strip() or default_level
    if level not in levels:
        raise ParameterError("level", _("choose one of %(levels)s") % {"levels": ", ".join(levels)})
    return Params(year=year, level=level, as_of=today)  # type: ignore[arg-type]


def year_choices(*, today: date, chosen: int) -> list[int]:
    """The years a reader can choose, newest first: from the first finished intervention (or
    this year, in an empty registry) to this year, and the year ``chosen`` if it is earlier."""
    first = Intervention.objects.filter(status=Status.FINISHED).aggregate(first=Min("date"))
    start = first["first"].year if first["first"] else today.year
    start = max(min(start, today.year, chosen), FIRST_YEAR)
    return list(range(today.year, start - 1, -1))


# --- quality indicators -------------------------------------------------------------------


@dataclass(slots=True)
class IndicatorReport:
    """One indicator as its pages show it: the table at the chosen level, the national row on
    its own, and the actor's unit beside the rest of the country (clinical roles only)."""

    indicator: Indicator
    table: IndicatorTable
    nation: Row
    own: list[Row] | None

    @property
    def levels_text(self) -> str:
        return levels_text(self.indicator)


def levels_text(indicator: Indicator) -> str:
    """The indicator's levels in words: the target ("mål") and what counts as low ("lav")."""
    if indicator.low is None or indicator.target is None:
        return _("No target levels are set for this indicator.")
    values = {"target": indicator.target, "low": indicator.low}
    if indicator.lower_is_better:
        return _("Target: %(target)d %% or lower. Low: above %(low)d %%.") % values
    return _("Target: %(target)d %% or higher. Low: below %(low)d %%.") % values


def indicator_reports(
    *,
    params: Params,
    own_unit: Unit | None,
    indicators: Sequence[Indicator] = INDICATORS,
) -> list[IndicatorReport]:
    """Every indicator in ``indicators`` at ``params.level``, each with the national row and
    (when ``own_unit`` is given) the unit against the rest of the country: five queries in all,
    however many patients or indicators (units, two tallies, two coverage counts)."""
    units = list(Unit.objects.all())
    years = params.years
    tallies = unit_tallies(years=years, as_of=params.as_of, indicators=indicators)
    low = low_coverage_units(year=params.year)
    reports = []
    for indicator in indicators:
        hidden = hidden_places(indicator, tallies, years=years, units=units)
        table = indicator_table(
            indicator,
            tallies,
            years=years,
            level=params.level,
            units=units,
            low_coverage=low,
            hidden=hidden,
        )
        own = (
            own_unit_versus_rest(
                indicator, tallies, unit=own_unit, units=units, years=years, hidden=hidden
            )
            if own_unit is not None
            else None
        )
        reports.append(IndicatorReport(indicator, table, table.rows[-1], own))
    return reports


# --- charts by id -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartId:
    """A chart file's name: its kind and the id of its figure, e.g. ``average-dlqi_by_unit``."""

    kind: str
    figure: str

    def __str__(self) -> str:
        return f"{self.kind}-{self.figure}"


def parse_chart(name: str) -> ChartId | None:
    """``indicator-<id>``, ``distribution-<id>``, ``shift-<id>``, ``average-<id>``,
    ``before-after-<id>`` or ``trend-<id>``; None for anything else."""
    for kind in sorted(CHART_LEVELS, key=len, reverse=True):
        prefix = f"{kind}-"
        if name.startswith(prefix) and len(name) > len(prefix):
            return ChartId(kind, name.removeprefix(prefix))
    return None


def _pick(items: Sequence[Any], figure: str) -> Any:
    return next((item for item in items if item.id == figure), None)


def chart_data(
    *,
    chart: ChartId,
    params: Params,
    unit: Unit | None,
    reader: Reader,
    filters: Filters = NO_FILTERS,
) -> Any:
    """What the chart ``chart`` draws for the report's year and level (``unit``: the actor's
    unit, used when the level is "unit" on a descriptive chart): an indicator's table, or the
    descriptive figure of its id, small counts per unit hidden as on the page for the
    ``reader`` (distributions.protect), of the episodes ``filters`` choose (the
    distributions and averages pages' filters, distributions.filters); None when there is no
    such figure.

    Only the figures of the chart's kind are computed: the same aggregate queries as its page,
    so a chart file costs no more than a page and never grows with the number of patients."""
    year, as_of = params.year, params.as_of
    scope = unit if params.level == "unit" else None
    if chart.kind == "indicator":
        indicator = BY_ID.get(chart.figure)
        if indicator is None:
            return None
        (report,) = indicator_reports(params=params, own_unit=None, indicators=(indicator,))
        return report.table
    compute: dict[str, Callable[[], Sequence[Any]]] = {
        "distribution": lambda: distributions(
            year=year, as_of=as_of, unit=scope, reader=reader, filters=filters
        ),
        "shift": lambda: shifts(year=year, as_of=as_of, unit=scope, reader=reader, filters=filters),
        "average": lambda: averages(
            year=year, as_of=as_of, unit=scope, reader=reader, filters=filters
        ),
        "before-after": lambda: before_after(
            year=year, as_of=as_of, unit=scope, reader=reader, filters=filters
        ),
        "trend": lambda: trends(year=year, as_of=as_of),
        "by-unit": lambda: unit_shares(
            year=year, as_of=as_of, unit=scope, reader=reader, filters=filters
        ),
    }
    return _pick(compute[chart.kind](), chart.figure)


def chart_file(*, chart: ChartId, fmt: str, data: Any) -> str | bytes:
    """The chart ``chart`` of ``data`` (chart_data, or the numbers its page kept) as SVG markup
    (``fmt`` "svg") or PNG bytes ("png"). The same numbers are drawn once (charts.cache)."""
    draw = charts.indicator_chart if chart.kind == "indicator" else _KINDS[chart.kind][0]
    return charts.drawn(chart.kind, fmt, data, draw)  # type: ignore[no-any-return]


def chart_query(*, params: Params, version: str | None, filters: Filters = NO_FILTERS) -> str:
    """The query string of a chart's file: the page's year, level and filters, and the
    version of the numbers the page counted (charts.cache.keep), which the file draws without
    counting them again."""
    query: dict[str, str | int] = {"year": params.year, "level": params.level}
    query |= filters.query()
    if version:
        query["v"] = version
    return urlencode(query)


@dataclass(frozen=True, slots=True)
class Line:
    """A row of a figure's table, its values formatted for the reader's language."""

    label: str
    values: list[str]
    total: bool = False


@dataclass(frozen=True, slots=True)
class Figure:
    """One descriptive figure of a page: its data, its chart file's name and query string (the
    page shows the chart as an image of that file, drawn in its own request) and the same
    numbers as a table (the chart's text alternative, and what a reader copies)."""

    data: Any
    chart: str
    query: str
    headers: list[str]
    lines: list[Line]


def _percent(value: float | None) -> str:
    return "" if value is None else f"{number_format(value, 1)} %"


def _mean(value: float | None) -> str:
    return "" if value is None else number_format(value, 1)


def _interval(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"{_mean(low)}–{_mean(high)}"


def _of(n: int | None, total: int | None) -> str:
    if n is None:
        return _count(n)
    return f"{n} ({_percent(100 * n / total)})" if total else str(n)


def _count(n: int | None) -> str:
    """A count, or "hidden" (a small count per unit or its complement, distributions.protect)."""
    return _("hidden") if n is None else str(n)


def _distribution_table(d: Distribution) -> tuple[list[str], list[Line]]:
    lines = [Line(c.label, [_count(c.n), _percent(d.percent(c))]) for c in d.categories]
    lines.append(Line(_("Total (N)"), [_count(d.total), ""], total=True))
    headers = [_("Category"), "n", _("Share")]
    rest = d.compared
    if rest is not None:  # the own unit against the rest of the country (filters' compare)
        others = [[_count(c.n), _percent(rest.percent(c))] for c in rest.categories]
        others.append([_count(rest.total), ""])
        lines = [
            Line(ln.label, [*ln.values, *o], ln.total) for ln, o in zip(lines, others, strict=False)
        ]
        headers = [
            _("Category"),
            f"n ({d.scope})",
            f"{_('Share')} ({d.scope})",
            f"n ({rest.scope})",
            f"{_('Share')} ({rest.scope})",
        ]
    return headers, lines


def _shift_table(s: Shift) -> tuple[list[str], list[Line]]:
    lines = [Line(c.label, [_of(c.before, s.total), _of(c.after, s.total)]) for c in s.categories]
    lines.append(Line(_("Total (N)"), [_count(s.total), _count(s.total)], total=True))
    return [_("Category"), _("Before treatment"), _("At the control")], lines


def _by_header(by: str) -> str:
    return _("Unit") if by == "unit" else _("Type of intervention")


def _mean_cells(row: AverageRow) -> list[str]:
    if row.hidden or row.mean is None:
        return [small_mean_label(), ""]
    return [_mean(row.mean), _interval(row.ci_low, row.ci_high)]


def _average_table(a: Average) -> tuple[list[str], list[Line]]:
    lines = [Line(r.label, [_count(r.n), *_mean_cells(r)], r.total) for r in a.rows]
    return [_by_header(a.by), "N", _("Mean"), _("95 % CI")], lines


def _before_after_table(c: BeforeAfter) -> tuple[list[str], list[Line]]:
    def both(row: AverageRow) -> str:
        mean, interval = _mean_cells(row)
        return f"{mean} ({interval})" if interval else mean

    lines = [Line(r.label, [_count(r.n), both(r.before), both(r.after)], r.total) for r in c.rows]
    headers = [
        _by_header(c.by),
        "N",
        _("Before treatment (95 % CI)"),
        _("At the control (95 % CI)"),
    ]
    return headers, lines


def _trend_table(t: Trend) -> tuple[list[str], list[Line]]:
    def point(p: TrendPoint) -> str:
        if p.hidden or p.percent is None:
            return suppression.small_label(MIN_DENOMINATOR)
        return f"{_percent(p.percent)} ({p.n}/{p.total})"

    lines = [Line(s.label, [point(s.points[y]) for y in t.years], s.national) for s in t.series]
    return [_("Health region"), *(str(y) for y in t.years)], lines


def _unit_shares_table(s: UnitShares) -> tuple[list[str], list[Line]]:
    """Figur 40-42 as a table: each unit's count and share per category, and its N."""
    lines = [
        Line(
            r.label,
            [*(_of(v, r.values[-1]) for v in r.values[:-1]), _count(r.values[-1])],
            r.total,
        )
        for r in s.rows
    ]
    return [_("Unit"), *s.categories, "N"], lines


def small_mean_label() -> str:
    """What a hidden mean shows instead of its value (reports.suppression)."""
    return f"N<{suppression.MIN_RECORDS_FOR_MEAN}"


_KINDS: dict[
    str, tuple[Callable[[Any], charts.Chart], Callable[[Any], tuple[list[str], list[Line]]]]
] = {
    "distribution": (charts.distribution_chart, _distribution_table),
    "shift": (charts.shift_chart, _shift_table),
    "average": (charts.average_chart, _average_table),
    "before-after": (charts.before_after_chart, _before_after_table),
    "trend": (charts.trend_chart, _trend_table),
    "by-unit": (charts.unit_shares_chart, _unit_shares_table),
}


def figures(
    kind: str,
    items: Sequence[Any],
    *,
    params: Params,
    audience: str,
    filters: Filters = NO_FILTERS,
) -> list[Figure]:
    """``items`` (distributions, averages …) each with its chart file's address and its table.
    Nothing is drawn here: each item's numbers are kept for ``audience`` (charts.cache.keep),
    and its chart file, asked for by the page's image, draws exactly those numbers, the ones of
    the table beside it."""
    tabulate = _KINDS[kind][1]
    found = []
    for item in items:
        name = str(ChartId(kind, item.id))
        version = charts.keep(name, item, audience)
        found.append(
            Figure(
                item,
                name,
                chart_query(params=params, version=version, filters=filters),
                *tabulate(item),
            )
        )
    return found
