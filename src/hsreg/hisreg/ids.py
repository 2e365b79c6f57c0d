"""The import keeps HISREG's keys as hsreg's ids: a patient's registry id is its PATIENT_ID and
a form's id its FORM_ID, so the keys that join the tables (EPISODE_ID) stay valid and an
export of the imported registry writes the same files.

The services create rows with the database's next id (records.services.save_record,
patients.services.register_patient). So, just before each create, the table's sequence is set
to give the wanted id next; the created row is then checked to have it. Ids are given in
ascending order per table (SQLite's AUTOINCREMENT never gives an id below the table's
largest), and the registry is empty, so no id is taken. After the import (or a ``--check``,
whose rows are rolled back) every sequence is set past the largest id its table holds."""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, models


class IdError(RuntimeError):
    """The database gave a created row another id than the one asked for."""


def give_next(model: type[models.Model], value: int) -> None:
    """The next row created in ``model``'s table gets id ``value``."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pk = model._meta.pk
            assert pk is not None  # noqa: S101 - every concrete model has one
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                [table, pk.column, value],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [value - 1, table]
            )
            if cursor.rowcount == 0:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value - 1]
                )
        else:
            raise IdError(f"keeping ids is not supported on {connection.vendor}")


def check(created: models.Model, value: int) -> None:
    if created.pk != value:
        raise IdError(f"{created._meta.model_name} was created as {created.pk}, not {value}")


def reset(model_list: list[type[models.Model]]) -> None:
    """Every sequence past its table's largest id (PostgreSQL; SQLite keeps its own)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(statement)
