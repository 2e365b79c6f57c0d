"""The follow-up period of the figures that read controls (issue 16, D4).

HISREG's annual report script (``inst/FigTilAarsrapp2021.Rnw``) draws the figures of the
controls over ``datoFra_oppf`` = 1 July of the year before to ``datoTil_oppf`` = 30 June of the
report year, not over the calendar year: an episode of December has its 3- or 6-month control
only in the next year, so the calendar year's controls would be half missing when the report is
made. hsreg does the same for every figure that reads a control (the DLQI and Hurley shifts, the
means before and after, complications, satisfaction, retreatment, recommendation and why a
follow-up could not be done), on the pages and in the annual PDF, and says so in the caption
(``note``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..episodes import episode_rows


def followup_period(year: int, as_of: date) -> tuple[date, date]:
    """The first and last intervention dates of the episodes whose controls the figures of
    report ``year`` count (R: datoFra_oppf, datoTil_oppf), the last no later than ``as_of``."""
    return date(year - 1, 7, 1), min(date(year, 6, 30), as_of)


def followup_note(year: int, as_of: date) -> str:
    """The caption's words for the follow-up period of report ``year``."""
    first, last = followup_period(year, as_of)
    return _("Episodes with the intervention from %(first)s to %(last)s (the follow-up period)") % {
        "first": date_format(first, "j. F Y"),
        "last": date_format(last, "j. F Y"),
    }


def followup_episodes(*, year: int, as_of: date) -> QuerySet[Any]:
    """The episode rows (reports.episodes.episode_rows) of the follow-up period of report
    ``year``: what the figures of controls count."""
    first, last = followup_period(year, as_of)
    return episode_rows(as_of=as_of).filter(date__gte=first, date__lte=last)
