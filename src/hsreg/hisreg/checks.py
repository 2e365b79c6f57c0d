"""The checks of a cell that the dictionary itself gives, for every column (the columns the
import reads and those it leaves to hsreg's own computation alike): a code is one of the
column's ``listeverdier``, a box 0 or 1, a date YYYY-MM-DD, a number a number inside the
allowed range (maksintervall), a status 1 (finished) or HISREG's 0 / -1 (not finished).

The forms check the rest (hisreg.formdata): these only catch what a form cannot be given."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from hsreg.records.klokebok import Question

from .dictionary import BEYOND, BEYOND_CODES, DATE_FORMAT, file_name, question, variables
from .problems import Problems
from .readers import Line

#: HISREG's STATUS: 1 finished; 0 (draft) and -1 (created) are forms not finished
FINISHED, NOT_FINISHED = "1", ("0", "-1")
MAX_CODES_SHOWN = 12


def _codes(q: Question) -> str:
    codes = list(q.codes)
    shown = ", ".join(codes[:MAX_CODES_SHOWN])
    return shown + (", ..." if len(codes) > MAX_CODES_SHOWN else "")


def _number_problem(value: str, q: Question) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return f"{value!r} is not a number"
    if not number.is_finite():
        return f"{value!r} is not a number"
    low, high = q.allowed
    if (low is not None and number < low) or (high is not None and number > high):
        return f"{value} is outside the allowed range {low}-{high}"
    return ""


def _problem(value: str, q: Question) -> str:
    kind = q.kind
    if kind == "Listevariabel":
        return "" if value in q.codes else f"{value} is not one of {_codes(q)}"
    if kind == "Avkrysningsboks":
        return "" if value in ("0", "1") else f"{value!r} is not 0 or 1 (a box)"
    if kind == "Datovariabel":
        try:
            datetime.strptime(value, DATE_FORMAT)
        except ValueError:
            return f"{value!r} is not a date as YYYY-MM-DD"
        return ""
    if kind in ("Tallvariabel", "Skjult variabel") and q.allowed != (None, None):
        return _number_problem(value, q)
    if kind == "Statusvariabel":
        if value == FINISHED or value in NOT_FINISHED:
            return ""
        return f"{value!r} is not a status: 1 (finished), 0 or -1 (not finished)"
    return ""


def check_cells(table: str, line: Line, problems: Problems) -> set[str]:
    """Reports every cell of ``line`` the dictionary refuses (and a code of a column beyond
    it that is not one of its codes); returns their columns."""
    bad: set[str] = set()
    for variable in variables(table):
        value = line[variable]
        if not value:
            continue
        message = _problem(value, question(table, variable))
        if message:
            problems.add(file_name(table), line.number, variable, message)
            bad.add(variable)
    for variable in BEYOND.get(table, ()):
        value, codes = line[variable], BEYOND_CODES[variable]
        if value and value not in codes:
            problems.add(
                file_name(table), line.number, variable, f"{value} is not one of {', '.join(codes)}"
            )
            bad.add(variable)
    return bad
