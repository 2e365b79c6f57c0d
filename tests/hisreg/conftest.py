"""Fixtures of the HISREG export and import tests: a small seeded registry, written as `hsreg
seed` writes it, and its export (with patients.csv) beside a registry emptied of patients."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hsreg.accounts.actor import system_actor
from hsreg.hisreg.export import export
from hsreg.objections.services import _delete_patient
from hsreg.patients.models import Patient
from hsreg.seeding.generator import generate
from hsreg.seeding.journey import Options, SeededPatient
from hsreg.seeding.units import ensure_units
from hsreg.seeding.writer import write_chunk

TODAY = date(2026, 11, 26)


@pytest.fixture
def seeded(db) -> list[SeededPatient]:
    ensure_units()
    patients = list(generate(30, Options(seed=7, today=TODAY)))
    write_chunk(patients, today=TODAY)
    return patients


def empty_registry() -> None:
    """Every patient deleted, as an objection deletes one (without recording objections); the
    units stay."""
    for patient in Patient.objects.all():
        _delete_patient(patient)


def export_to(directory: Path) -> Path:
    directory.mkdir()
    export(actor=system_actor(request_id="test"), directory=directory, national_ids=True)
    return directory


@pytest.fixture
def exported(db, tmp_path) -> Path:
    """A few seeded patients exported with patients.csv, then the registry emptied."""
    ensure_units()
    write_chunk(list(generate(8, Options(seed=11, today=TODAY))), today=TODAY)
    directory = export_to(tmp_path / "hisreg")
    empty_registry()
    return directory
