"""The audit log is append-only (issue 4 point 4): the application's models refuse to change
or delete a row, and on PostgreSQL the database itself refuses UPDATE and DELETE from any
client, raw SQL included (the trigger of audit migration 0002), and TRUNCATE (migration 0007,
issue 11 point 8). Where the application's role may only INSERT and SELECT the log
(docs/deployment/postgresql-app-role.sql), the privileges refuse the rest, disabling the
triggers included. The raw-SQL tests run in the PostgreSQL pass of `dev.py test`
(HSREG_TEST_DATABASE_URL) and are skipped, with the reason, on SQLite."""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def rolled_back() -> Iterator[None]:
    """A block whose changes (DDL included, on PostgreSQL) do not outlive it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _no_truncate_trigger_state() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_auditevent_no_truncate'"
        )
        found = cursor.fetchone()
    return found[0] if found else None


@on_postgresql
def test_postgresql_refuses_truncate_as_migrated(row):
    """Migration 0007's own functions, run again: the trigger they create is enabled and
    refuses TRUNCATE (the test database has it disabled for Django's flush, tests/conftest.py;
    everything here is rolled back)."""
    migration = importlib.import_module("hsreg.audit.migrations.0007_no_truncate_trigger")
    with rolled_back():
        with connection.schema_editor() as editor:
            migration.drop(None, editor)
            assert _no_truncate_trigger_state() is None
            migration.create(None, editor)
        assert _no_truncate_trigger_state() == "O"  # enabled ("origin")
        with (
            pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=row.pk).exists()


@on_postgresql
def test_postgresql_refuses_truncate_with_cascade_and_restart(row):
    with rolled_back():
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_truncate"
            )
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_auditevent RESTART IDENTITY CASCADE")
    assert AuditEvent.objects.filter(pk=row.pk).exists()


APP_ROLE_SQL = (
    Path(__file__).resolve().parents[2] / "docs" / "deployment" / "postgresql-app-role.sql"
)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_application_role_may_only_insert_and_select_the_audit_log():
    """The deployment of the README: the owner (here the test's own role) ran the migrations,
    the DBA ran docs/deployment/postgresql-app-role.sql as it stands, and the application
    connects as its own role. It writes and reads the log and the other tables; changing,
    deleting or emptying the log, or disabling its triggers, is refused by privileges."""
    import psycopg
    from psycopg import errors

    settings = connection.settings_dict
    role = settings["NAME"].removeprefix("test_") + "_audit_app"  # one per test database
    password = secrets.token_urlsafe(16)
    script = APP_ROLE_SQL.read_text(encoding="utf-8")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(f"CREATE ROLE {_quoted(role)} LOGIN PASSWORD %s", [password])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                script.replace(':"app"', _quoted(role)).replace(':"owner"', _quoted(owner))
            )
        app = psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            dbname=settings["NAME"],
            user=role,
            password=password,
            autocommit=True,
        )
        with app:
            app.execute(
                "INSERT INTO audit_auditevent (at, username, role, action, target, outcome,"
                " request_id) VALUES (now(), 'app', '', 'read', 'by the app role', 'ok', '')"
            )
            (count,) = app.execute(
                "SELECT count(*) FROM audit_auditevent WHERE target = 'by the app role'"
            ).fetchone()
            assert count == 1
            # the registry's other tables: the normal rights
            app.execute("UPDATE units_unit SET name = name WHERE false")
            app.execute("DELETE FROM django_session WHERE false")
            for statement in (
                "UPDATE audit_auditevent SET target = 'changed'",
                "DELETE FROM audit_auditevent",
                "TRUNCATE audit_auditevent",
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
                "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
                "SELECT setval('audit_auditevent_id_seq', 1)",
            ):
                with pytest.raises(errors.InsufficientPrivilege):
                    app.execute(statement)
        assert AuditEvent.objects.filter(target="by the app role").count() == 1
        assert not AuditEvent.objects.filter(target="changed").exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {_quoted(role)}")
            cursor.execute(f"DROP ROLE {_quoted(role)}")
