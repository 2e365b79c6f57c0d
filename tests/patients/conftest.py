"""The registry tests' fixtures (a unit, a signed-in user, a patient) for these tests."""

from __future__ import annotations

from tests.registry.conftest import client_in, en, other_unit, patient, unit, user

__all__ = ["client_in", "en", "other_unit", "patient", "unit", "user"]
