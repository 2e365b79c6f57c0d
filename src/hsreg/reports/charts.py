"""The report figures as matplotlib figures, drawn the way the registry's annual report draws
them (Rapporteket's hisregFigIndikator_aarsamlet and the descriptive figures), and written as
inline SVG for the pages or PNG for the PDF.

Every figure is a plain ``matplotlib.figure.Figure`` (the ``Chart`` subclass, which carries an
accessible description), never pyplot's global figure manager, so requests in several threads
each draw their own figure on the non-interactive Agg canvas. The only global state touched is
set once here: SVG text stays text (no embedded glyphs, small files) and the SVG ids are salted
with a constant, so the same figures give the same bytes.

Inline SVG obeys the site's Content Security Policy (``style-src 'self'``): ``svg`` turns
matplotlib's ``style`` attributes and its ``<style>`` element into presentation attributes,
which a policy does not block.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from django.utils.translation import gettext as _
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Transform
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from hsreg.web.language import lang

from .distributions import (
    Average,
    AverageRow,
    BeforeAfter,
    BeforeAfterRow,
    Distribution,
    Shift,
    Trend,
    TrendPoint,
)
from .indicators import Cell, IndicatorTable, Row

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


# --- quality indicators -------------------------------------------------------------------


def _row_label(row: Row, latest: int) -> str:
    """The row's name with its N, which a hidden share does not show (it would give the count
    that the hiding keeps back)."""
    cell = row.cells.get(latest)
    if cell is None or not cell.shown:
        return _wrap(str(row.name))
    return _wrap(f"{row.name} (N={cell.denominator})")


def _cell_note(cell: Cell | None) -> str:
    """Why a share is not drawn: "N<5" or "N<10" (reports.suppression)."""
    return cell.hidden or "" if cell is not None else ""


def _shown(cell: Cell | None) -> float | None:
    return cell.percent if cell is not None and cell.shown else None


def indicator_chart(table: IndicatorTable) -> Chart:
    """One indicator: the latest year's share per row as a bar with its 95 % interval, the
    earlier years as points, the national bar in its own colour, and the registry's target
    bands behind (yellow from the low level to the target, green beyond it). A suppressed
    share says "N<5" (or "N<10") instead; a unit with low coverage says so."""
    indicator, latest = table.indicator, table.latest
    earlier = list(reversed(table.years[:-1]))
    labels = [_row_label(r, latest) for r in table.rows]
    described = []
    for row in table.rows:
        percent = _shown(row.cells.get(latest))
        shown = _cell_note(row.cells.get(latest)) if percent is None else f"{number(percent)} %"
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
        cell = row.cells.get(latest)
        percent = _shown(cell)
        coverage = f"  {_('Low coverage')}" if row.low_coverage else ""
        if cell is None or percent is None:
            hidden_notes.append((1.0, float(i), f"{_cell_note(cell)}{coverage}".strip()))
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
                f"{number(percent, 0)} %{coverage}",
            )
        )
    ax.barh(ys, widths, height=0.7, color=colours, zorder=2)
    _intervals(ax, ci_ys, lows, highs)
    _notes(ax, notes)
    _notes(ax, hidden_notes, italic=True)
    handles: list[Any] = [Patch(color=BAR, label=str(latest))]
    for k, year in enumerate(earlier):
        points = [
            (p, i) for i, r in enumerate(table.rows) if (p := _shown(r.cells.get(year))) is not None
        ]
        style = {
            "marker": MARKERS[(k + 1) % len(MARKERS)],
            "markersize": 4,
            "markerfacecolor": EARLIER[(k + 1) % len(EARLIER)],
            "markeredgecolor": "white",
            "markeredgewidth": 0.5,
            "linestyle": "none",
        }
        if points:
            ax.plot([p for p, _i in points], [i for _p, i in points], zorder=5, **style)
        handles.append(Line2D([], [], label=str(year), **style))
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


# --- descriptive figures ------------------------------------------------------------------


def _scope_note(ax: Any, scope: str, total: int) -> None:
    shown = f"{scope} (N={total})" if scope else f"N={total}"
    ax.text(1.0, 1.0, shown, transform=ax.transAxes, ha="right", va="bottom", fontsize=FONT - 1)


def distribution_chart(distribution: Distribution) -> Chart:
    """The share of each category, as the registry's "Andel pasienter" figures."""
    labels = [_wrap(f"{c.label} (n={c.n})") for c in distribution.categories]
    total = distribution.total
    shares = [100 * c.n / total if total else 0.0 for c in distribution.categories]
    described = [
        f"{c.label}: {c.n} ({number(s)} %)"
        for c, s in zip(distribution.categories, shares, strict=True)
    ]
    fig, ax = _figure(
        title=distribution.title,
        description="; ".join(described) + f". N={total}",
        rows=len(labels),
        labels=labels,
    )
    ax.barh(range(len(shares)), shares, height=0.7, color=BAR, zorder=2)
    _rows(ax, labels)
    ax.set_xlim(0, max([*shares, 10.0]) * 1.1)
    ax.set_xlabel(_("Share (%)"), fontsize=FONT)
    _scope_note(ax, distribution.scope, total)
    if not total:
        ax.text(0.5, 0.5, _("No records"), transform=ax.transAxes, ha="center", fontsize=FONT)
    return fig


