"""The reports' pages: the quality indicators (overview and one indicator), the distributions,
averages, before/after comparisons, treatment trends and administrative tables with their
charts, each chart as an SVG or PNG file (the annual report's PDF: views.annual).

Every page shows aggregates only, counted in the database (reports.selectors): any role may
open them (accounts.access), and none of them names a patient. The report year is ``?year=``
(this year when not given), the level ``?level=``; a value that cannot be used is a 400 page
naming the field and saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET

from hsreg.accounts.models import Role

from .. import charts
from .. import distributions as data
from ..charts.cache import code_version, digest
from ..definitions import BY_ID
from ..distributions.filters import NO_FILTERS, FilterForm, Filters, parse_filters
from ..indicators import LEVELS, POOLED_MIN_DENOMINATOR, Level
from ..selectors import (
    CHART_LEVELS,
    LEVEL_LABELS,
    SCOPES,
    ChartId,
    ParameterError,
    Params,
    chart_data,
    chart_file,
    chart_query,
    figures,
    indicator_reports,
    levels_text,
    parse_chart,
    report_params,
    year_choices,
)
from .downloads import TABLE_FORMATS, table_download

View = Callable[..., HttpResponse]
#: the kinds of chart whose pages have filters (distributions.filters)
FILTERED_KINDS = frozenset({"distribution", "shift", "average", "before-after", "by-unit"})


def _bad_request(request: HttpRequest, error: ParameterError) -> HttpResponse:
    context = {"field": error.field, "reason": error.reason}
    return render(request, "reports/bad_request.html", context, status=400)


def _params(request: HttpRequest, default_level: Level, levels: Sequence[Level]) -> Params:
    return report_params(
        request.GET, today=timezone.localdate(), default_level=default_level, levels=levels
    )


def _with_params(default_level: Level, levels: Sequence[Level] = LEVELS) -> Callable[[View], View]:
    """Reads the report's year and level before the view; a bad one is answered with a 400
    page that names the field and says why."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                params = _params(request, default_level, levels)
            except ParameterError as error:
                return _bad_request(request, error)
            return view(request, params, *args, **kwargs)

        return require_GET(wrapper)

    return decorate


def _common(request: HttpRequest, params: Params, levels: Sequence[Level]) -> dict[str, Any]:
    """The context every report page shares: the parameters, the years to choose from and
    the levels to switch between (on the descriptive pages "unit" is the actor's unit)."""
    unit = request.actor.unit  # type: ignore[attr-defined]
    labels = dict(LEVEL_LABELS)
    if tuple(levels) == SCOPES:
        labels = {"nation": LEVEL_LABELS["nation"], "unit": unit.name if unit else ""}
    return {
        "params": params,
        "year_choices": year_choices(today=params.as_of, chosen=params.year),
        "levels": [(level, labels[level]) for level in levels] if len(levels) > 1 else [],
        "level_label": labels[params.level],
    }


def _reader(request: HttpRequest, *, administration: bool = False) -> data.Reader:
    """Whose counts of 1-4 per unit the actor may see (distributions.protect): a unit leader
    or registrar their own unit's (they register and read those patients anyway), the
    coordinator every unit's on the administrative page only (it is for running the
    registry: following up drafts, missed controls and histories unit by unit), and the
    reporting-only role none."""
    actor = request.actor  # type: ignore[attr-defined]
    if administration and actor.role == Role.COORDINATOR:
        return data.Reader(exact=True)
    unit = actor.clinical_unit
    return data.Reader(own=unit.resh_id if unit is not None else None)


def _audience(
    request: HttpRequest, params: Params, reader: data.Reader, filters: Filters = NO_FILTERS
) -> str:
    """Whom a page's numbers were counted for: the reader (whose small counts are exact), the
    year, the level and, at level "unit", the unit. A chart file asked for by the same audience
    draws the numbers its page kept (charts.cache.keep); anyone else has them counted anew, so
    the file never shows a reader what their own page would not. The ``filters`` (the
    distributions and averages pages) are part of it: each selection keeps its own numbers."""
    unit = request.actor.unit if params.level == "unit" else None  # type: ignore[attr-defined]
    unit_id = unit.pk if unit is not None else ""
    chosen = f":{filters.key()}" if filters.key() else ""
    return f"{reader.exact}:{reader.own}:{params.year}:{params.level}:{unit_id}{chosen}"


