"""The charts' shared parts: matplotlib's settings (set once, on import), the registry's
colours and sizes, the ``Chart`` figure and the helpers that lay rows, intervals and notes out."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from hsreg.web.language import lang

matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "hsreg-reports"
#: every label and title is text: a unit's name comes from a public account application, and
#: with mathtext on a "$" in it made matplotlib parse TeX and fail (issue 11). Every Text reads
#: this when it is made, so no chart (pages, PNG, SVG, the annual report) parses mathtext.
matplotlib.rcParams["text.parse_math"] = False

#: the registry's colours (Rapporteket): bars, the national bar, target bands
BAR = "#6baed6"
NATIONAL_BAR = "#084594"
MODERATE = "#fbf850"  # between the low level and the target
HIGH = "#66cdaa"  # R's aquamarine3: the target reached
EARLIER = ("#252525", "#737373", "#bdbdbd")  # markers of the earlier years, latest first
MARKERS = ("o", "^", "s")
BEFORE, AFTER = "#9ecae1", "#08519c"
REGION_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a")
FONT = 8  # points
WIDTH = 7.0  # inches: the text width of an A4 page
ROW_HEIGHT = 0.26  # inches per bar
LABEL_WIDTH = 46  # characters before a label wraps
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"


class Chart(Figure):
    """A figure with its title and a text description of its data, for screen readers (the
    SVG's <title> and <desc>) and for the pages' text alternatives."""

    def __init__(self, *, title: str, description: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        FigureCanvasAgg(self)
        self.title = title
        self.description = description


# --- numbers and labels -------------------------------------------------------------------


def number(value: float, digits: int = 1) -> str:
    """A number as the report writes it: a decimal comma in Norwegian."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang() == "nb" else text


def _wrap(label: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _label_inches(labels: Sequence[str]) -> float:
    """The left margin the wrapped labels need: about 0.6 em per character at FONT points."""
    longest = max((len(line) for label in labels for line in label.split("\n")), default=0)
    return min(3.4, 0.15 + longest * (FONT - 0.5) * 0.58 / 72)


def _figure(
    *, title: str, description: str, rows: int, labels: Sequence[str], bottom: float = 0.5
) -> tuple[Chart, Any]:
    """A figure sized to its rows with room on the left for the labels and ``bottom`` inches
    below, without asking matplotlib to lay it out (tight_layout costs as much as drawing)."""
    height = 0.55 + bottom + ROW_HEIGHT * max(rows, 2)
    fig = Chart(title=title, description=description, figsize=(WIDTH, height), dpi=100)
    left = _label_inches(labels) / WIDTH
    fig.subplots_adjust(left=left, right=0.95, top=1 - 0.5 / height, bottom=bottom / height)
    ax = fig.add_subplot()
    ax.tick_params(labelsize=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_wrap(title, 90), fontsize=FONT + 1, loc="left")
    return fig, ax


def _rows(ax: Any, labels: Sequence[str]) -> None:
    """Row labels written at the left of the axes, the first row on top. Plain texts: a tick
    per row costs matplotlib more than the rest of the figure."""
    ax.set_yticks([])
    beside = ax.get_yaxis_transform()  # x in axes fractions, y in rows
    for i, label in enumerate(labels):
        ax.text(
            -0.01,
            i,
            label,
            transform=beside,
            ha="right",
            va="center",
            fontsize=FONT - 0.5,
            linespacing=1.0,
        )
    ax.set_ylim(max(len(labels), 1) - 0.5, -0.5)


def _intervals(
    ax: Any,
    ys: Sequence[float],
    lows: Sequence[float],
    highs: Sequence[float],
    *,
    cap: float = 0.15,
    width: float = 0.8,
) -> None:
    """95 % intervals as horizontal whiskers with caps, in two drawing calls."""
    if not ys:
        return
    ax.hlines(ys, lows, highs, colors="#333333", linewidth=width, zorder=3)
    ax.vlines(
        [*lows, *highs],
        [y - cap for y in ys] * 2,
        [y + cap for y in ys] * 2,
        colors="#333333",
        linewidth=width,
        zorder=3,
    )


def _notes(ax: Any, notes: Sequence[tuple[float, float, str]], *, italic: bool = False) -> None:
    for x, y, text in notes:
        ax.text(
            x,
            y,
            text,
            va="center",
            fontsize=FONT - 1,
            style="italic" if italic else "normal",
            zorder=4,
        )
