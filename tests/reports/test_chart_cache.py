"""Charts drawn once per set of numbers (reports.charts.cache, issue 12 point 6): the same data
in the same language is one drawing, any other number or language is another, and a page's
chart image is always the drawing of the numbers in its table, also after a form changes
them (nothing has to be invalidated: the key is the data). The cache is files under
HSREG_DATA_DIR, shared by the worker processes of a machine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.utils import translation

from hsreg.reports import charts
from hsreg.reports.charts.cache import key
from hsreg.reports.distributions import Category, Distribution
from tests.reports.test_pages import (  # noqa: F401 - fixtures
    YEAR,
    chart_image,
    clients,
    page,
    registry,
)

from . import crafted
from .crafted import MEDICAL


def sexes(female: int, male: int) -> Distribution:
    return Distribution(
        "sex", "Sex", [Category("Female", female), Category("Male", male)], female + male, "X"
    )


class Counting:
    """The real chart function, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: Distribution) -> charts.Chart:
        self.calls += 1
        return charts.distribution_chart(data)


@pytest.fixture(autouse=True)
def empty_cache():
    caches["charts"].clear()


def test_the_same_numbers_are_drawn_once_and_other_numbers_again() -> None:
    draw = Counting()
    first = charts.drawn("distribution", "svg", sexes(30, 10), draw)
    again = charts.drawn("distribution", "svg", sexes(30, 10), draw)
    assert first == again == charts.svg(charts.distribution_chart(sexes(30, 10)))
    assert draw.calls == 1
    other = charts.drawn("distribution", "svg", sexes(30, 11), draw)
    assert draw.calls == 2
    assert "(n=11)" in other
    assert "(n=11)" not in first
    png = charts.drawn("distribution", "png", sexes(30, 10), draw)
    assert isinstance(png, bytes)
    assert draw.calls == 3


def test_the_key_holds_the_language_and_every_number() -> None:
    with translation.override("en"):
        english = key("distribution", "svg", sexes(30, 10))
    with translation.override("nb"):
        norwegian = key("distribution", "svg", sexes(30, 10))
    assert english != norwegian
    assert key("distribution", "svg", sexes(30, 10)) != key("distribution", "svg", sexes(31, 10))
    assert key("distribution", "svg", sexes(30, 10)) != key("shift", "svg", sexes(30, 10))
    assert key("distribution", "svg", object()) is None  # not written out faithfully: not kept


@pytest.mark.django_db
def test_a_page_chart_follows_its_numbers_after_a_form_is_finished(clients) -> None:  # noqa: F811
    """The distributions page twice: after one more finished intervention the age chart's
    drawing is of the new count, as its table is."""
    from hsreg.accounts.models import Role

    client = clients[Role.REPORTING]

    def ages() -> tuple[int, str]:
        found = page(client, "reports:distributions", f"year={YEAR}").context["figures"]
        figure = next(f for f in found if f.data.id == "age")
        return figure.data.total, chart_image(client, figure)

    total, drawn = ages()
    assert f"N={total})" in drawn
    unit = crafted.unit(909, region="midt")
    crafted.episode(
        unit,
        date(YEAR, 5, 1) + timedelta(days=1),
        kind=MEDICAL,
        before={"ihs4": 8, "hurley": 2},
        after={"ihs4": 3, "hurley": 1},
    )
    total_after, drawn_after = ages()
    assert total_after == total + 1
    assert f"N={total_after})" in drawn_after
    assert drawn_after != drawn
