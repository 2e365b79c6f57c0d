"""Helpers the form tests share: a form's URL and the error shown beside a field."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse


def url(name: str, patient: Any, kind: str, record: Any = None) -> str:
    """The URL of records:<name> for a form kind of ``patient`` (and ``record``)."""
    kwargs: dict[str, Any] = {"patient_id": patient.pk, "kind": kind}
    if record is not None:
        kwargs["record_id"] = record.pk
    return reverse(f"records:{name}", kwargs=kwargs)


def error_for(html: str, name: str) -> str:
    """The error text shown beside field ``name`` ('' if none)."""
    found = re.search(
        rf'<div class="errors" role="alert" data-field="{re.escape(name)}">(.*?)</div>',
        html,
        re.S,
    )
    return found.group(1) if found else ""
