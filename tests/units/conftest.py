"""The account tests' units and coordinator (tests/accounts/conftest.py) for the tests of
the coordinator's page of units."""

from tests.accounts.conftest import coordinator, coordinator_client, registry_unit, unit

__all__ = ["coordinator", "coordinator_client", "registry_unit", "unit"]
