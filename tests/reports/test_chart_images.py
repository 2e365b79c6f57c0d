"""The report pages answer without drawing a chart (issue 12, point 6): each chart is an image
of its chart file, drawn in that file's own request, with the page's access and the same
hidden small counts as the page's table (issue 11, point 10); a reader whose page counted other
numbers never gets the numbers another reader's page kept. The chart cache is files under
HSREG_DATA_DIR, so every worker process of a machine finds what another drew."""

from __future__ import annotations

import importlib.util
import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hsreg.accounts.models import Role
from hsreg.config.caches import charts_cache
from hsreg.reports.charts.cache import key
from hsreg.reports.selectors import parse_chart
from tests.reports.test_pages import IHS4, YEAR, chart_images
from tests.reports.test_small_counts import client_of, registry  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

DESCRIPTIVE = ("reports:distributions", "reports:averages", "reports:trends")


@pytest.fixture(autouse=True)
def empty_cache():
    caches["charts"].clear()


def drawn_key(figure) -> str:
    """Where the drawing of ``figure`` (selectors.Figure) as SVG is kept: the pages are in
    Norwegian here (no language asked for)."""
    chart = parse_chart(figure.chart)
    with translation.override(settings.LANGUAGE_CODE):
        return key(chart.kind, "svg", figure.data)


def figures_of(response) -> list:
    context = response.context
    names = ("figures", "shifts", "comparisons", "by_unit")
    return [f for name in names for f in context.get(name) or []]


def test_the_descriptive_pages_draw_no_chart_and_show_an_image_of_each(registry):  # noqa: F811
    client = client_of(registry[303], Role.REPORTING)
    for name in DESCRIPTIVE:
        response = client.get(reverse(name), {"year": YEAR})
        assert response.status_code == 200, name
        assert "<svg" not in response.content.decode(), name
        figures = figures_of(response)
        images = chart_images(response)
        assert len(images) == len(figures) >= 3, name
        for figure, (src, alt) in zip(figures, images, strict=True):
            assert src.startswith(f"/reports/charts/{figure.chart}.svg?year={YEAR}&level=nation&v=")
            assert alt.startswith(f"{figure.data.title}. "), alt
            # nothing drawn: no chart of these numbers in the cache before its image is asked for
            assert caches["charts"].get(drawn_key(figure)) is None


def test_each_image_shows_the_hidden_counts_of_its_table(registry):  # noqa: F811
    """The units figure for a reporting-only user: 101's 3, 202's 2 and 303's 7 hidden in the
    table and in the image the page shows; 404's 12 shown in both."""
    client = client_of(registry[303], Role.REPORTING)
    response = client.get(reverse("reports:distributions"), {"year": YEAR})
    images = {src.split(".svg")[0].rsplit("/", 1)[1]: src for src, _ in chart_images(response)}
    chart = client.get(images["distribution-units"])
    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
    # one user's answer, and (signed in: accounts.sessions) never stored
    assert {"private", "no-store"} <= set(chart["Cache-Control"].replace(" ", "").split(","))
    svg = chart.content.decode()
    assert svg.startswith("<svg")
    assert "(n=skjult)" in svg
    assert "(n=12)" in svg
    assert not re.search(r"\(n=[1-47]\)", svg)
    # every other image answers as well, each an SVG of its own figure
    for src in images.values():
        answer = client.get(src)
        assert answer.status_code == 200, src
        assert answer.content.startswith(b"<svg"), src


def test_another_reader_never_gets_the_numbers_a_unit_leaders_page_kept(registry):  # noqa: F811
    """The leader of 101 sees its 3 men exact; the same address asked for by a reporting-only
    user of 101 is counted for them: hidden, as their own page shows it."""
    leader = client_of(registry[101], Role.UNIT_LEADER)
    own = leader.get(reverse("reports:distributions"), {"year": YEAR, "level": "unit"})
    src = next(s for s, _ in chart_images(own) if "/distribution-sex.svg" in s)
    assert "N=3" in leader.get(src).content.decode()
    reporting = client_of(registry[101], Role.REPORTING)
    theirs = reporting.get(src)
    assert theirs.status_code == 200
    assert "N=3" not in theirs.content.decode()
    assert "(n=3)" not in theirs.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_a_chart_file_answers_every_role_as_its_page_does(registry, role):  # noqa: F811
    client = client_of(registry[101], role)
    page = client.get(reverse("reports:averages"), {"year": YEAR})
    assert page.status_code == 200
    for src, _alt in chart_images(page):
        assert client.get(src).status_code == 200, src


def test_a_chart_file_sends_a_signed_out_visitor_to_the_login_as_its_page_does(registry):  # noqa: F811
    leader = client_of(registry[101], Role.UNIT_LEADER)
    (src, _alt), *_ = chart_images(leader.get(reverse("reports:averages"), {"year": YEAR}))
    anonymous = Client()
    page = anonymous.get(reverse("reports:averages"), {"year": YEAR})
    chart = anonymous.get(src)
    assert page.status_code == chart.status_code == 302
    assert page["Location"].split("?")[0] == chart["Location"].split("?")[0]
    assert b"<svg" not in chart.content