def _filtered(request: HttpRequest, params: Params) -> tuple[Params, Filters | None, FilterForm]:
    """The page's filters (distributions.filters) from the query string, with the form that
    shows them; None when a value cannot be used (the form says which and why). Comparing the
    own unit with the rest of the country is a view of the own unit: the level becomes
    "unit", so the page, its chart files and their cache agree."""
    unit = request.actor.unit  # type: ignore[attr-defined]
    filters, form = parse_filters(request.GET, year=params.year, can_compare=unit is not None)
    if filters is not None and filters.compare and params.level != "unit":
        params = replace(params, level="unit")
    return params, filters, form


def _filter_context(filters: Filters | None, form: FilterForm) -> dict[str, Any]:
    return {"filter_form": form, "filter_words": filters.words() if filters else []}


def _scope(request: HttpRequest, params: Params) -> Any:
    """The unit of a descriptive page: the actor's at level "unit", None for the country."""
    return request.actor.unit if params.level == "unit" else None  # type: ignore[attr-defined]


@_with_params("nation")
def index(request: HttpRequest, params: Params) -> HttpResponse:
    """Every quality indicator at the chosen level for the report year and the two before;
    a clinician also sees their own unit against the rest of the country."""
    own_unit = request.actor.clinical_unit  # type: ignore[attr-defined]
    reports = indicator_reports(params=params, own_unit=own_unit)
    context = {**_common(request, params, LEVELS), "reports": reports, "own_unit": own_unit}
    return render(request, "reports/index.html", context)


@_with_params("unit")
def indicator(request: HttpRequest, params: Params, indicator_id: str) -> HttpResponse:
    """One indicator: its definition, its table at the chosen level and its chart."""
    chosen = BY_ID.get(indicator_id)
    if chosen is None:
        raise Http404
    own_unit = request.actor.clinical_unit  # type: ignore[attr-defined]
    (report,) = indicator_reports(params=params, own_unit=own_unit, indicators=(chosen,))
    chart_id = str(ChartId("indicator", chosen.id))
    version = charts.keep(chart_id, report.table, _audience(request, params, _reader(request)))
    context = {
        **_common(request, params, LEVELS),
        "indicator": chosen,
        "table": report.table,
        "own": report.own,
        "levels_text": levels_text(chosen),
        "pooled_min": POOLED_MIN_DENOMINATOR,
        "chart_id": chart_id,
        "chart_query": chart_query(params=params, version=version),
    }
    return render(request, "reports/indicator.html", context)


@require_GET
def chart(request: HttpRequest, chart: str, fmt: str) -> HttpResponse:
    """One chart as an SVG (the pages' images) or PNG file (a download), at the page's year and
    level, with the same access and the same hidden small counts as its page (the same reader);
    an unknown chart or format is not found.

    ``?v=`` is the version of the numbers the page counted and kept for this audience
    (charts.cache.keep): the file draws them without counting again. Without it, or when the
    cache has let them go, the numbers are counted as on the page. The answer is one user's
    (``Cache-Control: private``; accounts.sessions adds no-store for a signed-in user), and its
    ETag (the digest of the numbers) answers a client that asks again with 304, undrawn."""
    chosen = parse_chart(chart)
    if chosen is None or fmt not in ("svg", "png", *TABLE_FORMATS):
        raise Http404
    levels = CHART_LEVELS[chosen.kind]  # the first is the default, as on the chart's page
    try:
        params = _params(request, levels[0], levels)
    except ParameterError as error:
        return _bad_request(request, error)
    filters = NO_FILTERS
    if chosen.kind in FILTERED_KINDS:
        params, parsed, form = _filtered(request, params)
        if parsed is None:
            field = next(iter(form.errors))
            return _bad_request(request, ParameterError(field, " ".join(form.errors[field])))
        filters = parsed
    reader = _reader(request)
    asked = request.GET.get("v", "")
    audience = _audience(request, params, reader, filters)
    found = charts.kept(str(chosen), asked, audience) if asked else None
    version = asked if found is not None else None
    if found is None:
        unit = request.actor.unit  # type: ignore[attr-defined]
        found = chart_data(chart=chosen, params=params, unit=unit, reader=reader, filters=filters)
        if found is None:
            raise Http404
        version = digest(found)
    if fmt in TABLE_FORMATS:  # the chart's table (views.downloads), counted as the chart
        return table_download(
            request, chart=chosen, params=params, data=found, fmt=fmt, words=filters.words()
        )
    etag = f'"{code_version()}-{version}"' if version else None
    if etag is not None and etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        drawn = chart_file(chart=chosen, fmt=fmt, data=found)
        if fmt == "svg":
            response = HttpResponse(drawn, content_type="image/svg+xml; charset=utf-8")
        else:
            response = HttpResponse(drawn, content_type="image/png")
            name = f"hisreg-{chosen}-{params.year}-{params.level}.png"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
    if etag is not None:
        response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _figures(
    request: HttpRequest, params: Params, reader: data.Reader, filters: Filters = NO_FILTERS
) -> Callable[..., Any]:
    """selectors.figures for this page: its charts' addresses at the page's year, level and
    filters, the numbers kept for this reader's audience."""
    audience = _audience(request, params, reader, filters)

    def tabulated(kind: str, items: Sequence[Any]) -> list[Any]:
        return figures(kind, items, params=params, audience=audience, filters=filters)

    return tabulated


