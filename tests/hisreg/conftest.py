"""Fixtures of the HISREG export tests: a small seeded registry, written as `hsreg seed`
writes it."""

from __future__ import annotations

from datetime import date

import pytest

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
