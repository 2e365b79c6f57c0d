"""The annual report's pages: the page that queues a run (reports.annual_runs), the run's
page that shows its progress and reloads itself until the PDF is ready (the HTTP ``Refresh``
header: no script, so nothing for the Content-Security-Policy to allow), and the download.

Every role may open them, as the other report pages (accounts.access): the report holds
aggregates only. The download is logged as an export, as it was when the page built the PDF
itself.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hsreg.audit.models import Action
from hsreg.audit.services import log

from .. import annual_runs
from ..annual import ReportError
from ..models import AnnualReportRun
from ..selectors import ParameterError, report_params
from .pages import _bad_request, _common

LEVELS = ("nation",)
#: seconds between the reloads of a run's page while the report is being made
RELOAD_SECONDS = 2


@require_http_methods(["GET", "POST"])
def annual(request: HttpRequest) -> HttpResponse:
    """GET: the year's annual report, its latest run (with the download when made) and the
    button that queues a new one. POST: queues it (or finds the one queued already) and goes
    to the run's page."""
    query = request.POST if request.method == "POST" else request.GET
    try:
        params = report_params(
            query, today=timezone.localdate(), default_level="nation", levels=LEVELS
        )
    except ParameterError as error:
        return _bad_request(request, error)
    if request.method == "POST":
        try:
            run = annual_runs.request(year=params.year, as_of=params.as_of, user=request.user)
        except ReportError as error:
            field, _colon, reason = str(error).partition(": ")
            return _bad_request(request, ParameterError(field, reason))
        return redirect("reports:annual_run", run_id=run.pk)
    run = annual_runs.latest(year=params.year, as_of=params.as_of)
    context = {
        **_common(request, params, LEVELS),
        "run": run,
        "progress": annual_runs.progress(run) if run else 0,
    }
    return render(request, "reports/annual.html", context)


@require_GET
def annual_run(request: HttpRequest, run_id: UUID) -> HttpResponse:
    """One run: queued, being made (with its progress), ready (the download) or failed. The
    page reloads itself every RELOAD_SECONDS while the run is queued or being made."""
    run = get_object_or_404(AnnualReportRun.objects.defer("pdf"), pk=run_id)
    context = {"run": run, "progress": annual_runs.progress(run), "reload": RELOAD_SECONDS}
    response = render(request, "reports/annual_run.html", context)
    if run.pending:
        response["Refresh"] = str(RELOAD_SECONDS)
    return response


@require_GET
def annual_pdf(request: HttpRequest, run_id: UUID) -> HttpResponse:
    """The PDF of a run that is ready, as a download, logged as an export."""
    run = get_object_or_404(AnnualReportRun, pk=run_id, state=AnnualReportRun.State.READY)
    log(
        actor=request.actor,  # type: ignore[attr-defined]
        action=Action.EXPORT,
        target=f"annual report {run.year}",
        detail={"as_of": run.as_of.isoformat()},
    )
    response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="hisreg-arsrapport-{run.year}.pdf"'
    return response
