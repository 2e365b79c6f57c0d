"""The start page: search and the unit's worklists at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hsreg.worklists.selectors import counts
from hsreg.worklists.views import LIST_LABELS


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    numbers = counts(unit=actor.clinical_unit, today=today)
    worklists = [(name, label, numbers.get(name, 0)) for name, label in LIST_LABELS.items()]
    return render(request, "web/home.html", {"worklists": worklists})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A clear page, in the user's language, when a form's CSRF token is missing or old; a
    patient's page (under /p/) gets the patient's own, which shows nothing of the clinic."""
    if request.path.startswith("/p/"):
        from hsreg.questionnaires.patient_pages import csrf_refused  # noqa: PLC0415

        return csrf_refused(request)
    return render(request, "403_csrf.html", status=403)
