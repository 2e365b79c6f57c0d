"""A biologic course's dosing calendar in dates (TX-7, TX-11, XB-1, XB-2).

The engine's `biologic_regimen` gives the regimen in weeks (induction doses, then one or more
maintenance alternatives); the clinician plans in dates. Each dose's date is the course start
plus week × 7 days. The induction is listed whole, then the first doses of each maintenance
option (XB-1 has two: every 4 weeks, or every 2 weeks by response). An XB rule lies beyond the
NFDV guideline (2019): the calendar carries that mark and the source (the catalog's dosing text
names the approval and the trials).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from hsreg.guideline.biologic_regimen import biologic
from hsreg.guideline.case import parse_case
from hsreg.guideline.catalog import DRUGS
from hsreg.guideline.history import resolve
from hsreg.guideline.il17_response import IL17_INHIBITORS
from hsreg.guideline.jsonable import to_jsonable
from hsreg.web.language import lang, pick

from .models import DrugCourse

#: how many doses of each maintenance option the calendar lists
MAINTENANCE_DOSES = 4


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _mg(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def dated_calendar(
    regimen: Mapping[str, Any] | None,
    start: date | str | None,
    *,
    maintenance_doses: int = MAINTENANCE_DOSES,
) -> dict[str, Any] | None:
    """The regimen (the evaluation's ``biologic_regimen`` as JSON) in dates from ``start``:
    ``induction`` [{week, dose_mg, date}], ``maintenance`` [{start_week, dose_mg, every_weeks,
    doses: [{week, date}]}] (the first ``maintenance_doses`` of each option, after the last
    induction week), ``rule_id``, ``beyond`` (an XB rule) and ``source``. None without a
    regimen or a start; a regimen whose status is not "ok" has no doses to date."""
    if not regimen or start is None or regimen.get("status") != "ok":
        return None
    begin = _day(start)
    induction = [
        {
            "week": dose["week"],
            "dose_mg": _mg(dose["dose_mg"]),
            "date": begin + timedelta(days=7 * dose["week"]),
        }
        for dose in regimen.get("induction", [])
    ]
    last_induction = max((d["week"] for d in induction), default=-1)
    options = []
    for option in regimen.get("maintenance", []):
        first = option["start_week"]
        step = option["every_weeks"]
        while first <= last_induction:
            first += step
        weeks = [first + step * n for n in range(maintenance_doses)]
        options.append(
            {
                "start_week": option["start_week"],
                "dose_mg": _mg(option["dose_mg"]),
                "every_weeks": step,
                "doses": [{"week": w, "date": begin + timedelta(days=7 * w)} for w in weeks],
            }
        )
    drug = DRUGS.get(regimen.get("drug", ""))
    rule_id = str(regimen.get("rule_id", ""))
    return {
        "drug": regimen.get("drug"),
        "name": pick(drug.name) if drug else regimen.get("drug"),
        "start": begin,
        "rule_id": rule_id,
        "beyond": rule_id.startswith("XB-"),
        "source": pick(drug.dosing) if drug and not drug.in_guideline else "",
        "induction": induction,
        "maintenance": options,
    }


def course_regimen(course: DrugCourse) -> dict[str, Any] | None:
    """The engine's regimen (JSON, active language) for this IL-17 inhibitor course, by the
    patient's age at its start (XB-1, XB-2: adults only); None for another drug."""
    # the courses whose page shows the calendar: the IL-17 inhibitors (XB-1, XB-2), whose
    # regimen needs only the patient's age (infliximab's needs a weight; adalimumab's is on
    # the patient page, TX-7)
    if course.drug not in IL17_INHIBITORS or course.date is None:
        return None
    patient = course.patient
    document = {
        "as_of": course.date.isoformat(),
        "patient": {"birth_date": patient.birth_date.isoformat(), "sex": patient.sex},
        "treatments": [{"drug": course.drug, "start": course.date.isoformat()}],
    }
    regimen = biologic(resolve(parse_case(document), course.date))
    if regimen is None:
        return None
    data: dict[str, Any] = to_jsonable(regimen, lang())
    data["explanations"] = [e.text.in_lang(lang()) for e in regimen.explanations]
    return data
