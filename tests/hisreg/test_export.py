"""`hsreg hisreg export` (issue 14, point 5): HISREG's tables, columns and codes from the data
dictionary, one row per finished current form, deterministic, nothing of a patient who
objected, one audit row, and the README's table of where every column comes from."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hsreg.accounts.actor import system_actor
from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.audit.models import Action, AuditEvent
from hsreg.cli import main
from hsreg.hisreg.columns import sources, table
from hsreg.hisreg.dictionary import (
    BEYOND,
    KEY_COLUMNS,
    columns,
    header,
    keys,
    question,
    tables,
    variables,
)
from hsreg.hisreg.export import export, file_name
from hsreg.objections.services import record_objection
from hsreg.records.models import Status
from hsreg.treatments.models import Intervention

README = Path(__file__).resolve().parents[2] / "README.md"
UNITS = "units.csv"  # hsreg's file beside the tables (hisreg.keyfiles)
TABLES = (
    "registration",
    "preintervention",
    "preinterventiondoctor",
    "intervention",
    "patientcontrol",
    "doctorcontrol",
)
MODELS = {
    "registration": MedicalHistory,
    "preintervention": PatientReport,
    "preinterventiondoctor": DoctorAssessment,
    "intervention": Intervention,
    "patientcontrol": PatientReport,
    "doctorcontrol": DoctorAssessment,
}


def read(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / file_name(name)).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def header_of(directory: Path, name: str) -> list[str]:
    with (directory / file_name(name)).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle, delimiter=";"))


def run_export(directory: Path) -> Path:
    directory.mkdir()
    export(actor=system_actor(request_id="test"), directory=directory)
    return directory


def test_the_tables_are_the_dictionarys():
    assert tables() == TABLES
    for name in TABLES:
        assert list(sources()[name]) == list(variables(name)) + list(BEYOND.get(name, ()))


def test_every_file_has_the_dictionarys_columns(seeded, tmp_path):
    out = run_export(tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{t}.csv" for t in TABLES), UNITS])
    for name in TABLES:
        written = header_of(out, name)
        assert written[: len(keys(name))] == list(keys(name))
        assert written[len(keys(name)) :] == list(columns(name))
        assert tuple(written) == header(name)
        # R reads CONTROL_POSSIBLE and IMPOSSIBLE_REASON from the control tables (issue 16)
        assert written[len(keys(name)) + len(variables(name)) :] == list(BEYOND.get(name, ()))
        assert read(out, name), f"{name}: no rows on seeded data"


def test_every_coded_value_is_one_of_the_dictionarys(seeded, tmp_path):
    out = run_export(tmp_path / "out")
    checked = 0
    for name in TABLES:
        for line, row in enumerate(read(out, name), start=2):
            for variable in variables(name):
                q = question(name, variable)
                value = row[variable]
                if q.kind == "Listevariabel" and value:
                    assert value in q.codes, f"{name}.csv line {line} {variable}={value!r}"
                    checked += 1
                elif q.kind == "Avkrysningsboks":
                    assert value in ("", "0", "1"), f"{name}.csv line {line} {variable}"
                elif q.kind == "Datovariabel":
                    assert len(value) == 10, value
                    assert value[4] == value[7] == "-", value
                elif q.kind == "Statusvariabel":
                    assert value == "1"
    assert checked > 100


def test_the_keys_join_the_tables(seeded, tmp_path):
    out = run_export(tmp_path / "out")
    interventions = {row["FORM_ID"]: row for row in read(out, "intervention")}
    for name in ("patientcontrol", "doctorcontrol"):
        for row in read(out, name):
            assert row["CONTROL_MONTHS"] in ("3", "6")
            if row["EPISODE_ID"] in interventions:
                assert interventions[row["EPISODE_ID"]]["PATIENT_ID"] == row["PATIENT_ID"]
    for row in read(out, "preinterventiondoctor"):
        if row["EPISODE_ID"]:
            episode = interventions[row["EPISODE_ID"]]
            assert episode["PATIENT_ID"] == row["PATIENT_ID"]
            assert episode["INTERVENTION_DATE"] >= row["PREINTERVENTIONDOCTOR_DATE"]
    assert all(row["CENTREID"].isdigit() for row in read(out, "registration"))


def test_no_national_id_number_or_name_is_written(seeded, tmp_path):
    out = run_export(tmp_path / "out")
    written = "".join((out / file_name(t)).read_text(encoding="utf-8") for t in TABLES)
    for patient in seeded[:10]:
        assert patient.patient.national_id not in written
        assert patient.patient.last_name not in written
    assert not set(KEY_COLUMNS) & {"NATIONAL_ID", "FNR", "SSN"}


def test_two_exports_are_byte_identical(seeded, tmp_path):
    first, second = run_export(tmp_path / "one"), run_export(tmp_path / "two")
    for name in TABLES:
        assert (first / file_name(name)).read_bytes() == (second / file_name(name)).read_bytes()


@pytest.mark.parametrize("name", ["preintervention", "preinterventiondoctor", "intervention"])
def test_only_finished_current_forms_are_written(seeded, tmp_path, name):
    model = MODELS[name]
    finished = list(model.objects.filter(status=Status.FINISHED).order_by("id")[:2])
    superseded, copied = finished
    model.objects.filter(pk=superseded.pk).update(status=Status.SUPERSEDED)
    copied.pk = None
    copied.id = None
    copied.status = Status.DRAFT
    copied.save()
    draft = copied.pk
    out = run_export(tmp_path / "out")
    ids = {row["FORM_ID"] for row in read(out, name)}
    assert str(superseded.pk) not in ids
    assert str(draft) not in ids
    expected = model.objects.filter(status=Status.FINISHED)
    if name != "intervention":
        expected = expected.filter(occasion="pre")
    assert ids == {str(pk) for pk in expected.values_list("pk", flat=True)}


def test_a_patient_who_objected_is_not_written(seeded, tmp_path):
    patient = seeded[0].patient
    registry_id = str(patient.pk)
    before = run_export(tmp_path / "before")
    assert any(row["PATIENT_ID"] == registry_id for row in read(before, "registration"))
    record_objection(actor=system_actor(request_id="test"), national_id=patient.national_id)
    after = run_export(tmp_path / "after")
    for name in TABLES:
        assert all(row["PATIENT_ID"] != registry_id for row in read(after, name))


def test_the_command_writes_the_files_and_one_audit_row(seeded, tmp_path, capsys):
    out = tmp_path / "hisreg"
    assert main(["hisreg", "export", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{t}.csv" for t in TABLES), UNITS])
    assert "wrote 7 files" in capsys.readouterr().err
    (event,) = AuditEvent.objects.filter(action=Action.EXPORT, target="hisreg export")
    assert event.detail["files"] == 7
    assert event.detail["national_ids"] == 0
    assert event.patient_id is None
    assert event.username == ""
    assert set(event.detail["rows"]) == set(TABLES)


def test_an_empty_directory_is_accepted(seeded, tmp_path):
    assert main(["hisreg", "export", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "registration.csv").is_file()


@pytest.mark.parametrize("case", ["not empty", "a file", "no parent"])
def test_a_bad_out_is_refused_naming_it(db, tmp_path, capsys, case):
    if case == "not empty":
        (tmp_path / "other.txt").write_text("x", encoding="utf-8")
        out = tmp_path
    elif case == "a file":
        out = tmp_path / "file.csv"
        out.write_text("x", encoding="utf-8")
    else:
        out = tmp_path / "missing" / "out"
    assert main(["hisreg", "export", "--out", str(out)]) == 2
    assert "--out" in capsys.readouterr().err
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_out_is_required(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["hisreg", "export"])
    assert stopped.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_every_dictionary_variable_is_in_the_table():
    shown = table()
    for name in TABLES:
        for variable in variables(name):
            assert f"| {name} | {variable} |" in shown
    assert "not exported: " in shown


def test_the_readme_shows_the_table():
    """The README's table is the code's (python -m hsreg.hisreg.columns prints it)."""
    text = README.read_text(encoding="utf-8")
    generated = table()
    first = generated.splitlines()[0]
    assert first in text, "README.md has no HISREG table: run python -m hsreg.hisreg.columns"
    start = text.index(first)
    shown = "\n".join(text[start:].splitlines()[: len(generated.splitlines())])
    assert shown == generated, (
        "README.md's HISREG table differs: run python -m hsreg.hisreg.columns"
    )
