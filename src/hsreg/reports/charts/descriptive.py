"""The descriptive figures: distributions, means per unit or type, before and after treatment,
DLQI and Hurley shifts, treatment trends per health region."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..distributions import (
    Average,
    AverageRow,
    BeforeAfter,
    BeforeAfterRow,
    Distribution,
    Shift,
    Trend,
    TrendPoint,
)
from ..distributions.averages import BEFORE_AFTER_MIN_RECORDS
from .common import (
    AFTER,
    BAR,
    BEFORE,
    FONT,
    NATIONAL_BAR,
    REGION_COLOURS,
    WIDTH,
    Chart,
    _figure,
    _intervals,
    _notes,
    _rows,
    _wrap,
    number,
)

#: the average width of a character, in ems, a little over DejaVu Sans' (for wrapping)
EM_PER_CHARACTER = 0.62


def _scope_note(ax: Any, scope: str, total: int | None) -> None:
    """Whose records and how many, at the top right of the axes. The title, written from the
    axes' left on the same line, is wrapped short of it: a long title ran over the note
    (issue 12)."""
    shown = f"{scope} (N={_n(total)})" if scope else f"N={_n(total)}"
    ax.text(1.0, 1.0, shown, transform=ax.transAxes, ha="right", va="bottom", fontsize=FONT - 1)
    axes_points = ax.figure.get_figwidth() * ax.get_position().width * 72
    room = axes_points - len(shown) * (FONT - 1) * EM_PER_CHARACTER - FONT
    characters = max(20, int(room / ((FONT + 1) * EM_PER_CHARACTER)))
    title = str(getattr(ax.figure, "title", "") or ax.get_title(loc="left"))
    ax.set_title(_wrap(title, min(90, characters)), fontsize=FONT + 1, loc="left")


def distribution_chart(distribution: Distribution) -> Chart:
    """The share of each category, as the registry's "Andel pasienter" figures; a hidden
    count (a small count per unit, distributions.protect) has no bar and no number."""
    labels = [_wrap(f"{c.label} (n={_n(c.n)})") for c in distribution.categories]
    total = distribution.total
    shares = [distribution.percent(c) or 0.0 for c in distribution.categories]
    described = [
        f"{c.label}: {_n(c.n)}" + ("" if p is None else f" ({number(p)} %)")
        for c, p in ((c, distribution.percent(c)) for c in distribution.categories)
    ]
    if distribution.compared is not None:
        rest = distribution.compared
        described.append(
            f"{rest.scope}: "
            + ", ".join(
                f"{c.label} {_n(c.n)}" + ("" if p is None else f" ({number(p)} %)")
                for c, p in ((c, rest.percent(c)) for c in rest.categories)
            )
            + f", N={_n(rest.total)}"
        )
    fig, ax = _figure(
        title=distribution.title,
        description="; ".join(described) + f". N={_n(total)}",
        rows=len(labels),
        labels=labels,
    )
    ax.barh(range(len(shares)), shares, height=0.7, color=BAR, zorder=2)
    others = _compared(ax, distribution)
    _rows(ax, labels)
    room = 1.1 if distribution.compared is None else 1.7  # the legend's place on the right
    ax.set_xlim(0, max([*shares, *others, 10.0]) * room)
    ax.set_xlabel(_("Share (%)"), fontsize=FONT)
    _scope_note(ax, distribution.scope, total)
    if total == 0:
        ax.text(0.5, 0.5, _("No records"), transform=ax.transAxes, ha="center", fontsize=FONT)
    return fig


def _compared(ax: Any, distribution: Distribution) -> list[float]:
    """The rest of the country beside the unit (distributions.compare), drawn as R's
    hisregFigAndeler draws "Landet forøvrig": a black diamond per category over the unit's
    bars, with a legend; a hidden count has no diamond. Returns the rest's shares."""
    rest = distribution.compared
    if rest is None:
        return []
    shown = [(i, rest.percent(c)) for i, c in enumerate(rest.categories)]
    points = [(i, p) for i, p in shown if p is not None]
    ax.plot(
        [p for _i, p in points],
        [i for i, _p in points],
        linestyle="none",
        marker="D",
        markersize=5,
        color="#000000",
        zorder=3,
    )
    ax.legend(
        handles=[
            Patch(color=BAR, label=f"{distribution.scope} (N={_n(distribution.total)})"),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markersize=5,
                color="#000000",
                label=f"{rest.scope} (N={_n(rest.total)})",
            ),
        ],
        fontsize=FONT - 1,
        loc="lower right",
        frameon=False,
    )
    return [p for _i, p in points]


