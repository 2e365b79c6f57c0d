"""Which database the registry tests ran on, so a run without PostgreSQL says so visibly."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_database_vendor_is_the_one_asked_for():
    wanted = "postgresql" if os.environ.get("HSREG_TEST_DB") == "postgresql" else "sqlite"
    assert connection.vendor == wanted


@pytest.mark.skipif(
    not os.environ.get("HSREG_TEST_DATABASE_URL"),
    reason="HSREG_TEST_DATABASE_URL is not set: the registry tests ran on SQLite only",
)
def test_postgresql_run_is_configured():
    assert os.environ["HSREG_TEST_DATABASE_URL"].startswith("postgresql://")
