"""The report charts: valid SVG that a page can put inline under the Content Security Policy
(no prolog, no inline styles, a title and a description), PNG, the same bytes for the same
figure, suppressed shares drawn as "N<5", and the vector drawing the PDF uses."""

from __future__ import annotations

import io
import threading
import xml.etree.ElementTree as ET

import pypdfium2 as pdfium
import pytest
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from hsreg.reports import charts
from hsreg.reports.definitions import BY_ID
from hsreg.reports.distributions import (
    Average,
    AverageRow,
    BeforeAfter,
    BeforeAfterRow,
    Category,
    Distribution,
    Shift,
    ShiftCategory,
    TableRow,
    Trend,
    TrendPoint,
    TrendSeries,
    UnitShares,
)
from hsreg.reports.indicators import Tally, indicator_table

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
YEARS = [2023, 2024, 2025]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


class _Unit:
    """The three attributes indicator_table reads from a unit."""

    def __init__(self, resh_id: int, name: str, region: str = "vest") -> None:
        self.resh_id, self.name, self.region = resh_id, name, region
        self.health_trust = name


def indicator_figure() -> charts.Chart:
    indicator = BY_ID["hisreg_reduksjon_ihs4"]
    units = [
        _Unit(1, "Big unit"),
        _Unit(2, "Small unit"),
        _Unit(3, "Shrunk unit"),
        _Unit(4, "Fourth unit"),
    ]
    tallies = {
        # the fourth unit is hidden as the complement of the small ones (2025) and of the
        # shrunk one (2024), so the big unit is shown: the small unit's leader knows its 3,
        # and the nation minus the shown units would give the shrunk unit's 2 (issue 11)
        **{(indicator.id, 4, year): Tally(8, 10) for year in YEARS},
        (indicator.id, 1, 2023): Tally(40, 50),
        (indicator.id, 1, 2024): Tally(45, 50),
        (indicator.id, 1, 2025): Tally(47, 50),
        (indicator.id, 2, 2025): Tally(2, 3),  # N<5 in the latest year
        (indicator.id, 3, 2024): Tally(10, 20),  # shown last year, hidden with its row now
        (indicator.id, 3, 2025): Tally(1, 2),
    }
    table = indicator_table(
        indicator, tallies, years=YEARS, level="unit", units=units, low_coverage=frozenset({1})
    )
    return charts.indicator_chart(table)


def distribution() -> Distribution:
    return Distribution(
        "sex", "Sex", [Category("Female", 30), Category("Male", 10)], 40, "Whole country"
    )


def average() -> Average:
    return Average(
        "dlqi_by_unit",
        "Mean DLQI",
        "dlqi",
        "unit",
        [
            AverageRow("Unit A & co", 12, 11.5, 9.0, 14.0, hidden=False),
            AverageRow("Unit B", 4, None, None, None, hidden=True),
            AverageRow("Whole country", 16, 12.0, 10.0, 14.0, hidden=False, total=True),
        ],
    )


def before_after() -> BeforeAfter:
    before = AverageRow("A", 12, 15.0, 13.0, 17.0, hidden=False)
    after = AverageRow("A", 12, 8.0, 6.0, 10.0, hidden=False)
    hidden = AverageRow("B", 3, None, None, None, hidden=True)
    return BeforeAfter(
        "dlqi_before_after_by_unit",
        "DLQI before and after",
        "dlqi",
        "unit",
        [
            BeforeAfterRow("A", 12, before, after, hidden=False),
            BeforeAfterRow("B", 3, hidden, hidden, hidden=True),
        ],
    )


def shift() -> Shift:
    return Shift(
        "hurley_shift",
        "Hurley before and after",
        [ShiftCategory("Stage I", 2, 6), ShiftCategory("Stage II", 6, 3)],
        9,
    )


