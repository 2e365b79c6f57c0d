"""The registry tests' units (tests/registry/conftest.py) for the access tests."""

from tests.registry.conftest import other_unit, unit

__all__ = ["other_unit", "unit"]
