"""The parts a registry form is laid out in (groups, the branching ``When``, what a page shows
of a field or an answer) and the small helpers for the klokebok's ranges; records.forms builds
on them, and the forms of each app declare their LAYOUT with ``group`` and ``only_when``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext

Label = str | Promise
CONTROL_OCCASIONS = ("3m", "6m")


@dataclass(frozen=True, slots=True)
class When:
    """A group is asked only when ``field`` has one of ``values`` (the submitted strings:
    codes, "on" for a ticked box). ``dynamic`` names a method of the form that gives the values
    when they depend on the patient (e.g. the ids of their surgical interventions)."""

    field: str
    values: tuple[str, ...] = ()
    dynamic: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """A part of a form: a card at the top level, a fieldset inside another group."""

    title: Label = ""
    items: tuple[str | Group, ...] = ()
    when: When | None = None
    note: Label = ""
    template: str = ""  # renders the whole group instead of its fields (the region grid)
    extra: str = ""  # included after the group's fields (e.g. stage definitions)


def group(
    title: Label,
    *items: str | Group,
    when: When | None = None,
    note: Label = "",
    template: str = "",
    extra: str = "",
) -> Group:
    return Group(title, items, when, note, template, extra)


def only_when(parent: str, *values: str, items: Iterable[str | Group]) -> Group:
    """Untitled sub-questions asked when ``parent`` has one of ``values``."""
    return Group("", tuple(items), When(parent, values))


@dataclass
class ShownField:
    bf: forms.BoundField
    warning: str
    companion: forms.BoundField | None
    is_group: ClassVar[bool] = False


@dataclass
class ShownGroup:
    title: Label
    note: Label
    show_when: str
    template: str
    extra: str
    nested: bool
    items: list[ShownField | ShownGroup] = field(default_factory=list)
    is_group: ClassVar[bool] = True


@dataclass
class Row:
    name: str
    label: Label
    value: str
    warning: str
    is_group: ClassVar[bool] = False


@dataclass
class RowGroup:
    title: Label
    items: list[Row | RowGroup] = field(default_factory=list)
    is_group: ClassVar[bool] = True


def range_message(low: Decimal | int, high: Decimal | int) -> str:
    return gettext("Must be between %(low)s and %(high)s.") % {
        "low": plain(low),
        "high": plain(high),
    }


def between(low: Decimal | int, high: Decimal | int) -> Callable[[Any], None]:
    """A validator refusing values outside the klokebok's allowed range, saying the range."""

    def check(value: Any) -> None:
        if value is not None and not low <= value <= high:
            raise ValidationError(range_message(low, high), code="range")

    return check


def plain(number: Decimal | int | float) -> str:
    """120 rather than 120.0 or 1.2E+2."""
    if isinstance(number, Decimal):
        text = format(number.normalize(), "f")
        return text
    return str(number)


def limits(model_field: models.Field[Any, Any]) -> tuple[Any, Any]:
    """The tightest (low, high) of a model field's min/max validators."""
    lows = [v.limit_value for v in model_field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in model_field.validators if isinstance(v, MaxValueValidator)]
    return (max(lows) if lows else None, min(highs) if highs else None)


def as_choice(value: Any) -> str:
    """An answer as the string a form submits for it (what ``When.values`` compare with)."""
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def set_range(form_field: forms.Field, low: Any, high: Any) -> None:
    """Replaces Django's two messages by one naming the range, and tells the browser."""
    form_field.validators = [
        v for v in form_field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
    ]
    form_field.validators.append(between(low, high))
    form_field.widget.attrs.update(min=plain(low), max=plain(high))
