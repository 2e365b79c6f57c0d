"""The registry's annual report as a PDF (A4, Norwegian bokmål): the quality indicators with
their definitions, tables per unit over three years and charts; the national and regional
results; coverage; the distributions, averages, before/after comparisons and trends; and the
administrative tables, every figure and table numbered as in HISREG's "Figurer og tabeller for
årsrapport".

It is built in one pass of reportlab's platypus, so each chart is drawn once: the charts go onto
the page as vectors (charts.draw_pdf), and the contents page, whose page numbers are known only
at the end, is a form the last page defines and the contents page shows (a PDF form may be
used before it is defined).

Only aggregates are printed: no name, national id number or birth date can reach the report.
"""

from __future__ import annotations

import io
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hsreg.units.models import HealthRegion, Unit

from . import charts, suppression
from . import distributions as descriptive
from .coverage import Coverage, coverage_by_unit
from .definitions import INDICATORS, Indicator
from .indicators import (
    Cell,
    IndicatorTable,
    Level,
    indicator_table,
    report_years,
    unit_tallies,
)

FIRST_YEAR = 2000  # the earliest report year (the NPR counts' lower bound, reports.models)
MARGIN = 2 * cm
TEXT_WIDTH = A4[0] - 2 * MARGIN
TEXT_HEIGHT = A4[1] - 2 * MARGIN
WIDE = landscape(A4)  # the administrative tables' pages
WIDE_TEXT_WIDTH = WIDE[0] - 2 * MARGIN
UPRIGHT_FROM = 7  # columns: a table with more sets its headers bottom to top
FONT, BOLD, ITALIC = "HsregSans", "HsregSans-Bold", "HsregSans-Oblique"
CONTENTS_FORM = "contents"
CONTENTS_LEADING = 15
HIGH_CELL = colors.HexColor("#b3e6d5")  # the charts' green and yellow, lighter behind text
MODERATE_CELL = colors.HexColor("#fdfca6")
RULE = colors.HexColor("#9e9e9e")
HEADER = colors.HexColor("#deebf7")


class ReportError(ValueError):
    """A report that cannot be made from these arguments; the message names the field."""


def check_year(*, year: int, as_of: date) -> None:
    """``year`` must be a year the registry can report on, and not after ``as_of``."""
    if not FIRST_YEAR <= year <= as_of.year:
        raise ReportError(
            f"year: must be from {FIRST_YEAR} to {as_of.year} (the year of the report date), "
            f"not {year}"
        )


@dataclass(frozen=True, slots=True)
class AnnualReport:
    pdf: bytes
    pages: int
    seconds: float


# --- styles -------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    charts.register_pdf_fonts()
    registerFontFamily(
        FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="HsregSans-BoldOblique"
    )
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=28, leading=34, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=14, leading=20, alignment=TA_CENTER
        ),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceBefore=6, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=5
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=body,
            fontName=ITALIC,
            fontSize=8.5,
            leading=11,
            spaceBefore=3,
            spaceAfter=12,
            alignment=TA_CENTER,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9, spaceAfter=0),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontName=BOLD,
            fontSize=7.5,
            leading=9,
            spaceAfter=0,
            splitLongWords=0,
        ),
        "headnum": ParagraphStyle(
            "headnum",
            parent=body,
            fontName=BOLD,
            fontSize=7.5,
            leading=9,
            spaceAfter=0,
            splitLongWords=0,
            alignment=TA_RIGHT,
        ),
    }


# --- flowables ----------------------------------------------------------------------------


class _Heading(Paragraph):
    """A heading that goes into the contents and the PDF's outline."""

    def __init__(self, text: str, style: ParagraphStyle, *, level: int, key: str) -> None:
        super().__init__(escape(text), style)
        self.plain = text
        self.level = level
        self.key = key


class _Chart(Flowable):
    """A chart drawn as vectors, scaled to the text width (and to the page height)."""

    def __init__(self, figure: Figure, *, width: float = TEXT_WIDTH) -> None:
        super().__init__()
        self.figure = figure
        natural_width = figure.get_figwidth() * 72
        natural_height = figure.get_figheight() * 72
        self.scale = min(width / natural_width, (TEXT_HEIGHT - 40) / natural_height)
        self.width = natural_width * self.scale
        self.height = natural_height * self.scale
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        charts.draw_pdf(self.figure, self.canv)
        self.canv.restoreState()


