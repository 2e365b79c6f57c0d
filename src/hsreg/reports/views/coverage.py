"""The coordinator's coverage page (dekningsgrad): the registry's patients against the
national patient register's (NPR), per unit, health trust (issue 16, D5) and health region for
three years, and the upload of NPR's counts. Thin: the reading is in reports.coverage, the
upload in reports.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ..coverage import coverage_overview, trust_coverage_rows
from ..forms import NprUploadForm, YearForm, latest_complete_year
from ..indicators import report_years
from ..services import upload_npr_counts
from ..suppression import LOW_COVERAGE_BELOW


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """GET: the coverage of ``?year=`` (default the last complete year) and the two before.
    POST: an NPR file; with any error nothing is imported and every error is shown."""
    year_form = YearForm.from_query(request.GET)
    valid_year = year_form.is_valid()
    year = year_form.cleaned_data["year"] if valid_year else latest_complete_year()
    if request.method == "POST":
        form = NprUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = upload_npr_counts(
                    actor=request.actor,  # type: ignore[attr-defined]
                    file=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(rows)s NPR count imported (%(created)s new, %(updated)s updated).",
                        "%(rows)s NPR counts imported (%(created)s new, %(updated)s updated).",
                        result.rows,
                    )
                    % {"rows": result.rows, "created": result.created, "updated": result.updated},
                )
                return redirect("reports:coverage")
    else:
        form = NprUploadForm()
    years = report_years(year)
    units, regions = coverage_overview(years=years)
    context = {
        "form": form,
        "year_form": year_form,
        "year": year,
        "years": years,
        "tables": [
            {"id": "units", "title": _("Per unit"), "first": _("Unit"), "rows": units},
            {
                "id": "trusts",
                "title": _("Per health trust"),
                "first": _("Health trust"),
                "rows": trust_coverage_rows(years=years),
                "help": _(
                    "As the registry publishes coverage: the trust's distinct patients with a "
                    "finished intervention at any of its units, divided by NPR's count for the "
                    "trust (uploaded as trust lines). A patient seen at two of its units counts "
                    "once."
                ),
            },
            {
                "id": "regions",
                "title": _("Per health region"),
                "first": _("Health region"),
                "rows": regions,
                "help": _("A region sums the units that have an NPR count that year."),
            },
        ],
        "low_below": LOW_COVERAGE_BELOW,
    }
    status = 400 if form.errors or not valid_year else 200
    return render(request, "reports/coverage.html", context, status=status)
