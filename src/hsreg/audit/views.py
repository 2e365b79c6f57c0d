"""The audit log's pages: who has seen one patient (for the unit leader), its export for the
patient's right of access (Normen; personopplysningsloven art. 15), and the review of the log
by those responsible for it (the unit leader: their unit; the coordinator: all of it).

Reading the log is itself logged: opening a patient's access log is a read of that patient,
and every export is an export row."""

from __future__ import annotations

import csv
from datetime import UTC

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hsreg.accounts.actor import Actor
from hsreg.numbers import whole_number
from hsreg.patients.selectors import enrolled_patient_ids, get_patient
from hsreg.spreadsheet import csv_row

from .forms import EventFilterForm
from .models import Action, AuditEvent
from .selectors import filtered, patient_access_log, reviewable_events
from .services import log

PAGE_SIZE = 50
COLUMNS = (
    "when_utc",
    "user",
    "name",
    "role",
    "unit_resh",
    "patient",
    "action",
    "what",
    "outcome",
    "request_id",
)


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> dict[str, object]:
    """One page of ``events`` (newest first) without counting the whole log: a row beyond the
    page says there is an older page."""
    value = request.GET.get("page", "1")
    number = whole_number(value, max_digits=6) or 1  # odd text or 0: the first page
    start = (number - 1) * PAGE_SIZE
    rows = list(events[start : start + PAGE_SIZE + 1])
    return {
        "events": rows[:PAGE_SIZE],
        "page": number,
        "newer": number - 1 if number > 1 else None,
        "older": number + 1 if len(rows) > PAGE_SIZE else None,
    }


@require_GET
def access_log(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    patient = get_patient(actor=actor, patient_id=patient_id, target="access log")
    context = {"patient": patient, **_page(request, patient_access_log(patient_id=patient.pk))}
    return render(request, "audit/access_log.html", context)


@require_GET
def access_log_csv(request: HttpRequest, patient_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    patient = get_patient(actor=actor, patient_id=patient_id, target="access log export")
    log(actor=actor, action=Action.EXPORT, patient_id=patient.pk, target="access log csv")
    stamp = timezone.now().strftime("%Y%m%d")
    return _csv(
        f"hsreg-access-log-{patient.pk}-{stamp}.csv", patient_access_log(patient_id=patient.pk)
    )


@require_GET
def events(request: HttpRequest) -> HttpResponse:
    """The log the actor may review, filtered; a bad filter is shown on its field and the
    log is not filtered by it."""
    actor = request.actor  # type: ignore[attr-defined]
    form = EventFilterForm(request.GET or None)
    rows = _reviewable(actor)
    if form.is_bound and form.is_valid():
        rows = filtered(rows, form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    context = {"form": form, "query": _without_page(request), **_page(request, rows)}
    return render(request, "audit/events.html", context)


@require_GET
def events_csv(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV, itself logged as an export with the filters used."""
    actor = request.actor  # type: ignore[attr-defined]
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/events.html", {"form": form, "events": []}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    log(
        actor=actor,
        action=Action.EXPORT,
        target="audit log csv",
        detail={k: str(v) for k, v in filters.items() if v not in (None, "")},
    )
    stamp = timezone.now().strftime("%Y%m%d")
    return _csv(f"hsreg-audit-log-{stamp}.csv", filtered(_reviewable(actor), filters))


def _reviewable(actor: Actor) -> QuerySet[AuditEvent]:
    """The log the actor reviews, with the registry ids of their unit's patients (the audit
    app knows no patient model; this view, above both, composes them)."""
    return reviewable_events(actor=actor, unit_patient_ids=enrolled_patient_ids(unit=actor.unit))


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _csv(filename: str, rows: QuerySet[AuditEvent]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for e in rows.iterator(chunk_size=2000):
        writer.writerow(
            csv_row(
                (
                    e.at.astimezone(UTC).isoformat(timespec="seconds"),
                    e.username,
                    e.user.get_full_name() if e.user else "",
                    e.role,
                    e.unit_id or "",
                    e.patient_id or "",
                    e.action,
                    e.target,
                    e.outcome,
                    e.request_id,
                )
            )
        )
    return response
