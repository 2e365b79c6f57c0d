"""The audit log is append-only (issue 4 point 4): the application's models refuse to change
or delete a row, and on PostgreSQL the database itself refuses UPDATE and DELETE from any
client, raw SQL included (the trigger of audit migration 0002). The raw-SQL tests run in the
PostgreSQL pass of `dev.py test` (HSREG_TEST_DATABASE_URL) and are skipped, with the reason,
on SQLite."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from hsreg.audit.models import Action, AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database trigger is PostgreSQL's; this run is on SQLite "
    "(dev.py test runs tests/audit again on HSREG_TEST_DATABASE_URL)",
)


@pytest.fixture
def row(db) -> AuditEvent:
    return AuditEvent.objects.create(username="lege", action=Action.READ, patient_id=17)


def test_a_stored_row_cannot_be_saved_again(row):
    row.target = "something else"
    with pytest.raises(AppendOnlyError):
        row.save()
    row.refresh_from_db()
    assert row.target == ""


def test_a_row_cannot_be_deleted(row):
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_querysets_cannot_update_or_delete(row):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=row.pk).update(patient_id=18)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=row.pk).patient_id == 17


def test_new_rows_are_still_written(row):
    AuditEvent.objects.create(username="lege", action=Action.LIST, patient_id=18)
    AuditEvent.objects.bulk_create([AuditEvent(action=Action.LIST, patient_id=19)])
    assert AuditEvent.objects.count() == 3


@on_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET patient_id = 18 WHERE id = %s",
        "UPDATE audit_auditevent SET username = '' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(row, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [row.pk])
    row.refresh_from_db()
    assert (row.patient_id, row.username) == (17, "lege")


@on_postgresql
def test_postgresql_still_takes_raw_inserts(row):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, username, role, action, target, outcome,"
            " request_id) VALUES (now(), 'x', '', 'read', '', 'ok', '')"
        )
    assert AuditEvent.objects.count() == 2
