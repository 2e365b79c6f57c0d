"""Shares of categories per unit, side by side (HISREG's Figur 40-42, R hisregFigAndelerGrVar:
``barplot(..., horiz=TRUE, beside=TRUE)`` with the categories' legend on top)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from matplotlib.patches import Patch

from ..distributions import UnitShares
from .common import FONT, NATIONAL_BAR, REGION_COLOURS, WIDTH, Chart, _wrap, number

#: one colour per category (R: the BlaaHNpms287 palette; here the regions' colours and more)
COLOURS = (*REGION_COLOURS, "#66a61e", "#e6ab02", "#a6761d", NATIONAL_BAR)


def _n(n: int | None) -> str:
    return _("hidden") if n is None else str(n)


def unit_shares_chart(shares: UnitShares) -> Chart:
    """A group of bars per unit (and the whole country), one bar per category: its share of
    the unit's N. A hidden count (distributions.protect) has no bar."""
    categories = shares.categories
    rows = shares.rows
    described = []
    for row in rows:
        parts = []
        for i, label in enumerate(categories):
            share = shares.percent(row, i)
            said = _n(row.values[i]) + ("" if share is None else f" ({number(share)} %)")
            parts.append(f"{label} {said}")
        described.append(f"{row.label} (N={_n(row.values[-1])}): " + ", ".join(parts))
    legend_labels = [_wrap(label, 40) for label in categories]
    lines = max((label.count("\n") + 1 for label in legend_labels), default=1)
    legend_height = ((len(categories) + 1) // 2) * (0.13 * lines + 0.06) + 0.1
    per_group = len(categories) * 0.16 + 0.25
    bottom = 0.55 + legend_height
    height = 0.45 + bottom + per_group * max(len(rows), 1)
    fig = Chart(
        title=shares.title, description="; ".join(described), figsize=(WIDTH, height), dpi=100
    )
    labels = [_wrap(f"{r.label} (N={_n(r.values[-1])})", 30) for r in rows]
    fig.subplots_adjust(left=0.3, right=0.95, top=1 - 0.4 / height, bottom=bottom / height)
    ax = fig.add_subplot()
    ax.tick_params(labelsize=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    bar = 0.8 / max(len(categories), 1)
    for i, _label in enumerate(categories):
        ys, xs = [], []
        for k, row in enumerate(rows):
            share = shares.percent(row, i)
            if share is not None:
                ys.append(k + (i - (len(categories) - 1) / 2) * bar)
                xs.append(share)
        ax.barh(ys, xs, height=bar, color=COLOURS[i % len(COLOURS)])
    ax.set_yticks(range(len(rows)), labels, fontsize=FONT - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("Share (%)"), fontsize=FONT)
    ax.set_title(_wrap(shares.title, 90), fontsize=FONT + 1, loc="left")
    fig.legend(
        handles=[
            Patch(color=COLOURS[i % len(COLOURS)], label=label)
            for i, label in enumerate(legend_labels)
        ],
        fontsize=FONT - 1,
        ncol=2,
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(0.3, 0.05 / height),
    )
    if not rows:
        ax.text(0.5, 0.5, _("No records"), transform=ax.transAxes, ha="center", fontsize=FONT)
    return fig
