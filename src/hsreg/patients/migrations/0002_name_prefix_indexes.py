"""Indexes for the name search on PostgreSQL.

selectors.search_patients matches the first letters of a name case-insensitively, which Django
writes as ``UPPER("last_name"::text) LIKE UPPER('ber%')``. Only an index on that expression
with a pattern operator class serves such a prefix match under any database collation; without
it PostgreSQL walks every patient in the country to fill one unit's page. The operator class is
PostgreSQL's own, so SQLite (the demo's few thousand patients) is left as it is.
"""

from django.db import migrations

NAMES = ("first_name", "last_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(
            f"CREATE INDEX patients_patient_{name}_upper_prefix "
            f"ON patients_patient (UPPER({name}::text) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS patients_patient_{name}_upper_prefix")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
