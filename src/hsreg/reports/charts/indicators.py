"""The quality indicator's chart as HISREG draws it (R/hisregFigIndikator_aarsamlet.R; issue
16, D3): a bar per unit (or trust, region) for the three years pooled with its exact interval,
the latest year as a point, the target bands behind."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..indicators import Cell, IndicatorTable, Row
from .common import (
    BAR,
    EARLIER,
    FONT,
    HIGH,
    MARKERS,
    MODERATE,
    NATIONAL_BAR,
    Chart,
    _figure,
    _intervals,
    _notes,
    _rows,
    _wrap,
    number,
)


def _row_label(row: Row) -> str:
    """The row's name with its pooled N, which a hidden share does not show (it would give the
    count that the hiding keeps back), and "low coverage" for a unit under 60 %
    (reports.suppression). The coverage mark stays with the name, at the left of the axes: at
    the end of the bar it was written over the target bands (issue 12)."""
    cell = row.pooled
    count = f"N={cell.denominator}" if cell is not None and cell.shown else ""
    coverage = _("Low coverage").lower() if row.low_coverage else ""
    extra = ", ".join(part for part in (count, coverage) if part)
    return _wrap(f"{row.name} ({extra})" if extra else str(row.name))


def _cell_note(cell: Cell | None) -> str:
    """Why a share is not drawn: "N<5" or "N<10" (reports.suppression)."""
    return cell.hidden or "" if cell is not None else ""


def _shown(cell: Cell | None) -> float | None:
    return cell.percent if cell is not None and cell.shown else None


def indicator_chart(table: IndicatorTable) -> Chart:
    """One indicator: the pooled share of the three years per row as a bar with its 95 %
    interval, the latest year as a point, the national bar in its own colour, and the
    registry's target bands behind (yellow from the low level to the target, green beyond
    it). A suppressed pooled share says "N<5" instead; a unit with low coverage says so beside
    its name, so no text is written over the bands but the shares themselves."""
    indicator, latest = table.indicator, table.latest
    pooled_label = f"{table.years[0]}–{latest}"
    labels = [_row_label(r) for r in table.rows]
    described = []
    for row in table.rows:
        percent = _shown(row.pooled)
        shown = _cell_note(row.pooled) if percent is None else f"{number(percent)} %"
        year = _shown(row.cells.get(latest))
        if year is not None:
            shown += f", {latest}: {number(year)} %"
        if row.low_coverage:
            shown += f" ({_('Low coverage')})"
        described.append(f"{row.name}: {shown}")
    fig, ax = _figure(
        title=str(indicator.title),
        description="; ".join(described),
        rows=len(labels),
        labels=labels,
        bottom=0.75,
    )
    _target_bands(ax, table)
    ys, widths, colours, lows, highs, ci_ys = [], [], [], [], [], []
    notes, hidden_notes = [], []
    for i, row in enumerate(table.rows):
        cell = row.pooled
        percent = _shown(cell)
        if cell is None or percent is None:
            hidden_notes.append((1.0, float(i), _cell_note(cell)))
            continue
        ys.append(i)
        widths.append(percent)
        colours.append(NATIONAL_BAR if row.level == "nation" else BAR)
        if cell.ci_low is not None and cell.ci_high is not None:
            ci_ys.append(i)
            lows.append(cell.ci_low)
            highs.append(cell.ci_high)
        notes.append(
            (
                min(cell.ci_high or percent, 100.0) + 1.5,
                float(i),
                f"{number(percent, 0)} %",
            )
        )
    ax.barh(ys, widths, height=0.7, color=colours, zorder=2)
    _intervals(ax, ci_ys, lows, highs)
    _notes(ax, notes)
    _notes(ax, hidden_notes, italic=True)
    handles: list[Any] = [Patch(color=BAR, label=pooled_label)]
    points = [
        (p, i) for i, r in enumerate(table.rows) if (p := _shown(r.cells.get(latest))) is not None
    ]
    style = {
        "marker": MARKERS[1 % len(MARKERS)],
        "markersize": 4,
        "markerfacecolor": EARLIER[1 % len(EARLIER)],
        "markeredgecolor": "white",
        "markeredgewidth": 0.5,
        "linestyle": "none",
    }
    if points:
        ax.plot([p for p, _i in points], [i for _p, i in points], zorder=5, **style)
    handles.append(Line2D([], [], label=str(latest), **style))
    _rows(ax, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("Share (%)"), fontsize=FONT)
    if indicator.low is not None and indicator.target is not None:
        handles.append(Patch(color=MODERATE, label=_("Moderate achievement")))
        handles.append(Patch(color=HIGH, label=_("High achievement")))
    fig.legend(
        handles=handles,
        fontsize=FONT - 1,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=len(handles),
        frameon=False,
    )
    return fig


def _target_bands(ax: Any, table: IndicatorTable) -> None:
    indicator = table.indicator
    if indicator.low is None or indicator.target is None:
        return
    if indicator.lower_is_better:
        bands = ((0, indicator.target, HIGH), (indicator.target, indicator.low, MODERATE))
    else:
        bands = ((indicator.low, indicator.target, MODERATE), (indicator.target, 100, HIGH))
    for start, end, colour in bands:
        ax.axvspan(start, end, color=colour, alpha=0.55, zorder=0, linewidth=0)