def _n(n: int | None) -> str:
    """A count, or "hidden" (a small count per unit or its complement, distributions.protect)."""
    return _("hidden") if n is None else str(n)


def _mean_text(row: AverageRow) -> str:
    return _("N<10") if row.hidden or row.mean is None else number(row.mean)


def average_chart(average: Average) -> Chart:
    """Means with their 95 % intervals per unit or type, the national (total) row in its own
    colour; a mean of fewer than 10 records is not drawn ("N<10")."""
    labels = [_wrap(f"{r.label}, N={_n(r.n)}") for r in average.rows]
    fig, ax = _figure(
        title=average.title,
        description="; ".join(f"{r.label}: {_mean_text(r)} (N={_n(r.n)})" for r in average.rows),
        rows=len(labels),
        labels=labels,
    )
    shown = [(i, r) for i, r in enumerate(average.rows) if not r.hidden and r.mean is not None]
    top = max([r.ci_high or r.mean or 0.0 for _i, r in shown] or [1.0])
    ax.barh(
        [i for i, _r in shown],
        [r.mean for _i, r in shown],
        height=0.7,
        color=[NATIONAL_BAR if r.total else BAR for _i, r in shown],
        zorder=2,
    )
    with_ci = [
        (i, r.ci_low, r.ci_high) for i, r in shown if r.ci_low is not None and r.ci_high is not None
    ]
    _intervals(
        ax,
        [i for i, _lo, _hi in with_ci],
        [lo for _i, lo, _hi in with_ci],
        [hi for _i, _lo, hi in with_ci],
    )
    _notes(
        ax, [((r.ci_high or r.mean or 0.0) + 0.01 * top, float(i), _mean_text(r)) for i, r in shown]
    )
    _notes(
        ax,
        [(0.0, float(i), " " + _mean_text(r)) for i, r in enumerate(average.rows) if r.hidden],
        italic=True,
    )
    _rows(ax, labels)
    ax.set_xlim(0, top * 1.15)
    ax.set_xlabel(_("Mean with its 95 % CI"), fontsize=FONT)
    return fig


#: what a hidden before/after group says (averages.BEFORE_AFTER_MIN_RECORDS, R's terskel)
FEWER_BEFORE_AFTER = f"N<{BEFORE_AFTER_MIN_RECORDS}"


def before_after_chart(comparison: BeforeAfter) -> Chart:
    """Mean before treatment and at the control for the same episodes, per unit or type, with
    95 % intervals; groups of fewer than 5 episodes are not drawn (issue 16, D6)."""
    labels = [_wrap(f"{r.label} (N={_n(r.n)})") for r in comparison.rows]

    def said(r: BeforeAfterRow) -> str:
        if r.hidden or r.before.mean is None or r.after.mean is None:
            return FEWER_BEFORE_AFTER
        before, after = _("before"), _("after")
        return f"{before} {number(r.before.mean)}, {after} {number(r.after.mean)}"

    fig, ax = _figure(
        title=comparison.title,
        description="; ".join(f"{r.label}: {said(r)} (N={_n(r.n)})" for r in comparison.rows),
        rows=int(len(labels) * 1.4),
        labels=labels,
    )
    top = 1.0
    for offset, which, colour in ((-0.19, "before", BEFORE), (0.19, "after", AFTER)):
        means = [
            (i + offset, m)
            for i, r in enumerate(comparison.rows)
            if not r.hidden and (m := getattr(r, which)).mean is not None
        ]
        ax.barh(
            [y for y, _m in means], [m.mean for _y, m in means], height=0.36, color=colour, zorder=2
        )
        with_ci = [(y, m) for y, m in means if m.ci_low is not None and m.ci_high is not None]
        _intervals(
            ax,
            [y for y, _m in with_ci],
            [m.ci_low for _y, m in with_ci],
            [m.ci_high for _y, m in with_ci],
            cap=0.08,
            width=0.7,
        )
        top = max([top, *(m.ci_high for _y, m in with_ci)])
    _notes(
        ax,
        [
            (0.0, float(i), " " + FEWER_BEFORE_AFTER)
            for i, r in enumerate(comparison.rows)
            if r.hidden
        ],
        italic=True,
    )
    _rows(ax, labels)
    ax.set_xlim(0, top * 1.1)
    ax.set_xlabel(_("Mean with its 95 % CI"), fontsize=FONT)
    ax.legend(
        handles=[
            Patch(color=BEFORE, label=_("Before treatment")),
            Patch(color=AFTER, label=_("At the control")),
        ],
        fontsize=FONT - 1,
        loc="lower right",
        frameon=False,
    )
    return fig


