"""The unit's worklists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hsreg.guideline.status import due_status
from hsreg.patients.panel_todo import due_badge

from .labels import describe
from .selectors import LISTS, counts, worklist_page

LIST_LABELS = {
    "evaluations": _("12- and 24-week evaluations"),
    "labs": _("Lab checks"),
    "followups": _("Follow-ups"),
    "screening": _("Screening before a biologic"),
}
PAGE_SIZE = 200


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    numbers = counts(unit=request.actor.clinical_unit, today=today)  # type: ignore[attr-defined]
    lists = [(name, label, numbers[name]) for name, label in LIST_LABELS.items()]
    return render(request, "worklists/index.html", {"lists": lists})


@login_required
def worklist_view(request: HttpRequest, name: str) -> HttpResponse:
    if name not in LISTS:
        raise Http404("No such worklist")
    today = timezone.localdate()
    items = worklist_page(
        actor=request.actor,  # type: ignore[attr-defined]
        name=name,
        today=today,
        limit=PAGE_SIZE,
    )
    for item in items:
        # the patient page's guideline panel reads the same function (guideline.status)
        item.due = due_badge(  # type: ignore[attr-defined]
            due_status(today, due_on=item.due_on, opens_on=item.opens_on)
        )
        item.overdue = item.due.status == "overdue"  # type: ignore[attr-defined]
        item.what = describe(item)  # type: ignore[attr-defined]
    return render(
        request,
        "worklists/list.html",
        {"name": name, "label": LIST_LABELS[name], "items": items, "today": today},
    )