def trend() -> Trend:
    points = {y: TrendPoint(2, 10, 20.0, False) for y in YEARS}
    points[2023] = TrendPoint(1, 3, None, True)
    return Trend(
        "trend_biologic",
        "Starts a biologic",
        YEARS,
        [TrendSeries("Helse Vest", points), TrendSeries("Whole country", points, national=True)],
    )


def unit_shares() -> UnitShares:
    return UnitShares(
        "medical_type_by_unit",
        "Type of medical treatment, per unit",
        ["Biologic treatment", "Antibiotic treatment"],
        [
            TableRow("Unit A", [6, 3, 10], key=1),
            TableRow("Unit B", [None, None, None], key=2),
            TableRow("Whole country", [8, None, 13], total=True),
        ],
        multiple=True,
    )


FIGURES = {
    "indicator": indicator_figure,
    "distribution": lambda: charts.distribution_chart(distribution()),
    "average": lambda: charts.average_chart(average()),
    "before_after": lambda: charts.before_after_chart(before_after()),
    "shift": lambda: charts.shift_chart(shift()),
    "trend": lambda: charts.trend_chart(trend()),
    "unit_shares": lambda: charts.unit_shares_chart(unit_shares()),
}


def test_unit_shares_draw_a_bar_per_shown_share_and_say_what_is_hidden() -> None:
    """HISREG's Figur 40-42: a group of bars per unit; a hidden count has no bar."""
    figure = charts.unit_shares_chart(unit_shares())
    described = figure.description
    assert "Unit A (N=10): Biologic treatment 6 (60.0 %), Antibiotic treatment 3 (30.0 %)" in (
        described
    )
    assert "Unit B (N=hidden): Biologic treatment hidden" in described
    assert "Whole country (N=13): Biologic treatment 8 (61.5 %), Antibiotic treatment hidden" in (
        described
    )
    ax = figure.axes[0]
    widths = sorted(round(p.get_width(), 1) for p in ax.patches)
    assert widths == [30.0, 60.0, 61.5]  # three shown shares, none for a hidden count
    root = parse(charts.svg(figure))
    assert "Unit B (N=hidden)" in texts(root)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own charts' markup


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("kind", FIGURES)
def test_svg_is_inline_markup_a_policy_allows(kind: str) -> None:
    markup = charts.svg(FIGURES[kind]())
    assert not markup.startswith("<?xml")
    assert "<!DOCTYPE" not in markup
    root = parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text
    description = root.find(f"{SVG}desc")
    assert description is not None
    assert description.text
    assert all("style" not in element.attrib for element in root.iter())
    assert not list(root.iter(f"{SVG}style"))
    assert not list(root.iter(f"{SVG}metadata"))
    assert texts(root)  # text stays text: no embedded glyphs
    assert len(markup) < 60_000


@pytest.mark.parametrize("kind", FIGURES)
def test_png(kind: str) -> None:
    data = charts.png(FIGURES[kind]())
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 2_000


@pytest.mark.parametrize("kind", FIGURES)
def test_the_same_figure_gives_the_same_bytes(kind: str) -> None:
    assert charts.svg(FIGURES[kind]()) == charts.svg(FIGURES[kind]())
    assert charts.png(FIGURES[kind]()) == charts.png(FIGURES[kind]())


def test_indicator_chart_shows_suppression_coverage_and_years() -> None:
    """Issue 16, D3: the bar is the three years pooled (hisregFigIndikator_aarsamlet), the
    point the latest year. The big unit's 2024 is hidden as a complement, so its pooled figure
    is hidden too (it would give that year); the fourth unit's pooled 24 of 30 is shown."""
    root = parse(charts.svg(indicator_figure()))
    shown = " ".join(texts(root))
    assert "Big unit (low coverage)" in shown  # beside the name, not over the bands
    assert "(N=150" not in shown
    assert "Fourth unit (N=30)" in shown
    assert "80 %" in shown  # 24 of 30, the fourth unit's pooled bar
    assert shown.count("N<5") == 1  # the small unit's pooled 3
    assert "Shrunk unit" in shown
    assert "(N=2)" not in shown
    assert "(N=3)" not in shown
    assert "National (N=205)" in shown
    assert "2023–2025" in shown  # the legend: the pooled bar and the latest year's point
    assert "2025" in shown
    assert "High achievement" in shown
    description = root.find(f"{SVG}desc")
    assert description is not None
    text = (description.text or "").replace(",", ".")
    assert "Fourth unit: 80.0 %" in text