class _Upright(Flowable):
    """A column header set bottom to top, for tables with many narrow columns."""

    def __init__(self, text: str, *, size: float = 7.5) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.width = size * 1.3
        self.height = stringWidth(text, BOLD, size) + 2
        self.hAlign = "RIGHT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(BOLD, self.size)
        canvas.translate(self.width * 0.8, 1)
        canvas.rotate(90)
        canvas.drawString(0, 0, self.text)
        canvas.restoreState()


class _Contents(Flowable):
    """Room for the contents, drawn later: the form the last page defines."""

    def __init__(self, entries: int) -> None:
        super().__init__()
        self.height = entries * CONTENTS_LEADING

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        self.canv.doForm(CONTENTS_FORM)


class _DefineContents(Flowable):
    """Zero-sized and last: defines the contents form, now that every page number is known."""

    def __init__(self, document: _Document, height: float) -> None:
        super().__init__()
        self.document = document
        self.contents_height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        canvas.beginForm(CONTENTS_FORM)
        y = self.contents_height - CONTENTS_LEADING + 4
        for level, text, page in self.document.entries:
            font, size, indent = (BOLD, 10, 0) if level == 0 else (FONT, 9, 14)
            number = str(page)
            right = TEXT_WIDTH
            canvas.setFont(font, size)
            shown = text
            room = right - indent - stringWidth(number, font, size) - 20
            while stringWidth(shown, font, size) > room and len(shown) > 4:
                shown = shown[:-2].rstrip() + "…"
            canvas.drawString(indent, y, shown)
            canvas.drawRightString(right, y, number)
            start = indent + stringWidth(shown, font, size) + 4
            end = right - stringWidth(number, font, size) - 4
            canvas.setFont(FONT, size)
            dots = "." * max(0, int((end - start) / stringWidth(".", FONT, size)))
            canvas.setFillColor(RULE)
            canvas.drawRightString(end, y, dots)
            canvas.setFillColor(colors.black)
            y -= CONTENTS_LEADING
        canvas.endForm()


class _Document(BaseDocTemplate):
    """A4 pages with a footer (the report's name and the page number), the contents entries
    and the PDF outline gathered as the headings are drawn."""

    def __init__(self, buffer: io.BytesIO, *, title: str, footer: str) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author="HISREG",
            creator="hsreg",
            invariant=1,
        )
        self.footer = footer
        self.entries: list[tuple[int, str, int]] = []
        frame = Frame(
            MARGIN,
            MARGIN,
            TEXT_WIDTH,
            TEXT_HEIGHT,
            id="text",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        wide = Frame(
            MARGIN,
            MARGIN,
            WIDE_TEXT_WIDTH,
            WIDE[1] - 2 * MARGIN,
            id="wide",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="front", frames=[frame], pagesize=A4),
                PageTemplate(id="body", frames=[frame], onPage=self._footer, pagesize=A4),
                PageTemplate(id="wide", frames=[wide], onPage=self._footer, pagesize=WIDE),
            ]
        )

    def _footer(self, canvas: Any, document: Any) -> None:
        width = WIDE[0] if document.pageTemplate.id == "wide" else A4[0]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, MARGIN / 2, self.footer)
        canvas.drawRightString(width - MARGIN, MARGIN / 2, str(canvas.getPageNumber()))
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook
        if isinstance(flowable, _Heading):
            page = self.canv.getPageNumber()
            self.entries.append((flowable.level, flowable.plain, page))
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level)


# --- the report's parts -------------------------------------------------------------------


