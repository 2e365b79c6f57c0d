"""What the clinical forms share: the lesion counts and region-grid cells, a patient's age on a
day, the order and branches of a layout, the lenient reading of a form being typed (the live
preview, records:live) and the check that a control is not dated before its intervention."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext

from hsreg.formats import show_date
from hsreg.records.forms import RecordForm, When

COUNTS = ("nodules", "abscesses", "draining_tunnels")


def branches(layout: tuple[Any, ...]) -> tuple[dict[str, When], list[str]]:
    """The questions of a layout in order, and the ``When`` each is asked under (as
    RecordForm computes them for a form's class LAYOUT)."""
    branch: dict[str, When] = {}
    order: list[str] = []

    def walk(items: tuple[Any, ...], inherited: When | None) -> None:
        for item in items:
            if isinstance(item, str):
                order.append(item)
                if inherited is not None:
                    branch[item] = inherited
            else:
                walk(item.items, item.when or inherited)

    walk(layout, None)
    return branch, order


CELLS = (*COUNTS, "hurley", "longest_distance_cm", "separated_by_normal_skin")
AGES = ("age_first_boil", "age_first_gp", "age_diagnosis")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def lenient_values(
    form: RecordForm, relevant: Callable[[str], bool]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """What can be read from a form being typed: the valid answers, and (label, reason) of the
    ``relevant`` answers left out. An unsaved page (not bound) is read from its initial
    answers."""
    if form.is_bound:
        form.is_valid()
        ignored = [
            (str(form.fields[name].label), str(error))
            for name, errors in form.errors.items()
            if name in form.fields and relevant(name)
            for error in errors
        ]
        return dict(form.cleaned_data), ignored
    values: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        try:
            values[name] = form_field.clean(form[name].value())
        except forms.ValidationError:
            continue
    return values, []


def check_control_date(form: RecordForm, values: dict[str, Any]) -> None:
    """A control is not dated before the intervention it follows up."""
    followed, day = values.get("intervention"), values.get("date")
    if (
        followed is not None
        and day is not None
        and day < followed.date
        and "date" not in form.errors
    ):
        form.add_error(
            "date",
            gettext("A control cannot be dated before the intervention it follows up (%(day)s).")
            % {"day": show_date(followed.date)},
        )