@_with_params("nation", SCOPES)
def distributions(request: HttpRequest, params: Params) -> HttpResponse:
    """Who was treated and how (age, sex, smoking, types of treatment, satisfaction …), and
    the DLQI severity and Hurley stage before and after treatment, of the episodes the
    filters choose (distributions.filters; a filter that cannot be used: the page with the
    form's errors and no figures, status 400)."""
    params, filters, form = _filtered(request, params)
    if filters is None:
        context = {**_common(request, params, SCOPES), **_filter_context(filters, form)}
        return render(request, "reports/distributions.html", context, status=400)
    unit, reader = _scope(request, params), _reader(request)
    year, as_of = params.year, params.as_of
    tabulated = _figures(request, params, reader, filters)
    chosen = {"unit": unit, "reader": reader, "filters": filters}
    context = {
        **_common(request, params, SCOPES),
        **_filter_context(filters, form),
        "figures": tabulated("distribution", data.distributions(year=year, as_of=as_of, **chosen)),
        "shifts": tabulated("shift", data.shifts(year=year, as_of=as_of, **chosen)),
        # HISREG's Figur 40-42: the type of treatment, surgery and medical treatment per unit
        "by_unit": tabulated("by-unit", data.unit_shares(year=year, as_of=as_of, **chosen)),
    }
    return render(request, "reports/distributions.html", context)


@_with_params("nation", SCOPES)
def averages(request: HttpRequest, params: Params) -> HttpResponse:
    """Means before treatment (BMI, DLQI, VAS, IHS4) per unit and per type of intervention,
    and the means before and after treatment of the same episodes, of the episodes the
    filters choose (as on the distributions page)."""
    params, filters, form = _filtered(request, params)
    if filters is None:
        context = {**_common(request, params, SCOPES), **_filter_context(filters, form)}
        return render(request, "reports/averages.html", context, status=400)
    unit, reader = _scope(request, params), _reader(request)
    year, as_of = params.year, params.as_of
    tabulated = _figures(request, params, reader, filters)
    chosen = {"unit": unit, "reader": reader, "filters": filters}
    context = {
        **_common(request, params, SCOPES),
        **_filter_context(filters, form),
        "figures": tabulated("average", data.averages(year=year, as_of=as_of, **chosen)),
        "comparisons": tabulated(
            "before-after", data.before_after(year=year, as_of=as_of, **chosen)
        ),
    }
    return render(request, "reports/averages.html", context)


@_with_params("nation", ("nation",))
def trends(request: HttpRequest, params: Params) -> HttpResponse:
    """Treatment choice per health region over the last five years, with the national line."""
    tabulated = _figures(request, params, _reader(request))
    context = {
        **_common(request, params, ("nation",)),
        "figures": tabulated("trend", data.trends(year=params.year, as_of=params.as_of)),
    }
    return render(request, "reports/trends.html", context)


@_with_params("nation", SCOPES)
def administrative(request: HttpRequest, params: Params) -> HttpResponse:
    """Episodes and unique patients per unit and year, forms per type and status, patients
    by how far their registration has come."""
    unit = _scope(request, params)
    reader = _reader(request, administration=True)
    tables = data.administrative(year=params.year, as_of=params.as_of, unit=unit, reader=reader)
    # HISREG's Tabell 3-6, the completeness of selected variables (distributions.completeness)
    completeness = data.completeness(year=params.year, as_of=params.as_of, unit=unit, reader=reader)
    context = {
        **_common(request, params, SCOPES),
        "tables": tables,
        "completeness": completeness,
        "exact_counts": reader.exact,
    }
    return render(request, "reports/administrative.html", context)
