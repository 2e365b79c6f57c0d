"""Reads a directory of HISREG's tables, as ``hsreg hisreg export`` writes them, into an empty
registry (issue 14, point 5): units, patients, medical histories, interventions with their
drug boxes as drug courses, the before-treatment forms and the 3- and 6-month controls.

- All or nothing: everything is written in one transaction, which is rolled back when any
  problem was found, or always for ``check`` (a dry run that validates exactly as the import
  does, the forms included, since a form's rules read the forms saved before it).
- Every problem is reported by file, line and column (hisreg.problems), all of them up to a
  cap: the keys and the dictionary's codes of every cell (hisreg.checks), then each line as
  its form validates it (hisreg.formdata), so no rule is written twice.
- Writes go through the services, as a form typed in would: units.services.create_unit,
  patients.services.register_patient, the forms' ``commit`` (records.services.save_record) and
  save_record for the drug courses; what save_record's hooks derive (due items, episode
  facts) is refreshed once per patient at the end (records.services.hooks_once_per_patient).
  Their audit rows are the import's (hsreg itself is the actor, as for the seeder; units are
  created as the coordinator), plus one row ``hisreg import`` with the counts; a ``check``
  leaves no row.
- HISREG's keys become hsreg's ids (hisreg.ids), so an export of the imported registry writes
  the same files.
- Only finished forms are imported (STATUS 1): HISREG's unfinished ones (0, -1) are counted
  and left out, as hsreg's export leaves its drafts out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from hsreg.accounts.actor import Actor
from hsreg.assessments.forms import age_on
from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.guideline import scores
from hsreg.patients.models import Patient
from hsreg.records.models import Record
from hsreg.records.services import hooks_once_per_patient
from hsreg.treatments.models import DrugCourse, Intervention

from . import ids
from .checks import NOT_FINISHED, check_cells
from .dictionary import CONTROL_KEY, CONTROL_TABLES, DATE_FORMAT, file_name, tables
from .drugs import drugs_of, start_courses
from .formdata import (
    EPISODE_COLUMN,
    FORMS,
    ImportedReportForm,
    Plan,
    form_data,
    has_dlqi_answers,
    plan,
)
from .people import import_patients, import_units, whole
from .problems import Problems
from .readers import (
    PATIENTS_FILE,
    PATIENTS_HEADER,
    UNITS_FILE,
    UNITS_HEADER,
    Line,
    read,
    read_tables,
)

#: the order of the writes: a form's rules read the forms before it (a control's
#: intervention, the height for the BMI); within a model, ascending ids (hisreg.ids)
ORDER: tuple[tuple[type[Record], tuple[str, ...]], ...] = (
    (MedicalHistory, ("registration",)),
    (Intervention, ("intervention",)),
    (DoctorAssessment, ("preinterventiondoctor", "doctorcontrol")),
    (PatientReport, ("preintervention", "patientcontrol")),
)
MODELS = [Patient, MedicalHistory, Intervention, DoctorAssessment, PatientReport, DrugCourse]
DATE_COLUMN = {
    "preintervention": "PREINTERVENTION_DATE",
    "patientcontrol": "CONTROL_DATE",
}
TARGET = "hisreg import"


class NotEmptyError(Exception):
    """The registry has patients: an import is only into an empty registry."""


@dataclass
class Outcome:
    """What an import found and did: ``counts`` by what was (or, for a check or a refused
    import, would have been) imported."""

    problems: Problems
    counts: Counter[str] = field(default_factory=Counter)
    imported: bool = False


class _UndoError(Exception):
    """Rolls the transaction back (a check, or problems found)."""


@dataclass(frozen=True, slots=True)
class _Form:
    table: str
    line: Line
    patient_id: int
    unit: int
    form_id: int
    drugs: tuple[str, ...] = ()


def import_directory(*, directory: Path, actor: Actor, check: bool) -> Outcome:
    """Imports ``directory`` (or only checks it); raises NotEmptyError before reading it when
    the registry has patients."""
    if Patient.objects.exists():
        raise NotEmptyError("the registry already has patients; import into an empty registry")
    outcome = Outcome(problems=Problems())
    found = read_tables(directory, outcome.problems)
    units = read(directory, UNITS_FILE, UNITS_HEADER, outcome.problems, required=False)
    people = read(directory, PATIENTS_FILE, PATIENTS_HEADER, outcome.problems, required=True)
    try:
        with transaction.atomic():
            with hooks_once_per_patient() as refresh:
                _Run(found, units or [], people or [], outcome, actor).run()
            if outcome.problems or check:
                raise _UndoError
            refresh()  # the patients' due items and episode facts, once each
            log(actor=actor, action=Action.CREATE, target=TARGET, detail=dict(outcome.counts))
        outcome.imported = True
    except _UndoError:
        pass
    finally:
        ids.reset(MODELS)
    return outcome


class _Run:
    def __init__(
        self,
        found: dict[str, list[Line]],
        units: list[Line],
        people: list[Line],
        outcome: Outcome,
        actor: Actor,
    ) -> None:
        self.found, self.units, self.people = found, units, people
        self.problems, self.counts, self.actor = outcome.problems, outcome.counts, actor
        self.listed = {n for line in people if (n := whole(line["PATIENT_ID"])) is not None}
        self.forms: dict[type[Record], list[_Form]] = defaultdict(list)
        self.plans: dict[str, Plan] = {table: plan(table) for table in tables()}
        self.failed: set[tuple[str, int]] = set()  # (table, line) with a problem already
        self.histories: dict[int, int] = {}  # registry id -> its line in registration.csv

    def add(self, table: str, line: Line, column: str, message: str) -> None:
        self.problems.add(file_name(table), line.number, column, message)
        self.failed.add((table, line.number))

    def run(self) -> None:
        form_ids: dict[type[Record], dict[int, str]] = defaultdict(dict)
        for model, names in ORDER:
            for table in names:
                for line in self.found.get(table, []):
                    self.read_line(model, table, line, form_ids[model])
        usable, created = import_units(lines=self.units, problems=self.problems, actor=self.actor)
        self.counts["units created"] = created
        other_units: dict[int, list[int]] = defaultdict(list)
        for model, _names in ORDER:
            for form in self.forms[model]:
                if form.unit not in usable:
                    self.add(
                        form.table,
                        form.line,
                        "CENTREID",
                        f"{form.unit} is no unit of the registry or of {UNITS_FILE}",
                    )
                elif form.unit not in other_units[form.patient_id]:
                    other_units[form.patient_id].append(form.unit)
        patients = import_patients(
            lines=self.people,
            units=usable,
            other_units=other_units,
            problems=self.problems,
            actor=self.actor,
        )
        self.counts["patients"] = len(patients)
        for model, _names in ORDER:
            for form in sorted(self.forms[model], key=lambda f: f.form_id):
                patient = patients.get(form.patient_id)
                if patient is not None and (form.table, form.line.number) not in self.failed:
                    self.save(model, form, patient)
                elif patient is not None:
                    self.validate_only(model, form, patient)

    # --- the keys and the cells ---------------------------------------------------------------

    def read_line(self, model: type[Record], table: str, line: Line, taken: dict[int, str]) -> None:
        bad = check_cells(table, line, self.problems)
        if bad:
            self.failed.add((table, line.number))
        if line["STATUS"] in NOT_FINISHED:
            self.counts[f"{table} not finished (left out)"] += 1
            return
        if not line["STATUS"] and "STATUS" not in bad:
            self.add(table, line, "STATUS", "is empty: 1 is a finished form")
        patient_id, unit = whole(line["PATIENT_ID"]), whole(line["CENTREID"])
        form_id = whole(line["FORM_ID"])
        if patient_id is None:
            self.add(table, line, "PATIENT_ID", "is not a whole number from 1")
        elif patient_id not in self.listed:
            self.add(
                table,
                line,
                "PATIENT_ID",
                f"{patient_id} is not in {PATIENTS_FILE} (its national id number is needed)",
            )
        if unit is None:
            self.add(table, line, "CENTREID", "is not a RESH id (a whole number from 1)")
        if form_id is None:
            self.add(table, line, "FORM_ID", "is not a whole number from 1")
        elif form_id in taken:
            self.add(table, line, "FORM_ID", f"{form_id} is the id of {taken[form_id]} too")
        else:
            taken[form_id] = f"{file_name(table)} line {line.number}"
        episode = line[EPISODE_COLUMN]
        if episode and whole(episode) is None:
            self.add(table, line, EPISODE_COLUMN, "is not a whole number from 1")
        elif table == "intervention" and episode != line["FORM_ID"]:
            self.add(table, line, EPISODE_COLUMN, "an intervention is its own episode (FORM_ID)")
        if table == "registration" and patient_id is not None:
            if patient_id in self.histories:  # the medical history is once per patient
                self.add(
                    table,
                    line,
                    "PATIENT_ID",
                    f"{patient_id} has a registration on line {self.histories[patient_id]} "
                    "too: a patient has one medical history",
                )
            else:
                self.histories[patient_id] = line.number
        if table in CONTROL_TABLES and line[CONTROL_KEY] not in ("3", "6"):
            self.add(table, line, CONTROL_KEY, f"{line[CONTROL_KEY] or '(empty)'} is not 3 or 6")
        drugs = tuple(drugs_of(line)) if table == "intervention" else ()
        if patient_id is not None and unit is not None and form_id is not None:
            self.forms[model].append(_Form(table, line, patient_id, unit, form_id, drugs))

    # --- the forms ----------------------------------------------------------------------------

    def _form(self, model: type[Record], form: _Form, patient: Patient) -> Any:
        initial = {}
        if FORMS[form.table] is ImportedReportForm:
            initial["dlqi_instrument"] = self.instrument(form, patient)
        instance = model(patient=patient, unit_id=form.unit)
        data = form_data(form.table, form.line, self.plans[form.table])
        return FORMS[form.table](
            data, patient=patient, instance=instance, finishing=True, initial=initial
        )

    def instrument(self, form: _Form, patient: Patient) -> str:
        """XB-6: see formdata.ImportedReportForm."""
        if has_dlqi_answers(form.line):
            return "dlqi"
        try:
            day = datetime.strptime(form.line[DATE_COLUMN[form.table]], DATE_FORMAT).date()
        except ValueError:
            return "dlqi"
        return scores.quality_of_life_instrument(max(0, age_on(patient.birth_date, day)))

    def _valid(self, form: Any, item: _Form, bad: set[str]) -> bool:
        if form.is_valid():
            return True
        how = self.plans[item.table]
        for name, errors in form.errors.items():
            column = how.column_of(name) if name != "__all__" else ""
            if column in bad:
                continue  # the cell's own problem is reported already
            for error in errors:
                self.add(item.table, item.line, column, str(error))
        return False

    def validate_only(self, model: type[Record], item: _Form, patient: Patient) -> None:
        """A line with a problem already: its form's other problems are reported too."""
        bad = check_cells(item.table, item.line, Problems(cap=0))
        self._valid(self._form(model, item, patient), item, bad)

    def save(self, model: type[Record], item: _Form, patient: Patient) -> None:
        form = self._form(model, item, patient)
        if not self._valid(form, item, set()):
            return
        ids.give_next(model, item.form_id)
        record = form.commit(actor=self.actor)
        ids.check(record, item.form_id)
        self.counts[item.table] += 1
        if isinstance(record, Intervention):
            self.counts["drug courses"] += start_courses(
                intervention=record, drugs=list(item.drugs), actor=self.actor
            )
