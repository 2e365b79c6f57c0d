"""What a due item is about, in the user's language.

Due items store codes (worklists.due): a screening item the gaps (``SC-1:hemoglobin``,
``SC-2:cancer_within_5_years``), a week-12/16/24 evaluation the drug's id, a follow-up the
intervention's date. The lists show them here as words (the engine's TEST_NAMES, field labels
and drug names, through web.language.pick), never as the codes. Rows written before the codes
carried their rule (plain test ids and ``screening.<field>``) read the same way.
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.labels import field_label
from hsreg.guideline.screening import TEST_NAMES
from hsreg.web.language import pick

from .models import DueItem, DueKind


def _screening(detail: str) -> list[str]:
    tests: list[str] = []
    history: list[str] = []
    for code in filter(None, detail.split(",")):
        rule_id, _colon, name = code.rpartition(":")
        if rule_id == "SC-1" or (not rule_id and name in TEST_NAMES):
            tests.append(pick(TEST_NAMES[name]) if name in TEST_NAMES else name)
        else:
            history.append(pick(field_label(name)))
    shown = []
    if tests:
        shown.append(_("Tests not taken (SC-1): %(tests)s") % {"tests": ", ".join(tests)})
    if history:
        shown.append(_("Not recorded (SC-2): %(items)s") % {"items": ", ".join(history)})
    return shown


def describe(item: DueItem) -> list[str]:
    """The lines that say what ``item`` is about ([] when its kind says it all)."""
    detail = item.detail
    if not detail:
        return []
    if item.kind == DueKind.SCREENING:
        return _screening(detail)
    if item.kind in (DueKind.WEEK_12, DueKind.WEEK_16, DueKind.WEEK_24):
        drug = DRUGS.get(detail)
        return [pick(drug.name) if drug else detail]
    if item.kind in (DueKind.FOLLOWUP_3, DueKind.FOLLOWUP_6):
        try:
            day = date.fromisoformat(detail)
        except ValueError:
            return [detail]
        return [
            _("after the intervention of %(date)s")
            % {"date": date_format(day, "SHORT_DATE_FORMAT")}
        ]
    return [detail]
