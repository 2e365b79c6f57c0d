"""The tables and columns of HISREG's export, in the data dictionary's order, and the key
columns hsreg writes in front of them.

The dictionary lists the form variables only: it names no key column (patient, unit, form or
episode) and no national id number. HISREG's tables are joined by keys its platform adds;
hsreg writes its own keys, named here, first in every file, so the tables can be joined and
read back. The national id number is not written: the dictionary does not list it, and the
registry id (``PATIENT_ID``) joins the tables without it (privacy by default).
"""

from __future__ import annotations

from functools import cache

from hsreg.records.klokebok import Question, questions

#: every file starts with these, in this order
KEY_COLUMNS: tuple[str, ...] = ("PATIENT_ID", "CENTREID", "FORM_ID", "EPISODE_ID")
#: the control tables (3- and 6-month forms share one table) add which control a row is
CONTROL_KEY = "CONTROL_MONTHS"
CONTROL_TABLES = ("patientcontrol", "doctorcontrol")
#: what each key column holds (the README lists them)
KEY_MEANINGS: dict[str, str] = {
    "PATIENT_ID": "the patient's registry id in hsreg (Patient.id); never the national id number",
    "CENTREID": "the RESH id of the unit that registered the form (Record.unit)",
    "FORM_ID": "the form's id in hsreg (the current version's id)",
    "EPISODE_ID": "the episode (forløp): the intervention's id; for a before-treatment form the "
    "patient's first finished intervention on or after the form's date, empty when none; for a "
    "control the intervention it follows up; empty in registration (once per patient)",
    CONTROL_KEY: "3 or 6: the 3- or 6-month control (patientcontrol, doctorcontrol only)",
}
#: the control tables' columns beyond the 2021 dictionary, after its columns: whether the
#: control could be done and why not, which R reads from HISREG's patientcontrol and
#: doctorcontrol (lastShinyHisreg.R: CONTROL_POSSIBLE, IMPOSSIBLE_REASON; the codes are
#: hisregPrepVar.R's), column -> code -> text
BEYOND_CODES: dict[str, dict[str, str]] = {
    "CONTROL_POSSIBLE": {"0": "Nei", "1": "Ja"},
    "IMPOSSIBLE_REASON": {"1": "Møtte ikke", "2": "Død", "9": "Vet ikke"},
}
BEYOND: dict[str, tuple[str, ...]] = {table: tuple(BEYOND_CODES) for table in CONTROL_TABLES}
#: the files: one ``<tabell>.csv`` per table, ``;``-separated UTF-8
ENCODING = "utf-8"
DELIMITER = ";"
#: the format of a date column: the dictionary writes its dates (maksintervall_start_dato,
#: innfoert_dato) as ISO 8601, 'YYYY-MM-DD'
DATE_FORMAT = "%Y-%m-%d"


@cache
def tables() -> tuple[str, ...]:
    """The dictionary's tables in the order they first appear."""
    return tuple(dict.fromkeys(table for table, _name in questions()))


@cache
def variables(table: str) -> tuple[str, ...]:
    """The dictionary's columns of ``table``, in its order."""
    return tuple(name for t, name in questions() if t == table)


def keys(table: str) -> tuple[str, ...]:
    return KEY_COLUMNS + ((CONTROL_KEY,) if table in CONTROL_TABLES else ())


def columns(table: str) -> tuple[str, ...]:
    """The dictionary's columns of ``table``, then those beyond it (BEYOND)."""
    return variables(table) + BEYOND.get(table, ())


def header(table: str) -> tuple[str, ...]:
    """A file's first line: the key columns, then the dictionary's columns and those beyond."""
    return keys(table) + columns(table)


def file_name(table: str) -> str:
    return f"{table}.csv"


def question(table: str, name: str) -> Question:
    return questions()[(table, name)]