@dataclass
class _Story:
    """The flowables in order, with the running numbers of figures, tables and headings."""

    styles: dict[str, ParagraphStyle]
    flowables: list[Flowable] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    figures: int = 0
    tables: int = 0

    def add(self, *flowables: Flowable) -> None:
        self.flowables.extend(flowables)

    def heading(self, text: str, *, level: int) -> None:
        key = f"h{len(self.headings)}"
        self.headings.append((level, text))
        style = self.styles["h1" if level == 0 else "h2"]
        if level == 0:
            self.add(PageBreak())
        else:
            self.add(CondPageBreak(6 * cm))
        self.add(_Heading(text, style, level=level, key=key))

    def text(self, text: str, style: str = "body") -> None:
        self.add(Paragraph(text, self.styles[style]))

    def chart(self, figure: Figure, title: str) -> None:
        self.figures += 1
        caption = Paragraph(
            escape(_("Figure %(n)s: %(title)s") % {"n": self.figures, "title": title}),
            self.styles["caption"],
        )
        self.add(KeepTogether([_Chart(figure), caption]))

    def table(
        self,
        rows: list[list[Any]],
        *,
        title: str,
        widths: Sequence[float],
        styles: Iterable[tuple[Any, ...]] = (),
        total_rows: Iterable[int] = (),
    ) -> None:
        self.tables += 1
        table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="CENTER")
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for row in total_rows:
            commands += [
                ("FONT", (0, row), (-1, row), BOLD, 7.5),
                ("LINEABOVE", (0, row), (-1, row), 0.6, RULE),
            ]
        table.setStyle(TableStyle([*commands, *styles]))
        caption = Paragraph(
            escape(_("Table %(n)s: %(title)s") % {"n": self.tables, "title": title}),
            self.styles["caption"],
        )
        self.add(table, caption)


def _percent(value: float, digits: int = 1) -> str:
    return f"{charts.number(value, digits)} %"


def _p(text: str, story: _Story, style: str = "cell") -> Paragraph:
    return Paragraph(escape(text), story.styles[style])


def _cell_text(cell: Cell | None, *, lines: int = 1) -> str:
    """A share as the tables print it: "54,3 % (12/22)", "N<5", or "–" for a share hidden
    with its row (too few in the latest year)."""
    if cell is None:
        return "–"
    if cell.hidden == "":
        return "–"
    if cell.hidden:
        return cell.hidden
    if cell.percent is None:
        return "–"
    between = "\n" if lines == 2 else " "
    return f"{_percent(cell.percent)}{between}({cell.numerator}/{cell.denominator})"


def _level_colour(cell: Cell | None) -> Any:
    if cell is None or not cell.shown:
        return None
    return {"high": HIGH_CELL, "moderate": MODERATE_CELL}.get(cell.level or "")


def _levels_text(indicator: Indicator) -> str:
    if indicator.low is None or indicator.target is None:
        return _("This indicator has no target levels.")
    if indicator.lower_is_better:
        return _(
            "High achievement: at most %(target)s %%. Moderate: above %(target)s %% and at most "
            "%(low)s %%. Low: above %(low)s %%."
        ) % {"target": indicator.target, "low": indicator.low}
    return _(
        "High achievement: at least %(target)s %%. Moderate: from %(low)s %% up to "
        "%(target)s %%. Low: below %(low)s %%."
    ) % {"target": indicator.target, "low": indicator.low}


def _indicator_section(story: _Story, table: IndicatorTable) -> None:
    indicator = table.indicator
    story.heading(str(indicator.title), level=1)
    story.text(
        f"<b>{escape(_('Numerator'))}:</b> {escape(str(indicator.numerator_text))}. "
        f"<b>{escape(_('Denominator'))}:</b> {escape(str(indicator.denominator_text))}."
    )
    story.text(escape(_levels_text(indicator)))
    years, latest = table.years, table.latest
    rows: list[list[Any]] = [
        [
            _p(_("Unit"), story, "head"),
            *(_p(str(y), story, "headnum") for y in years),
            _p(_("95 %% CI %(year)s") % {"year": latest}, story, "headnum"),
        ]
    ]
    styles: list[tuple[Any, ...]] = []
    for r, row in enumerate(table.rows, start=1):
        name = escape(str(row.name))
        if row.low_coverage:
            name += f" <i>({escape(_('Low coverage'))})</i>"
        cells = [row.cells.get(y) for y in years]
        last = row.cells.get(latest)
        interval = ""
        if last is not None and last.shown and last.ci_low is not None and last.ci_high is not None:
            interval = f"{charts.number(last.ci_low)}–{charts.number(last.ci_high)}"
        rows.append(
            [Paragraph(name, story.styles["cell"]), *(_cell_text(c) for c in cells), interval]
        )
        for c, cell in enumerate(cells, start=1):
            colour = _level_colour(cell)
            if colour is not None:
                styles.append(("BACKGROUND", (c, r), (c, r), colour))
    story.table(
        rows,
        title=_("%(indicator)s, per unit, %(first)s–%(last)s")
        % {"indicator": indicator.title, "first": years[0], "last": latest},
        widths=[6.2 * cm, 2.9 * cm, 2.9 * cm, 2.9 * cm, 2.1 * cm],
        styles=styles,
        total_rows=[len(rows) - 1],
    )
    story.chart(charts.indicator_chart(table), str(indicator.title))


