"""Every column of every table of the dictionary, and where it comes from in hsreg: a source
for each, checked complete against the dictionary when first asked, and the README's table
generated from them (``python -m hsreg.hisreg.columns`` prints it)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from .dictionary import BEYOND, KEY_MEANINGS, columns, keys, question, tables
from .values import Source

#: the form each table is made of, and which of its forms
TABLE_FORMS: dict[str, str] = {
    "registration": "MedicalHistory (one per patient)",
    "preintervention": "PatientReport with occasion 'pre' (before treatment)",
    "preinterventiondoctor": "DoctorAssessment with occasion 'pre' (before treatment)",
    "intervention": "Intervention",
    "patientcontrol": "PatientReport with occasion '3m' or '6m'",
    "doctorcontrol": "DoctorAssessment with occasion '3m' or '6m'",
}


@cache
def sources() -> dict[str, dict[str, Source]]:
    """table -> variable -> source, in the dictionary's order. Raises if a dictionary column
    has no source or a source names a column the dictionary lacks (a test runs this)."""
    from hsreg.assessments.models import MedicalHistory  # noqa: PLC0415 - needs Django set up

    from . import sources_assessments as assessments  # noqa: PLC0415
    from . import sources_intervention  # noqa: PLC0415

    made = {
        "registration": assessments.registration(MedicalHistory.KLOKEBOK),
        "preintervention": assessments.patient_report(control=False),
        "preinterventiondoctor": assessments.doctor_assessment(control=False),
        "intervention": sources_intervention.intervention(),
        "patientcontrol": assessments.patient_report(control=True),
        "doctorcontrol": assessments.doctor_assessment(control=True),
    }
    made["patientcontrol"].update(assessments.beyond("PatientReport"))
    made["doctorcontrol"].update(assessments.beyond("DoctorAssessment"))
    if set(made) != set(tables()):
        raise LookupError(f"tables: hsreg has {sorted(made)}, the dictionary {tables()}")
    ordered: dict[str, dict[str, Source]] = {}
    for table in tables():
        missing = set(columns(table)) - set(made[table])
        unknown = set(made[table]) - set(columns(table))
        if missing or unknown:
            raise LookupError(
                f"{table}: no source for {sorted(missing)}, unknown {sorted(unknown)}"
            )
        ordered[table] = {name: made[table][name] for name in columns(table)}
    return ordered


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    """The README's table: every dictionary variable, its table, where the export takes it
    from and where the import puts it (hisreg.landing)."""
    from .landing import on_import  # noqa: PLC0415 - the forms need Django set up

    lines = ["| File | One row per finished, current |", "|---|---|"]
    lines += [f"| {name}.csv | {TABLE_FORMS[name]} |" for name in tables()]
    lines += [
        "",
        "| Table | Column | Question (dictionary) | From hsreg (export) | On import |",
        "|---|---|---|---|---|",
    ]
    for name in tables():
        for key in keys(name):
            lines.append(
                f"| {name} | {key} | (key, not in the dictionary) | {KEY_MEANINGS[key]} "
                f"| {cell(on_import(name, key))} |"
            )
        for variable, source in sources()[name].items():
            if variable in BEYOND.get(name, ()):
                asked = "(R's variable, beyond the 2021 dictionary)"
            else:
                asked = question(name, variable).text or "(computed by HISREG)"
            lines.append(
                f"| {name} | {variable} | {cell(asked)} | {cell(source.origin)} "
                f"| {cell(on_import(name, variable))} |"
            )
    return "\n".join(lines)


def print_table(make: Callable[[], str]) -> None:
    """Sets Django up (the tables read the models) and prints the table ``make`` gives: the
    ``python -m`` entry of this module and of ``hisreg.coverage``."""
    import os  # noqa: PLC0415
    import sys  # noqa: PLC0415

    import django  # noqa: PLC0415 - the models need Django set up

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hsreg.config.settings")
    django.setup()
    sys.stdout.write(make() + "\n")


def main() -> None:
    print_table(table)


if __name__ == "__main__":
    main()
