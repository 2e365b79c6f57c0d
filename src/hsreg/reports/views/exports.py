"""The open results (published, no login), the unit leader's CSV and the coordinator's
research extract. Thin: the files are built, and the exports logged, in reports.exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import exports as files
from ..definitions import MIN_DENOMINATOR, MIN_DENOMINATOR_COMPLICATIONS
from ..forms import ResearchForm, YearForm


def _csv_response(text: str, filename: str, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=files.CSV_TYPE, status=status)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _year_error(form: YearForm) -> HttpResponse:
    """A bad ``?year=`` of a CSV: the field and why, as plain text."""
    text = "; ".join(f"year: {e}" for e in form.errors.get("year", []))
    return HttpResponse(text, content_type="text/plain; charset=utf-8", status=400)


@require_GET
def open_results(request: HttpRequest) -> HttpResponse:
    """The quality indicators as published: no login, no patient, nothing logged."""
    form = YearForm.from_query(request.GET)
    if not form.is_valid():
        return render(request, "reports/open_results.html", {"year_form": form}, status=400)
    year = form.cleaned_data["year"]
    results = files.published_results(year=year, as_of=timezone.localdate())
    context = {
        "year_form": form,
        "results": results,
        "low_coverage": files.LOW_COVERAGE,
        "min_denominator": MIN_DENOMINATOR,
        "min_complications": MIN_DENOMINATOR_COMPLICATIONS,
    }
    return render(request, "reports/open_results.html", context)


@require_GET
def open_results_csv(request: HttpRequest) -> HttpResponse:
    form = YearForm.from_query(request.GET)
    if not form.is_valid():
        return _year_error(form)
    year = form.cleaned_data["year"]
    results = files.published_results(year=year, as_of=timezone.localdate())
    return _csv_response(files.open_results_csv(results), f"hisreg-kvalitetsindikatorer-{year}.csv")


@require_GET
def unit_csv(request: HttpRequest) -> HttpResponse:
    """The unit leader's own unit beside the nation (reports.exports.unit_csv says what is
    suppressed), logged as an export."""
    form = YearForm.from_query(request.GET)
    if not form.is_valid():
        return _year_error(form)
    actor = request.actor  # type: ignore[attr-defined]
    year = form.cleaned_data["year"]
    text = files.unit_csv(actor=actor, year=year, as_of=timezone.localdate())
    return _csv_response(text, f"hisreg-{actor.unit.resh_id}-{year}.csv")


def _research_page(request: HttpRequest, form: ResearchForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "columns": files.RESEARCH_COLUMNS}
    return render(request, "reports/research.html", context, status=status)


@require_GET
def research(request: HttpRequest) -> HttpResponse:
    """The extract's form; a valid choice goes on to the file."""
    if not request.GET:
        return _research_page(request, ResearchForm(initial=ResearchForm.defaults()))
    form = ResearchForm(request.GET)
    if not form.is_valid():
        return _research_page(request, form, status=400)
    data = form.cleaned_data
    query = urlencode({"first_year": data["first_year"], "last_year": data["last_year"]})
    return redirect(f"{reverse('reports:research_file', kwargs={'fmt': data['fmt']})}?{query}")


@require_GET
def research_file(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The extract as CSV or XLSX, of ``?first_year=`` to ``?last_year=`` (default the last
    three complete years); each download is one audit row."""
    form = ResearchForm({**ResearchForm.defaults(), **request.GET.dict(), "fmt": fmt})
    if not form.is_valid():
        return _research_page(request, form, status=400)
    data = form.cleaned_data
    export = files.research_extract(
        actor=request.actor,  # type: ignore[attr-defined]
        first_year=data["first_year"],
        last_year=data["last_year"],
        fmt=data["fmt"],
        as_of=timezone.localdate(),
    )
    return FileResponse(
        export.file,
        as_attachment=True,
        filename=export.filename,
        content_type=export.content_type,
    )