def _by_level(tables: Sequence[IndicatorTable]) -> dict[str, dict[str, Any]]:
    return {t.indicator.id: {row.key: row for row in t.rows} for t in tables}


def _national_section(story: _Story, regional: Sequence[IndicatorTable], years: list[int]) -> None:
    story.heading(_("National and regional results"), level=0)
    story.text(
        escape(
            _(
                "The quality indicators of the whole country over three years, and per health "
                "region in the report year. Shares of fewer than 5 episodes (10 for complications) "
                "are not shown."
            )
        )
    )
    latest = years[-1]
    head = [
        _p(_("Quality indicator"), story, "head"),
        *(_p(str(y), story, "headnum") for y in years),
    ]
    rows: list[list[Any]] = [head]
    styles: list[tuple[Any, ...]] = []
    for r, table in enumerate(regional, start=1):
        nation = table.rows[-1]
        cells = [nation.cells.get(y) for y in years]
        rows.append([_p(str(table.indicator.title), story), *(_cell_text(c) for c in cells)])
        for c, cell in enumerate(cells, start=1):
            if (colour := _level_colour(cell)) is not None:
                styles.append(("BACKGROUND", (c, r), (c, r), colour))
    story.table(
        rows,
        title=_("Quality indicators, whole country, %(first)s–%(last)s")
        % {"first": years[0], "last": latest},
        widths=[8.0 * cm, 3.0 * cm, 3.0 * cm, 3.0 * cm],
        styles=styles,
    )
    regions = list(HealthRegion)
    rows = [
        [
            _p(_("Quality indicator"), story, "head"),
            *(_p(str(region.label), story, "headnum") for region in regions),
            _p(_("Whole country"), story, "headnum"),
        ]
    ]
    styles = []
    by_key = _by_level(regional)
    for r, table in enumerate(regional, start=1):
        found = by_key[table.indicator.id]
        cells = [
            found[str(region.value)].cells.get(latest) if str(region.value) in found else None
            for region in regions
        ]
        cells.append(table.rows[-1].cells.get(latest))
        rows.append(
            [_p(str(table.indicator.title), story), *(_cell_text(c, lines=2) for c in cells)]
        )
        for c, cell in enumerate(cells, start=1):
            if (colour := _level_colour(cell)) is not None:
                styles.append(("BACKGROUND", (c, r), (c, r), colour))
    story.table(
        rows,
        title=_("Quality indicators per health region, %(year)s") % {"year": latest},
        widths=[5.0 * cm, *([2.4 * cm] * (len(regions) + 1))],
        styles=styles,
    )