def test_indicator_colours_bars_and_target_bands() -> None:
    markup = charts.svg(indicator_figure())
    assert charts.BAR in markup
    assert charts.NATIONAL_BAR in markup
    assert charts.MODERATE in markup  # 70-90 % for IHS4
    assert charts.HIGH in markup


def test_hidden_means_say_so() -> None:
    root = parse(charts.svg(charts.average_chart(average())))
    assert "N<10" in " ".join(texts(root))
    assert "Unit A &amp; co" not in " ".join(texts(root))  # escaped once, by the serializer
    assert "Unit A & co, N=12" in " ".join(texts(root))


def test_decimal_comma_in_norwegian() -> None:
    with translation.override("nb"):
        assert charts.number(11.25, 1) in ("11,2", "11,3")
        root = parse(charts.svg(charts.average_chart(average())))
    assert "11,5" in " ".join(texts(root))


def test_figures_drawn_in_threads_at_once() -> None:
    """Each request draws its own figure: no pyplot state is shared between threads."""
    results: dict[int, bytes] = {}

    def draw(k: int) -> None:
        with translation.override("en"):
            results[k] = charts.png(charts.distribution_chart(distribution()))

    threads = [threading.Thread(target=draw, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results.values())) == 1


def test_vector_drawing_on_a_pdf_canvas() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for make in FIGURES.values():
        charts.draw_pdf(make(), canvas)
        canvas.showPage()
    canvas.save()
    pdf = pdfium.PdfDocument(buffer.getvalue())
    assert len(pdf) == len(FIGURES)
    first = pdf[0].get_textpage().get_text_range()
    assert "N<5" in first
    assert "Fourth unit (N=30)" in first
    image = pdf[0].render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 100  # something dark was drawn


def test_low_coverage_is_written_beside_the_name_not_over_the_target_bands() -> None:
    """Issue 12: "Lav dekningsgrad" was written after the bar, over the yellow and green
    bands. Every text in the plot area (x in data units) is a share or "N<5"; the coverage
    mark is part of the row's label, left of the axes (suppression: under 60 %)."""
    figure = indicator_figure()
    (ax,) = figure.axes
    inside = [t.get_text() for t in ax.texts if t.get_transform() == ax.transData]
    labels = [t.get_text() for t in ax.texts if t.get_transform() != ax.transData]
    assert inside
    assert not any("coverage" in text.lower() for text in inside)
    assert any("Big unit" in text and "low coverage" in text for text in labels)
    assert not any("low coverage" in text for text in labels if "Big unit" not in text)


def test_a_long_title_is_wrapped_short_of_the_scope_note() -> None:
    """Issue 12: in the annual report a distribution's long title ran over "Hele landet
    (N=…)" at the top right; the title now wraps before it (drawn boxes do not meet)."""
    long = Distribution(
        "complications",
        "Complications after surgical treatment at the six-month control (all units)",
        [Category("Wound infection needing treatment, and a very long label", 2)],
        22,
        "Whole country",
    )
    figure = charts.distribution_chart(long)
    (ax,) = figure.axes
    renderer = figure.canvas.get_renderer()
    title = ax.title if ax.title.get_text() else ax._left_title
    note = next(t for t in ax.texts if "(N=22)" in t.get_text())
    assert not title.get_window_extent(renderer).overlaps(note.get_window_extent(renderer))
