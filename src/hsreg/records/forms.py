"""What every registry form does the same way, so each form only says what is its own.

- The klokebok drives the questions: its help text is shown with the field, its allowed range
  (maksintervall, the model's validators) refuses a value with the reason, its plausible range
  (normalintervall) only warns, and its ``obligatorisk`` makes a question required when the form
  is finished. A draft may be incomplete: a form is filled in over several sittings.
- Branching (the klokebok's activating questions): a form's LAYOUT nests sub-questions in groups
  with a ``When``; the page shows them only when the parent's answer activates them
  (``data-show-when``, hsreg.js) and the server clears what is hidden, so a stale answer to a
  question that no longer applies is never stored.
- Dates lie between the patient's birth and today.
- The form writes only through records.services.save_record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hsreg.accounts.actor import Actor
from hsreg.formats import show_date
from hsreg.numbers import whole_number
from hsreg.patients.models import Patient
from hsreg.web.choices import label_empty_choices

from .help_texts import help_text
from .klokebok import Question, questions
from .layout import (
    CONTROL_OCCASIONS,
    Group,
    Row,
    RowGroup,
    ShownField,
    ShownGroup,
    When,
    as_choice,
    group,
    limits,
    only_when,
    plain,
    set_range,
)
from .models import Record
from .services import save_record

#: the layout's parts, imported from here by the forms of each app
__all__ = ["CorrectionForm", "RecordForm", "When", "group", "limits", "only_when", "set_range"]


class RecordForm(forms.ModelForm):  # type: ignore[type-arg]
    """A registry form about one patient. Subclasses set Meta.model/fields and LAYOUT."""

    LAYOUT: ClassVar[tuple[Group, ...]] = ()
    #: the form's date may lie in the future (a planned drug course)
    FUTURE_DATE_ALLOWED: ClassVar[bool] = False
    #: required on finish besides the klokebok's required questions (when asked)
    EXTRA_FINISH_REQUIRED: ClassVar[tuple[str, ...]] = ()
    #: questions with an "Unknown" box: a value or Unknown is required on finish
    UNKNOWN_FOR: ClassVar[tuple[str, ...]] = ()
    #: at a 3- or 6-month control the klokebok's control table asks the question
    CONTROL_TABLES: ClassVar[dict[str, str]] = {}
    CONTROL_NAMES: ClassVar[dict[str, str]] = {}

    _branch: ClassVar[dict[str, When]]
    _order: ClassVar[list[str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._branch, cls._order = {}, []

        def walk(items: Iterable[str | Group], inherited: When | None) -> None:
            for item in items:
                if isinstance(item, Group):
                    walk(item.items, item.when or inherited)
                else:
                    cls._order.append(item)
                    if inherited is not None:
                        cls._branch[item] = inherited

        walk(cls.LAYOUT, None)

    def __init__(
        self,
        data: Any = None,
        *,
        patient: Patient,
        instance: Record,
        finishing: bool = False,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, instance=instance, initial=initial, use_required_attribute=False)
        self.patient = patient
        self.finishing = finishing
        self.warnings: dict[str, str] = {}
        model = self._meta.model
        for name, form_field in self.fields.items():
            model_field = self._model_field(name)
            form_field.required = name == "date" or (
                model_field is not None
                and not model_field.blank
                and model_field.has_default()
                and not isinstance(model_field, models.BooleanField)
            )
            if isinstance(form_field, forms.DateField):
                form_field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                if not (name == "date" and self.FUTURE_DATE_ALLOWED):
                    form_field.widget.attrs["max"] = timezone.localdate().isoformat()
            elif isinstance(form_field, forms.IntegerField | forms.DecimalField) and model_field:
                low, high = limits(model_field)
                if low is not None and high is not None:
                    set_range(form_field, low, high)
            if isinstance(form_field.widget, forms.Textarea):
                form_field.widget.attrs["rows"] = 3
            key = model.KLOKEBOK.get(name)
            # the klokebok's date help is about typing dates in HISREG; ours is a date picker.
            # Its help texts are shown as records.help_texts writes them (issue 12).
            if key in questions() and not form_field.help_text and name != "date":
                form_field.help_text = help_text(key)
        for name in self.UNKNOWN_FOR:
            self.fields[f"{name}_unknown"] = forms.BooleanField(label=_("Unknown"), required=False)
            if not self.is_bound and self._unknown_initially(name):
                self.initial[f"{name}_unknown"] = True

    # --- the klokebok ---------------------------------------------------------------------

    def _model_field(self, name: str) -> models.Field[Any, Any] | None:
        try:
            found = self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field (an Unknown box, a grid cell)
            return None
        return found if isinstance(found, models.Field) else None

    def occasion(self, values: dict[str, Any]) -> str:
        occasion = values.get("occasion", getattr(self.instance, "occasion", ""))
        return str(occasion or "")

    def question(self, name: str, values: dict[str, Any]) -> Question | None:
        """The klokebok question ``name`` asks, from the control table at a 3- or 6-month
        control when that table has it."""
        key = self._meta.model.KLOKEBOK.get(name)
        if key is None:
            return None
        table, variable = key
        if self.occasion(values) in CONTROL_OCCASIONS and table in self.CONTROL_TABLES:
            control = (self.CONTROL_TABLES[table], self.CONTROL_NAMES.get(variable, variable))
            if control in questions():
                return questions()[control]
        return questions().get(key)

    def plausibility(self, name: str, value: Any, values: dict[str, Any]) -> str:
        """A warning when ``value`` lies outside the klokebok's plausible range ('' if not)."""
        q = self.question(name, values)
        if q is None or value is None or value == "" or q.plausible == q.allowed:
            return ""
        low, high = q.plausible
        if not isinstance(value, int | Decimal | float):
            return ""
        if (low is None or value >= low) and (high is None or value <= high):
            return ""
        if low is None:
            usual = gettext("usually at most %(high)s") % {"high": plain(high or 0)}
        elif high is None:
            usual = gettext("usually at least %(low)s") % {"low": plain(low)}
        else:
            usual = gettext("usually between %(low)s and %(high)s") % {
                "low": plain(low),
                "high": plain(high),
            }
        return gettext("Unusual value (%(usual)s). Check it; the form can still be saved.") % {
            "usual": usual
        }

    # --- branching --------------------------------------------------------------------------

    def when_values(self, when: When) -> tuple[str, ...]:
        if when.dynamic:
            return tuple(getattr(self, when.dynamic)())
        return when.values

    def show_when(self, when: When | None) -> str:
        if when is None:
            return ""
        return f"{when.field}={','.join(self.when_values(when)) or '-'}"

    def is_asked(self, name: str, values: dict[str, Any]) -> bool:
        """Whether question ``name`` applies given the answers (its parents' chain)."""
        when = self._branch.get(name)
        if when is None:
            return True
        return self.is_asked(when.field, values) and as_choice(
            values.get(when.field)
        ) in self.when_values(when)

    def _empty(self, name: str) -> Any:
        model_field = self._model_field(name)
        if model_field is None:
            return False if isinstance(self.fields[name], forms.BooleanField) else None
        if isinstance(model_field, models.JSONField):
            return []
        if model_field.null:
            return None
        if isinstance(model_field, models.BooleanField):
            return False
        return ""

    def _instance_values(self) -> dict[str, Any]:
        return {name: getattr(self.instance, name, None) for name in self._order}

    def _unknown_initially(self, name: str) -> bool:
        """Whether the stored form ticked Unknown for ``name`` (``<name>_unknown`` on the model)."""
        return bool(getattr(self.instance, f"{name}_unknown", False))

    # --- validation -------------------------------------------------------------------------

    def date_problem(self, value: date | None, *, allow_future: bool = False) -> str:
        if value is None:
            return ""
        if not allow_future and value > timezone.localdate():
            return gettext("The date cannot be in the future.")
        if value < self.patient.birth_date:
            return gettext("The date cannot be before the patient's birth date (%(born)s).") % {
                "born": show_date(self.patient.birth_date)
            }
        return ""

    def clean_date(self) -> date | None:
        value = self.cleaned_data.get("date")
        problem = self.date_problem(value, allow_future=self.FUTURE_DATE_ALLOWED)
        if problem:
            raise ValidationError(problem, code="date")
        return value

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        for name in self._order:
            if name in self.fields and not self.is_asked(name, values):
                for cleared in (name, f"{name}_unknown"):
                    if cleared in self.fields:
                        values[cleared] = self._empty(cleared)
                        if self._errors is not None:
                            self._errors.pop(cleared, None)
        for name in self.UNKNOWN_FOR:
            if values.get(name) is not None and values.get(f"{name}_unknown"):
                self.add_error(name, gettext("Give a value or tick Unknown, not both."))
        self.clean_record(values)
        if self.finishing:
            for name in sorted(self.finish_required(values), key=self._position):
                if (
                    self.is_asked(name, values)
                    and not self.is_answered(name, values)
                    and name not in (self._errors or {})
                ):
                    self.add_error(name, gettext("Answer this question to finish the form."))
        for name in self.fields:
            warning = self.plausibility(name, values.get(name), values)
            if warning:
                self.warnings[name] = warning
        return values

    def clean_record(self, values: dict[str, Any]) -> None:
        """Cross-field checks and derived answers of one kind of form (override)."""

    def _position(self, name: str) -> int:
        return self._order.index(name) if name in self._order else len(self._order)

    def finish_required(self, values: dict[str, Any]) -> set[str]:
        names = set(self.EXTRA_FINISH_REQUIRED) | set(self.UNKNOWN_FOR)
        for name in self.fields:
            q = self.question(name, values)
            model_field = self._model_field(name)
            if (q is not None and q.required) or (
                model_field is not None
                and not model_field.blank
                and not isinstance(model_field, models.BooleanField)
            ):
                names.add(name)
        return {n for n in names if n in self.fields and n != "date"}

    def is_answered(self, name: str, values: dict[str, Any]) -> bool:
        if values.get(f"{name}_unknown"):
            return True
        return values.get(name) not in (None, "", [], ())

    # --- saving -----------------------------------------------------------------------------

    def before_save(self, record: Record) -> None:
        """Derived values (scores) set on the record before it is written (override)."""

    def children(self) -> Callable[[Any], None] | None:
        """Rows belonging to the form, written after it (override)."""
        return None

    def next_steps(self, record: Record) -> list[tuple[str, str]]:
        """(text, url) of forms to fill in next, offered after saving (override)."""
        return []

    @classmethod
    def copy_children(cls, original: Record) -> Callable[[Any], None] | None:
        """Copies the rows of ``original`` to its correction (override)."""
        return None

    def commit(self, *, actor: Actor, loaded_version: int | None = None, token: str = "") -> Record:
        """Saves the validated form through the write layer, as a draft or finished:
        ``loaded_version`` is the version the page was loaded with (a newer stored one is a
        conflict), ``token`` the page's one-time submission token."""
        record = self.instance
        for name in self.UNKNOWN_FOR:
            ticked = bool(self.cleaned_data.get(f"{name}_unknown"))
            setattr(record, f"{name}_unknown", ticked and getattr(record, name) is None)
        self.before_save(record)
        return save_record(
            record=record,
            actor=actor,
            finish=self.finishing,
            children=self.children(),
            loaded_version=loaded_version,
            token=token,
        )

    @classmethod
    def initial_from_query(cls, query: Any, patient: Patient) -> dict[str, Any]:
        """Answers preselected by a link (``?occasion=3m&intervention=12``)."""
        initial: dict[str, Any] = {"date": timezone.localdate()}
        occasion = query.get("occasion", "")
        if occasion in ("pre", *CONTROL_OCCASIONS) and "occasion" in cls.base_fields:
            initial["occasion"] = occasion
        intervention = whole_number(query.get("intervention", ""), max_digits=18)
        if intervention is not None and "intervention" in cls.base_fields:
            initial["intervention"] = intervention
        return initial

    # --- rendering --------------------------------------------------------------------------

    def layout(self) -> list[ShownGroup]:
        """The form's groups with their bound fields, for records/_group.html."""
        label_empty_choices(self.fields)
        values = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if not self.is_bound:
            values = self._instance_values()
            for name in self.fields:
                if name in self.initial:
                    values[name] = self.initial[name]

        def shown(g: Group, nested: bool) -> ShownGroup:
            out = ShownGroup(g.title, g.note, self.show_when(g.when), g.template, g.extra, nested)
            for item in g.items:
                if isinstance(item, Group):
                    out.items.append(shown(item, True))
                elif item in self.fields:
                    warning = self.warnings.get(item, "")
                    if not self.is_bound:
                        warning = self.plausibility(item, values.get(item), values)
                    companion = f"{item}_unknown"
                    out.items.append(
                        ShownField(
                            self[item],
                            warning,
                            self[companion] if companion in self.fields else None,
                        )
                    )
            return out

        return [shown(g, False) for g in self.LAYOUT]

    def display_value(self, name: str, value: Any) -> str:
        """An answer as text for the read-only page."""
        form_field = self.fields[name]
        if value is None or value in ("", []):
            if name in self.UNKNOWN_FOR:
                return gettext("Unknown")
            return "—"
        if isinstance(form_field, forms.ModelChoiceField):
            return str(form_field.label_from_instance(value))
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        choices = getattr(form_field, "choices", None)
        if choices:
            labels = {}
            for key, label in choices:
                if isinstance(label, list | tuple):
                    labels.update({str(k): lab for k, lab in label})
                else:
                    labels[str(key)] = label
            if isinstance(value, list):
                return ", ".join(str(labels.get(str(v), v)) for v in value)
            return str(labels.get(str(value), value))
        if isinstance(value, date):
            return show_date(value)  # the language's one date format (issue 12)
        if isinstance(value, Decimal):
            return plain(value)
        return str(value)

    def display(self) -> list[RowGroup]:
        """The stored answers that apply, grouped as the form asks them."""
        values = self._instance_values()

        def rows(g: Group) -> RowGroup | None:
            if g.template:
                return None
            if g.when is not None and not (
                self.is_asked(g.when.field, values)
                and as_choice(values.get(g.when.field)) in self.when_values(g.when)
            ):
                return None
            out = RowGroup(g.title)
            for item in g.items:
                if isinstance(item, Group):
                    sub = rows(item)
                    if sub is not None and sub.items:
                        out.items.append(sub)
                elif item in self.fields:
                    value = values.get(item)
                    out.items.append(
                        Row(
                            item,
                            self.fields[item].label or item,
                            self.display_value(item, value),
                            self.plausibility(item, value, values),
                        )
                    )
            return out

        return [r for g in self.LAYOUT if (r := rows(g)) is not None and r.items]

    def problems(self) -> list[tuple[str, str]]:
        """(label, message) of every error, for summaries."""
        found = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            found.extend((str(label or ""), str(e)) for e in errors)
        return found


class CorrectionForm(forms.Form):
    """Why a finished form is corrected; kept with the earlier version."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the earlier version, which stays readable."),
    )