def _plain(
    *, title: str, description: str, height: float, right: float = 0.97
) -> tuple[Chart, Any]:
    fig = Chart(title=title, description=description, figsize=(WIDTH, height), dpi=100)
    fig.subplots_adjust(left=0.09, right=right, top=1 - 0.45 / height, bottom=0.6 / height)
    ax = fig.add_subplot()
    ax.tick_params(labelsize=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_wrap(title, 90), fontsize=FONT + 1, loc="left")
    return fig, ax


def shift_chart(shift: Shift) -> Chart:
    """The share in each category (DLQI band, Hurley stage) before treatment and at the
    control, of the same episodes; a hidden count (distributions.protect) has no bar."""
    total = shift.total

    def share(n: int | None) -> float:
        return 100 * n / total if total and n is not None else 0.0

    before = [share(c.before) for c in shift.categories]
    after = [share(c.after) for c in shift.categories]
    was, now = _("before"), _("after")
    fig, ax = _plain(
        title=shift.title,
        description="; ".join(
            f"{c.label}: {was} {_n(c.before)}, {now} {_n(c.after)}" for c in shift.categories
        )
        + f". N={_n(total)}",
        height=3.0,
    )
    positions = list(range(len(shift.categories)))
    ax.bar([p - 0.2 for p in positions], before, width=0.4, color=BEFORE, label=_("Before"))
    ax.bar([p + 0.2 for p in positions], after, width=0.4, color=AFTER, label=_("After"))
    ax.set_xticks(positions, [_wrap(c.label, 24) for c in shift.categories])
    ax.set_ylim(0, max([*before, *after, 10.0]) * 1.15)
    ax.set_ylabel(_("Share (%)"), fontsize=FONT)
    _scope_note(ax, shift.scope, total)
    ax.legend(fontsize=FONT - 1, loc="upper left", frameon=False)
    return fig


def trend_chart(trend: Trend) -> Chart:
    """The share per health region and year, one line per region and the national line."""

    def said(point: TrendPoint) -> str:
        return "N<5" if point.percent is None else f"{number(point.percent)} %"

    described = [
        f"{s.label}: " + ", ".join(f"{y} {said(p)}" for y, p in s.points.items())
        for s in trend.series
    ]
    fig, ax = _plain(title=trend.title, description="; ".join(described), height=3.2, right=0.75)
    regional = 0
    for series in trend.series:
        xs = [y for y in trend.years if series.points[y].percent is not None]
        ys = [series.points[y].percent for y in xs]
        if series.national:
            style: dict[str, Any] = {"color": "#000000", "linewidth": 2.0, "linestyle": "--"}
        else:
            style = {"color": REGION_COLOURS[regional % len(REGION_COLOURS)], "linewidth": 1.2}
            regional += 1
        ax.plot(xs, ys, marker="o", markersize=3, label=series.label, **style)
    ax.set_xticks(trend.years, [str(y) for y in trend.years])
    ax.set_xlim(trend.years[0] - 0.3, trend.years[-1] + 0.3)
    highest = [p.percent for s in trend.series for p in s.points.values() if p.percent is not None]
    ax.set_ylim(0, min(100.0, max([*highest, 10.0]) * 1.15))
    ax.set_ylabel(_("Share of episodes (%)"), fontsize=FONT)
    ax.legend(fontsize=FONT - 1, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig
