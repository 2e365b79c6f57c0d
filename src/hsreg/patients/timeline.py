"""The patient's course over time, drawn on the server as one inline SVG.

Why SVG from the server and no chart library: the page works without JavaScript, no
third-party code is loaded next to patient data (no CDN), the chart prints as it is seen, and
a test can read it as text. Every value is also given as a `<title>` tooltip and in a data table
(`rows`), so nothing is only visible as a shape.

The chart is "small multiples": one strip per measure, each with its own y scale (IHS4 and
the AN count have no fixed top, DLQI is 0-30, pain VAS 0-10), sharing one date axis. Below
them, one lane per drug course (planned courses dashed) and a lane of surgical interventions.

This module only draws: it takes values already computed by the guideline engine's formulas
(patients.chart builds the `Timeline`), never computes a score itself. Every text that enters
the SVG is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.dates import MONTHS_3
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from hsreg.web.language import lang

WIDTH = 960
LEFT = 170  # room for the strip and drug names
RIGHT = 24
LEGEND_HEIGHT = 30
STRIP_HEIGHT = 58
STRIP_GAP = 22
LANE_HEIGHT = 14
LANE_GAP = 7
AXIS_HEIGHT = 34
MIN_SPAN_DAYS = 60  # a history of a few days would otherwise fill the width with one week
TICK_STEPS = (1, 2, 3, 6, 12, 24, 60)  # months between date ticks
MAX_TICKS = 12
GRID = "#e3e7ee"
INK = "#1d2433"
MUTED = "#5b6475"
COURSE_COLOR = "#2f6f5e"
SURGERY_COLOR = "#8a3b12"
TODAY_COLOR = "#0b5cab"
CHAR_WIDTH = 6.6  # average width of a 12px system-ui character, for laying out the legend


@dataclass(frozen=True, slots=True)
class Point:
    date: date
    value: int | float


@dataclass(frozen=True, slots=True)
class Series:
    """One measure over time. ``top`` fixes the scale (DLQI 30, VAS 10); without it the scale
    grows with the data from ``min_top`` so a small count does not look like a large one.
    ``thresholds`` are guideline limits drawn as dashed lines (value, what it means)."""

    key: str
    label: str
    color: str
    points: tuple[Point, ...]
    top: int | None = None
    min_top: int = 5
    decimals: int = 0
    thresholds: tuple[tuple[int, str], ...] = ()

    def scale_top(self) -> int:
        if self.top is not None:
            return self.top
        highest = max((p.value for p in self.points), default=0)
        return _nice_ceiling(max(highest, self.min_top))

    def format(self, value: int | float) -> str:
        return _number(value, self.decimals)


@dataclass(frozen=True, slots=True)
class CourseBar:
    """One drug course: given (``end`` or ongoing to today) or planned (starts after today)."""

    drug: str
    start: date
    end: date | None
    planned: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class SurgeryMarker:
    date: date
    label: str


@dataclass(frozen=True, slots=True)
class TableRow:
    date: date
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    """What the chart shows, from the first form to today (or to the end of a planned course)."""

    series: tuple[Series, ...]
    courses: tuple[CourseBar, ...]
    surgeries: tuple[SurgeryMarker, ...]
    today: date
    first: date | None = None  # the date of the patient's first form

    @property
    def empty(self) -> bool:
        return not (any(s.points for s in self.series) or self.courses or self.surgeries)

    def span(self) -> tuple[date, date]:
        """From the first dated thing to today; further only to show a planned course or an
        end date already entered, so the future never takes more room than it needs."""
        dates = [p.date for s in self.series for p in s.points]
        dates += [c.start for c in self.courses] + [m.date for m in self.surgeries]
        if self.first is not None:
            dates.append(self.first)
        start = min([*dates, self.today])
        end = self.today
        for course in self.courses:
            if course.end is not None:
                end = max(end, course.end)
            if course.planned:
                end = max(end, course.start + timedelta(days=28))
        if (end - start).days < MIN_SPAN_DAYS:
            start = end - timedelta(days=MIN_SPAN_DAYS)
        return start, end

    def rows(self) -> list[TableRow]:
        """The series as a table: one row per date, one cell per series ('' where none)."""
        by_date: dict[date, list[str]] = {}
        for index, series in enumerate(self.series):
            for point in series.points:
                cells = by_date.setdefault(point.date, [""] * len(self.series))
                cells[index] = series.format(point.value)
        return [TableRow(day, tuple(by_date[day])) for day in sorted(by_date)]


def svg(timeline: Timeline) -> str:
    """The timeline as an `<svg role="img">` element (empty string when there is nothing to
    draw). Texts are escaped; the caller may mark the result safe."""
    if timeline.empty:
        return ""
    chart = _Chart(timeline)
    return chart.draw()


class _Chart:
    """Coordinates and drawing of one timeline; `draw` returns the SVG markup."""

    def __init__(self, timeline: Timeline) -> None:
        self.t = timeline
        self.start, self.end = timeline.span()
        self.plot_width = WIDTH - LEFT - RIGHT
        self.span_days = max((self.end - self.start).days, 1)
        self.strips_top = LEGEND_HEIGHT + 8
        self.lanes_top = self.strips_top + len(timeline.series) * (STRIP_HEIGHT + STRIP_GAP)
        lanes = len(timeline.courses) + (1 if timeline.surgeries else 0)
        self.axis_top = self.lanes_top + lanes * (LANE_HEIGHT + LANE_GAP) + 4
        self.height = self.axis_top + AXIS_HEIGHT

    def x(self, day: date) -> float:
        return LEFT + (day - self.start).days / self.span_days * self.plot_width

    def draw(self) -> str:
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} '
            f'{self.height}" width="100%" aria-label="{escape(self._summary())}" '
            f'font-family="system-ui, sans-serif" font-size="12" class="timeline-chart">',
            *self._grid(),
            *self._legend(),
        ]
        for index, series in enumerate(self.t.series):
            parts += self._strip(series, self.strips_top + index * (STRIP_HEIGHT + STRIP_GAP))
        parts += self._courses()
        parts += self._surgeries()
        parts += self._today()
        parts += self._axis()
        parts.append("</svg>")
        return "\n".join(parts)

    def _summary(self) -> str:
        measures = ", ".join(s.label for s in self.t.series if s.points) or _("no measures")
        return _(
            "Timeline from %(start)s to %(end)s: %(measures)s; %(courses)d drug courses and "
            "%(surgeries)d surgical interventions. The values are listed in the table below."
        ) % {
            "start": _day(self.start),
            "end": _day(self.end),
            "measures": measures,
            "courses": len(self.t.courses),
            "surgeries": len(self.t.surgeries),
        }

    def _ticks(self) -> list[date]:
        """First days of months, every 1, 2, 3, 6 … months so that at most 12 are drawn."""
        start, end = self.start, self.end
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        step = next((s for s in TICK_STEPS if months / s <= MAX_TICKS), TICK_STEPS[-1])
        ticks = []
        year, month = start.year, start.month
        while date(year, month, 1) <= end:
            day = date(year, month, 1)
            if day >= start and (year * 12 + month - 1) % step == 0:
                ticks.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return ticks

    def _grid(self) -> list[str]:
        return [
            f'<line x1="{self.x(day):.1f}" x2="{self.x(day):.1f}" y1="{self.strips_top - 4}" '
            f'y2="{self.axis_top}" stroke="{GRID}" />'
            for day in self._ticks()
        ]

    def _axis(self) -> list[str]:
        y = self.axis_top
        parts = [
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{MUTED}" />',
        ]
        ticks = self._ticks()
        for index, day in enumerate(ticks):
            x = self.x(day)
            label = _month(day)
            if day.month == 1 or index == 0:
                label = f"{label} {day.year}"
            if len(ticks) > 1 and all(t.month == 1 for t in ticks):
                label = str(day.year)
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 5}" stroke="{MUTED}" />'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{y + 18}" text-anchor="middle" fill="{MUTED}">'
                f"{escape(label)}</text>"
            )
        return parts

    def _legend(self) -> list[str]:
        parts = []
        x = 8.0
        y = 16
        for series in self.t.series:
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + 18:.1f}" y1="{y - 4}" y2="{y - 4}" '
                f'stroke="{series.color}" stroke-width="2" />'
                f'<circle cx="{x + 9:.1f}" cy="{y - 4}" r="3" fill="{series.color}" />'
            )
            parts.append(f'<text x="{x + 23:.1f}" y="{y}">{escape(series.label)}</text>')
            x += 23 + len(series.label) * CHAR_WIDTH + 16
        for label, swatch in (
            (_("Drug course"), f'fill="{COURSE_COLOR}"'),
            (
                _("Planned course"),
                f'fill="#fff" stroke="{COURSE_COLOR}" stroke-dasharray="4 2"',
            ),
        ):
            parts.append(f'<rect x="{x:.1f}" y="{y - 9}" width="18" height="10" rx="2" {swatch} />')
            parts.append(f'<text x="{x + 23:.1f}" y="{y}">{escape(label)}</text>')
            x += 23 + len(label) * CHAR_WIDTH + 16
        surgery = _("Surgical intervention")
        parts.append(_triangle(x + 9, y - 4, SURGERY_COLOR))
        parts.append(f'<text x="{x + 23:.1f}" y="{y}">{escape(surgery)}</text>')
        return parts

    def _strip(self, series: Series, top: int) -> list[str]:
        bottom = top + STRIP_HEIGHT
        scale_top = series.scale_top()

        def y(value: float) -> float:
            return bottom - min(value, scale_top) / scale_top * STRIP_HEIGHT

        parts = [
            f'<g class="series" data-series="{escape(series.key)}">',
            f'<text x="8" y="{top + STRIP_HEIGHT / 2 + 4:.1f}" font-weight="600" '
            f'fill="{series.color}">{escape(series.label)}</text>',
            f'<text x="{LEFT - 6}" y="{top + 4}" text-anchor="end" fill="{MUTED}" '
            f'font-size="10">{scale_top}</text>',
            f'<text x="{LEFT - 6}" y="{bottom + 3}" text-anchor="end" fill="{MUTED}" '
            f'font-size="10">0</text>',
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="{GRID}" />',
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{top}" y2="{top}" stroke="{GRID}" '
            f'stroke-dasharray="2 3" />',
        ]
        for value, meaning in series.thresholds:
            if 0 < value < scale_top:
                parts.append(
                    f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" '
                    f'y2="{y(value):.1f}" stroke="{series.color}" stroke-opacity="0.35" '
                    f'stroke-dasharray="6 4"><title>{escape(meaning)}</title></line>'
                )
        points = sorted(series.points, key=lambda p: p.date)
        if not points:
            parts.append(
                f'<text x="{LEFT + 8}" y="{top + STRIP_HEIGHT / 2 + 4:.1f}" fill="{MUTED}">'
                f"{escape(_('not recorded'))}</text>"
            )
        if len(points) > 1:
            coords = " ".join(f"{self.x(p.date):.1f},{y(p.value):.1f}" for p in points)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{series.color}" '
                f'stroke-width="2" />'
            )
        for p in points:
            tip = f"{series.label} {_day(p.date)}: {series.format(p.value)}"
            parts.append(
                f'<circle cx="{self.x(p.date):.1f}" cy="{y(p.value):.1f}" r="4" '
                f'fill="{series.color}" data-date="{p.date.isoformat()}" '
                f'data-value="{escape(series.format(p.value))}"><title>{escape(tip)}</title>'
                "</circle>"
            )
        parts.append("</g>")
        return parts

    def _courses(self) -> list[str]:
        parts = []
        for index, course in enumerate(self.t.courses):
            top = self.lanes_top + index * (LANE_HEIGHT + LANE_GAP)
            until = course.end or (self.end if course.planned else self.t.today)
            x1, x2 = self.x(course.start), self.x(max(until, course.start))
            style = (
                f'fill="#fff" stroke="{COURSE_COLOR}" stroke-dasharray="5 3"'
                if course.planned
                else f'fill="{COURSE_COLOR}" fill-opacity="0.85"'
            )
            parts.append(
                f'<g class="course" data-drug="{escape(course.drug)}" '
                f'data-planned="{"true" if course.planned else "false"}">'
                f'<text x="{LEFT - 6}" y="{top + LANE_HEIGHT - 3}" text-anchor="end">'
                f"{escape(_shorten(course.drug))}</text>"
                f'<rect x="{x1:.1f}" y="{top}" width="{max(x2 - x1, 3):.1f}" '
                f'height="{LANE_HEIGHT}" rx="3" {style}><title>{escape(_course_tip(course))}'
                "</title></rect></g>"
            )
        return parts

    def _surgeries(self) -> list[str]:
        if not self.t.surgeries:
            return []
        top = self.lanes_top + len(self.t.courses) * (LANE_HEIGHT + LANE_GAP)
        middle = top + LANE_HEIGHT / 2
        parts = [
            f'<g class="surgeries"><text x="{LEFT - 6}" y="{top + LANE_HEIGHT - 3}" '
            f'text-anchor="end">{escape(_("Surgery"))}</text>'
        ]
        for marker in self.t.surgeries:
            tip = f"{marker.label} {_day(marker.date)}"
            parts.append(
                _triangle(
                    self.x(marker.date),
                    middle,
                    SURGERY_COLOR,
                    title=tip,
                    extra=f' data-date="{marker.date.isoformat()}"',
                )
            )
        parts.append("</g>")
        return parts

    def _today(self) -> list[str]:
        x = self.x(self.t.today)
        label = _("today")
        return [
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{self.strips_top - 4}" y2="{self.axis_top}" '
            f'stroke="{TODAY_COLOR}" stroke-dasharray="3 3"><title>{escape(label)} '
            f"{escape(_day(self.t.today))}</title></line>",
            f'<text x="{x:.1f}" y="{self.strips_top - 6}" text-anchor="middle" font-size="10" '
            f'fill="{TODAY_COLOR}">{escape(label)}</text>',
        ]


def _triangle(x: float, y: float, color: str, *, title: str = "", extra: str = "") -> str:
    path = f"M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y + 5:.1f} L{x - 6:.1f},{y + 5:.1f} Z"
    inner = f"<title>{escape(title)}</title>" if title else ""
    return f'<path d="{path}" fill="{color}"{extra}>{inner}</path>'


def _course_tip(course: CourseBar) -> str:
    if course.planned:
        text = _("%(drug)s: planned from %(start)s") % {
            "drug": course.drug,
            "start": _day(course.start),
        }
    elif course.end is None:
        text = _("%(drug)s: from %(start)s, ongoing") % {
            "drug": course.drug,
            "start": _day(course.start),
        }
    else:
        text = _("%(drug)s: %(start)s to %(end)s") % {
            "drug": course.drug,
            "start": _day(course.start),
            "end": _day(course.end),
        }
    return f"{text} ({course.note})" if course.note else text


def _month(day: date) -> str:
    """The month's short name: lower case in Norwegian ("mai"), capitalised in English."""
    name = str(MONTHS_3[day.month])
    return name.capitalize() if lang() == "en" else name


def _shorten(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _number(value: int | float, decimals: int) -> str:
    if isinstance(value, int) or decimals == 0:
        return str(round(value))
    return number_format(value, decimals)


def _nice_ceiling(value: float) -> int:
    """The next of 5, 10, 15 … (or 10, 20 … above 50) at or above ``value``."""
    step = 10 if value > 50 else 5
    return int(-(-value // step) * step)


def points(pairs: Iterable[tuple[date, int | float | None]]) -> tuple[Point, ...]:
    """Points of the dates that have a value, in date order."""
    found = [Point(day, value) for day, value in pairs if value is not None]
    return tuple(sorted(found, key=lambda p: p.date))