def test_the_indicator_page_shows_its_chart_as_an_image(registry):  # noqa: F811
    client = client_of(registry[404], Role.REPORTING)
    response = client.get(reverse("reports:indicator", args=[IHS4]), {"year": YEAR})
    assert "<svg" not in response.content.decode()
    ((src, alt),) = chart_images(response)
    assert alt.startswith(str(response.context["indicator"].title))
    chart = client.get(src)
    assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
    for row in response.context["table"].rows:  # the table's rows are the chart's bars
        assert str(row.name) in chart.content.decode(), row.name


def test_a_browser_asking_again_gets_not_modified_without_a_drawing(registry):  # noqa: F811
    client = client_of(registry[404], Role.REPORTING)
    url = reverse("reports:chart", kwargs={"chart": "average-dlqi_by_unit", "fmt": "svg"})
    first = client.get(url, {"year": YEAR})  # no version: counted, and checked by its ETag
    assert first.status_code == 200
    assert "private" in first["Cache-Control"]
    again = client.get(url, {"year": YEAR}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    other = client.get(url, {"year": YEAR - 1}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200  # other numbers, another ETag


@pytest.mark.parametrize("version", ["", "x", "0" * 64, "../../etc/passwd", "ä" * 64, "a b"])
def test_an_unknown_version_is_counted_as_the_page_would(registry, version):  # noqa: F811
    client = client_of(registry[404], Role.REPORTING)
    url = reverse("reports:chart", kwargs={"chart": "distribution-units", "fmt": "svg"})
    response = client.get(url, {"year": YEAR, "v": version})
    assert response.status_code == 200
    assert "(n=12)" in response.content.decode()
    bad = client.get(url, {"year": "20x5", "v": version})
    assert bad.status_code == 400


def test_the_png_download_draws_the_kept_numbers_too(registry):  # noqa: F811
    client = client_of(registry[404], Role.REPORTING)
    response = client.get(reverse("reports:distributions"), {"year": YEAR})
    link = re.search(
        r'href="(/reports/charts/distribution-age\.png\?[^"]+)"', response.content.decode()
    )
    png = client.get(link.group(1).replace("&amp;", "&"))
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert (
        png["Content-Disposition"]
        == f'attachment; filename="hisreg-distribution-age-{YEAR}-nation.png"'
    )
    assert png.content.startswith(b"\x89PNG")


def test_the_chart_cache_is_files_every_worker_process_shares(registry):  # noqa: F811
    store = caches["charts"]
    assert isinstance(store, FileBasedCache)
    assert store._dir == str(settings.DATA_DIR / "cache" / "charts")
    client = client_of(registry[404], Role.REPORTING)
    response = client.get(reverse("reports:averages"), {"year": YEAR})
    src, _alt = chart_images(response)[0]
    drawn = client.get(src).content.decode()
    # another process: its own cache object on the same directory finds the drawing
    figure = figures_of(response)[0]
    other = FileBasedCache(str(settings.DATA_DIR / "cache" / "charts"), {})
    assert other.get(drawn_key(figure)) == drawn


def test_several_machines_share_a_redis_or_memcached_server_named_in_the_environment(tmp_path):
    files = charts_cache("", tmp_path)
    assert files["BACKEND"].endswith("FileBasedCache")
    assert files["LOCATION"] == tmp_path / "cache" / "charts"
    for url in ("redis://cache.internal:6379/1", "memcached://cache.internal:11211"):
        client = "redis" if url.startswith("redis") else "pymemcache"
        if importlib.util.find_spec(client) is None:
            with pytest.raises(ImproperlyConfigured, match=f"HSREG_CHARTS_CACHE_URL.*{client}"):
                charts_cache(url, tmp_path)
        else:
            assert charts_cache(url, tmp_path)["LOCATION"] in (url, "cache.internal:11211")
    for bad in ("cache.internal:6379", "http://cache.internal", "redis://"):
        with pytest.raises(ImproperlyConfigured, match="HSREG_CHARTS_CACHE_URL: give redis://"):
            charts_cache(bad, tmp_path)


def test_an_image_of_a_page_counts_nothing_again(registry):  # noqa: F811
    """The page counted the figures; its images draw the numbers it kept, without one query of
    the episodes. The same chart without the version counts them, as its page does."""
    client = client_of(registry[404], Role.REPORTING)
    response = client.get(reverse("reports:distributions"), {"year": YEAR})
    src = next(s for s, _ in chart_images(response) if "/distribution-age.svg" in s)

    def episode_queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return sum("reports_episode" in q["sql"] for q in captured)

    assert episode_queries(src) == 0
    assert episode_queries(src.split("&v=")[0]) > 0