def _coverage_section(story: _Story, *, year: int, units: Sequence[Unit]) -> None:
    story.heading(_("Coverage"), level=0)
    story.text(
        escape(
            _(
                "Coverage (dekningsgrad) is the registry's count of patients with an episode at "
                "the unit in the year divided by the national patient register's (NPR) count of "
                "patients with HS there. Under 60 per cent is low coverage. Only units with an NPR "
                "count are shown."
            )
        )
    )
    found = coverage_by_unit(years=[year])
    counted = {resh: c for (resh, y), c in found.items() if y == year and c.npr}
    if not counted:
        story.text(escape(_("No NPR counts have been uploaded for %(year)s.") % {"year": year}))
        return
    names = {u.resh_id: u for u in units}
    head = [
        _p(_("Unit"), story, "head"),
        *(
            _p(h, story, "headnum")
            for h in (_("Registered patients"), _("Patients in NPR"), _("Coverage"))
        ),
    ]
    rows: list[list[Any]] = [head]

    def line(label: str, c: Coverage) -> list[Any]:
        percent = c.percent
        shown = "" if percent is None else _percent(percent)
        if suppression.low_coverage(percent):
            shown += f" ({_('Low coverage')})"
        return [_p(label, story), str(c.registered), str(c.npr or ""), shown]

    regions: dict[str, Coverage] = defaultdict(lambda: Coverage(0, 0))
    for resh in sorted(counted, key=lambda r: names[r].name if r in names else str(r)):
        c = counted[resh]
        unit = names.get(resh)
        rows.append(line(unit.name if unit else str(resh), c))
        if unit is not None:
            before = regions[unit.region]
            regions[unit.region] = Coverage(
                before.registered + c.registered, (before.npr or 0) + (c.npr or 0)
            )
    first_total = len(rows)
    for region in HealthRegion:
        if region.value in regions:
            rows.append(line(str(region.label), regions[region.value]))
    everything = Coverage(
        sum(c.registered for c in regions.values()), sum(c.npr or 0 for c in regions.values())
    )
    rows.append(line(_("Whole country"), everything))
    story.table(
        rows,
        title=_("Coverage per unit and health region, %(year)s") % {"year": year},
        widths=[7.5 * cm, 3.0 * cm, 3.0 * cm, 3.5 * cm],
        total_rows=range(first_total, len(rows)),
    )


def _admin_table(story: _Story, table: descriptive.Table) -> None:
    """A table of counts on a landscape page: a row per unit, a column per year, form type or
    status."""
    columns = len(table.columns)
    name_width = 7.0 * cm
    width = min((WIDE_TEXT_WIDTH - name_width) / max(columns, 1), 3.0 * cm)
    upright = columns > UPRIGHT_FROM
    rows: list[list[Any]] = [
        [
            _p(table.row_header, story, "head"),
            *(_Upright(c) if upright else _p(c, story, "headnum") for c in table.columns),
        ]
    ]
    totals = []
    for row in table.rows:
        if row.total:
            totals.append(len(rows))
        rows.append([_p(row.label, story), *(str(v) for v in row.values)])
    if len(rows) == 1:
        rows.append([_p(_("No records"), story), *([""] * columns)])
    story.table(
        rows,
        title=table.title,
        widths=[name_width, *([width] * columns)],
        total_rows=totals,
        styles=[("VALIGN", (0, 0), (-1, 0), "BOTTOM")],
    )


def _front(story: _Story, *, year: int, as_of: date) -> None:
    story.add(Spacer(1, 6 * cm))
    story.text(escape(_("Annual report HISREG %(year)s") % {"year": year}), "title")
    story.add(Spacer(1, 0.6 * cm))
    story.text(escape(_("The Norwegian quality registry for hidradenitis suppurativa")), "subtitle")
    story.add(Spacer(1, 3 * cm))
    for line in (
        _("Report year: %(year)s") % {"year": year},
        _("Data registered up to and including %(date)s")
        % {"date": formats.date_format(as_of, "j. F Y")},
        _("Made %(date)s") % {"date": formats.date_format(timezone.localdate(), "j. F Y")},
    ):
        story.text(escape(line), "subtitle")
    story.add(NextPageTemplate("body"), PageBreak())


