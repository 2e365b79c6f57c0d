"""HISREG's Figur 35: why the follow-up form could not be filled in (IMPOSSIBLE_REASON)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy
from django_cte import CTE, with_cte

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.records.models import Status
from hsreg.treatments.models import Intervention
from hsreg.units.models import Unit

from ..episodes import judged_occasion
from .common import Category, Distribution, _scope
from .filters import NO_FILTERS, Filters
from .periods import followup_note, followup_period

#: R hisregPrepVar(valgtVar='IMPOSSIBLE_REASON'): gr <- c(1, 2, 9)
REASONS = (
    (1, gettext_lazy("Did not attend")),
    (2, gettext_lazy("Died")),
    (9, gettext_lazy("Don't know")),
)


def _reason(model: Any, as_of: date) -> Subquery:
    """The highest reason given on the episode's finished judging control form(s) of
    ``model`` (the patient's or the doctor's)."""
    forms = model.objects.filter(
        intervention=OuterRef("pk"),
        status=Status.FINISHED,
        date__lte=as_of,
        occasion=OuterRef("judged_at"),
        impossible_reason__isnull=False,
    ).order_by("-impossible_reason")
    return Subquery(forms.values("impossible_reason")[:1], output_field=IntegerField())


def impossible_reasons(
    *, year: int, as_of: date, unit: Unit | None = None, filters: Filters = NO_FILTERS
) -> Distribution:
    """Why the episode's follow-up could not be done, per episode of the follow-up period
    (periods, D4): R ``lastShinyHisreg`` takes ``pmax`` of the patient's and the doctor's
    control form's IMPOSSIBLE_REASON (na.rm) of the control that judges the episode (6 months
    after surgical or combined, 3 after medical treatment), and hisregFigAndeler counts the
    episodes with a reason (1 did not attend, 2 died, 9 don't know). One aggregate query over
    the episodes, each form's reason read once (a materialised common table expression)."""
    first, last = followup_period(year, as_of)
    episodes = Intervention.objects.filter(
        status=Status.FINISHED, date__gte=first, date__lte=last
    ).order_by()
    if unit is not None:
        episodes = episodes.filter(unit=unit)
    episodes = filters.narrow(episodes).annotate(judged_at=judged_occasion())
    episodes = episodes.annotate(
        patient_reason=_reason(PatientReport, as_of), doctor_reason=_reason(DoctorAssessment, as_of)
    ).annotate(
        reason=Greatest(
            Coalesce("patient_reason", "doctor_reason"), Coalesce("doctor_reason", "patient_reason")
        )
    )
    cte = CTE(episodes.values("id", "reason"), name="impossible", materialized=True)
    rows: Any = with_cte(cte, select=cte.queryset())
    counted = rows.aggregate(
        total=Count("id", filter=Q(reason__in=[code for code, _label in REASONS])),
        **{f"r{code}": Count("id", filter=Q(reason=code)) for code, _label in REASONS},
    )
    return Distribution(
        "impossible_reason",
        str(gettext_lazy("Why could the follow-up form not be filled in?")),
        [Category(str(label), counted[f"r{code}"] or 0) for code, label in REASONS],
        counted["total"] or 0,
        _scope(unit),
        note=followup_note(year, as_of),
    )
