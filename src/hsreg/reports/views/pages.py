"""The reports' pages: the quality indicators (overview and one indicator), the distributions,
averages, before/after comparisons, treatment trends and administrative tables with their
charts, each chart as an SVG or PNG file, and the annual report as a PDF.

Every page shows aggregates only, counted in the database (reports.selectors): any role may
open them (accounts.access), and none of them names a patient. The report year is ``?year=``
(this year when not given), the level ``?level=``; a value that cannot be used is a 400 page
naming the field and saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hsreg.accounts.models import Role
from hsreg.audit.models import Action
from hsreg.audit.services import log

from .. import charts
from .. import distributions as data
from ..annual import ReportError, annual_report
from ..definitions import BY_ID
from ..indicators import LEVELS, Level
from ..selectors import (
    CHART_LEVELS,
    LEVEL_LABELS,
    SCOPES,
    ParameterError,
    Params,
    chart_figure,
    figures,
    indicator_reports,
    levels_text,
    parse_chart,
    report_params,
    year_choices,
)

View = Callable[..., HttpResponse]


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
    context = {
        **_common(request, params, LEVELS),
        "indicator": chosen,
        "table": report.table,
        "own": report.own,
        "levels_text": levels_text(chosen),
        "chart_id": f"indicator-{chosen.id}",
        "chart_svg": charts.svg(charts.indicator_chart(report.table)),
    }
    return render(request, "reports/indicator.html", context)


@require_GET
def chart(request: HttpRequest, chart: str, fmt: str) -> HttpResponse:
    """One chart as an SVG or PNG file (the PNG as a download), at the page's year and
    level; an unknown chart or format is not found."""
    chosen = parse_chart(chart)
    if chosen is None or fmt not in ("svg", "png"):
        raise Http404
    levels = CHART_LEVELS[chosen.kind]  # the first is the default, as on the chart's page
    try:
        params = _params(request, levels[0], levels)
    except ParameterError as error:
        return _bad_request(request, error)
    unit = request.actor.unit  # type: ignore[attr-defined]
    figure = chart_figure(chart=chosen, params=params, unit=unit, reader=_reader(request))
    if figure is None:
        raise Http404
    if fmt == "svg":
        return HttpResponse(charts.svg(figure), content_type="image/svg+xml; charset=utf-8")
    response = HttpResponse(charts.png(figure), content_type="image/png")
    name = f"hisreg-{chosen}-{params.year}-{params.level}.png"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@_with_params("nation", SCOPES)
def distributions(request: HttpRequest, params: Params) -> HttpResponse:
    """Who was treated and how (age, sex, smoking, types of treatment, satisfaction …), and
    the DLQI severity and Hurley stage before and after treatment."""
    unit = _scope(request, params)
    year, as_of = params.year, params.as_of
    context = {
        **_common(request, params, SCOPES),
        "figures": figures(
            "distribution",
            data.distributions(year=year, as_of=as_of, unit=unit, reader=_reader(request)),
        ),
        "shifts": figures(
            "shift", data.shifts(year=year, as_of=as_of, unit=unit, reader=_reader(request))
        ),
    }
    return render(request, "reports/distributions.html", context)


@_with_params("nation", SCOPES)
def averages(request: HttpRequest, params: Params) -> HttpResponse:
    """Means before treatment (BMI, DLQI, VAS, IHS4) per unit and per type of intervention,
    and the means before and after treatment of the same episodes."""
    unit, reader = _scope(request, params), _reader(request)
    year, as_of = params.year, params.as_of
    context = {
        **_common(request, params, SCOPES),
        "figures": figures(
            "average", data.averages(year=year, as_of=as_of, unit=unit, reader=reader)
        ),
        "comparisons": figures(
            "before-after", data.before_after(year=year, as_of=as_of, unit=unit, reader=reader)
        ),
    }
    return render(request, "reports/averages.html", context)


@_with_params("nation", ("nation",))
def trends(request: HttpRequest, params: Params) -> HttpResponse:
    """Treatment choice per health region over the last five years, with the national line."""
    context = {
        **_common(request, params, ("nation",)),
        "figures": figures("trend", data.trends(year=params.year, as_of=params.as_of)),
    }
    return render(request, "reports/trends.html", context)


@_with_params("nation", SCOPES)
def administrative(request: HttpRequest, params: Params) -> HttpResponse:
    """Episodes and unique patients per unit and year, forms per type and status, patients
    by how far their registration has come."""
    unit = _scope(request, params)
    reader = _reader(request, administration=True)
    tables = data.administrative(year=params.year, as_of=params.as_of, unit=unit, reader=reader)
    context = {**_common(request, params, SCOPES), "tables": tables, "exact_counts": reader.exact}
    return render(request, "reports/administrative.html", context)


@_with_params("nation", ("nation",))
def annual_pdf(request: HttpRequest, params: Params) -> HttpResponse:
    """The national annual report of the year as a PDF download, logged as an export."""
    try:
        pdf = annual_report(year=params.year, as_of=params.as_of)
    except ReportError as error:
        field, _colon, reason = str(error).partition(": ")
        return _bad_request(request, ParameterError(field, reason))
    log(
        actor=request.actor,  # type: ignore[attr-defined]
        action=Action.EXPORT,
        target=f"annual report {params.year}",
        detail={"as_of": params.as_of.isoformat()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="hisreg-arsrapport-{params.year}.pdf"'
    return response
