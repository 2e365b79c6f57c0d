"""What both writes read the same way: the patient a resource is about (``Patient/<registry
id>``, found through the selectors with the client's actor, so another unit's patient is "not
found"), the date of a resource, and hsreg's extensions for the occasion and the intervention
a control follows up (codes.OCCASION_EXTENSION, codes.INTERVENTION_EXTENSION).

Nothing here writes: the found values go into the clinic's own forms, which check them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.utils import timezone

from hsreg.accounts.actor import Actor
from hsreg.assessments.models import Occasion
from hsreg.fhir import codes
from hsreg.patients.models import Patient
from hsreg.patients.selectors import MAX_ID, get_patient

from .problems import Problems, Refused

_PATIENT = re.compile(r"Patient/([1-9][0-9]{0,18})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def patient_number(reference: Any, *, path: str, problems: Problems) -> int | None:
    """The registry id of a ``{"reference": "Patient/<id>"}``, or a problem at ``path``."""
    text = reference.get("reference") if isinstance(reference, dict) else None
    match = _PATIENT.fullmatch(text) if isinstance(text, str) else None
    if match is None or int(match[1]) > MAX_ID:
        problems.add(path, "Give the patient as a reference Patient/<registry id>.")
        return None
    return int(match[1])


def find_patient(*, actor: Actor, number: int, path: str) -> Patient:
    """The patient, if the client's unit may write for them; else ``Refused`` 404 (another
    unit's patient and no patient are the same answer, so ids cannot be probed; the miss is
    logged as denied by the selector). No read row: the answer shows only what was sent."""
    try:
        return get_patient(actor=actor, patient_id=number, target=None)
    except Http404:
        raise Refused(
            [(path, f"Patient/{number} is not a patient of this client's unit.")],
            status=404,
            code="not-found",
        ) from None


def day_of(value: Any, *, path: str, problems: Problems) -> tuple[date | None, datetime | None]:
    """(date in Norway, the moment if a time was given) of a FHIR date or dateTime holding at
    least a whole day (a year or a month alone does not date a form)."""
    if not isinstance(value, str) or not _DAY.match(value):
        problems.add(path, "Give the date as YYYY-MM-DD, or a dateTime with a time zone.")
        return None, None
    try:
        if len(value) == 10:
            return date.fromisoformat(value), None
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.add(path, "This is not a valid date or dateTime.")
        return None, None
    if timezone.is_naive(moment):
        problems.add(path, "A dateTime with a time needs a time zone (FHIR R4).")
        return None, None
    return timezone.localdate(moment), moment


def extensions(resource: dict[str, Any], url: str, *, path: str) -> list[tuple[str, Any]]:
    """(path, extension) of every extension of ``resource`` with ``url``."""
    found = resource.get("extension")
    if not isinstance(found, list):
        return []
    return [
        (f"{path}.extension[{index}]", extension)
        for index, extension in enumerate(found)
        if isinstance(extension, dict) and extension.get("url") == url
    ]


def occasion_of(resource: dict[str, Any], *, path: str, problems: Problems) -> tuple[str, str]:
    """(occasion code or '' when not given, path of the extension or '')."""
    given = extensions(resource, codes.OCCASION_EXTENSION, path=path)
    if not given:
        return "", ""
    where, extension = given[0]
    code = extension.get("valueCode")
    if len(given) > 1 or code not in Occasion.values:
        problems.add(
            f"{where}.valueCode",
            "Give the occasion once, as valueCode pre, 3m or 6m (the before-treatment "
            "assessment or the 3- or 6-month control).",
        )
        return "", where
    return str(code), f"{where}.valueCode"


def intervention_of(resource: dict[str, Any], *, path: str, problems: Problems) -> tuple[str, str]:
    """(the intervention's registry id as text or '' when not given, path of the extension's
    value or '')."""
    given = extensions(resource, codes.INTERVENTION_EXTENSION, path=path)
    if not given:
        return "", ""
    where, extension = given[0]
    reference = extension.get("valueReference")
    identifier = reference.get("identifier") if isinstance(reference, dict) else None
    value = identifier.get("value") if isinstance(identifier, dict) else None
    if (
        len(given) > 1
        or not isinstance(identifier, dict)
        or identifier.get("system") != codes.INTERVENTION_SYSTEM
        or not isinstance(value, str)
        or not value.isdigit()
        or len(value) > 18
    ):
        problems.add(
            f"{where}.valueReference",
            "Give the intervention followed up once, as valueReference.identifier with system "
            f"{codes.INTERVENTION_SYSTEM} and the intervention's registry id as value.",
        )
        return "", where
    return value, f"{where}.valueReference"