def _mean_text(row: AverageRow) -> str:
    return _("N<10") if row.hidden or row.mean is None else number(row.mean)


def average_chart(average: Average) -> Chart:
    """Means with their 95 % intervals per unit or type, the national (total) row in its own
    colour; a mean of fewer than 10 records is not drawn ("N<10")."""
    labels = [_wrap(f"{r.label}, N={r.n}") for r in average.rows]
    fig, ax = _figure(
        title=average.title,
        description="; ".join(f"{r.label}: {_mean_text(r)} (N={r.n})" for r in average.rows),
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


def before_after_chart(comparison: BeforeAfter) -> Chart:
    """Mean before treatment and at the control for the same episodes, per unit or type, with
    95 % intervals; groups of fewer than 10 episodes are not drawn."""
    labels = [_wrap(f"{r.label} (N={r.n})") for r in comparison.rows]

    def said(r: BeforeAfterRow) -> str:
        if r.hidden or r.before.mean is None or r.after.mean is None:
            return _("N<10")
        return f"{_('before')} {number(r.before.mean)}, {_('after')} {number(r.after.mean)}"

    fig, ax = _figure(
        title=comparison.title,
        description="; ".join(f"{r.label}: {said(r)} (N={r.n})" for r in comparison.rows),
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
        [(0.0, float(i), " " + _("N<10")) for i, r in enumerate(comparison.rows) if r.hidden],
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
    control, of the same episodes."""
    total = shift.total
    before = [100 * c.before / total if total else 0.0 for c in shift.categories]
    after = [100 * c.after / total if total else 0.0 for c in shift.categories]
    fig, ax = _plain(
        title=shift.title,
        description="; ".join(
            f"{c.label}: {_('before')} {c.before}, {_('after')} {c.after}" for c in shift.categories
        )
        + f". N={total}",
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


# --- output -------------------------------------------------------------------------------


def png(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG (the PDF's images and downloads)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


_STYLE_ITEM = re.compile(r"\s*([\w-]+)\s*:\s*(.+?)\s*$")


def _attributes(style: str) -> dict[str, str]:
    found = {}
    for item in style.split(";"):
        match = _STYLE_ITEM.match(item)
        if match:
            name, value = match.groups()
            found[name] = FONT_FAMILY if name == "font-family" else value
    return found


def svg(fig: Figure) -> str:
    """The figure as SVG markup to put inline in a page: no XML prolog, no metadata, a
    <title> and <desc> for screen readers, and presentation attributes instead of inline
    styles (the Content Security Policy refuses those)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(buffer.getvalue())  # noqa: S314 - our own matplotlib output
    for parent in root.iter():
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag in ("metadata", "style"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _attributes(style).items():
                element.set(name, value)
    for group in root.iter(f"{{{SVG}}}g"):
        group.attrib.pop("id", None)  # figure_1, axes_1 …: the same in every chart of a page
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    title = str(getattr(fig, "title", "") or fig.get_label())
    description = str(getattr(fig, "description", ""))
    head = []
    if title:
        element = ET.Element(f"{{{SVG}}}title")
        element.text = title
        head.append(element)
    if description:
        element = ET.Element(f"{{{SVG}}}desc")
        element.text = description
        head.append(element)
    for k, element in enumerate(head):
        root.insert(k, element)
    for defs in root.iter(f"{{{SVG}}}defs"):
        if len(defs) == 0 and not (defs.text or "").strip():
            for parent in root.iter():
                if defs in list(parent):
                    parent.remove(defs)
                    break
    return ET.tostring(root, encoding="unicode")


# --- vector drawing on a PDF canvas -------------------------------------------------------

#: matplotlib's own DejaVu Sans, registered with reportlab under these names, so the PDF's
#: charts are set in the same font as the PNG and SVG ones, with every Norwegian letter
PDF_FONTS = {
    ("normal", "normal"): ("HsregSans", "DejaVuSans.ttf"),
    ("normal", "bold"): ("HsregSans-Bold", "DejaVuSans-Bold.ttf"),
    ("italic", "normal"): ("HsregSans-Oblique", "DejaVuSans-Oblique.ttf"),
    ("italic", "bold"): ("HsregSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
}


_REGISTERING = threading.Lock()


def register_pdf_fonts() -> None:
    """Registers DejaVu Sans (from matplotlib's data) with reportlab, once per process."""
    with _REGISTERING:
        registered = set(pdfmetrics.getRegisteredFontNames())
        directory = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        for name, file in PDF_FONTS.values():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(directory / file)))


def _pdf_font(prop: FontProperties) -> str:
    style = "italic" if prop.get_style() in ("italic", "oblique") else "normal"
    weight = prop.get_weight()
    bold = weight == "bold" or (isinstance(weight, int | float) and weight >= 600)
    return PDF_FONTS[(style, "bold" if bold else "normal")][0]


class _PdfRenderer(RendererBase):
    """Draws a matplotlib figure as vectors on a reportlab canvas, at 72 units to the inch:
    paths (bars, lines, markers, spines) and text (set in DejaVu Sans as real text, so it can
    be searched and read out). Enough for the report's charts, which use neither images nor
    mathematical text; a path is clipped to its axes as in the other backends."""

    def __init__(self, canvas: Canvas, width: float, height: float) -> None:
        super().__init__()
        self.canvas = canvas
        self.width = width
        self.height = height

    def flipy(self) -> bool:
        return False  # matplotlib and PDF both measure y upwards

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: Any) -> Any:
        return points

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        font, size = _pdf_font(prop), prop.get_size_in_points()
        ascent, descent = pdfmetrics.getAscentDescent(font, size)
        return pdfmetrics.stringWidth(s, font, size), ascent - descent, -descent

    def _clip(self, gc: GraphicsContextBase, extent: Any = None) -> None:
        """Clips to the artist's box (its axes), unless ``extent`` (the drawing's lowest and
        highest corner) lies inside it anyway: most paths do, and a clip costs a path."""
        box = gc.get_clip_rectangle()
        if box is None:
            return
        if extent is not None:
            (x0, y0), (x1, y1) = extent
            inside = box.x0 - 0.01 <= x0 and x1 <= box.x1 + 0.01
            if inside and box.y0 - 0.01 <= y0 and y1 <= box.y1 + 0.01:
                return
        clip = self.canvas.beginPath()
        clip.rect(box.x0, box.y0, box.width, box.height)
        self.canvas.clipPath(clip, stroke=0, fill=0)

    def draw_path(
        self,
        gc: GraphicsContextBase,
        path: MplPath,
        transform: Transform,
        rgbFace: Any = None,  # noqa: N803 - matplotlib's name
    ) -> None:
        forced = gc.get_forced_alpha()
        r, g, b, a = gc.get_rgb()
        width = gc.get_linewidth()
        fill = (
            rgbFace is not None
            and (gc.get_alpha() if forced or len(rgbFace) < 4 else rgbFace[3]) > 0
        )
        stroke = width > 0 and (gc.get_alpha() if forced else a) > 0
        if not (fill or stroke) or len(path) == 0:
            return
        canvas = self.canvas
        canvas.saveState()
        corners = transform.transform(path.vertices)
        self._clip(gc, (corners.min(axis=0), corners.max(axis=0)))
        drawn = canvas.beginPath()
        last = (0.0, 0.0)
        for points, code in path.iter_segments(transform, remove_nans=True, simplify=False):
            if code == MplPath.MOVETO:
                drawn.moveTo(*points)
            elif code == MplPath.LINETO:
                drawn.lineTo(*points)
            elif code == MplPath.CURVE3:  # a quadratic Bézier as the cubic it equals
                cx, cy, x, y = points
                x0, y0 = last
                drawn.curveTo(
                    x0 + 2 / 3 * (cx - x0),
                    y0 + 2 / 3 * (cy - y0),
                    x + 2 / 3 * (cx - x),
                    y + 2 / 3 * (cy - y),
                    x,
                    y,
                )
            elif code == MplPath.CURVE4:
                drawn.curveTo(*points)
            elif code == MplPath.CLOSEPOLY:
                drawn.close()
            if code != MplPath.CLOSEPOLY and len(points) >= 2:
                last = (float(points[-2]), float(points[-1]))
        if fill:
            alpha = gc.get_alpha() if forced or len(rgbFace) < 4 else rgbFace[3]
            canvas.setFillColorRGB(*rgbFace[:3], alpha=alpha)
        if stroke:
            canvas.setStrokeColorRGB(r, g, b, alpha=gc.get_alpha() if forced else a)
            canvas.setLineWidth(width)
            canvas.setLineCap({"butt": 0, "round": 1, "projecting": 2}[gc.get_capstyle()])
            canvas.setLineJoin({"miter": 0, "round": 1, "bevel": 2}[gc.get_joinstyle()])
            offset, dashes = gc.get_dashes()
            if dashes:
                canvas.setDash(list(dashes), offset or 0)
        canvas.drawPath(drawn, stroke=int(stroke), fill=int(fill))
        canvas.restoreState()

    def draw_text(  # noqa: PLR0917 - matplotlib's signature
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        canvas = self.canvas
        canvas.saveState()
        self._clip(gc)
        r, g, b, a = gc.get_rgb()
        canvas.setFillColorRGB(r, g, b, alpha=gc.get_alpha() if gc.get_forced_alpha() else a)
        canvas.translate(x, y)
        if angle:
            canvas.rotate(angle)
        canvas.setFont(_pdf_font(prop), prop.get_size_in_points())
        canvas.drawString(0, 0, s)
        canvas.restoreState()


def draw_pdf(fig: Figure, canvas: Canvas) -> None:
    """Draws ``fig`` as vectors on a reportlab canvas, its lower left corner at the canvas's
    origin, one unit a point: the annual report's charts, sharp at any zoom and a fraction of
    the time and size of PNG images."""
    register_pdf_fonts()
    fig.set_dpi(72)
    width, height = fig.get_figwidth() * 72, fig.get_figheight() * 72
    fig.draw(_PdfRenderer(canvas, width, height))
