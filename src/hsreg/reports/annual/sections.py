"""The annual report's sections: each indicator, the national and regional results, coverage,
the administrative tables, the front page and the about page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import (
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from hsreg.units.models import HealthRegion, Unit

from .. import charts, suppression
from .. import distributions as descriptive
from ..coverage import Coverage, coverage_by_trust, coverage_by_unit
from ..definitions import Indicator
from ..indicators import (
    Cell,
    IndicatorTable,
)
from .layout import (
    HIGH_CELL,
    MODERATE_CELL,
    UPRIGHT_FROM,
    WIDE_TEXT_WIDTH,
    _p,
    _percent,
    _Story,
    _Upright,
    header_room,
)


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
            _p(f"{years[0]}–{latest}", story, "headnum"),  # pooled (issue 16, D3)
            _p(_("95 %% CI %(year)s") % {"year": latest}, story, "headnum"),
        ]
    ]
    styles: list[tuple[Any, ...]] = []
    for r, row in enumerate(table.rows, start=1):
        name = escape(str(row.name))
        if row.low_coverage:
            name += f" <i>({escape(_('Low coverage'))})</i>"
        cells = [*(row.cells.get(y) for y in years), row.pooled]
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
        widths=[4.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 2.7 * cm, 1.9 * cm],
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
        _p(f"{years[0]}–{latest}", story, "headnum"),  # pooled (issue 16, D3)
    ]
    rows: list[list[Any]] = [head]
    styles: list[tuple[Any, ...]] = []
    for r, table in enumerate(regional, start=1):
        nation = table.rows[-1]
        cells = [*(nation.cells.get(y) for y in years), nation.pooled]
        rows.append([_p(str(table.indicator.title), story), *(_cell_text(c) for c in cells)])
        for c, cell in enumerate(cells, start=1):
            if (colour := _level_colour(cell)) is not None:
                styles.append(("BACKGROUND", (c, r), (c, r), colour))
    story.table(
        rows,
        title=_("Quality indicators, whole country, %(first)s–%(last)s")
        % {"first": years[0], "last": latest},
        widths=[6.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm],
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
        # the coverage column holds "30,0 % (Lav dekningsgrad)" in bold (issue 12)
        widths=[6.0 * cm, 3.0 * cm, 3.0 * cm, 5.0 * cm],
        total_rows=range(first_total, len(rows)),
    )
    _trust_coverage_table(story, year=year, head=head, line=line)


def _trust_coverage_table(story: _Story, *, year: int, head: list[Any], line: Any) -> None:
    """Coverage per health trust, as the registry publishes it (issue 16, D5): the trust's
    distinct patients against NPR's count for the trust (reports.coverage)."""
    counted = {
        trust: c for (trust, y), c in coverage_by_trust(years=[year]).items() if y == year and c.npr
    }
    if not counted:
        return
    rows = [[_p(_("Health trust"), story, "head"), *head[1:]]]
    rows += [line(trust, counted[trust]) for trust in sorted(counted)]
    story.table(
        rows,
        title=_("Coverage per health trust, %(year)s") % {"year": year},
        widths=[6.0 * cm, 3.0 * cm, 3.0 * cm, 5.0 * cm],
    )


def _admin_widths(columns: Sequence[str]) -> tuple[float, list[float], bool]:
    """The widths of an administrative table (its name column and its value columns) and
    whether its headers are set upright. Each value column is at least as wide as the longest
    word of its header, which a cell does not break: narrower, the word ran into the next
    column's header (issue 12). The name column gives up room down to 4 cm; a table that still
    does not fit the page sets its headers upright."""
    name_width = 7.0 * cm
    if not columns:
        return name_width, [], False
    share = min((WIDE_TEXT_WIDTH - name_width) / len(columns), 3.0 * cm)
    if len(columns) > UPRIGHT_FROM:
        return name_width, [share] * len(columns), True
    widths = [max(share, header_room(c)) for c in columns]
    name_width = min(name_width, WIDE_TEXT_WIDTH - sum(widths))
    if name_width < 4.0 * cm:
        return 7.0 * cm, [share] * len(columns), True
    return name_width, widths, False


def _admin_table(story: _Story, table: descriptive.Table) -> None:
    """A table of counts on a landscape page: a row per unit, a column per year, form type or
    status."""
    columns = len(table.columns)
    name_width, widths, upright = _admin_widths(table.columns)
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
        rows.append(
            [_p(row.label, story), *(_("hidden") if v is None else str(v) for v in row.values)]
        )
    if len(rows) == 1:
        rows.append([_p(_("No records"), story), *([""] * columns)])
    story.table(
        rows,
        title=table.title,
        widths=[name_width, *widths],
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
            "records is not shown (N<10), a before/after comparison of fewer than 5 episodes "
            "neither (N<5). A unit whose coverage is under 60 per cent is marked "
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


def _caption(item: Any) -> str:
    """A figure's caption: its title, and the follow-up period of a figure of controls
    (distributions.periods, D4)."""
    note = getattr(item, "note", "")
    title = str(item.title)
    if not note:
        return title
    return f"{title} {note}" if title.endswith(("?", ".", "!")) else f"{title}. {note}"


def _completeness_table(story: _Story, table: descriptive.Completeness) -> None:
    """HISREG's Tabell 3-6: a variable per row with its completeness, and under the table the
    note that names the hsreg field each R variable is read from."""
    rows: list[list[Any]] = [
        [
            _p(_("Variable"), story, "head"),
            _p(_("HISREG variable"), story, "head"),
            _p(_("Filled in"), story, "headnum"),
            _p(_("Completeness (%)"), story, "headnum"),
        ]
    ]
    for row in table.rows:
        rows.append(
            [
                _p(row.label, story),
                _p(row.r_name, story),
                _("hidden") if row.filled is None else str(row.filled),
                "" if row.percent is None else charts.number(row.percent),
            ]
        )
    total = _("hidden") if table.total is None else str(table.total)
    rows.append([_p(_("Episodes (N)"), story), "", total, ""])
    story.table(
        rows,
        title=table.title,
        widths=[5.5 * cm, 4.5 * cm, 2.5 * cm, 3.0 * cm],
        total_rows=[len(rows) - 1],
    )
    story.text(escape(table.note), "caption")