def _about(story: _Story) -> None:
    story.heading(_("About the report"), level=0)
    for text in (
        _(
            "An episode (forløp) is a finished intervention with what was measured before it "
            "and at the control that judges it: 3 months after medical treatment, 6 months "
            "after surgical or combined treatment. The year of an episode is the year of the "
            "intervention."
        ),
        _(
            "Small numbers are not published. A share of fewer than 5 episodes (10 for "
            "complications after surgery) shows N<5 (N<10) instead; when a unit's latest "
            "year is too small, its earlier years are hidden too (–). A mean of fewer than 10 "
            "records is not shown (N<10). A unit whose coverage is under 60 per cent is marked "
            "Low coverage."
        ),
        _(
            "No hidden figure can be worked out from the totals: where a health trust, a "
            "region or the whole country has only one hidden unit (or region), the next "
            "smallest is hidden too (–)."
        ),
        _(
            "Shares are given with their 95 % CI (exact, Clopper-Pearson) and means with their "
            "95 % CI (Student's t). In the indicator charts the bars are the report year, the "
            "points the two years before, and the background the target levels: yellow for "
            "moderate and green for high achievement."
        ),
    ):
        story.text(escape(text))


# --- the report ---------------------------------------------------------------------------


def build_annual_report(*, year: int, as_of: date) -> AnnualReport:
    """The annual report of ``year`` from the forms finished by ``as_of``, in Norwegian
    bokmål, with its page count and how long it took to make."""
    check_year(year=year, as_of=as_of)
    started = time.perf_counter()
    with translation.override("nb"):
        buffer = io.BytesIO()
        title = _("Annual report HISREG %(year)s") % {"year": year}
        document = _Document(buffer, title=title, footer=title)
        story = _Story(_styles())
        _front(story, year=year, as_of=as_of)
        contents_at = len(story.flowables)
        _about(story)
        units = list(Unit.objects.all())
        years = report_years(year)
        tallies = unit_tallies(years=years, as_of=as_of)
        coverage = coverage_by_unit(years=[year])
        low = frozenset(
            resh
            for (resh, y), c in coverage.items()
            if y == year and suppression.low_coverage(c.percent)
        )

        def tables(level: Level) -> list[IndicatorTable]:
            return [
                indicator_table(i, tallies, years=years, level=level, units=units, low_coverage=low)
                for i in INDICATORS
            ]

        story.heading(_("Quality indicators"), level=0)
        for table in tables("unit"):
            _indicator_section(story, table)
        _national_section(story, tables("region"), years)
        _coverage_section(story, year=year, units=units)
        sections: tuple[tuple[str, Callable[[], Sequence[Any]], Callable[[Any], Figure]], ...] = (
            (
                _("The patients and their treatment"),
                lambda: descriptive.distributions(year=year, as_of=as_of),
                charts.distribution_chart,
            ),
            (
                _("Averages before treatment"),
                lambda: descriptive.averages(year=year, as_of=as_of),
                charts.average_chart,
            ),
            (
                _("Before and after treatment"),
                lambda: [
                    *descriptive.before_after(year=year, as_of=as_of),
                    *descriptive.shifts(year=year, as_of=as_of),
                ],
                _before_after_or_shift,
            ),
            (
                _("Treatment choices over time"),
                lambda: descriptive.trends(year=year, as_of=as_of),
                charts.trend_chart,
            ),
        )
        for heading, compute, draw in sections:
            story.heading(heading, level=0)
            for item in compute():
                story.chart(draw(item), item.title)
        story.add(NextPageTemplate("wide"))
        story.heading(_("Administrative tables"), level=0)
        for counts in descriptive.administrative(year=year, as_of=as_of):
            _admin_table(story, counts)
        height = (len(story.headings) + 1) * CONTENTS_LEADING
        story.flowables[contents_at:contents_at] = [
            Paragraph(escape(_("Contents")), story.styles["h1"]),
            _Contents(len(story.headings) + 1),
        ]
        story.add(_DefineContents(document, height))
        document.build(story.flowables)
        pdf = buffer.getvalue()
    return AnnualReport(pdf, document.page, time.perf_counter() - started)


def _before_after_or_shift(item: Any) -> Figure:
    if isinstance(item, descriptive.Shift):
        return charts.shift_chart(item)
    return charts.before_after_chart(item)


def annual_report(*, year: int, as_of: date) -> bytes:
    """The annual report of ``year`` as PDF bytes (build_annual_report)."""
    return build_annual_report(year=year, as_of=as_of).pdf
