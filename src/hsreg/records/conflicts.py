"""Two people saving one form: every form row carries its version (``Record.version``, one up
on every save), the page posts the version it was loaded with, and records.services refuses a
save over a newer one with a ConflictError carrying the stored row. The view then shows the
conflict page: every question whose stored answer differs from what this user typed, both
values side by side, who saved the stored version and when; what was typed stays in the form,
to be saved over the new version on purpose or dropped for the stored values.

Before issue 11 the last save silently won (59 of 60 parallel saves of one draft were lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import FieldDoesNotExist

from hsreg.numbers import whole_number

if TYPE_CHECKING:
    from .forms import RecordForm
    from .models import Record


class ConflictError(Exception):
    """A save was based on an older version of the form than the stored one."""

    def __init__(self, stored: Record, *, loaded: int) -> None:
        super().__init__(f"version {loaded} was loaded; version {stored.version} is stored")
        self.stored = stored
        self.loaded = loaded


def check_version(*, stored: Record, loaded: int | None) -> None:
    """Refuses a save based on version ``loaded`` when ``stored`` is newer. ``loaded`` None is a
    caller that read the row in the same transaction (hsreg itself, a correction's copy)."""
    if loaded is not None and loaded != stored.version:
        raise ConflictError(stored, loaded=loaded)


def parse_version(value: str | None) -> int | None:
    """The version a page posted (a hidden field), or None when it posted none or nonsense."""
    return None if value is None else whole_number(value, max_digits=9)


@dataclass(frozen=True, slots=True)
class Difference:
    """One question answered differently in the stored version and in what was typed."""

    name: str
    label: str
    stored: str
    typed: str


def _stored_value(stored_form: RecordForm, stored: Record, name: str) -> Any:
    """The stored answer to ``name``: the model's attribute (a related form as the object, as
    the typed value is), else what the form loads for it (a region cell, an Unknown box)."""
    try:
        stored._meta.get_field(name)
    except FieldDoesNotExist:
        if name in stored_form.initial:
            return stored_form.initial[name]
        return False if isinstance(stored_form.fields[name], forms.BooleanField) else None
    return getattr(stored, name)


def differences(*, typed: RecordForm, stored: Record) -> list[Difference]:
    """Every question of the form whose stored answer differs from the one typed (compared as
    the read-only page shows them, so 5 and 5.0 are the same), in the form's order. The rows of
    a form (the regions of an assessment) count: they are questions of the form too."""
    stored_form = type(typed)(patient=typed.patient, instance=stored)
    cleaned = getattr(typed, "cleaned_data", {})
    found = []
    for name, form_field in typed.fields.items():
        if name not in cleaned:
            continue
        before = stored_form.display_value(name, _stored_value(stored_form, stored, name))
        after = typed.display_value(name, cleaned[name])
        if before != after:
            found.append(Difference(name, str(form_field.label or name), before, after))
    return found
