"""Our forms ask HISREG's questions: every variable a model names in KLOKEBOK exists in the
vendored data dictionary, and the model's allowed range and codes are the klokebok's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator

from hsreg.records.forms import RecordForm, limits
from hsreg.records.kinds import KINDS
from hsreg.records.klokebok import question, questions
from hsreg.records.models import Record

RECORD_MODELS = [m for m in apps.get_models() if issubclass(m, Record)]
ENTRIES = [
    (model, name, key) for model in RECORD_MODELS for name, key in sorted(model.KLOKEBOK.items())
]


def entry_id(entry: tuple[type[Record], str, tuple[str, str]]) -> str:
    model, name, (table, variable) = entry
    return f"{model.__name__}.{name}={table}.{variable}"


def test_every_record_model_has_a_form_kind():
    assert {k.model for k in KINDS.values()} == set(RECORD_MODELS)


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_the_variable_exists(entry):
    _model, _name, key = entry
    assert key in questions()


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_the_allowed_range_is_the_klokeboks(entry):
    model, name, key = entry
    q = question(*key)
    field = model._meta.get_field(name)
    if q.kind == "Tallvariabel":
        low, high = limits(field)
        assert (Decimal(low), Decimal(high)) == q.allowed
        explicit = [
            v for v in field.validators if isinstance(v, MinValueValidator | MaxValueValidator)
        ]
        assert explicit
    else:
        assert q.allowed == (None, None)


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_the_codes_are_the_klokeboks(entry):
    model, name, key = entry
    q = question(*key)
    field = model._meta.get_field(name)
    if q.kind == "Listevariabel":
        # a code the form leaves out is named, with the code it is read as (issue 12: DLQI 7b)
        left_out = getattr(model, "KLOKEBOK_CODES_READ_AS", {}).get(name, {})
        offered = {code for code, _label in field.choices}
        assert {str(code) for code in offered | set(left_out)} == set(q.codes)
        assert set(left_out.values()) <= offered
    else:
        assert not q.codes


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_the_plausible_range_lies_within_the_allowed(entry):
    _model, _name, key = entry
    q = question(*key)
    (low, high), (plausible_low, plausible_high) = q.allowed, q.plausible
    if plausible_low is not None and low is not None:
        assert plausible_low >= low
    if plausible_high is not None and high is not None:
        assert plausible_high <= high


def test_dates_are_dates_in_the_klokebok():
    for model in RECORD_MODELS:
        if "date" in model.KLOKEBOK:
            assert question(*model.KLOKEBOK["date"]).kind == "Datovariabel"


@pytest.mark.parametrize(
    "form", sorted({k.form for k in KINDS.values()}, key=lambda f: f.__name__), ids=str
)
def test_a_controls_questions_come_from_the_control_tables(form: type[RecordForm]):
    """At a 3- or 6-month control a form asks the control table's variable where it has one;
    the tables and names it maps to exist, with the same codes and allowed range."""
    model = form._meta.model
    for name, (table, variable) in model.KLOKEBOK.items():
        if table not in form.CONTROL_TABLES:
            continue
        control = (form.CONTROL_TABLES[table], form.CONTROL_NAMES.get(variable, variable))
        if control not in questions():
            continue
        pre, post = question(table, variable), question(*control)
        assert pre.kind == post.kind, name
        assert set(pre.codes) == set(post.codes), name
        assert pre.allowed == post.allowed, name
    for variable, renamed in form.CONTROL_NAMES.items():
        assert any(variable == v for _t, v in model.KLOKEBOK.values())
        assert any((t, renamed) in questions() for t in form.CONTROL_TABLES.values())
